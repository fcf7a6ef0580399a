"""Patrol: editors mark edits as looked at; recent changes hides those on request and marks
the unpatrolled edits of new accounts."""

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from wiki.editorial.models import LogEntry, Patrol

from .conftest import save


def test_an_editor_marks_an_edit_as_patrolled(editor_client, editor, other_editor, make_article):
    article = make_article(user=other_editor)
    changes = editor_client.get("/recent-changes").content.decode()
    assert 'title="Not yet patrolled: an edit by a new account">!</abbr>' in changes
    response = editor_client.post(
        f"/wiki/Sample_condition/patrol/{article.latest_revision_id}",
        {"next": "/recent-changes?hidepatrolled=1"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/recent-changes?hidepatrolled=1"
    assert Patrol.objects.get(revision_id=article.latest_revision_id).user == editor
    assert LogEntry.objects.filter(type="patrol").count() == 1
    hidden = editor_client.get("/recent-changes?hidepatrolled=1").content.decode()
    assert "Sample condition" not in hidden.split("</form>")[1]
    shown = editor_client.get("/recent-changes").content.decode()
    assert "Sample condition" in shown and "Not yet patrolled" not in shown


def test_edits_by_older_accounts_carry_no_marker(client, editor, make_article):
    User.objects.filter(pk=editor.pk).update(date_joined=timezone.now() - dt.timedelta(days=30))
    article = make_article(user=editor)
    save(article, editor, article.source + "\nMore.\n")
    assert "Not yet patrolled" not in client.get("/recent-changes").content.decode()


def test_readers_cannot_patrol(client, reader, make_article):
    article = make_article()
    client.force_login(reader)
    response = client.post(f"/wiki/Sample_condition/patrol/{article.latest_revision_id}")
    assert response.status_code == 403
    assert not Patrol.objects.exists()
    assert "mark as patrolled" not in client.get("/recent-changes").content.decode()


def test_patrolling_twice_is_one_mark(editor_client, make_article):
    article = make_article()
    for _ in range(2):
        editor_client.post(f"/wiki/Sample_condition/patrol/{article.latest_revision_id}")
    assert Patrol.objects.count() == 1 and LogEntry.objects.filter(type="patrol").count() == 1
