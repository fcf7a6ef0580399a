"""The indexes of the lists paged by key since issue 34 (wiki/keyset.py): the log (whole, by
type, by performer), the reports' triage queue (whole, by article), the held edits (pending,
oldest first; an author's own, newest first), an article's credits, the articles never
medically reviewed (oldest first), and the lists by title that may hold several languages (a
template's users, the articles citing retracted papers: the title index gains the id, and
serves the lists by title alone as before). Each ends in the id, so the database walks the
index in the list's order to either end instead of sorting."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("wiki", "0034_search_languages")]

    operations = [
        migrations.RemoveIndex(model_name="article", name="article_title"),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["title", "id"], name="article_title_id"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["created_at", "id"],
                condition=models.Q(reviewed_revision__isnull=True, redirect_to__isnull=True),
                name="article_never_reviewed",
            ),
        ),
        migrations.RemoveIndex(model_name="heldedit", name="held_edit_state"),
        migrations.RemoveIndex(model_name="logentry", name="log_type_newest"),
        migrations.AddIndex(
            model_name="credit",
            index=models.Index(fields=["article", "since", "id"], name="credit_article_since"),
        ),
        migrations.AddIndex(
            model_name="heldedit",
            index=models.Index(fields=["state", "created_at", "id"], name="held_edit_state"),
        ),
        migrations.AddIndex(
            model_name="heldedit",
            index=models.Index(fields=["user", "-created_at", "-id"], name="held_edit_user_newest"),
        ),
        migrations.AddIndex(
            model_name="logentry",
            index=models.Index(fields=["-created_at", "-id"], name="log_newest"),
        ),
        migrations.AddIndex(
            model_name="logentry",
            index=models.Index(fields=["type", "-created_at", "-id"], name="log_type_newest"),
        ),
        migrations.AddIndex(
            model_name="logentry",
            index=models.Index(
                fields=["performer", "-created_at", "-id"], name="log_performer_newest"
            ),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["-created_at", "-id"], name="report_newest"),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                fields=["article", "-created_at", "-id"], name="report_article_newest"
            ),
        ),
    ]
