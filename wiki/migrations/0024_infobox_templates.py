"""The infobox types become templates (`Template:Infobox medical condition`,
`Template:Infobox drug`). Their pages are written through the write path right after migrate
applies this migration (`wiki.transclusion.shipping.ship_templates`, a post_migrate step): the
write path needs every table's final schema, which a migration in the middle of the chain does
not have. Until then, and wherever a shipped template's page is missing, its type answers with
its shipped definition (`wiki.shipped_templates`), so every box renders as before."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("wiki", "0023_editor_mode")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
