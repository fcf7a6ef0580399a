"""Indexes that match the orderings of the lists paged by key (wiki/keyset.py): a
contributor's edits newest first, and recent changes by the time each edit was made (ties
broken by the revision id). An article's history already has `revision_article_newest`."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("wiki", "0027_revision_sha1")]

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
    ]
