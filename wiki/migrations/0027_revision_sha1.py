"""Each revision's SHA-1 (MediaWiki's rev_sha1), computed from its stored snapshot for the
revisions made before it existed; `manage.py check_integrity` compares them."""

import hashlib

from django.db import migrations, models

BATCH = 1000


def digest_existing(apps, schema_editor):
    from wiki.snapshots import load_snapshots  # reads django-reversion's rows as stored

    Revision = apps.get_model("wiki", "Revision")
    pending = Revision.objects.filter(sha1="").order_by("pk").values_list("pk", flat=True)
    last = 0
    while ids := list(pending.filter(pk__gt=last)[:BATCH]):
        snapshots = load_snapshots(ids)
        for pk in ids:
            if (snapshot := snapshots.get(pk)) is not None:
                digest = hashlib.sha1(snapshot.source.encode()).hexdigest()  # noqa: S324
                Revision.objects.filter(pk=pk).update(sha1=digest)
        last = ids[-1]


class Migration(migrations.Migration):
    dependencies = [("wiki", "0026_link_patterns")]

    operations = [
        migrations.AddField(
            model_name="revision",
            name="sha1",
            field=models.CharField(blank=True, default="", editable=False, max_length=40),
        ),
        migrations.RunPython(digest_existing, migrations.RunPython.noop, elidable=True),
    ]
