"""The two revision recorders: one save at a time, and the batch importer's, write the same."""

import json

from reversion.models import Version

from wiki import bulk
from wiki.importing import ParsedFile
from wiki.models import Article, Revision
from wiki.services import ArticleEdit, article_save

SOURCE = 'Lead with **ünïcode**, "quotes" and [[Gout]].\n\n## Causes\n\nSun.\n\n## Care\n\nRest.\n'


def recorded(article) -> dict:
    """What history holds of an article's only revision, without ids and times."""
    revision = Revision.objects.get(article=article)
    meta = {
        f.attname: getattr(revision, f.attname)
        for f in Revision._meta.concrete_fields
        if f.attname not in ("revision_id", "article_id", "created_at")
    }
    snapshots = []
    for version in Version.objects.filter(revision_id=revision.pk).order_by("pk"):
        [obj] = json.loads(version.serialized_data)
        obj.pop("pk")
        obj["fields"].pop("article", None)
        obj["fields"].pop("created_at", None)
        obj["fields"].pop("updated_at", None)
        snapshots.append((version.format, version.object_repr, obj))
    comment = revision.revision.comment
    return {"meta": meta, "snapshots": snapshots, "comment": comment}


def test_the_batch_recorder_writes_what_the_single_recorder_writes(db):
    one = article_save(
        article=Article(title="Rickets"),
        edit=ArticleEdit(
            text=SOURCE,
            base_revision=None,
            summary="Imported",
            kind=Revision.Kind.IMPORT,
            categories=["Disease Index", "Bones"],
        ),
    ).article
    single = recorded(one)
    one.delete()  # its history stays; the title is free again
    parsed = ParsedFile(title="Rickets", source=SOURCE, categories=["Disease Index", "Bones"])
    [batch] = bulk.create_articles([bulk.prepare(parsed)], summary="Imported")
    assert recorded(batch) == single
    assert len(single["snapshots"]) == 3  # the article and its two sections


def test_the_recorders_rely_on_django_reversions_registration_options(db):
    """The batch recorder reads django-reversion 6.4.0's private `_get_options`: this fails
    when it changes, before the batch recorder writes anything different."""
    from reversion.revisions import _get_options

    options = _get_options(Article)
    assert options.format == "json" and options.object_id_field == "id"
    assert "latest_revision" not in options.fields and "title" in options.fields
    assert options.follow == ("sections",)
