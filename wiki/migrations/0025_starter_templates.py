"""The starter templates (Template:Starter/Condition, /Drug, /Procedure) are shipped when this
migration is applied, by a post_migrate step (`wiki.transclusion.starters.ship_starters`): they
are written through the write path, which needs every table's final schema, and a migration in
the middle of the chain does not have it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("wiki", "0024_infobox_templates")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
