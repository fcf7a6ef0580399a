"""Editors restore old revisions and undo single edits; nothing in history is ever lost."""

import pytest
from reversion.models import Version

from wiki.history.services import UndoRefused, article_undo
from wiki.models import Article, Revision

from .conftest import SAMPLE_SOURCE, save
from .helpers import confirm


def current_source(article):
    return Article.objects.get(pk=article.pk).source


def test_revert_round_trip_brings_the_text_back_and_keeps_all_revisions(
    editor_client, make_article, editor, other_editor
):
    article = make_article(user=editor)
    first = article.latest_revision_id
    save(article, other_editor, SAMPLE_SOURCE.replace("Rest helps.", "Sleep helps."))
    save(article, other_editor, SAMPLE_SOURCE.replace("Rest helps.", "Nothing helps."))
    response = confirm(editor_client, f"/wiki/Sample_condition/revert/{first}")
    assert "The article was reverted to revision" in response.content.decode()
    assert current_source(article) == SAMPLE_SOURCE
    revisions = list(Revision.objects.filter(article=article))
    assert len(revisions) == 4
    newest = revisions[0]
    assert newest.kind == "revert" and newest.user == editor
    assert newest.summary == f"Reverted to revision {first} by Edna Marsh"
    assert [r.pk for r in revisions[1:]] == sorted((r.pk for r in revisions[1:]), reverse=True)
    history = editor_client.get("/wiki/Sample_condition/history").content.decode()
    assert f"Reverted to revision {first} by Edna Marsh" in history
    assert (
        "Nothing helps."
        in editor_client.get(f"/wiki/Sample_condition/revision/{revisions[1].pk}").content.decode()
    )


def test_reverting_restores_removed_sections_and_categories(editor_client, make_article, editor):
    article = make_article(user=editor, categories=["Neurology"])
    first = article.latest_revision_id
    save(article, editor, "Only a lead now.\n", categories=["Dermatology"])
    confirm(editor_client, f"/wiki/Sample_condition/revert/{first}")
    article = Article.objects.get(pk=article.pk)
    assert [s.heading for s in article.ordered_sections] == [
        "Symptoms",
        "Causes",
        "Treatment",
        "See also",
    ]
    assert list(article.categories.values_list("name", flat=True)) == ["Neurology"]
    assert (
        "Nobody knows the causes." in editor_client.get("/wiki/Sample_condition").content.decode()
    )


def test_reverting_to_the_current_revision_saves_nothing(editor_client, make_article, editor):
    article = make_article(user=editor)
    url = f"/wiki/Sample_condition/revert/{article.latest_revision_id}"
    assert "No difference in text" in editor_client.get(url).content.decode()
    response = confirm(editor_client, url)
    assert "is the current text: nothing to revert" in response.content.decode()
    assert Revision.objects.filter(article=article).count() == 1


def test_revert_is_for_editors(client, reader, make_article, editor):
    article = make_article(user=editor)
    save(article, editor, SAMPLE_SOURCE + "\nMore.\n")
    first = Revision.objects.filter(article=article).last().pk
    url = f"/wiki/Sample_condition/revert/{first}"
    assert (
        client.get(url)["Location"]
        == f"/accounts/login/?next=/wiki/Sample_condition/revert/{first}"
    )
    assert client.post(url).status_code == 302  # to the sign-in page
    client.force_login(reader)
    assert client.get(url).status_code == 403
    assert client.post(url, {"base": article.latest_revision_id + 1}).status_code == 403
    assert Revision.objects.filter(article=article).count() == 2


def test_revert_is_csrf_protected(make_article, editor):
    from django.test import Client

    article = make_article(user=editor)
    save(article, editor, SAMPLE_SOURCE + "\nMore.\n")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    first = Revision.objects.filter(article=article).last().pk
    url = f"/wiki/Sample_condition/revert/{first}"
    assert 'name="csrfmiddlewaretoken"' in strict.get(url).content.decode()
    latest = Article.objects.get(pk=article.pk).latest_revision_id
    assert strict.post(url, {"base": latest, "summary": "x"}).status_code == 403
    assert Revision.objects.filter(article=article).count() == 2


def test_the_revision_page_leads_to_the_revert_confirmation(editor_client, make_article, editor):
    article = make_article(user=editor)
    first = article.latest_revision_id
    save(article, editor, SAMPLE_SOURCE + "\nMore.\n")
    page = editor_client.get(f"/wiki/Sample_condition/revision/{first}").content.decode()
    assert f'href="/wiki/Sample_condition/revert/{first}">Restore this revision' in page
    assert 'action="/wiki/Sample_condition/revert/' not in page


def test_undo_reverses_one_edit_and_keeps_a_later_edit_elsewhere(
    editor_client, make_article, editor, other_editor
):
    article = make_article(user=editor)
    bad = save(article, other_editor, "## Causes\n\nSpite.\n", section=2).revision
    save(article, editor, "## Treatment\n\nRest and water help.\n", section=3)
    response = confirm(editor_client, f"/wiki/Sample_condition/undo/{bad.pk}")
    assert f"The change made in revision {bad.pk} was undone." in response.content.decode()
    source = current_source(article)
    assert "Nobody knows the causes." in source and "Spite." not in source
    assert "Rest and water help." in source
    newest = Revision.objects.filter(article=article).first()
    assert newest.kind == "undo" and newest.summary == f"Undid revision {bad.pk} by otto"
    assert Revision.objects.filter(article=article).count() == 4


def test_undo_is_refused_when_a_later_edit_changed_the_same_lines(
    editor_client, make_article, editor, other_editor
):
    article = make_article(user=editor)
    bad = save(article, other_editor, "## Causes\n\nSpite.\n", section=2).revision
    save(article, editor, "## Causes\n\nSpite, and bad luck.\n", section=2)
    before = current_source(article)
    url = f"/wiki/Sample_condition/undo/{bad.pk}"
    for response in (
        editor_client.get(url),
        editor_client.post(url, {"base": Article.objects.get(pk=article.pk).latest_revision_id}),
    ):
        assert response.status_code == 409
        page = response.content.decode()
        assert f"Revision {bad.pk} cannot be undone automatically" in page
        assert "later edits changed the same part of the article (Causes)" in page
        assert ">Save</button>" not in page
    assert current_source(article) == before
    assert Revision.objects.filter(article=article).count() == 3


def test_undoing_the_creation_is_refused(make_article, editor):
    article = make_article(user=editor)
    with pytest.raises(UndoRefused, match="created the article"):
        article_undo(revision_id=article.latest_revision_id, user=editor)


def test_undoing_twice_is_refused_the_second_time(make_article, editor):
    article = make_article(user=editor)
    bad = save(article, editor, "## Causes\n\nSpite.\n", section=2).revision
    article_undo(revision_id=bad.pk, user=editor)
    with pytest.raises(UndoRefused, match="no longer in the text"):
        article_undo(revision_id=bad.pk, user=editor)


def test_the_admin_history_lists_revisions_and_reverts_with_sections(
    admin_client_, make_article, editor
):
    article = make_article(user=editor)
    first = article.latest_revision_id
    save(article, editor, "Just a lead.\n")
    history = admin_client_.get(f"/admin/wiki/article/{article.pk}/history/").content.decode()
    assert "Created" in history
    version = Version.objects.get_for_model(Article).get(revision_id=first)
    url = f"/admin/wiki/article/{article.pk}/history/{version.pk}/"
    assert admin_client_.get(url).status_code == 200
    assert admin_client_.post(url).status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert [s.heading for s in article.ordered_sections] == [
        "Symptoms",
        "Causes",
        "Treatment",
        "See also",
    ]
    assert Revision.objects.filter(article=article).count() == 3
    assert Revision.objects.filter(article=article).first().kind == "revert"


def test_undo_first_shows_the_diff_and_an_editable_summary_and_saves_nothing(
    editor_client, make_article, editor, other_editor
):
    article = make_article(user=editor)
    bad = save(article, other_editor, "## Causes\n\nSpite.\n", section=2).revision
    url = f"/wiki/Sample_condition/undo/{bad.pk}"
    history = editor_client.get("/wiki/Sample_condition/history").content.decode()
    assert f'href="{url}"' in history and f'action="{url}"' not in history
    page = editor_client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "<del>Spite</del>." in text and "<ins>Nobody knows the causes</ins>." in text
    assert f'value="Undid revision {bad.pk} by otto"' in text
    assert ">Save</button>" in text and 'method="post"' in text
    # An old one-click button (a post without the page's fields) only shows the page too.
    assert editor_client.post(url).status_code == 200
    assert Revision.objects.filter(article=article).count() == 2
    confirm(editor_client, url, summary="Vandalism")
    newest = Revision.objects.filter(article=article).first()
    assert (newest.kind, newest.summary) == ("undo", "Vandalism")
    assert "Spite." not in current_source(article)


def test_history_revert_link_shows_the_changes_before_saving(
    editor_client, make_article, editor, other_editor
):
    article = make_article(user=editor)
    first = article.latest_revision_id
    save(article, other_editor, SAMPLE_SOURCE.replace("Rest helps.", "Sleep helps."))
    url = f"/wiki/Sample_condition/revert/{first}"
    history = editor_client.get("/wiki/Sample_condition/history").content.decode()
    assert f'href="{url}"' in history and f'action="{url}"' not in history
    text = editor_client.get(url).content.decode()
    assert "<del>Sleep</del>" in text and "<ins>Rest</ins>" in text
    assert f'value="Reverted to revision {first} by Edna Marsh"' in text
    assert Revision.objects.filter(article=article).count() == 2


def test_a_confirmation_opened_before_another_edit_saves_nothing_and_shows_the_new_diff(
    editor_client, make_article, editor, other_editor
):
    article = make_article(user=editor)
    first = article.latest_revision_id
    save(article, other_editor, SAMPLE_SOURCE.replace("Rest helps.", "Sleep helps."))
    url = f"/wiki/Sample_condition/revert/{first}"
    shown = editor_client.get(url).context["form"].initial["base"]
    save(article, other_editor, SAMPLE_SOURCE.replace("Rest helps.", "Tea helps."))
    response = editor_client.post(url, {"base": shown, "summary": "Back"})
    assert response.status_code == 409
    text = response.content.decode()
    assert "Someone changed the article since you opened this page" in text
    assert "<del>Tea</del>" in text and 'value="Back"' in text
    assert "Tea helps." in current_source(article)
    assert Revision.objects.filter(article=article).count() == 3
