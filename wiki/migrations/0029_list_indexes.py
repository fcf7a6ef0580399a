"""Indexes that match the orderings of the lists paged by key (wiki/keyset.py): a
contributor's edits newest first, and recent changes by the time each edit was made (ties
broken by the revision id). An article's history already has `revision_article_newest`.
On PostgreSQL, the titles of the A–Z index's "Other" page (not starting with a digit or a
Latin letter) get an index of their own, whose condition is the page's filter: otherwise the
page reads every article. SQLite walks the title index for it."""

from django.db import migrations, models

OTHER_TITLES = (
    "CREATE INDEX IF NOT EXISTS article_other_title ON wiki_article (title) "
    "WHERE NOT (title::text ~ '^[0-9A-Za-z]')"
)


def index_other_titles(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OTHER_TITLES)


def drop_other_titles(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_other_title")


class Migration(migrations.Migration):
    dependencies = [("wiki", "0028_abuse_rules_held_edits")]

    operations = [
        migrations.AddIndex(
            model_name="revision",
            index=models.Index(
                fields=["contributor", "-revision"], name="revision_contributor_newest"
            ),
        ),
        migrations.AddIndex(
            model_name="revision",
            index=models.Index(fields=["-created_at", "-revision"], name="revision_recent"),
        ),
        migrations.RunPython(index_other_titles, drop_other_titles),
    ]
