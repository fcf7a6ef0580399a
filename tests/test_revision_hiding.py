"""Hiding a revision (MediaWiki's RevisionDelete and suppression): an administrator hides an
old revision's text, summary or author's name; the hidden part is then found through no
channel by those who may not see it (history, diffs, old revisions, undo and revert, both APIs,
feeds, search, Special:Export, the export files, credits, the page cache and a real Varnish in
front, queued mail, the admin's reversion history), administrators still see it unless a
suppressor suppressed it, and unhiding brings it back everywhere."""

import json
import urllib.request
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.test import Client
from reversion.models import Version

from wiki.editorial.models import LogEntry
from wiki.editorial.revision_hiding import (
    HidingRefused,
    VisibilityChange,
    revisions_visibility_change,
)
from wiki.models import Article, Revision
from wiki.permissions import SUPPRESSORS_GROUP, ensure_groups
from wiki.services import ArticleEdit, article_save
from wiki.watching.mail import deliver_pending
from wiki.watching.models import PendingMail, Preferences
from wiki.watching.watches import watch_page

from .conftest import SAMPLE_SOURCE, editors_group, save
from .front import Varnish, varnishd_missing
from .mail_server import body

TEXT_MARKER = "Zebraquillotherapy"
SUMMARY_MARKER = "Summaryvexmarker"
AUTHOR_MARKER = "Xylophantwright"
MARKERS = {"text": TEXT_MARKER, "summary": SUMMARY_MARKER, "author": AUTHOR_MARKER}
SLUG = "Sample_condition"


def _user(name, *, admin=False, suppressor=False, staff=False):
    user = User.objects.create_user(name, password=f"pw-{name}-123", is_staff=staff)
    user.groups.add(editors_group())
    if admin:
        user.user_permissions.add(Permission.objects.get(codename="edit_protected_article"))
    if suppressor:
        ensure_groups()
        from django.contrib.auth.models import Group

        user.groups.add(Group.objects.get(name=SUPPRESSORS_GROUP))
    return User.objects.get(pk=user.pk)  # fresh permission caches


@pytest.fixture
def people(db):
    return {
        "editor": _user("edgar"),
        "administrator": _user("adele", admin=True, staff=True),
        "suppressor": _user("suzy", admin=True, suppressor=True, staff=True),
        "author": _user(AUTHOR_MARKER),
        "watcher": _user("walt"),
    }


@pytest.fixture
def story(people):
    """Three revisions: the first, the marked one (its text, summary and author carry the
    markers), and a later one that takes the marked text out, so the marked one is old."""
    first = create(people["editor"])
    marked_text = SAMPLE_SOURCE.replace("mild rash", f"mild rash treated by {TEXT_MARKER}")
    marked = save(first, people["author"], marked_text, summary=f"Added {SUMMARY_MARKER}")
    later = save(first, people["editor"], SAMPLE_SOURCE, summary="Took out a doubtful cure")
    return {
        "article": later.article,
        "ids": (marked.revision.parent_id, marked.revision.pk, later.revision.pk),
    }


def create(user) -> Article:
    edit = ArticleEdit(text=SAMPLE_SOURCE, base_revision=None, user=user, summary="Created")
    return article_save(article=Article(title="Sample condition"), edit=edit).article


def hide(revision_id, who, *, suppress=False, **parts):
    change = VisibilityChange(
        text=parts.get("text", False),
        summary=parts.get("summary", False),
        author=parts.get("author", False),
        suppress=suppress,
        reason="Personal details of a patient",
    )
    return revisions_visibility_change(revision_ids=[revision_id], user=who, change=change)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def channels(client: Client, story, people) -> dict[str, str]:
    """What each channel answers this reader, by name."""
    first, marked, later = story["ids"]
    api = "/api.php?format=json&formatversion=2&action=query"
    paths = {
        "history": f"/wiki/{SLUG}/history",
        "old revision": f"/wiki/{SLUG}/revision/{marked}",
        "diff, marked new": f"/wiki/{SLUG}/diff?from={first}&to={marked}",
        "diff, marked old": f"/wiki/{SLUG}/diff?from={marked}&to={later}",
        "undo": f"/wiki/{SLUG}/undo/{marked}",
        "revert": f"/wiki/{SLUG}/revert/{marked}",
        "recent changes": "/recent-changes",
        "recent changes by name": f"/recent-changes?contributor={AUTHOR_MARKER}",
        "contributor": f"/contributor/{AUTHOR_MARKER}",
        "credits": f"/wiki/{SLUG}/credits",
        "page information": f"/wiki/{SLUG}/info",
        "article": f"/wiki/{SLUG}",
        "log": "/log",
        "REST revisions": f"/api/v1/articles/{SLUG}/revisions",
        "REST revision": f"/api/v1/articles/{SLUG}/revisions/{marked}",
        "REST diff": f"/api/v1/articles/{SLUG}/diff?from={first}&to={marked}",
        "REST recent changes": "/api/v1/recent-changes",
        "REST article": f"/api/v1/articles/{SLUG}",
        "Action revisions": f"{api}&prop=revisions&titles={SLUG}&rvlimit=10"
        "&rvprop=ids|user|comment|content|sha1",
        "Action revids": f"{api}&prop=revisions&revids={marked}&rvprop=ids|user|comment|content",
        "Action recentchanges": f"{api}&list=recentchanges&rcprop=user|comment|title",
        "Action usercontribs": f"{api}&list=usercontribs&ucuser={AUTHOR_MARKER}",
        "REST contributor": f"/api/v1/contributors/{AUTHOR_MARKER}",
        "Action search": f"{api}&list=search&srsearch={TEXT_MARKER}",
        "search": f"/search?q={TEXT_MARKER}&fulltext=1",
        "Special:Export": f"/wiki/Special:Export/{SLUG}?history=1",
        "recent changes feed": "/recent-changes/feed",
        "log feed": "/log/feed",
        "watchlist feed": f"/watchlist/feed/{feed_token(people['watcher'])}",
        "admin history": f"/admin/wiki/article/{story['article'].pk}/history/",
        "admin old version": f"/admin/wiki/article/{story['article'].pk}/history/"
        f"{article_version(story, marked)}/",
    }
    answers = {}
    for name, path in paths.items():
        response = client.get(path)
        text = b"".join(response) if response.streaming else response.content
        answers[name] = text.decode() if response.status_code < 300 else ""
    # Pages by author name say the name asked for: what matters is whether they list the
    # marked revision, which names its author.
    for name in ("contributor", "recent changes by name", "REST contributor"):
        text = answers[name].replace(AUTHOR_MARKER, "")
        listed = f"/revision/{marked}" in text or f"to={marked}" in text
        listed = listed or f'href="/wiki/{SLUG}"' in text or '"Sample condition"' in text
        answers[name] = text + (AUTHOR_MARKER if listed else "")
    # A search echoes its query: what matters is whether it finds the article by the marker.
    searched = answers["search"], answers["Action search"]
    finds = 'href="/wiki/Sample_condition"' in searched[0], "Sample condition" in searched[1]
    answers["search"], answers["Action search"] = (TEXT_MARKER if f else "" for f in finds)
    return answers


def article_version(story, revision_id) -> int:
    versions = Version.objects.get_for_model(Article)
    return versions.get(revision_id=revision_id, object_id=str(story["article"].pk)).pk


def feed_token(user) -> str:
    prefs, _ = Preferences.objects.get_or_create(user=user)
    return prefs.feed_token


def found(answers: dict[str, str], marker: str) -> set[str]:
    return {name for name, text in answers.items() if marker in text}


def exported(tmp_path) -> str:
    """Every export format, as written to files by the `export` command."""
    call_command("export", format="markdown", output=str(tmp_path / "folder"))
    call_command("export", format="json", output=str(tmp_path / "wiki.json"))
    call_command("export", format="mediawiki", output=str(tmp_path / "wiki.xml"))
    return "\n".join(
        p.read_text() for p in sorted(tmp_path.rglob("*")) if p.is_file() and p.suffix != ".png"
    )


# Who sees a hidden part (not suppressed / suppressed), as MediaWiki's sysop and suppress.
READERS = ["anonymous", "editor", "administrator", "suppressor"]
SEES_HIDDEN = {"administrator", "suppressor"}
SEES_SUPPRESSED = {"suppressor"}
# The channels where a reader who may see a hidden part is shown it (with it struck out):
# the pages of the history for people; feeds, exports, search and the cached article are
# public and never show it.
SHOWN_TO_ALLOWED = {
    "text": {"old revision", "diff, marked new", "diff, marked old"},
    "summary": {"history", "recent changes", "contributor", "admin history"},
    "author": {"history", "recent changes", "contributor", "admin history"},
}

# Channels anyone may read, whoever asks, or the same for everyone: never the hidden part.
PUBLIC = {
    "article",
    "credits",
    "log",
    "log feed",
    "recent changes feed",
    "watchlist feed",
    "Special:Export",
    "search",
    "Action search",
}


@pytest.mark.parametrize("part", ["text", "summary", "author"])
def test_a_hidden_part_leaks_through_no_channel_and_comes_back_when_shown(
    part, story, people, tmp_path
):
    people["watcher"].refresh_from_db()
    watch_page(user=people["watcher"], title="Sample condition")
    marker, marked = MARKERS[part], story["ids"][1]
    readers = {name: client_for(people.get(name)) for name in READERS}
    before = found(channels(readers["anonymous"], story, people), marker)
    assert {"history", "old revision"} & before or part == "author"
    assert before  # the marker is out there before it is hidden
    if part != "text":
        assert {"recent changes feed", "Action revisions", "REST revisions"} <= before
    assert marker in exported(tmp_path / "before")

    hide(marked, people["administrator"], **{part: True})
    for reader, client in readers.items():
        leaks = found(channels(client, story, people), marker)
        if reader in SEES_HIDDEN:
            assert SHOWN_TO_ALLOWED[part] <= leaks, reader
            assert leaks.isdisjoint(PUBLIC), (reader, leaks & PUBLIC)
        else:
            assert leaks == set(), reader
    assert marker not in exported(tmp_path / "hidden")
    entry = LogEntry.objects.get(type="delete", action="revision")
    assert f"{part} hidden" in entry.params["changes"]
    assert all(m not in json.dumps(entry.params) + entry.comment for m in MARKERS.values())

    hide(marked, people["suppressor"], suppress=True, **{part: True})
    for reader, client in readers.items():
        leaks = found(channels(client, story, people), marker)
        assert bool(leaks) == (reader in SEES_SUPPRESSED), (reader, leaks)
    suppression_log = LogEntry.objects.filter(type="suppress").count()
    assert suppression_log == 1
    log_for = {r: channels(c, story, people)["log"] for r, c in readers.items()}
    assert "Suppression log" in log_for["anonymous"]  # the filter names it; its entries:
    assert [r for r in READERS if "changed the visibility" in log_for[r]] == READERS
    assert [r for r in READERS if "suppressed" in log_for[r]] == ["suppressor"]

    hide(marked, people["suppressor"])  # every part shown again
    after = found(channels(readers["anonymous"], story, people), marker)
    assert after == before
    assert marker in exported(tmp_path / "shown")


def test_the_api_flags_what_is_hidden_as_mediawiki_does(story, people):
    marked = story["ids"][1]
    hide(marked, people["administrator"], text=True, summary=True, author=True)
    path = (
        f"/api.php?format=json&formatversion=2&action=query&prop=revisions&revids={marked}"
        "&rvprop=ids|user|comment|content"
    )
    public = client_for(None).get(path).json()["query"]["pages"][0]["revisions"][0]
    assert public["texthidden"] and public["commenthidden"] and public["userhidden"]
    assert {"user", "comment", "content"}.isdisjoint(public)
    shown = client_for(people["administrator"]).get(path).json()["query"]["pages"][0]
    revision = shown["revisions"][0]
    assert revision["userhidden"] and revision["user"] == AUTHOR_MARKER
    assert TEXT_MARKER in revision["content"]
    rest = client_for(None).get(f"/api/v1/articles/{SLUG}/revisions").json()["items"]
    row = next(r for r in rest if r["id"] == marked)
    assert row["text_hidden"] and row["summary_hidden"] and row["contributor_hidden"]
    assert row["contributor"] is None and row["summary"] == ""
    answer = client_for(people["editor"]).get(f"/api/v1/articles/{SLUG}/revisions/{marked}")
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "texthidden"


def test_the_text_of_the_current_revision_cannot_be_hidden(story, people):
    latest = story["ids"][2]
    with pytest.raises(HidingRefused, match="Revert"):
        hide(latest, people["administrator"], text=True)
    assert hide(latest, people["administrator"], summary=True) == 1  # its summary can be


def test_only_administrators_hide_and_only_suppressors_suppress(story, people):
    from django.core.exceptions import PermissionDenied

    marked = story["ids"][1]
    with pytest.raises(PermissionDenied):
        hide(marked, people["editor"], summary=True)
    with pytest.raises(PermissionDenied):
        hide(marked, people["administrator"], summary=True, suppress=True)
    hide(marked, people["suppressor"], summary=True, suppress=True)
    with pytest.raises(PermissionDenied):  # nor unhide what a suppressor suppressed
        hide(marked, people["administrator"])
    editor = client_for(people["editor"])
    page = editor.get(f"/wiki/{SLUG}/revision-visibility?ids={marked}")
    assert page.status_code in (302, 403)


def test_a_revert_or_undo_that_needs_a_hidden_text_is_refused(story, people):
    marked = story["ids"][1]
    hide(marked, people["administrator"], text=True)
    editor = client_for(people["editor"])
    for action in ("revert", "undo"):
        page = editor.get(f"/wiki/{SLUG}/{action}/{marked}")
        assert page.status_code == 409 and "hidden" in page.content.decode()
        assert TEXT_MARKER not in page.content.decode()
        posted = editor.post(
            f"/wiki/{SLUG}/{action}/{marked}",
            {"base": story["ids"][2], "summary": "Trying"},
        )
        assert posted.status_code == 409
    assert Revision.objects.filter(article_id=story["article"].pk).count() == 3
    # An administrator may still bring the text back: it is theirs to see.
    admin = client_for(people["administrator"])
    assert admin.get(f"/wiki/{SLUG}/revert/{marked}").status_code == 200


def test_a_mail_queued_before_the_hiding_is_sent_without_the_hidden_parts(
    people, mail_server, settings
):
    settings.WIKI_TASKS_INLINE = False  # the mail waits in the queue, as behind a busy worker
    people["watcher"].email = "walt@example.org"
    people["watcher"].save()
    article = create(people["editor"])
    watch_page(user=people["watcher"], title="Sample condition")
    marked = save(
        article,
        people["author"],
        SAMPLE_SOURCE + "\nMore.\n",
        summary=f"Added {SUMMARY_MARKER}",
    )
    save(article, people["editor"], SAMPLE_SOURCE + "\nMore, better.\n")
    assert PendingMail.objects.filter(sent_at=None, revision_id=marked.revision.pk).exists()
    hide(marked.revision.pk, people["administrator"], summary=True, author=True)
    deliver_pending()
    [message] = mail_server.inbox.wait_for("walt@example.org")
    text = body(message) + message["Subject"]
    assert SUMMARY_MARKER not in text and AUTHOR_MARKER not in text
    assert "(edit summary removed)" in text and "(username removed)" in text


def test_the_history_form_and_the_revision_page_change_visibility(story, people):
    marked = story["ids"][1]
    admin = client_for(people["administrator"])
    history = admin.get(f"/wiki/{SLUG}/history").content.decode()
    assert "Change visibility of selected revisions" in history
    assert "Change visibility of selected revisions" not in (
        client_for(people["editor"]).get(f"/wiki/{SLUG}/history").content.decode()
    )
    page = admin.get(f"/wiki/{SLUG}/revision-visibility?ids={marked}&ids={story['ids'][0]}")
    assert page.status_code == 200 and "Suppress" not in page.content.decode()
    answer = admin.post(
        f"/wiki/{SLUG}/revision-visibility",
        {"ids": [marked], "summary": "on", "reason": "A patient's name"},
    )
    assert answer.status_code == 302
    anonymous = client_for(None).get(f"/wiki/{SLUG}/history").content.decode()
    assert SUMMARY_MARKER not in anonymous and "(edit summary removed)" in anonymous
    refused = admin.post(
        f"/wiki/{SLUG}/revision-visibility",
        {"ids": [story["ids"][2]], "text": "on", "reason": "Copyright"},
    )
    assert refused.status_code == 400 and "Revert" in refused.content.decode()


pytestmark = pytest.mark.django_db


@pytest.fixture
def varnish(live_server, settings):
    if varnishd_missing():
        pytest.skip("varnishd is not installed (apt-get install varnish)")
    address = urlparse(live_server.url)
    front = Varnish(address.hostname, address.port).start()
    settings.FRONT_CACHES = [front.url]
    settings.ALLOWED_HOSTS = ["*"]
    yield front
    front.close()


def through_varnish(front, path) -> tuple[str, str]:
    with urllib.request.urlopen(front.url + path, timeout=10) as answer:
        return answer.headers["X-Cache"], answer.read().decode()


@pytest.mark.django_db(transaction=True)
def test_a_hidden_author_leaves_the_page_cache_and_the_front_cache(varnish, story, people):
    path = f"/wiki/{SLUG}"
    through_varnish(varnish, path)
    state, page = through_varnish(varnish, path)
    assert state == "hit" and AUTHOR_MARKER in page  # the credits line names the author
    assert AUTHOR_MARKER in Client().get(path).content.decode()  # the page cache too
    hide(story["ids"][1], people["administrator"], author=True)
    state, page = through_varnish(varnish, path)
    assert AUTHOR_MARKER not in page and state == "miss"
    assert AUTHOR_MARKER not in Client().get(path).content.decode()
    hide(story["ids"][1], people["administrator"])
    assert AUTHOR_MARKER in through_varnish(varnish, path)[1]


def test_the_contributors_list_counts_only_the_edits_whose_author_the_reader_may_see(story, people):
    def edits_of_author(reader):
        items = client_for(reader).get("/api/v1/contributors?limit=100").json()["items"]
        return {i["name"]: i["edits"] for i in items}.get(AUTHOR_MARKER)

    assert edits_of_author(None) == 1
    hide(story["ids"][1], people["administrator"], author=True)
    assert edits_of_author(None) == 0
    assert edits_of_author(people["administrator"]) == 1
    hide(story["ids"][1], people["suppressor"], suppress=True, author=True)
    assert edits_of_author(people["administrator"]) == 0
    assert edits_of_author(people["suppressor"]) == 1
