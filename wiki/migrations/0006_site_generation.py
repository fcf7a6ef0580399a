"""The site generation moves from the cache into the database (see wiki.caching)."""

import time

from django.db import migrations, models


def first_generation(apps, schema_editor):
    # A time, not 0: a cache kept from an older database must not match a new one's pages.
    apps.get_model("wiki", "SiteGeneration").objects.create(pk=1, value=int(time.time() * 1000))


class Migration(migrations.Migration):
    dependencies = [("wiki", "0005_revision_kind_protect")]

    operations = [
        migrations.CreateModel(
            name="SiteGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField()),
            ],
            options={"db_table": "wiki_site_generation"},
        ),
        migrations.RunPython(first_generation, migrations.RunPython.noop),
    ]
