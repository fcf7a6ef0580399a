"""A plain index on the title: since titles are unique per language (0030), the unique index
leads with the language, and a category's pages, ordered by title alone, were sorted in full
instead of walked (the keyset's last page on PostgreSQL)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("wiki", "0032_interlanguage_links")]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["title"], name="article_title"),
        ),
    ]
