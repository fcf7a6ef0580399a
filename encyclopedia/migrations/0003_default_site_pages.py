"""The pages the footer links to (about, disclaimer, license, privacy), so a fresh install
without the demo content has no broken links. Existing pages are left as they are."""

from django.conf import settings
from django.db import migrations


def create_site_pages(apps, schema_editor):
    from encyclopedia.site_pages import create_missing_site_pages
    from wiki.rendering import render_markdown

    create_missing_site_pages(
        apps.get_model("encyclopedia", "SitePage"),
        site_name=settings.SITE_NAME,
        render=render_markdown,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("encyclopedia", "0002_site_featured_article"),
    ]

    operations = [
        migrations.RunPython(create_site_pages, migrations.RunPython.noop),
    ]
