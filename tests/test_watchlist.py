"""Watching pages: the star, the editor's box, the watchlist with its filters and last-visit
marks, its editing page and its private feed; preferences and their time zone."""

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

import wiki.keyset
from wiki.models import Article
from wiki.services import ArticleEdit, article_save
from wiki.watching.models import Preferences, Watch

pytestmark = pytest.mark.django_db


def edit(article, text, user, minor=False):
    article = Article.objects.get(pk=article.pk)
    return article_save(
        article=article,
        edit=ArticleEdit(
            text=text, base_revision=article.latest_revision_id, user=user, minor=minor
        ),
    )


def test_the_star_watches_and_unwatches_a_page(client, reader, make_article):
    make_article()
    client.force_login(reader)
    page = strip_tags(client.get("/wiki/Sample_condition").content.decode())
    assert "☆ Watch" in page  # the word itself is hidden on a phone, read out all the same
    response = client.post(
        reverse("wiki:watch", args=["Sample_condition"]), {"next": "/wiki/Sample_condition"}
    )
    assert response.status_code == 302 and response["Location"] == "/wiki/Sample_condition"
    page = strip_tags(client.get("/wiki/Sample_condition").content.decode())
    assert "★ Unwatch" in page
    talk = strip_tags(client.get("/wiki/Talk:Sample_condition").content.decode())
    assert "★ Unwatch" in talk  # one watch covers the talk page
    client.post(reverse("wiki:watch", args=["Sample_condition"]), {"unwatch": "1"})
    assert not Watch.objects.filter(user=reader).exists()


def test_the_star_is_for_signed_in_readers(client, make_article):
    make_article()
    assert "☆ Watch" not in strip_tags(client.get("/wiki/Sample_condition").content.decode())
    response = client.post(reverse("wiki:watch", args=["Sample_condition"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_editing_watches_the_page_by_default_and_the_box_can_say_no(editor_client, make_article):
    article = make_article()
    form = editor_client.get(reverse("wiki:edit", args=["Sample_condition"])).content.decode()
    assert 'name="watch" id="id_watch" checked' in form
    editor_client.post(
        reverse("wiki:edit", args=["Sample_condition"]),
        {"text": "One.\n", "base_revision": article.latest_revision_id, "watch": "on"},
    )
    assert Watch.objects.filter(slug="Sample_condition").exists()
    article = Article.objects.get(pk=article.pk)
    editor_client.post(
        reverse("wiki:edit", args=["Sample_condition"]),
        {"text": "Two.\n", "base_revision": article.latest_revision_id},
    )
    assert not Watch.objects.filter(slug="Sample_condition").exists()


def test_creating_a_page_watches_it(editor_client, db):
    editor_client.post(
        reverse("wiki:edit", args=["Fresh_page"]),
        {"title": "Fresh page", "text": "New.\n", "watch": "on"},
    )
    assert Watch.objects.filter(slug="Fresh_page").exists()


def test_the_watchlist_shows_changes_to_watched_pages_only_with_filters(
    client, reader, editor, make_article
):
    watched = make_article(user=editor)
    make_article(title="Unwatched page", source="Other.\n", user=editor)
    client.force_login(reader)
    client.post(reverse("wiki:watch", args=["Sample_condition"]))
    edit(watched, "A minor fix.\n", editor, minor=True)
    make_article(title="Talk:Sample condition", source="## Q\n\nHi.\n", user=editor)
    page = client.get(reverse("wiki:watchlist")).content.decode()
    assert "Sample condition" in page and "Talk:Sample condition" in page
    assert "Unwatched page" not in page
    assert "Changes to the 1 page you watch" in page
    assert 'href="/wiki/Talk:Sample_condition/history"' in page  # each row's own links
    # The creation came before the watch began; the two changes after it are new.
    assert page.count('<strong class="new-mark">new</strong>') == 2
    hidden = client.get(reverse("wiki:watchlist"), {"hideminor": "1"}).content.decode()
    assert hidden.count("history-row") == page.count("history-row") - 1


def test_a_watchlist_of_hundreds_of_pages_shows_theirs_and_their_talk_pages_changes(
    client, reader, editor, make_article
):
    """More pages than one query a page reads (`keyset.MOST_SPLIT`): the watched pages are
    found from the watches in the database, their talk pages too, and no other page shows."""
    count = wiki.keyset.MOST_SPLIT + 50
    Article.objects.bulk_create(
        Article(title=f"Quiet {n}", slug=f"Quiet_{n}", lead="Text.") for n in range(count)
    )
    Watch.objects.bulk_create(Watch(user=reader, slug=f"Quiet_{n}") for n in range(count))
    watched = make_article(user=editor)
    Watch.objects.create(user=reader, slug="Sample_condition")
    make_article(title="Talk:Sample condition", source="## Q\n\nHi.\n", user=editor)
    make_article(title="Unwatched page", source="Other.\n", user=editor)
    make_article(title="Talk:Unwatched page", source="## Q\n\nHi.\n", user=editor)
    edit(watched, "Changed.\n", editor)
    client.force_login(reader)
    page = client.get(reverse("wiki:watchlist")).content.decode()
    assert f"Changes to the {count + 1:,} pages you watch" in page
    rows = [strip_tags(row) for row in page.split('<li class="history-row')[1:]]
    assert len(rows) == 3  # the creation and the edit of the page, its talk page's creation
    assert sum("Talk:Sample condition" in row for row in rows) == 1
    assert not any("Unwatched" in row for row in rows)


def test_a_visit_clears_the_new_marks_of_a_page(client, reader, editor, make_article):
    article = make_article(user=editor)
    client.force_login(reader)
    client.post(reverse("wiki:watch", args=["Sample_condition"]))
    edit(article, "Changed.\n", editor)
    assert "new-mark" in client.get(reverse("wiki:watchlist")).content.decode()
    client.get("/wiki/Sample_condition")
    assert "new-mark" not in client.get(reverse("wiki:watchlist")).content.decode()


def test_the_watchlist_edit_page_removes_and_adds(client, reader, make_article):
    make_article()
    client.force_login(reader)
    client.post(reverse("wiki:watch", args=["Sample_condition"]))
    page = client.get(reverse("wiki:edit_watchlist")).content.decode()
    assert 'value="Sample_condition"' in page
    client.post(
        reverse("wiki:edit_watchlist"),
        {"remove": ["Sample_condition"], "titles": "Migraine\nTalk:Asthma\n"},
    )
    assert set(Watch.objects.filter(user=reader).values_list("slug", flat=True)) == {
        "Migraine",
        "Asthma",
    }
    bad = client.post(reverse("wiki:edit_watchlist"), {"titles": "Bad [title]"})
    assert bad.status_code == 400 and "cannot contain" in bad.content.decode()


def test_the_private_feed_lists_watched_changes_by_token(client, reader, editor, make_article):
    make_article(user=editor)
    make_article(title="Unwatched page", source="Other.\n", user=editor)
    client.force_login(reader)
    client.post(reverse("wiki:watch", args=["Sample_condition"]))
    client.get(reverse("wiki:watchlist"))
    token = Preferences.objects.get(user=reader).feed_token
    client.logout()
    feed = client.get(reverse("wiki:watchlist_feed", args=[token]))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    text = feed.content.decode()
    assert "Sample condition" in text and "Unwatched page" not in text
    assert client.get(reverse("wiki:watchlist_feed", args=["wrong"])).status_code == 404


def test_the_watchlist_needs_an_account(client, db):
    response = client.get(reverse("wiki:watchlist"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_preferences_set_name_credentials_bio_switches_and_time_zone(client, editor, make_article):
    make_article(user=editor)
    client.force_login(editor)
    response = client.post(
        reverse("wiki:preferences"),
        {
            "display_name": "Dr Edna Marsh",
            "credentials": "MD, PhD",
            "bio": "Neurologist.",
            "time_zone": "Asia/Tokyo",
            "notify_watched": "on",
            "watch_edits": "on",
        },
    )
    assert response.status_code == 302
    prefs = Preferences.objects.get(user=editor)
    assert prefs.notify_watched and not prefs.notify_replies and not prefs.notify_reverts
    editor.contributor.refresh_from_db()
    assert editor.contributor.display_name == "Dr Edna Marsh, MD, PhD"
    assert editor.contributor.bio == "Neurologist."
    history = client.get(reverse("wiki:history", args=["Sample_condition"])).content.decode()
    from django.utils import timezone

    revision = Article.objects.get(title="Sample condition").latest_revision
    tokyo = timezone.localtime(revision.created_at, __import__("zoneinfo").ZoneInfo("Asia/Tokyo"))
    assert f"{tokyo:%H:%M}" in history


def test_preferences_refuse_a_taken_display_name(client, editor, other_editor, make_article):
    make_article(user=other_editor)
    make_article(title="Second", source="x\n", user=editor)
    client.force_login(editor)
    response = client.post(reverse("wiki:preferences"), {"display_name": "otto", "time_zone": ""})
    assert response.status_code == 400
    assert "already" in response.content.decode()


def test_an_editors_own_changes_are_never_new_on_their_watchlist(
    editor_client, editor, other_editor, make_article
):
    editor_client.post(
        reverse("wiki:edit", args=["Fresh_page"]),
        {"title": "Fresh page", "text": "New.\n", "watch": "on"},
    )
    watched = make_article(user=other_editor)
    editor_client.post(reverse("wiki:watch", args=["Sample_condition"]))
    edit(watched, "Changed by me.\n", editor)
    page = editor_client.get(reverse("wiki:watchlist")).content.decode()
    assert "Fresh page" in page and page.count("history-row") == 3
    assert "new-mark" not in page
    edit(watched, "Changed by a colleague.\n", other_editor)
    page = editor_client.get(reverse("wiki:watchlist")).content.decode()
    assert page.count('<strong class="new-mark">new</strong>') == 1
