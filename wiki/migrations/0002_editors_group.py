from django.contrib.auth.management import create_permissions
from django.db import migrations

# The group's name and permissions are defined once, in wiki.permissions (stable API).
from wiki.permissions import EDITORS_GROUP, ensure_editors_group


def create_editors_group(apps, schema_editor):
    # Permissions are normally made after all migrations; this group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_editors_group(using=schema_editor.connection.alias, apps=apps)


def remove_editors_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=EDITORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("wiki", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
