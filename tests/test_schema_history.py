"""Old revisions keep displaying, diffing and reverting after the models change.

django-reversion stores each revision as JSON of the model's fields at that time; turning it
back into a model instance fails once a field was renamed or removed (its issues #859, #826,
#613). Our history never deserializes into models: `wiki/snapshots.py` reads the JSON field by
field. Here the stored JSON of an old revision is rewritten into the shape it would have had
under an older (or newer) schema, and every history page is exercised on it.
"""

import json

import pytest
from reversion.models import Version

from wiki import snapshots
from wiki.models import Article, Revision

from .conftest import SAMPLE_SOURCE, save
from .helpers import confirm


def reshape_snapshot(revision_id, model, change):
    """Rewrite the stored JSON of `model` objects in one revision with change(fields)."""
    for version in Version.objects.filter(revision_id=revision_id, content_type__model=model):
        [obj] = json.loads(version.serialized_data)
        change(obj["fields"])
        version.serialized_data = json.dumps([obj])
        version.save(update_fields=["serialized_data"])


def rename(fields, old, new):
    fields[new] = fields.pop(old)


@pytest.fixture
def old_schema_article(make_article, editor, monkeypatch):
    """An article whose first revision was stored when the models looked different:

    Section.body was called `text`, Article.lead was called `intro`, the rendered HTML fields
    did not exist yet, and each section had a `mood` field that was removed since.
    """
    article = make_article(user=editor)
    first = article.latest_revision_id
    save(article, editor, SAMPLE_SOURCE.replace("Rest helps.", "Sleep helps."))

    def old_section(fields):
        rename(fields, "body", "text")
        for name in ("html", "heading_html", "anchor"):
            del fields[name]
        fields["mood"] = "calm"

    def old_article(fields):
        rename(fields, "lead", "intro")
        del fields["lead_html"], fields["notes_html"]

    reshape_snapshot(first, "section", old_section)
    reshape_snapshot(first, "article", old_article)
    monkeypatch.setitem(snapshots.RENAMED_FIELDS, "wiki.section", {"body": ("text",)})
    monkeypatch.setitem(snapshots.RENAMED_FIELDS, "wiki.article", {"lead": ("intro",)})
    article.refresh_from_db()
    return article, first


def test_django_reversion_itself_loses_the_renamed_fields_text(old_schema_article):
    """The premise: read through django-reversion, the old revision has lost its text."""
    _, first = old_schema_article
    versions = Version.objects.filter(revision_id=first, content_type__model="section")
    assert versions.count() == 4
    assert all(v.field_dict["body"] == "" for v in versions)


def test_the_old_revision_still_reads_its_text(old_schema_article):
    _, first = old_schema_article
    snapshot = snapshots.load_snapshot(first)
    assert snapshot.source == SAMPLE_SOURCE


def test_the_old_revision_still_displays(client, old_schema_article):
    _, first = old_schema_article
    page = client.get(f"/wiki/Sample_condition/revision/{first}").content.decode()
    assert "This is an old revision of this page" in page
    assert "<p>Rest helps.</p>" in page and 'id="Symptoms"' in page
    assert "Sample condition is a made-up disorder" in page


def test_the_old_revision_still_diffs(client, old_schema_article):
    article, first = old_schema_article
    page = client.get(
        f"/wiki/Sample_condition/diff?from={first}&to={article.latest_revision_id}"
    ).content.decode()
    assert "<del>Rest</del>" in page and "<ins>Sleep</ins>" in page
    assert "4 sections unchanged" in page


def test_the_old_revision_still_reverts(editor_client, old_schema_article):
    article, first = old_schema_article
    confirm(editor_client, f"/wiki/Sample_condition/revert/{first}")
    assert Article.objects.get(pk=article.pk).source == SAMPLE_SOURCE
    assert Revision.objects.filter(article=article).count() == 3


def test_an_edit_made_after_the_change_can_be_undone_against_the_old_revision(
    editor_client, old_schema_article
):
    article, first = old_schema_article
    second = article.latest_revision_id
    confirm(editor_client, f"/wiki/Sample_condition/undo/{second}")
    assert Article.objects.get(pk=article.pk).source == SAMPLE_SOURCE


def test_a_deleted_article_with_old_snapshots_is_recovered(admin_client_, old_schema_article):
    article, first = old_schema_article
    pk = article.pk
    admin_client_.post(f"/admin/wiki/article/{pk}/delete/", {"post": "yes"})
    reshape_snapshot(article.latest_revision_id, "section", lambda f: rename(f, "body", "text"))
    version = Version.objects.get_deleted(Article).get(object_id=str(pk))
    assert admin_client_.post(f"/admin/wiki/article/recover/{version.pk}/").status_code == 302
    recovered = Article.objects.get(pk=pk)
    assert "Sleep helps." in recovered.source and len(recovered.ordered_sections) == 4


@pytest.fixture
def section_gains_a_field(transactional_db):
    """A real migration: AddField Section.note, applied with the schema editor, as a deploy
    would, and the model reloaded with it; both undone afterwards."""
    import reversion
    from django.apps import apps
    from django.db import connection, models
    from django.db.migrations.operations import AddField
    from django.db.migrations.state import ProjectState

    from wiki.models import Section

    operation = AddField("section", "note", models.TextField(null=True, blank=True))
    before = ProjectState.from_apps(apps)
    after = before.clone()
    operation.state_forwards("wiki", after)

    def migrate():
        with connection.schema_editor() as editor:
            operation.database_forwards("wiki", editor, before, after)
        field = models.TextField(null=True, blank=True)
        field.contribute_to_class(Section, "note")
        reversion.unregister(Section)
        reversion.register(Section)  # what a restart after the deploy does: the field is saved
        return field

    yield migrate
    if hasattr(Section, "note"):
        field = Section._meta.get_field("note")
        Section._meta.local_fields.remove(field)
        Section._meta._expire_cache()
        delattr(Section, "note")
        reversion.unregister(Section)
        reversion.register(Section)
        with connection.schema_editor() as editor:
            operation.database_backwards("wiki", editor, after, before)


def test_revisions_from_before_a_real_added_field_still_display_diff_and_revert(
    section_gains_a_field, make_article, editor, client
):
    article = make_article(user=editor)
    first = article.latest_revision_id
    section_gains_a_field()
    second = save(article, editor, SAMPLE_SOURCE.replace("Rest helps.", "Sleep helps.")).revision
    newest = Version.objects.filter(revision_id=second.pk, content_type__model="section").first()
    oldest = Version.objects.filter(revision_id=first, content_type__model="section").first()
    assert "note" in json.loads(newest.serialized_data)[0]["fields"]
    assert "note" not in json.loads(oldest.serialized_data)[0]["fields"]

    page = client.get(f"/wiki/Sample_condition/revision/{first}").content.decode()
    assert "This is an old revision" in page and "<p>Rest helps.</p>" in page
    diff = client.get(f"/wiki/Sample_condition/diff?from={first}&to={second.pk}").content.decode()
    assert "<del>Rest</del>" in diff and "<ins>Sleep</ins>" in diff
    client.force_login(editor)
    confirm(client, f"/wiki/Sample_condition/revert/{first}")
    assert Article.objects.get(pk=article.pk).source == SAMPLE_SOURCE
    assert Revision.objects.filter(article=article).count() == 3
