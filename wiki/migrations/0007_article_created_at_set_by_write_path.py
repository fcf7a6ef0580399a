"""Article.created_at is set by the write path (to its first revision's time) instead of by
auto_now_add, which stamped it a moment after updated_at. Articles never edited since had
dateModified before dateCreated: their creation time becomes their last change's."""

import django.utils.timezone
from django.db import migrations, models


def creation_not_after_last_change(apps, schema_editor):
    Article = apps.get_model("wiki", "Article")
    Article.objects.filter(updated_at__lt=models.F("created_at")).update(
        created_at=models.F("updated_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("wiki", "0006_site_generation"),
    ]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.RunPython(creation_not_after_last_change, migrations.RunPython.noop),
    ]
