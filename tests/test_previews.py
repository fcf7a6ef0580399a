"""What a page preview reads: `/wiki/<title>/summary`, an article's title, the first sentences
of its lead as plain text, its first image with its alt text and its review state, as JSON;
kept in the page cache beside the article and dropped with it. (The previews themselves:
tests/test_browser_previews.py; through Varnish: tests/test_front_cache.py.)"""

import pytest
from django.test import Client

from wiki.models import Revision
from wiki.review.services import mark_reviewed

from .conftest import make_media, save

LEAD = (
    "Pollen rash is a made-up skin complaint of spring.[^1] It itches most in the morning. "
    "Cool water eases it. A fourth sentence is never part of the preview.\n\n"
    "A second paragraph of the lead.\n\n"
    "## Care\n\nRest.\n\n[^1]: A made-up source.\n"
)


@pytest.fixture
def rash(make_article, editor):
    return make_article("Pollen rash", LEAD, user=editor)


def summary_of(client, title="Pollen_rash"):
    response = client.get(f"/wiki/{title}/summary")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response, response.json()


def test_the_summary_holds_the_title_and_the_leads_first_sentences_as_plain_text(client, rash):
    _, data = summary_of(client)
    assert data["title"] == "Pollen rash"
    assert data["url"] == "http://testserver/wiki/Pollen_rash"
    assert data["extract"] == (
        "Pollen rash is a made-up skin complaint of spring. It itches most in the morning. "
        "Cool water eases it."
    )  # three sentences; no reference mark, no markup
    assert data["image"] is None
    assert data["review"] == {"state": "unreviewed", "by": "", "on": None}
    assert data["revision"] == rash.latest_revision_id


def test_the_summary_shows_the_first_image_with_its_alt_text(client, make_article, editor):
    make_media(editor, "Rash photo.png")
    make_article("Skin rash", "[[File:Rash photo.png|thumb|A rash]]\n\nA rash is red skin.\n")
    _, data = summary_of(client, "Skin_rash")
    assert data["image"]["alt"] == "A chest scan"
    assert data["image"]["url"].startswith("http://testserver/media/")
    assert client.get(data["image"]["url"].removeprefix("http://testserver")).status_code == 200
    assert data["extract"] == "A rash is red skin."


def test_readers_get_the_summary_of_the_reviewed_text_and_editors_of_the_latest(
    editor_client, rash, reviewer, editor
):
    mark_reviewed(revision=Revision.objects.get(pk=rash.latest_revision_id), user=reviewer)
    save(rash, editor, LEAD.replace("in the morning", "at night"))
    _, data = summary_of(Client())  # an anonymous reader
    assert "in the morning" in data["extract"]
    assert data["review"]["state"] == "reviewed" and data["review"]["by"] == "Jane Roe, MD"
    response, mine = summary_of(editor_client)
    assert "at night" in mine["extract"] and mine["review"]["state"] == "changed"
    assert response["Cache-Control"] == "private, no-cache"


def test_the_summary_is_kept_in_the_page_cache_and_dropped_with_the_article(client, rash, editor):
    first, _ = summary_of(client)
    second, _ = summary_of(client)
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert second["Cache-Control"].startswith("public, max-age=")
    # The article's own page is kept beside it, not instead of it.
    client.get("/wiki/Pollen_rash")
    assert client.get("/wiki/Pollen_rash")["X-Page-Cache"] == "hit"
    assert summary_of(client)[0]["X-Page-Cache"] == "hit"
    save(rash, editor, LEAD.replace("of spring", "of early summer"))
    response, data = summary_of(client)
    assert "of early summer" in data["extract"] and response["X-Page-Cache"] == "miss"


def test_a_redirect_leads_to_its_targets_summary(client, make_article, rash):
    make_article("Hay rash", "#REDIRECT [[Pollen rash]]\n")
    response = client.get("/wiki/Hay_rash/summary")
    assert response.status_code == 301 and response["Location"] == "/wiki/Pollen_rash/summary"
    assert client.get(response["Location"]).json()["title"] == "Pollen rash"


def test_a_title_no_article_has_is_a_json_404(client, db):
    response = client.get("/wiki/No_such_rash/summary")
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "message": "No article has this title."}
