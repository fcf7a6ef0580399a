"""Everyone follows every edit across the site, on a page and in an Atom feed."""

import html
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from wiki.models import Category, Revision

from .conftest import SAMPLE_SOURCE, save

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def site(make_article, editor, other_editor):
    asthma = make_article(
        title="Asthma",
        source="Airways narrow.\n",
        user=editor,
        categories=["Lungs"],
        summary="New asthma article",
    )
    make_article(
        title="Eczema",
        source="Skin itches.\n",
        user=other_editor,
        categories=["Skin"],
        summary="New eczema article",
    )
    save(asthma, other_editor, "Airways narrow and swell.\n", summary="Swelling", minor=True)
    return asthma


def test_recent_changes_lists_every_edit_newest_first(client, site):
    page = client.get("/recent-changes").content.decode()
    assert (
        page.index("Swelling") < page.index("New eczema article") < page.index("New asthma article")
    )
    assert 'href="/wiki/Asthma"' in page and 'href="/contributor/otto"' in page
    swelling = Revision.objects.get(summary="Swelling")
    assert f"/wiki/Asthma/diff?from={swelling.parent_id}&amp;to={swelling.pk}" in page


def test_minor_edits_can_be_hidden(client, site):
    page = client.get("/recent-changes?hideminor=1").content.decode()
    assert "Swelling" not in page and "New eczema article" in page


def test_changes_can_be_filtered_by_category(client, site):
    page = client.get("/recent-changes?category=Lungs").content.decode()
    assert "Swelling" in page and "New asthma article" in page
    assert "New eczema article" not in page


def test_changes_can_be_filtered_by_contributor(client, site):
    page = client.get("/recent-changes?contributor=Edna_Marsh").content.decode()
    assert "New asthma article" in page
    assert "Swelling" not in page and "New eczema article" not in page


def test_an_unknown_category_is_reported_not_an_error(client, site):
    response = client.get("/recent-changes?category=Nowhere")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Some filters were not understood" in page
    assert "No category is named “Nowhere”." in page
    assert 'name="category" value="Nowhere"' in page  # the typed name stays in the box


def test_the_category_filter_is_typed_not_a_list_of_every_category(client, site):
    """A large wiki has thousands of categories: none is listed in the page; the box asks
    for suggestions of the typed name instead."""
    Category.objects.bulk_create(Category(name=f"Rare group {n}") for n in range(300))
    page = client.get("/recent-changes").content.decode()
    assert "Rare group" not in page and "Skin" not in page
    box = re.search(r'<input type="text" name="category"[^>]*>', page).group(0)
    assert 'data-suggest-url="/categories/suggest"' in box and 'data-suggest-pick="fill"' in box


def test_category_names_are_suggested_from_what_is_typed(client, site):
    Category.objects.bulk_create(Category(name=f"Lung group {n:02}") for n in range(12))
    Category.objects.create(name="Lungenkrankheiten", language="es")  # another language's
    answer = client.get("/categories/suggest?q=lung")
    assert answer["Content-Type"] == "application/x-suggestions+json"
    query, names = answer.json()
    assert query == "lung"
    assert names == ["Lung group 00", *[f"Lung group {n:02}" for n in range(1, 10)]]
    assert client.get("/categories/suggest?q=lungs").json() == ["lungs", ["Lungs"]]
    assert client.get("/categories/suggest?q=").json() == ["", []]
    assert client.get("/es/categories/suggest?q=Lung").json() == ["Lung", ["Lungenkrankheiten"]]


def test_a_category_typed_with_underscores_or_spaces_filters(client, site):
    for typed in ("Lungs", " Lungs ", "Lungs_"):
        page = client.get("/recent-changes", {"category": typed}).content.decode()
        assert "Swelling" in page and "New eczema article" not in page, typed
        assert "Some filters were not understood" not in page


def test_the_page_advertises_an_atom_feed_with_the_same_filters(client, site):
    page = client.get("/recent-changes?hideminor=1").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="WellnessWiki: recent changes (Atom)" href="/recent-changes/feed?hideminor=1">'
    ) in page


def test_the_atom_feed_lists_edits_with_authors_and_links(client, site):
    response = client.get("/recent-changes/feed")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Asthma: Swelling",
        "Eczema: New eczema article",
        "Asthma: New asthma article",
    ]
    assert entries[0].find(f"{ATOM}author/{ATOM}name").text == "otto"
    assert "/wiki/Asthma/diff?from=" in entries[0].find(f"{ATOM}link").get("href")
    filtered = ET.fromstring(client.get("/recent-changes/feed?category=Skin").content)
    assert len(filtered.findall(f"{ATOM}entry")) == 1


def test_recent_changes_is_paginated(client, make_article, editor):
    article = make_article(user=editor, source="Start.\n")
    for n in range(50):
        save(article, editor, f"Start.\n\nLine {n}.\n")
    page = client.get("/recent-changes?hideminor=1").content.decode()
    assert 'href="?hideminor=1&amp;from=' in page and 'href="?hideminor=1&amp;dir=last"' in page


@pytest.mark.parametrize("revisions", [3, 30])
def test_recent_changes_makes_a_constant_number_of_queries(
    client, make_article, editor, django_assert_max_num_queries, revisions
):
    article = make_article(user=editor, categories=["Lungs"])
    for n in range(revisions - 1):
        save(article, editor, SAMPLE_SOURCE + f"\nEdit {n}.\n")
    # The page's edits, their count, the review events in their span, the categories list…
    with django_assert_max_num_queries(5):
        assert client.get("/recent-changes").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/recent-changes?category=Lungs&hideminor=1").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get("/recent-changes/feed").status_code == 200


def test_a_summary_with_markup_reaches_feed_readers_as_text(client, make_article, editor):
    """Feed readers show an entry's summary as HTML: an editor's summary is text there."""
    import feedparser

    hostile = "</a><img src=x onerror=alert(1)>"
    make_article(title="Gout", source="Joints ache.\n", user=editor, summary=hostile)
    feed = feedparser.parse(client.get("/recent-changes/feed").content)
    (entry,) = feed.entries
    description = entry.summary_detail
    assert description.type == "text/html"
    elements = _elements(description.value)
    assert not any(tag == "img" or "onerror" in attrs for tag, attrs in elements)
    assert html.unescape(description.value).endswith(f"bytes. {hostile}")  # shown as typed


def _elements(markup):
    """The (tag, attribute names) of every element a browser would build from the markup."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, {name for name, _ in attrs}))

    Collector().feed(markup)
    return found


@pytest.mark.parametrize("language", ["en", "es"])
def test_each_row_links_where_reverse_would_for_any_title(client, editor, language):
    """The rows' addresses are reversed once for the page and filled in per row: a title
    with a question mark, an accent, a slash and a quote still leads to its article, history,
    diff and revision, under the language's prefix."""
    from django.urls import reverse

    from wiki.languages import reading_in
    from wiki.models import Article
    from wiki.services import ArticleEdit, article_save

    title = "Migraña? Type 1/2 (Crohn's) & 100% ok"
    article = article_save(
        article=Article(title=title, language=language),
        edit=ArticleEdit(text="First.\n", base_revision=None, user=editor),
    ).article
    save(article, editor, "First.\n\nSecond.\n")
    prefix = "" if language == "en" else "/es"
    page = client.get(f"{prefix}/recent-changes").content.decode()
    latest = Revision.objects.filter(article=article).order_by("-pk")
    with reading_in(language):
        for revision in latest:
            slug = revision.slug
            revision_path = reverse("wiki:revision", args=[slug, revision.pk])
            assert f'<a class="history-date" href="{html.escape(revision_path)}">' in page
        wanted = [
            reverse("wiki:article", args=[slug]),
            reverse("wiki:history", args=[slug]),
            reverse("wiki:diff", args=[slug]) + f"?from={latest[1].pk}&amp;to={latest[0].pk}",
        ]
    assert wanted[0].startswith(f"{prefix}/wiki/Migra%C3%B1a%3F_Type_1/2")
    for path in wanted:
        assert f'href="{html.escape(path).replace("&amp;amp;", "&amp;")}"' in page
