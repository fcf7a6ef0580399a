"""E-mail notifications, delivered to a real SMTP server: watched pages (once until the
watcher visits), replies on talk pages, reverts; switches in preferences; a save that
succeeds while the mail server is down, its mail sent later."""

import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from wiki.history.services import article_restore, article_undo
from wiki.models import Article
from wiki.services import ArticleEdit, article_save
from wiki.watching.models import PendingMail, Preferences
from wiki.watching.watches import watch_page

from .mail_server import body, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def watcher(reader):
    reader.email = "rita@example.org"
    reader.save()
    return reader


def edit(article, text, user, summary="Tidy"):
    article = Article.objects.get(pk=article.pk)
    return article_save(
        article=article,
        edit=ArticleEdit(
            text=text, base_revision=article.latest_revision_id, user=user, summary=summary
        ),
    )


def test_a_watcher_gets_one_mail_with_the_diff_link_until_they_visit(
    client, mail_server, watcher, editor, make_article, django_capture_on_commit_callbacks
):
    article = make_article(user=editor)
    watch_page(user=watcher, title=article.title)
    with django_capture_on_commit_callbacks(execute=True):
        result = edit(article, article.source + "\nMore.\n", editor, "Added a line")
    [mail] = mail_server.inbox.wait_for("rita@example.org")
    assert "Sample condition" in mail["Subject"] and "Edna Marsh" in mail["Subject"]
    text = body(mail)
    revision = result.revision
    assert (
        f"http://testserver/wiki/Sample_condition/diff?from={revision.parent_id}"
        f"&to={revision.pk}" in text
    )
    assert "Summary: Added a line" in text
    with django_capture_on_commit_callbacks(execute=True):
        edit(article, article.source + "\nEven more.\n", editor)
    assert len(mail_server.inbox.to("rita@example.org")) == 1  # not until the visit
    client.force_login(watcher)
    client.get("/wiki/Sample_condition")
    with django_capture_on_commit_callbacks(execute=True):
        edit(article, article.source + "\nAgain.\n", editor)
    mail_server.inbox.wait_for("rita@example.org", count=2)


def test_your_own_edit_sends_you_nothing(
    mail_server, editor, make_article, django_capture_on_commit_callbacks
):
    editor.email = "edna@example.org"
    editor.save()
    article = make_article(user=editor)
    watch_page(user=editor, title=article.title)
    with django_capture_on_commit_callbacks(execute=True):
        edit(article, "Changed.\n", editor)
    assert mail_server.inbox.messages == []


def test_a_change_of_the_talk_page_reaches_watchers_of_the_article(
    client, mail_server, watcher, editor, make_article, django_capture_on_commit_callbacks
):
    make_article(user=editor)
    watch_page(user=watcher, title="Sample condition")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("wiki:talk_topic", args=["Talk:Sample_condition"]),
            {"topic-heading": "Sources", "topic-text": "Which ones?"},
        )
    [mail] = mail_server.inbox.wait_for("rita@example.org")
    assert "Talk:Sample condition" in mail["Subject"]


def test_a_reply_on_a_talk_page_tells_those_who_wrote_there(
    client, mail_server, editor, other_editor, make_article, django_capture_on_commit_callbacks
):
    editor.email = "edna@example.org"
    editor.save()
    make_article(user=editor)
    client.force_login(editor)
    client.post(
        reverse("wiki:talk_topic", args=["Talk:Sample_condition"]),
        {"topic-heading": "Sources", "topic-text": "Which ones?"},
    )
    Article.objects.get(title="Talk:Sample condition")
    from wiki.watching.models import Watch

    Watch.objects.filter(user=editor).delete()  # the reply mail, not the watchlist's
    client.force_login(other_editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("wiki:talk_reply", args=["Talk:Sample_condition"]),
            {"reply-section": "1", "reply-text": "The guideline."},
        )
    [mail] = mail_server.inbox.wait_for("edna@example.org")
    assert "New reply" in mail["Subject"]
    assert "/wiki/Talk:Sample_condition/diff?from=" in body(mail)


def test_the_author_of_a_reverted_edit_is_told(
    mail_server, editor, other_editor, make_article, django_capture_on_commit_callbacks
):
    other_editor.email = "otto@example.org"
    other_editor.save()
    article = make_article(user=editor)
    first = article.latest_revision_id
    edit(article, "Vandalism.\n", other_editor)
    with django_capture_on_commit_callbacks(execute=True):
        article_restore(revision_id=first, user=editor)
    [mail] = mail_server.inbox.wait_for("otto@example.org")
    assert "was reverted" in mail["Subject"]


def test_the_author_of_an_undone_edit_is_told(
    mail_server, editor, other_editor, make_article, django_capture_on_commit_callbacks
):
    other_editor.email = "otto@example.org"
    other_editor.save()
    article = make_article(user=editor)
    bad = edit(article, article.source + "\nWrong claim.\n", other_editor).revision
    with django_capture_on_commit_callbacks(execute=True):
        article_undo(revision_id=bad.pk, user=editor)
    [mail] = mail_server.inbox.wait_for("otto@example.org")
    assert "was reverted" in mail["Subject"]


@pytest.mark.parametrize("switch", ["notify_watched", "notify_reverts"])
def test_each_kind_of_mail_can_be_switched_off(
    switch, mail_server, watcher, editor, make_article, django_capture_on_commit_callbacks
):
    Preferences.objects.create(user=watcher, **{switch: False})
    article = make_article(user=editor)
    first = article.latest_revision_id
    if switch == "notify_watched":
        watch_page(user=watcher, title=article.title)
        with django_capture_on_commit_callbacks(execute=True):
            edit(article, "Changed.\n", editor)
    else:
        watcher.groups.add(*editor.groups.all())
        edit(article, "Changed by Rita.\n", watcher)
        with django_capture_on_commit_callbacks(execute=True):
            article_restore(revision_id=first, user=editor)
    assert mail_server.inbox.to("rita@example.org") == []


def test_a_save_succeeds_while_the_mail_server_is_down_and_the_mail_goes_later(
    settings, watcher, editor, make_article, django_capture_on_commit_callbacks
):
    from .mail_server import MailServer

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_TIMEOUT = 2
    settings.WIKI_TASKS_INLINE = True
    article = make_article(user=editor)
    watch_page(user=watcher, title=article.title)
    with django_capture_on_commit_callbacks(execute=True):
        result = edit(article, "Saved anyway.\n", editor)
    assert not result.unchanged
    assert "Saved anyway." in Article.objects.get(pk=article.pk).source
    [queued] = PendingMail.objects.all()
    assert queued.sent_at is None and "Connection" in queued.last_error

    server = MailServer()
    server.port = settings.EMAIL_PORT
    server.controller.port = server.port
    server.start()
    try:
        call_command("send_pending_mail")
        server.inbox.wait_for("rita@example.org")
    finally:
        server.stop()
    queued.refresh_from_db()
    assert queued.sent_at is not None


def test_a_save_through_the_edit_form_never_fails_for_the_mail(
    client, settings, watcher, editor, make_article, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.WIKI_TASKS_INLINE = True
    article = make_article(user=editor)
    watch_page(user=watcher, title=article.title)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wiki:edit", args=["Sample_condition"]),
            {"text": "Through the form.\n", "base_revision": article.latest_revision_id},
        )
    assert response.status_code == 302
    assert PendingMail.objects.filter(sent_at=None).count() == 1


def test_in_production_the_mail_goes_from_the_queue_worker_after_the_commit(
    settings, mail_server, start_queue_worker, reader, editor, make_article
):
    """The default: the save returns at once; a worker of the task queue sends the mail."""
    settings.WIKI_TASKS_INLINE = False
    start_queue_worker(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(mail_server.port),
    )
    reader.email = "rita@example.org"
    reader.save()
    article = make_article(user=editor)
    watch_page(user=reader, title=article.title)
    edit(article, "Saved; the mail follows.\n", editor)
    [mail] = mail_server.inbox.wait_for("rita@example.org", timeout=60)  # the worker starts
    assert "Sample condition" in mail["Subject"]
    deadline = time.monotonic() + 10
    while PendingMail.objects.filter(sent_at=None).exists():
        assert time.monotonic() < deadline, "the mail was not marked sent"
        time.sleep(0.05)
