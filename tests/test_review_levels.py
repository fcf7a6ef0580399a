"""Review levels (FlaggedRevs' tiers): any editor marks a revision "checked" (not vandalism),
only Reviewers mark it "medically reviewed"; each level shows distinctly in history, diffs,
recent changes and both APIs; the stable revision readers see follows WIKI_STABLE_LEVEL; the
"Medically reviewed" badge and JSON-LD's lastReviewed never stand over text only checked."""

import re
from datetime import date
from html import unescape

import pytest
from django.test import Client

import wiki.history.views
from tests.helpers import json_ld, shown_page
from wiki.api.models import ApiToken
from wiki.editorial.models import Block
from wiki.models import Article, Revision
from wiki.review.models import Review
from wiki.review.services import ReviewRefused, mark_reviewed

from .conftest import SAMPLE_SOURCE, save

REVIEWED_TEXT = "Rest helps."
CHECKED_TEXT = "Rest helps, and so does water."
LATEST_TEXT = "Rest helps, water too, and an unverified tonic."


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def three_levels(make_article, editor, reviewer):
    """Sample condition: r1 medically reviewed, r2 checked by an editor, r3 not marked."""
    article = make_article(user=editor)
    first = Revision.objects.get(pk=article.latest_revision_id)
    mark_reviewed(revision=first, user=reviewer, note="Doses verified")
    save(article, editor, SAMPLE_SOURCE.replace(REVIEWED_TEXT, CHECKED_TEXT), summary="Water")
    article.refresh_from_db()
    second = Revision.objects.get(pk=article.latest_revision_id)
    mark_reviewed(revision=second, user=editor, level="checked", note="Not vandalism")
    save(article, editor, SAMPLE_SOURCE.replace(REVIEWED_TEXT, LATEST_TEXT), summary="Tonic")
    article.refresh_from_db()
    return article, first, second, Revision.objects.get(pk=article.latest_revision_id)


# Who may set which level ----------------------------------------------------------------------


def test_an_editor_may_check_but_not_review_and_a_reviewer_may_do_both(
    make_article, editor, reviewer, reader
):
    article = make_article(user=editor)
    revision = Revision.objects.get(pk=article.latest_revision_id)
    with pytest.raises(ReviewRefused, match="Reviewers group") as refused:
        mark_reviewed(revision=revision, user=editor, level="reviewed")
    assert refused.value.status == 403
    with pytest.raises(ReviewRefused, match="Only editors") as refused:
        mark_reviewed(revision=revision, user=reader, level="checked")
    assert refused.value.status == 403
    checked = mark_reviewed(revision=revision, user=editor, level="checked")
    assert checked.level == "checked"
    with pytest.raises(ReviewRefused, match="already checked"):
        mark_reviewed(revision=revision, user=reviewer, level="checked")
    with pytest.raises(ReviewRefused, match="level is"):
        mark_reviewed(revision=revision, user=reviewer, level="pristine")
    with pytest.raises(ReviewRefused, match="belongs to a medical review"):
        mark_reviewed(
            revision=revision, user=editor, level="checked", literature_to=date(2025, 1, 1)
        )
    reviewed = mark_reviewed(revision=revision, user=reviewer)  # the default level
    assert reviewed.level == "reviewed"
    article.refresh_from_db()
    assert article.reviewed_revision_id == article.checked_revision_id == revision.pk


def test_a_blocked_editor_or_reviewer_marks_nothing(make_article, editor, reviewer):
    article = make_article(user=editor)
    revision = Revision.objects.get(pk=article.latest_revision_id)
    for user, level in ((editor, "checked"), (reviewer, "reviewed")):
        Block.objects.create(user=user, reason="Vandalism")
        with pytest.raises(ReviewRefused, match="blocked") as refused:
            mark_reviewed(revision=revision, user=user, level=level)
        assert refused.value.status == 403
    assert not Review.objects.filter(revision=revision).exists()


def test_a_check_does_not_move_the_medically_reviewed_revision(make_article, editor, reviewer):
    article = make_article(user=editor)
    mark_reviewed(revision=Revision.objects.get(), user=reviewer)
    save(article, editor, SAMPLE_SOURCE + "\nMore.\n")
    article.refresh_from_db()
    mark_reviewed(revision=article.latest_revision, user=editor, level="checked")
    article.refresh_from_db()
    assert article.checked_revision_id == article.latest_revision_id
    assert article.reviewed_revision_id < article.checked_revision_id
    # An edit after the check keeps both marks (the write path does not touch them).
    save(article, editor, SAMPLE_SOURCE + "\nMore still.\n")
    after = Article.objects.get(pk=article.pk)
    assert (after.reviewed_revision_id, after.checked_revision_id) == (
        article.reviewed_revision_id,
        article.checked_revision_id,
    )


def test_on_the_site_editors_check_readers_and_editors_reviewing_get_403_anonymous_signs_in(
    client, make_article, editor, reviewer, reader
):
    article = make_article(user=editor)
    url = f"/wiki/{article.slug}/review/{article.latest_revision_id}"
    assert client.post(url, {"level": "checked"}).status_code == 302  # to sign in
    refused = signed_in(reader).post(url, {"level": "checked"})
    assert refused.status_code == 403 and "Only editors" in refused.content.decode()
    refused = signed_in(editor).post(url, {"level": "reviewed"})
    assert refused.status_code == 403 and "Reviewers group" in refused.content.decode()
    assert not Review.objects.exists()
    done = signed_in(editor).post(url, {"level": "checked", "note": "fine"}, follow=True)
    assert f"Revision {article.latest_revision_id} of “Sample condition” is marked checked" in (
        done.content.decode()
    )
    again = signed_in(editor).post(url, {"level": "checked"}, follow=True)
    assert "already checked" in again.content.decode()
    assert "The check was not recorded." in again.content.decode()
    assert Review.objects.get().level == "checked"
    log = client.get("/log?type=review").content.decode()
    assert f"marked revision {article.latest_revision_id} of" in log and "checked" in log


# Each level shown, distinctly ------------------------------------------------------------------


def test_history_diff_and_revision_pages_show_each_level(client, three_levels, editor):
    article, first, second, latest = three_levels
    history = client.get(f"/wiki/{article.slug}/history").content.decode()
    rows = {r.pk: _row(history, r.pk) for r in (first, second, latest)}
    assert "✓ medically reviewed" in rows[first.pk] and "✓ checked" not in rows[first.pk]
    assert "✓ checked" in rows[second.pk] and "medically reviewed" not in rows[second.pk]
    assert "✓" not in rows[latest.pk]
    diff = client.get(f"/wiki/{article.slug}/diff?from={first.pk}&to={second.pk}").content
    assert "review-flag--reviewed" in diff.decode() and "review-flag--checked" in diff.decode()
    page = client.get(f"/wiki/{article.slug}/revision/{second.pk}").content.decode()
    assert "An editor checked this revision" in page and "It is not medically reviewed" in page
    # Editors are offered the check where it is missing, and only there; readers never.
    assert (
        "Mark revision"
        not in client.get(f"/wiki/{article.slug}/diff?to={latest.pk}").content.decode()
    )
    editor_client = signed_in(editor)
    diff = editor_client.get(f"/wiki/{article.slug}/diff?to={latest.pk}").content.decode()
    assert f"Mark revision {latest.pk} as checked" in diff
    assert "medically reviewed</button>" not in diff  # an editor is no reviewer
    diff = editor_client.get(f"/wiki/{article.slug}/diff?to={second.pk}").content.decode()
    assert "as checked</button>" not in diff
    history = editor_client.get(f"/wiki/{article.slug}/history").content.decode()
    assert 'class="history-check"' in _row(history, latest.pk)
    assert 'class="history-check"' not in _row(history, second.pk)


def _row(page: str, revision_id: int) -> str:
    """The history row of one revision."""
    start = page.index(f'name="to" value="{revision_id}"')
    return page[start : page.index("</li>", start)]


def test_recent_changes_show_and_filter_each_level(client, three_levels):
    article, first, second, latest = three_levels
    page = client.get("/recent-changes").content.decode()
    assert "review-event--checked" in page and "review-event--reviewed" in page
    assert "Not vandalism" in page and "Doses verified" in page
    reviewed_only = client.get("/recent-changes?review=reviewed").content.decode()
    assert "Tonic" not in reviewed_only and "Water" not in reviewed_only
    assert "review-event--checked" not in reviewed_only and "review-event--reviewed" in (
        reviewed_only
    )
    checked = client.get("/recent-changes?review=checked").content.decode()
    assert "(Water)" in checked and "(Created)" in checked and "(Tonic)" not in checked
    assert "review-event--checked" in checked


def test_review_events_beyond_a_pages_share_lead_on_to_the_review_log(
    client, make_article, reviewer, monkeypatch
):
    """More review events in a page's span than it lists (here 2): the page says so where
    the list stops, and its link opens the review log at the next one; none is lost."""
    monkeypatch.setattr(wiki.history.views, "MAX_REVIEWS_BETWEEN", 2)
    notes = ["First look", "Second look", "Third look"]
    for n, note in enumerate(notes):
        article = make_article(title=f"Reviewed {n}")
        revision = Revision.objects.get(pk=article.latest_revision_id)
        mark_reviewed(revision=revision, user=reviewer, note=note)
    page = client.get("/recent-changes").content.decode()
    assert "Third look" in page and "Second look" in page and "First look" not in page
    more = re.search(r'<li class="history-row review-more"><a href="([^"]+)"', page)
    assert more and page.index("Second look") < more.start()
    log = client.get(unescape(more.group(1))).content.decode()
    assert "First look" in log and "Second look" not in log and "Third look" not in log
    everything = client.get("/recent-changes?review=reviewed").content.decode()
    assert "review-more" in everything  # the filtered list is cut the same way


# The APIs ---------------------------------------------------------------------------------


def test_rest_gives_each_revisions_level_and_the_articles_stable_state(client, three_levels):
    article, first, second, latest = three_levels
    items = client.get("/api/v1/articles/Sample_condition/revisions").json()["items"]
    assert [(i["id"], i["review_level"]) for i in items] == [
        (latest.pk, None),
        (second.pk, "checked"),
        (first.pk, "reviewed"),
    ]
    one = client.get(f"/api/v1/articles/Sample_condition/revisions/{second.pk}").json()
    assert one["review_level"] == "checked"
    changes = client.get("/api/v1/recent-changes?review=checked").json()["items"]
    assert {c["id"]: c["review_level"] for c in changes} == {
        second.pk: "checked",
        first.pk: "reviewed",
    }
    review = client.get("/api/v1/articles/Sample_condition").json()["review"]
    assert review["reviewed_revision_id"] == first.pk
    assert review["checked_revision_id"] == second.pk
    assert review["stable_level"] == "reviewed"
    assert review["readers_revision_id"] == first.pk
    assert review["readers_revision_level"] == "reviewed"


def test_rest_marks_a_revision_and_refuses_a_level_with_403(client, make_article, editor, reviewer):
    article = make_article(user=editor)
    url = f"/api/v1/articles/Sample_condition/revisions/{article.latest_revision_id}/review"
    editor_token = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=editor, name='b')[1]}"}
    anonymous = client.post(url, {"level": "checked"}, content_type="application/json")
    assert anonymous.status_code == 401
    refused = client.post(
        url, {"level": "reviewed"}, content_type="application/json", **editor_token
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "review_refused"
    assert "Reviewers group" in refused.json()["error"]["message"]
    bad = client.post(url, {"level": "gold"}, content_type="application/json", **editor_token)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_review"
    not_a_number = url.replace(f"/{article.latest_revision_id}/", "/null,null/")
    bad = client.post(
        not_a_number, {"level": "checked"}, content_type="application/json", **editor_token
    )
    assert bad.status_code == 400  # the revision's number is wrong, not the method
    done = client.post(
        url,
        {"level": "checked", "note": "Looks sane"},
        content_type="application/json",
        **editor_token,
    )
    assert done.status_code == 200
    assert done.json()["level"] == "checked" and done.json()["note"] == "Looks sane"
    reviewer_token = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=reviewer, name='r')[1]}"}
    done = client.post(
        url,
        {"level": "reviewed", "literature_to": "2025-11"},
        content_type="application/json",
        **reviewer_token,
    )
    assert done.status_code == 200 and done.json()["reviewer"] == "Jane Roe, MD"
    assert done.json()["literature_to"] == "2025-11-01"
    assert list(Review.objects.order_by("pk").values_list("level", flat=True)) == [
        "checked",
        "reviewed",
    ]


def test_the_action_api_gives_flagged_pages_and_revisions_and_reviews(client, three_levels, editor):
    article, first, second, latest = three_levels
    answer = client.get(
        "/api.php",
        {
            "action": "query",
            "titles": "Sample condition",
            "prop": "flagged|revisions",
            "rvprop": "ids|flagged",
            "rvlimit": "5",
            "format": "json",
            "formatversion": "2",
        },
    ).json()
    page = answer["query"]["pages"][0]
    assert page["flagged"] == {
        "stable_revid": first.pk,
        "level": 1,
        "level_text": "quality",
        "pending_since": page["flagged"]["pending_since"],
    }
    assert page["flagged"]["pending_since"].endswith("Z")
    assert [(r["revid"], r.get("flagged")) for r in page["revisions"]] == [
        (latest.pk, None),
        (second.pk, {"level": 0, "level_text": "stable"}),
        (first.pk, {"level": 1, "level_text": "quality"}),
    ]
    client.force_login(editor)
    token = client.get("/api.php", {"action": "query", "meta": "tokens", "format": "json"})
    token = token.json()["query"]["tokens"]["csrftoken"]
    ask = {"action": "review", "revid": latest.pk, "token": token, "format": "json"}
    refused = client.post("/api.php", {**ask, "flag_accuracy": "2"}).json()
    assert refused["error"]["code"] == "permissiondenied"
    done = client.post("/api.php", {**ask, "flag_accuracy": "1", "comment": "ok"}).json()
    assert done["review"] == {"result": "Success", "revid": latest.pk, "level": "checked"}
    assert Review.objects.get(revision=latest).level == "checked"


# The stable version readers see, and the badge ---------------------------------------------


def test_readers_see_the_medically_reviewed_revision_when_the_site_says_reviewed(
    client, three_levels, settings
):
    settings.WIKI_STABLE_LEVEL = "reviewed"
    article, first, second, latest = three_levels
    page = shown_page(client.get(article.get_absolute_url()))
    assert REVIEWED_TEXT in page and CHECKED_TEXT not in page and LATEST_TEXT not in page
    assert "Medically reviewed by" in page and "Checked by" not in page
    assert "You are reading the version of this article that was medically reviewed" in page
    review = Review.objects.get(revision=first)
    assert json_ld(page)["lastReviewed"] == review.created_at.date().isoformat()


def test_readers_see_the_last_checked_revision_when_the_site_says_checked(
    client, three_levels, settings, editor
):
    settings.WIKI_STABLE_LEVEL = "checked"
    article, first, second, latest = three_levels
    page = shown_page(client.get(article.get_absolute_url()))
    assert CHECKED_TEXT in page and LATEST_TEXT not in page
    # Only checked: no "Medically reviewed" badge, no lastReviewed over it.
    assert "Medically reviewed by" not in page
    assert "Checked by <a" in page and "Edna Marsh</a> on" in page
    assert "You are reading the last checked version" in page
    assert "has changed since its last medical review" in page
    assert f"diff?from={second.pk}&amp;to={latest.pk}" in page
    assert "lastReviewed" not in json_ld(page)
    api = client.get("/api/v1/articles/Sample_condition").json()
    assert api["review"]["readers_revision_id"] == second.pk
    assert api["review"]["readers_revision_level"] == "checked"
    assert CHECKED_TEXT in api["readers_html"] and LATEST_TEXT in api["html"]
    # Editors see the latest, unmarked text: no badge of either level over it.
    page = shown_page(signed_in(editor).get(article.get_absolute_url()))
    assert LATEST_TEXT in page and "Medically reviewed by" not in page and "Checked by" not in page


def test_the_badge_never_stands_over_text_only_checked(client, make_article, editor, settings):
    settings.WIKI_STABLE_LEVEL = "checked"
    article = make_article(user=editor)
    save(article, editor, SAMPLE_SOURCE.replace(REVIEWED_TEXT, CHECKED_TEXT))
    article.refresh_from_db()
    mark_reviewed(revision=article.latest_revision, user=editor, level="checked")
    for viewer in (client, signed_in(editor)):
        page = shown_page(viewer.get(article.get_absolute_url()))
        assert CHECKED_TEXT in page
        assert "Medically reviewed" not in page and "review-badge" not in page
        assert "check-badge" in page and "Checked is not a medical review" in page
        assert "lastReviewed" not in json_ld(page)
    settings.WIKI_STABLE_LEVEL = "reviewed"  # the site changes its mind: nothing is stable
    page = shown_page(client.get(article.get_absolute_url()))
    assert CHECKED_TEXT in page and "Medically reviewed" not in page


def test_an_existing_review_is_medically_reviewed_by_default(make_article, editor, reviewer):
    article = make_article(user=editor)
    Review.objects.create(
        article=article,
        revision=Revision.objects.get(),
        reviewer=reviewer,
        reviewer_name="Jane Roe",
    )
    assert Review.objects.get().level == "reviewed"


def test_paraminfo_describes_the_flaggedrevs_modules(client, db):
    answer = client.get(
        "/api.php", {"action": "paraminfo", "modules": "review|query+flagged|query+revisions"}
    ).json()
    modules = {m["path"]: m for m in answer["paraminfo"]["modules"]}
    assert set(modules) == {"review", "query+flagged", "query+revisions"}
    assert "mustbeposted" in modules["review"]
    accuracy = next(p for p in modules["review"]["parameters"] if p["name"] == "flag_accuracy")
    assert accuracy["type"] == ["1", "2"]
    props = next(p for p in modules["query+revisions"]["parameters"] if p["name"] == "prop")
    assert "flagged" in props["type"]
