"""Ship the starter templates (Template:Starter/Condition, /Drug, /Procedure) through the
write path, unless WIKI_SHIP_STARTER_TEMPLATES is off (the test suite's database)."""

from django.conf import settings
from django.db import migrations


def ship(apps, schema_editor):
    if not settings.WIKI_SHIP_STARTER_TEMPLATES:
        return
    from wiki.transclusion.starters import starters_ship

    starters_ship()


class Migration(migrations.Migration):
    dependencies = [
        ("wiki", "0023_editor_mode"),
    ]

    operations = [
        migrations.RunPython(ship, migrations.RunPython.noop),
    ]
