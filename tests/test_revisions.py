"""The two revision recorders: one save at a time, and the batch importer's, write the same."""

import json
from dataclasses import replace

from reversion.models import Version

from wiki import bulk
from wiki.markdown_import import ParsedFile
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


def versions_of(revision_id: int) -> list[tuple]:
    return list(
        Version.objects.filter(revision_id=revision_id)
        .order_by("pk")
        .values_list(
            "content_type_id", "object_id", "db", "format", "serialized_data", "object_repr"
        )
    )


def test_a_save_records_what_django_reversion_itself_records(db):
    """`record_revision` writes django-reversion's rows itself: the same rows, in the same
    order, as `reversion.add_to_revision` records for the article as it was saved, and the
    revision's comment, author and time."""
    import reversion
    from django.contrib.auth.models import User

    editor = User.objects.create_user("ann")
    article = Article(title="Rickets")
    for text, categories in [(SOURCE, ["Bones"]), (SOURCE + "\n## Outlook\n\nGood.\n", None)]:
        saved = article_save(
            article=article,
            edit=ArticleEdit(
                text=text,
                base_revision=article.latest_revision_id,
                summary="Outlook added",
                user=editor,
                categories=categories,
            ),
        )
    ours = saved.revision
    fresh = Article.objects.get(pk=article.pk)  # django-reversion reads what is stored
    with reversion.create_revision(manage_manually=True):
        reversion.add_to_revision(fresh)
        reversion.set_user(editor)
        reversion.set_comment("Outlook added")
    theirs = Version.objects.order_by("-revision_id").first().revision
    assert ours.revision_id != theirs.pk
    assert versions_of(ours.revision_id) == versions_of(theirs.pk)
    assert len(versions_of(ours.revision_id)) == 4  # the article and its three sections
    assert (ours.revision.comment, ours.revision.user) == (theirs.comment, theirs.user)
    assert Article.objects.get(pk=article.pk).latest_revision_id == ours.revision_id
    assert Revision.objects.get(pk=ours.revision_id) == ours


def test_the_recorders_rely_on_django_reversions_registration_options(db):
    """The batch recorder reads django-reversion 6.4.0's private `_get_options`: this fails
    when it changes, before the batch recorder writes anything different."""
    from reversion.revisions import _get_options

    options = _get_options(Article)
    assert options.format == "json" and options.object_id_field == "id"
    assert "latest_revision" not in options.fields and "title" in options.fields
    assert options.follow == ("sections",)


HISTORY = [
    ("Lead.\n\n## Causes\n\nSun.\n\n## Care\n\nRest.\n", ["Bones"], "First draft"),
    ("Lead, longer.\n\n## Causes\n\nSun and diet.\n", ["Bones", "Diet"], "Merged care"),
    ("Lead [[Gout]].\n\n## Causes\n\nDiet.\n\n## Care\n\nSun.\n\n## Outlook\n\nGood.\n", None, ""),
]
RENDERED = {"lead_html", "notes_html", "heading_html", "anchor", "html"}


def recorded_history(article) -> list[dict]:
    """What history holds of each revision of an article, oldest first, with ids and times
    replaced by their order of appearance (section rows keep or change their identity)."""
    seen: dict = {}
    out = []
    for revision in Revision.objects.filter(article=article).order_by("pk"):
        meta = {
            f.attname: getattr(revision, f.attname)
            for f in Revision._meta.concrete_fields
            if f.attname not in ("revision_id", "article_id", "parent_id")
        }
        meta["has_parent"] = revision.parent_id is not None
        snapshots = []
        for version in Version.objects.filter(revision_id=revision.pk).order_by("pk"):
            [obj] = json.loads(version.serialized_data)
            obj["pk"] = seen.setdefault((obj["model"], obj["pk"]), len(seen))
            obj["fields"].pop("article", None)
            snapshots.append((version.format, version.object_repr, obj))
        out.append({"meta": meta, "snapshots": snapshots, "comment": revision.revision.comment})
    return out


def without_rendering(revision: dict) -> dict:
    for _, _, obj in revision["snapshots"]:
        for name in RENDERED & set(obj["fields"]):
            obj["fields"][name] = ""
    return revision


def test_a_history_appended_in_one_batch_is_what_saving_each_revision_writes(db):
    """The import's history recorder writes the rows `article_save` writes for the same
    revisions saved one after another, but for the HTML of the older revisions, which it
    leaves to be rendered when they are opened."""
    from datetime import UTC, datetime, timedelta

    from wiki.appending import article_append_history
    from wiki.models import Contributor

    ann, ip = (
        Contributor.objects.create(name="Ann Author"),
        Contributor.objects.create(name="203.0.113.9"),
    )
    start = datetime(2004, 4, 16, 12, 0, tzinfo=UTC)

    def edits(site):
        return [
            ArticleEdit(
                text=text,
                base_revision=None,
                summary=summary,
                categories=categories,
                kind=Revision.Kind.IMPORT,
                at=start + timedelta(days=i),
                author=[ann, ip][i % 2],
                minor=i == 1,
                origin=f"{site}#{i + 1}",
            )
            for i, (text, categories, summary) in enumerate(HISTORY)
        ]

    article = Article(title="Rickets")
    for edit in edits("one"):
        article_save(article=article, edit=replace(edit, base_revision=article.latest_revision_id))
    single = recorded_history(article)
    article.delete()
    batch_article = Article(title="Rickets")
    ids = article_append_history(article=batch_article, edits=edits("two"))
    batch = recorded_history(batch_article)
    assert len(ids) == len(single) == 3
    for revision in single + batch:
        revision["meta"]["origin"] = revision["meta"]["origin"].split("#")[1]
    assert batch[-1] == single[-1]  # the current revision, rendered
    assert [without_rendering(r) for r in batch] == [without_rendering(r) for r in single]
    assert batch_article.created_at == start and batch_article.updated_at == start + timedelta(2)
    assert [c.contributor.name for c in batch_article.credits.all()] == ["Ann Author"]
