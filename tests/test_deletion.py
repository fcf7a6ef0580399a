"""Deleting and undeleting from the site: a trace for editors, a 404 for readers, and every
revision back on undelete."""

import pytest

from tests.helpers import log_text
from wiki.editorial.models import LogEntry
from wiki.editorial.revision_hiding import VisibilityChange, revisions_visibility_change
from wiki.models import Article, Revision

from .conftest import save


@pytest.fixture
def article(make_article, editor):
    article = make_article("Sample condition", user=editor)
    save(article, editor, article.source + "\nMore text.\n", summary="More")
    return article


def test_an_administrator_deletes_with_a_reason(admin_client_, client, editor, article):
    form = admin_client_.get("/wiki/Sample_condition/delete")
    assert form.status_code == 200
    assert "2 revisions" in form.content.decode()
    response = admin_client_.post("/wiki/Sample_condition/delete", {"reason": "Hoax"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()

    seen = admin_client_.get("/wiki/Sample_condition")
    assert seen.status_code == 404
    text = seen.content.decode()
    assert "This page was deleted on" in text and "by ada (Hoax)" in text
    assert 'href="/wiki/Sample_condition/undelete"' in text

    client.force_login(editor)
    as_editor = client.get("/wiki/Sample_condition").content.decode()
    assert "by ada (Hoax)" in as_editor and "/undelete" not in as_editor
    client.logout()
    as_reader = client.get("/wiki/Sample_condition")
    assert as_reader.status_code == 404
    assert "This page was deleted." in as_reader.content.decode()
    assert "Hoax" not in as_reader.content.decode()

    assert "Deleted the page: Hoax" in client.get("/recent-changes").content.decode()
    assert "deleted Sample condition" in log_text(client, "/log?type=delete")


def test_undelete_restores_every_revision(admin_client_, article):
    ids = list(Revision.objects.filter(article_id=article.pk).values_list("pk", flat=True))
    admin_client_.post("/wiki/Sample_condition/delete", {"reason": "Test"})
    page = admin_client_.get("/wiki/Sample_condition/undelete")
    assert page.status_code == 200
    response = admin_client_.post("/wiki/Sample_condition/undelete", {"reason": "Mistake"})
    assert response.status_code == 302
    restored = Article.objects.get(pk=article.pk)
    assert "More text." in restored.source
    history = list(Revision.objects.filter(article_id=article.pk).values_list("pk", "kind"))
    assert [kind for _, kind in history[:2]] == [Revision.Kind.RECOVER, Revision.Kind.DELETE]
    assert {pk for pk, _ in history} >= set(ids)
    text = admin_client_.get("/wiki/Sample_condition/history").content.decode()
    assert "Undeleted the page: Mistake" in text and "Deleted the page: Test" in text
    entry = LogEntry.objects.filter(type="delete").first()
    assert (entry.action, entry.params["revisions"]) == ("restore", 2)
    assert admin_client_.get("/wiki/Sample_condition").status_code == 200


def test_undelete_is_refused_when_the_title_was_taken_again(admin_client_, make_article, article):
    admin_client_.post("/wiki/Sample_condition/delete", {"reason": ""})
    make_article("Sample condition", "A new page.\n")
    response = admin_client_.post("/wiki/Sample_condition/undelete", {"reason": ""})
    assert response.status_code == 400
    assert "was created since the deletion" in response.content.decode()
    assert Article.objects.get(title="Sample condition").pk != article.pk


def test_only_administrators_delete_and_undelete(editor_client, article):
    assert editor_client.post("/wiki/Sample_condition/delete", {"reason": "x"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()
    assert editor_client.get("/wiki/Sample_condition/undelete").status_code == 403


def test_deleting_the_target_breaks_its_redirects_and_undeleting_mends_them(
    admin_client_, make_article, article
):
    redirect = make_article("Sample", "#REDIRECT [[Sample condition]]\n")
    admin_client_.post("/wiki/Sample_condition/delete", {"reason": ""})
    redirect.refresh_from_db()
    assert redirect.redirect_to_id is None
    admin_client_.post("/wiki/Sample_condition/undelete", {"reason": ""})
    redirect.refresh_from_db()
    assert redirect.redirect_to_id == article.pk


def test_recent_changes_links_no_diff_of_a_deletion(admin_client_, article):
    admin_client_.post("/wiki/Sample_condition/delete", {"reason": "Gone"})
    deletion = Revision.objects.filter(article_id=article.pk).first()
    changes = admin_client_.get("/recent-changes").content.decode()
    assert f"to={deletion.pk}" not in changes  # the page it would compare is gone


def test_the_feed_links_a_deletion_to_the_deletion_log(admin_client_, client, article):
    admin_client_.post("/wiki/Sample_condition/delete", {"reason": "Gone"})
    feed = client.get("/recent-changes/feed").content.decode()
    assert "/log?type=delete&amp;target=Sample+condition" in feed


def test_the_deletion_in_an_undeleted_history_offers_no_revert_undo_or_review(
    admin_client_, article
):
    admin_client_.post("/wiki/Sample_condition/delete", {"reason": "Test"})
    admin_client_.post("/wiki/Sample_condition/undelete", {"reason": "Mistake"})
    deletion = Revision.objects.get(article_id=article.pk, kind=Revision.Kind.DELETE)
    before = list(Revision.objects.filter(article_id=article.pk).values_list("pk", flat=True))
    url = f"/wiki/Sample_condition/revision/{deletion.pk}"
    history = admin_client_.get("/wiki/Sample_condition/history").content.decode()
    row = next(r for r in history.split('<li class="history-row">') if "Deleted the page" in r)
    assert f"/revert/{deletion.pk}" not in row and f"/undo/{deletion.pk}" not in row
    assert "history-review" not in row
    # The revisions before the deletion still offer them.
    assert f"/revert/{before[-1]}" in history
    page = admin_client_.get(url).content.decode()
    assert "Restore this revision" not in page and "review-form" not in page
    diff = admin_client_.get(
        f"/wiki/Sample_condition/diff?from={deletion.parent_id}&to={deletion.pk}"
    ).content.decode()
    assert "undo this edit" not in diff and "review-form" not in diff
    for action in ("revert", "undo"):
        refused = admin_client_.post(f"/wiki/Sample_condition/{action}/{deletion.pk}")
        assert refused.status_code == 409
        assert "records the deletion of the page" in refused.content.decode()
    refused = admin_client_.post(f"/wiki/Sample_condition/review/{deletion.pk}", follow=True)
    assert "The review was not recorded" in refused.content.decode()
    assert not deletion.reviews.exists()
    after = list(Revision.objects.filter(article_id=article.pk).values_list("pk", flat=True))
    assert after == before


def test_undelete_is_refused_while_the_deleted_text_is_hidden(
    admin_client_, administrator, article
):
    last_text = Revision.objects.filter(article_id=article.pk).first().pk
    admin_client_.post("/wiki/Sample_condition/delete", {"reason": "Personal details"})
    hide = VisibilityChange(text=True, summary=False, author=False, reason="A patient named")
    revisions_visibility_change(revision_ids=[last_text], user=administrator, change=hide)

    response = admin_client_.post("/wiki/Sample_condition/undelete", {"reason": "Mistake"})
    assert response.status_code == 400
    assert "undeleting would show it again" in response.content.decode()
    tokens = admin_client_.get("/api.php?action=query&meta=tokens&format=json").json()
    api = admin_client_.post(
        "/api.php",
        {
            "action": "undelete",
            "title": "Sample condition",
            "format": "json",
            "token": tokens["query"]["tokens"]["csrftoken"],
        },
    ).json()
    assert api["error"]["code"] == "cantundelete"
    assert not Article.objects.filter(pk=article.pk).exists()

    show = VisibilityChange(text=False, summary=False, author=False)
    revisions_visibility_change(revision_ids=[last_text], user=administrator, change=show)
    response = admin_client_.post("/wiki/Sample_condition/undelete", {"reason": "Mistake"})
    assert response.status_code == 302
    assert "More text." in Article.objects.get(pk=article.pk).source
