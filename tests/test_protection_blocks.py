"""Protection with an expiry, and blocks, from the site: honoured on every edit URL, lifted
by time alone, logged."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.helpers import log_text
from wiki.editorial.blocks import user_block
from wiki.editorial.models import Block, LogEntry
from wiki.editorial.moves import article_move
from wiki.editorial.protection import article_protect
from wiki.models import Article, Revision
from wiki.permissions import EditForbidden

SAMPLE = "/wiki/Sample_condition"


@pytest.fixture
def admin_client_(administrator):
    """The administrator in a browser of their own (the editor has the other)."""
    client = Client()
    client.force_login(administrator)
    return client


@pytest.fixture
def article(make_article, editor):
    return make_article("Sample condition", user=editor)


def test_an_administrator_protects_for_a_week(admin_client_, editor_client, article):
    response = admin_client_.post(
        f"{SAMPLE}/protect", {"level": "admins", "expiry": "1 week", "reason": "Vandalism"}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_protected
    assert article.protection_expires > timezone.now() + dt.timedelta(days=6)
    assert editor_client.get(f"{SAMPLE}/edit").status_code == 403
    page = editor_client.get(SAMPLE).content.decode()
    assert "only administrators can edit it until" in page
    newest = Revision.objects.filter(article=article).first()
    assert newest.kind == Revision.Kind.PROTECT and "Vandalism" in newest.summary
    entry = LogEntry.objects.get(type="protect")
    assert entry.action == "protect" and entry.comment == "Vandalism"
    assert "protected Sample condition" in log_text(editor_client, "/log?type=protect")


def test_an_expired_protection_protects_nothing(editor_client, article):
    Article.objects.filter(pk=article.pk).update(
        protection="admins", protection_expires=timezone.now() - dt.timedelta(minutes=1)
    )
    assert editor_client.get(f"{SAMPLE}/edit").status_code == 200
    assert "protected" not in editor_client.get(SAMPLE).content.decode().split("<main")[1][:2000]


def test_lifting_protection_and_who_may_protect(admin_client_, editor_client, article):
    assert editor_client.post(f"{SAMPLE}/protect", {"level": "admins"}).status_code == 403
    admin_client_.post(f"{SAMPLE}/protect", {"level": "admins", "expiry": "indefinite"})
    admin_client_.post(f"{SAMPLE}/protect", {"level": "", "expiry": "indefinite"})
    article.refresh_from_db()
    assert not article.is_protected
    assert list(LogEntry.objects.values_list("action", flat=True)) == ["unprotect", "protect"]


def test_a_blocked_editor_sees_why_and_until_when(admin_client_, editor_client, editor, article):
    response = admin_client_.post(
        "/block/edna", {"expiry": "1 day", "reason": "Edit warring", "page": ""}
    )
    assert response.status_code == 302
    for url in [f"{SAMPLE}/edit", "/wiki/A_new_page/edit", f"{SAMPLE}/move"]:
        refused = editor_client.get(url)
        assert refused.status_code == 403, url
        text = refused.content.decode()
        assert "You are blocked from editing until" in text and "Edit warring" in text
    revision = article.latest_revision_id
    assert editor_client.post(f"{SAMPLE}/revert/{revision}").status_code == 403
    assert "blocked User:edna from editing every page" in log_text(admin_client_, "/log?type=block")


def test_a_page_block_blocks_that_page_only(admin_client_, editor_client, make_article, article):
    make_article("Other condition", "Elsewhere.\n")
    admin_client_.post(
        "/block/edna", {"expiry": "1 week", "reason": "Stay away", "page": "Sample condition"}
    )
    assert editor_client.get(f"{SAMPLE}/edit").status_code == 403
    assert editor_client.get("/wiki/Other_condition/edit").status_code == 200


def test_blocks_expire_and_can_be_lifted(admin_client_, editor_client, editor, article):
    Block.objects.create(
        user=editor, reason="Old", expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert editor_client.get(f"{SAMPLE}/edit").status_code == 200
    admin_client_.post("/block/edna", {"expiry": "indefinite", "reason": "Spam", "page": ""})
    assert "with no end date" in editor_client.get(f"{SAMPLE}/edit").content.decode()
    block = Block.objects.get(reason="Spam")
    assert admin_client_.post(f"/block/lift/{block.pk}").status_code == 302
    assert editor_client.get(f"{SAMPLE}/edit").status_code == 200
    assert LogEntry.objects.filter(type="block", action="unblock").exists()


def test_only_administrators_block(editor_client, reader):
    assert editor_client.get("/block/rita").status_code == 403
    assert editor_client.post("/block/rita", {"expiry": "1 day", "reason": "x"}).status_code == 403
    assert not Block.objects.exists()


def test_a_block_needs_a_reason_and_an_existing_page(admin_client_, editor):
    response = admin_client_.post("/block/edna", {"expiry": "1 day", "reason": "", "page": "Nope"})
    assert response.status_code == 400
    assert "No article is titled" in response.content.decode()
    assert admin_client_.get("/block/nobody").status_code == 404


def test_an_expiring_protection_note_is_not_kept_in_the_page_cache(client, article):
    Article.objects.filter(pk=article.pk).update(
        protection="admins", protection_expires=timezone.now() + dt.timedelta(seconds=2)
    )
    assert "only administrators can edit it until" in client.get(SAMPLE).content.decode()
    Article.objects.filter(pk=article.pk).update(
        protection_expires=timezone.now() - dt.timedelta(seconds=1)
    )  # as time passing would: no save, no invalidation
    assert "only administrators can edit it" not in client.get(SAMPLE).content.decode()


def test_moves_and_protection_changes_are_refused_as_edits_are_whoever_calls(
    administrator, editor, article
):
    """The services check who asks, not only the Move and Protect tabs: a blocked
    administrator cannot protect, an editor cannot move a protected page."""
    with pytest.raises(EditForbidden, match="Only administrators"):
        article_protect(article=article, user=editor, level="admins", expires=None)
    article_protect(article=article, user=administrator, level="admins", expires=None)
    article.refresh_from_db()
    with pytest.raises(EditForbidden) as refused:
        article_move(article=article, new_title="Elsewhere", user=editor)
    assert refused.value.code == "protected"
    assert Article.objects.filter(title="Sample condition").exists()

    user_block(user=administrator, by=None, reason="Testing the door", expires_at=None)
    blocked = type(administrator).objects.get(pk=administrator.pk)  # blocks are read once a user
    with pytest.raises(EditForbidden) as refused:
        article_protect(article=article, user=blocked, level="", expires=None)
    assert refused.value.code == "blocked"
    article.refresh_from_db()
    assert article.is_protected
