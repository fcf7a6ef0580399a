"""Excerpts come from the lead's prose: the featured blurb, search snippets, the meta description
and OpenGraph, and the API's descriptions never quote the infobox or a "See also" list."""

import re
from html import unescape

import pytest

from encyclopedia.models import FeaturedArticle
from wiki.excerpts import lead_prose

from .helpers import GLIMMER_FEVER

# GLIMMER_FEVER, our own words: an infobox before the first paragraph, links at the end.
PROSE_START = "Glimmer fever is an invented illness in which a faint rash glows after sunset"
INFOBOX_WORDS = ("Specialty", "Shivering", "Fluids and rest")


@pytest.fixture
def glimmer(make_article, editor):
    return make_article("Glimmer fever", GLIMMER_FEVER, user=editor)


def assert_prose(text: str):
    """`text` quotes the lead's prose, and nothing of the infobox or the See also list."""
    assert PROSE_START in text, text
    for word in (*INFOBOX_WORDS, "See also", "Rash Fever"):
        assert word not in text, (word, text)


def test_the_lead_prose_leaves_out_the_infobox_lists_and_reference_marks(glimmer):
    prose = lead_prose(glimmer.lead_html)
    assert prose.startswith(PROSE_START)
    assert "sunset, used here to test excerpts. Most people" in prose  # no [1] mark
    assert prose.endswith("Most people recover within a week.")


def test_the_featured_blurb_is_the_leads_prose_not_the_infobox(client, glimmer):
    FeaturedArticle.objects.create(article=glimmer)
    html = client.get("/").content.decode()
    blurb = re.search(r'<div class="featured-blurb">(.*?)</div>', html, re.S)[1]
    assert_prose(blurb.replace("<strong>", "").replace("</strong>", ""))


def test_a_search_snippet_quotes_the_leads_prose_not_its_headings(client, glimmer):
    html = client.get("/search", {"q": "recover", "fulltext": 1}).content.decode()
    snippet = re.search(r'<p class="search-result__snippet">(.*?)</p>', html, re.S)[1]
    assert "<mark>recover</mark> within a week" in snippet
    text = re.sub(r"</?mark>", "", snippet)
    for word in (*INFOBOX_WORDS, "Course", "See also"):
        assert word not in text, (word, text)


def test_infobox_text_is_still_searchable_but_not_quoted(client, glimmer):
    html = client.get("/search", {"q": "shivering", "fulltext": 1}).content.decode()
    assert ">Glimmer fever</a>" in html
    snippet = re.search(r'<p class="search-result__snippet">(.*?)</p>', html, re.S)[1]
    assert "Specialty" not in snippet
    assert "invented illness" in snippet


def test_the_meta_description_and_opengraph_quote_the_leads_prose(client, glimmer):
    html = client.get("/wiki/Glimmer_fever").content.decode()
    for pattern in (
        r'<meta name="description" content="([^"]*)"',
        r'<meta property="og:description" content="([^"]*)"',
    ):
        assert_prose(unescape(re.search(pattern, html)[1]))


def test_the_action_apis_opensearch_describes_titles_by_their_leads_prose(client, glimmer):
    query, titles, descriptions, urls = client.get(
        "/api.php", {"action": "opensearch", "search": "glimm", "format": "json"}
    ).json()
    assert titles == ["Glimmer fever"]
    assert_prose(descriptions[0])


def test_the_rest_apis_article_and_its_summaries_carry_the_leads_prose(client, glimmer):
    assert_prose(client.get("/api/v1/articles/Glimmer_fever").json()["excerpt"])
    (item,) = client.get("/api/v1/articles").json()["items"]
    assert_prose(item["excerpt"])
