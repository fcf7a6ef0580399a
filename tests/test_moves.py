"""Moving an article: the history goes with it, the old title redirects, conflicts refused."""

import pytest
from django.urls import reverse

from tests.helpers import log_text
from wiki.editorial.models import LogEntry
from wiki.models import Article, Credit, Revision

from .conftest import save


def move(client, slug, new_title, reason="", leave_redirect=True):
    data = {"new_title": new_title, "reason": reason}
    if leave_redirect:
        data["leave_redirect"] = "on"
    return client.post(f"/wiki/{slug}/move", data)


@pytest.fixture
def linked(make_article, editor):
    target = make_article("Other condition", "It is another condition.\n", user=editor)
    source = make_article("Sample condition", user=editor)
    return target, source


def test_a_move_keeps_history_and_leaves_a_redirect(editor_client, editor, linked):
    target, _ = linked
    save(target, editor, "It is another condition, often mild.\n", summary="More")
    response = move(editor_client, "Other_condition", "Another condition", "Clearer name")
    assert response.status_code == 302
    assert response["Location"] == "/wiki/Another_condition"

    moved = Article.objects.get(pk=target.pk)
    assert moved.title == "Another condition"
    assert Revision.objects.filter(article=moved).count() == 3  # two edits and the move
    newest = Revision.objects.filter(article=moved).first()
    assert newest.kind == Revision.Kind.MOVE
    assert newest.summary == "Moved Other condition to Another condition: Clearer name"
    assert Credit.objects.filter(article=moved).exists()

    # The old address redirects, permanently, and says where the reader came from.
    old = editor_client.get("/wiki/Other_condition")
    assert old.status_code == 301
    assert old["Location"] == "/wiki/Another_condition?redirectedfrom=Other_condition"
    page = editor_client.get(old["Location"])
    assert "(Redirected from" in page.content.decode()
    assert 'href="/wiki/Other_condition?redirect=no"' in page.content.decode()

    # Links to the old title stay blue (the redirect is a page).
    article = editor_client.get("/wiki/Sample_condition").content.decode()
    assert '<a class="wikilink" href="/wiki/Other_condition"' in article
    assert "Other_condition/edit" not in article

    # Recent changes, history and the move log show it.
    changes = editor_client.get("/recent-changes").content.decode()
    assert "Moved Other condition to Another condition: Clearer name" in changes
    entry = LogEntry.objects.get(type="move")
    assert (entry.target, entry.params["to"], entry.comment) == (
        "Other condition",
        "Another condition",
        "Clearer name",
    )
    assert "moved Other condition to Another condition" in log_text(editor_client, "/log")


def test_a_move_without_a_redirect_frees_the_old_title(editor_client, linked):
    move(editor_client, "Other_condition", "Another condition", leave_redirect=False)
    assert editor_client.get("/wiki/Other_condition").status_code == 404
    assert Article.objects.filter(title="Another condition").exists()
    article = editor_client.get("/wiki/Sample_condition").content.decode()
    assert '<a class="wikilink new" href="/wiki/Other_condition/edit"' in article  # red now


def test_moving_onto_an_existing_article_is_refused(editor_client, linked):
    response = move(editor_client, "Other_condition", "Sample condition")
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert Article.objects.filter(title="Other condition").exists()


def test_moving_back_over_the_redirect_it_left_is_allowed(editor_client, linked):
    target, _ = linked
    move(editor_client, "Other_condition", "Another condition")
    response = move(editor_client, "Another_condition", "Other condition", "Moved back")
    assert response.status_code == 302
    assert Article.objects.get(pk=target.pk).title == "Other condition"
    assert LogEntry.objects.filter(action="move_redir").count() == 1
    # and the old redirect, now at "Another condition", points back
    assert Article.objects.get(title="Another condition").redirect_to_id == target.pk


def test_an_edited_redirect_cannot_be_moved_over(editor_client, editor, linked):
    target, _ = linked
    move(editor_client, "Other_condition", "Another condition")
    redirect = Article.objects.get(title="Other condition")
    save(redirect, editor, "#REDIRECT [[Another condition]]\n\nKept for old links.\n")
    response = move(editor_client, "Another_condition", "Other condition")
    assert response.status_code == 400
    assert "has been edited" in response.content.decode()


def test_invalid_title_and_permissions(client, reader, editor_client, linked):
    assert move(editor_client, "Other_condition", "Bad [title]").status_code == 400
    assert move(client, "Other_condition", "X").status_code == 302  # to sign in
    client.force_login(reader)
    assert move(client, "Other_condition", "X").status_code == 403
    assert Article.objects.filter(title="Other condition").exists()


def test_the_admin_title_field_moves_the_article(admin_client_, linked):
    target, _ = linked
    url = reverse("admin:wiki_article_change", args=[target.pk])
    form = admin_client_.get(url).context["adminform"].form
    assert form.fields["base_revision"].initial
    data = {
        "title": "Renamed condition",
        "lead": target.lead,
        "protection": "",
        "summary": "Renamed in the admin",
        "base_revision": form.fields["base_revision"].initial,
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
    }
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Article.objects.get(pk=target.pk).title == "Renamed condition"
    assert Article.objects.get(title="Other condition").redirect_to_id == target.pk
    newest = Revision.objects.filter(article_id=target.pk).first()
    assert LogEntry.objects.filter(type="move", params__to="Renamed condition").exists()
    assert newest.kind in (Revision.Kind.MOVE, Revision.Kind.EDIT)


def test_the_mover_is_in_the_history_not_in_the_credits(editor_client, editor, make_article):
    article = make_article("Other condition", "Text.\n")  # by the importer: no credit
    move(editor_client, "Other_condition", "Another condition")
    assert not Credit.objects.filter(article_id=article.pk).exists()
    assert Revision.objects.filter(article_id=article.pk).first().user == editor


def test_search_finds_the_article_under_its_new_title(editor_client, linked):
    move(editor_client, "Other_condition", "Another condition")
    go = editor_client.get("/search?q=Another+condition")
    assert go.status_code == 302 and go["Location"] == "/wiki/Another_condition"
    results = editor_client.get("/search?q=another+condition+is").content.decode()
    assert "Another condition" in results
