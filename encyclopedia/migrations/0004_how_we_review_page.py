"""The "How we review" page, which the "Medically reviewed" line of articles links to."""

from django.db import migrations


def create_site_pages(apps, schema_editor):
    from django.conf import settings

    from encyclopedia.site_pages import create_missing_site_pages
    from wiki.rendering import render_markdown

    create_missing_site_pages(
        apps.get_model("encyclopedia", "SitePage"),
        site_name=settings.SITE_NAME,
        render=render_markdown,
    )


class Migration(migrations.Migration):
    dependencies = [("encyclopedia", "0003_default_site_pages")]

    operations = [migrations.RunPython(create_site_pages, migrations.RunPython.noop)]
