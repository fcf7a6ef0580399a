"""The encyclopedia around the articles: main page, portals, A–Z index, categories, random,
site pages and the 404 page."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from encyclopedia.models import FeaturedArticle, SitePage
from wiki.models import Article, Category, Portal


def html_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_main_page_shows_the_featured_article_chosen_in_the_admin(client, make_article):
    article = make_article()
    FeaturedArticle.objects.create(article=article, blurb="A **tidy** summary of the condition.")
    html = html_of(client, "/")
    assert "Featured article" in html
    assert '<a href="/wiki/Sample_condition">Sample condition</a>' in html
    assert "A <strong>tidy</strong> summary" in html


def test_without_a_blurb_the_featured_article_shows_its_lead(client, make_article):
    FeaturedArticle.objects.create(article=make_article())
    assert "Sample condition is a made-up disorder" in html_of(client, "/")


def test_the_newest_featured_article_that_has_started_wins(client, make_article):
    old = make_article(title="Older pick", source="Old.\n")
    new = make_article(title="Newer pick", source="New.\n")
    future = make_article(title="Future pick", source="Later.\n")
    today = timezone.localdate()
    FeaturedArticle.objects.create(article=old, starts_on=today - dt.timedelta(days=7))
    FeaturedArticle.objects.create(article=new, starts_on=today)
    FeaturedArticle.objects.create(article=future, starts_on=today + dt.timedelta(days=3))
    html = html_of(client, "/")
    featured = html[html.index("Featured article") : html.index("portals-title")]
    assert (
        "Newer pick" in featured and "Older pick" not in featured and "Future pick" not in featured
    )


def test_main_page_without_a_featured_article_still_works(client, db):
    html = html_of(client, "/")
    assert "Featured article" not in html and "No articles yet." in html


def test_main_page_lists_recently_updated_articles_newest_first(client, make_article):
    for title in ["First written", "Second written", "Third written"]:
        make_article(title=title, source="Text.\n")
    html = html_of(client, "/")
    recent = html[html.index("Recently updated") :]
    assert (
        recent.index("Third written")
        < recent.index("Second written")
        < recent.index("First written")
    )


def test_main_page_has_the_search_box_and_portals_in_admin_order(client, db):
    Portal.objects.create(name="Drugs", slug="drugs", position=2)
    Portal.objects.create(name="Wellness", slug="wellness", position=1)
    html = html_of(client, "/")
    assert 'id="search-main" name="q"' in html
    cards = html[html.index('class="portal-cards"') :]
    assert cards.index("Wellness") < cards.index("Drugs")


def test_a_portal_page_lists_its_categorys_articles(client, make_article):
    make_article(categories=["Drugs"])
    make_article(title="Not a drug", source="Other.\n", categories=["Wellness"])
    Portal.objects.create(
        name="Drugs",
        slug="drugs",
        category=Category.objects.get(name="Drugs"),
        description="Medicines and how they work.",
    )
    html = html_of(client, "/portal/drugs")
    assert "<h1>Drugs</h1>" in html and "Medicines and how they work." in html
    assert 'href="/wiki/Sample_condition"' in html and "Not a drug" not in html


def test_portal_entries_can_point_elsewhere_and_hide_from_navigation(client, db):
    Portal.objects.create(name="Encyclopedia", slug="encyclopedia", link="/index/A")
    Portal.objects.create(name="Hidden", slug="hidden", in_navigation=False)
    nav = html_of(client, "/portal/hidden").split('class="portal-nav"')[1].split("</nav>")[0]
    assert 'href="/index/A">Encyclopedia</a>' in nav and "Hidden" not in nav


def test_an_unknown_portal_is_a_404(client, db):
    html_of(client, "/portal/nothing-here", status=404)


def test_the_index_lists_articles_under_their_letter_with_a_letter_bar(client, make_article):
    make_article(title="Asthma", source="A.\n")
    make_article(title="Anemia", source="A.\n")
    make_article(title="Bronchitis", source="B.\n")
    html = html_of(client, "/index/A")
    assert "Anemia" in html and "Asthma" in html and "Bronchitis" not in html
    assert html.index("Anemia") < html.index("Asthma")
    assert 'href="/index/A" aria-current="page">A</a>' in html
    for letter in ["B", "Z", "0-9", "Other"]:
        assert f'href="/index/{letter}"' in html


def test_digits_and_other_characters_have_their_own_index_pages(client, make_article):
    make_article(title="5-HT receptor", source="Digits.\n")
    make_article(title="Ångström unit", source="Other.\n")
    make_article(title="Zinc", source="Z.\n")
    digits, other = html_of(client, "/index/0-9"), html_of(client, "/index/Other")
    assert "5-HT receptor" in digits and "Zinc" not in digits and "Ångström" not in digits
    assert "Ångström unit" in other and "Zinc" not in other and "5-HT" not in other
    assert "5-HT" in html_of(client, "/index/0-9") and "Zinc" in html_of(client, "/index/z")


def test_the_index_is_paginated(client, make_article):
    for n in range(205):
        Article.objects.create(title=f"Cell {n:03}")
    first, last = html_of(client, "/index/C"), html_of(client, "/index/C?dir=last")
    assert 'rel="next"' in first and "Cell 000" in first and "Cell 204" not in first
    assert "Cell 204" in last and 'rel="prev"' in last and "Cell 000" not in last


def test_an_unknown_index_letter_is_a_404(client, db):
    html_of(client, "/index/AB", status=404)


def test_a_category_page_lists_its_articles_and_subcategories(client, make_article):
    parent = Category.objects.create(name="Health topics")
    Category.objects.create(name="Neurology", parent=parent)
    make_article(categories=["Health topics"])
    html = html_of(client, "/category/Health_topics")
    assert "Category: Health topics" in html
    assert "Subcategories" in html and 'href="/category/Neurology"' in html
    assert 'href="/wiki/Sample_condition"' in html
    child = html_of(client, "/category/Neurology")
    assert 'Part of <a href="/category/Health_topics">' in child
    assert "No articles in this category yet." in child


def test_category_names_with_spaces_or_underscores_are_the_same(client, make_article):
    make_article(categories=["Disease Index"])
    assert "Sample condition" in html_of(client, "/category/Disease Index")
    html_of(client, "/category/No_such_category", status=404)


def test_random_article_redirects_to_an_article_without_ordering_the_table(client, make_article):
    titles = {"Alpha", "Beta", "Gamma"}
    for title in titles:
        make_article(title=title, source="Text.\n")
    seen = set()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(30):
            response = client.get("/random")
            assert response.status_code == 302 and response["Cache-Control"] == "no-store"
            seen.add(response["Location"].removeprefix("/wiki/"))
    assert seen <= titles and len(seen) >= 2
    sql = " ".join(q["sql"].upper() for q in queries.captured_queries)
    assert "RANDOM()" not in sql and "RAND()" not in sql


def test_random_article_on_an_empty_wiki_goes_to_the_main_page(client, db):
    response = client.get("/random")
    assert response.status_code == 302 and response["Location"] == "/"


def test_site_pages_are_shown_and_admins_can_edit_them(admin_client_, client):
    SitePage.objects.update_or_create(
        slug="disclaimer", defaults={"title": "Medical disclaimer", "body": "Old words."}
    )
    assert "Old words." in html_of(client, "/disclaimer")
    page = SitePage.objects.get(slug="disclaimer")
    response = admin_client_.post(
        f"/admin/encyclopedia/sitepage/{page.pk}/change/",
        {"title": "Medical disclaimer", "slug": "disclaimer", "body": "Ask a **doctor**."},
    )
    assert response.status_code == 302
    assert "Ask a <strong>doctor</strong>." in html_of(client, "/disclaimer")


def test_the_footer_links_to_the_site_pages(client, db):
    html = html_of(client, "/")
    for path in ["/about", "/disclaimer", "/license", "/privacy"]:
        assert f'href="{path}"' in html


def test_a_missing_page_is_a_404_with_the_search_box(client, db):
    html = html_of(client, "/no-such-page", status=404)
    assert "Page not found" in html and 'id="search-404" name="q"' in html
    assert 'action="/search"' in html


def test_admins_pick_the_featured_article_in_the_admin(admin_client_, client, make_article):
    article = make_article()
    response = admin_client_.post(
        "/admin/encyclopedia/featuredarticle/add/",
        {
            "article": article.pk,
            "starts_on": timezone.localdate().isoformat(),
            "blurb": "Chosen.",
        },
    )
    assert response.status_code == 302
    assert "Chosen." in html_of(client, "/")


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def _full(hex_colour: str) -> str:
    """#abc as #aabbcc."""
    digits = hex_colour.lstrip("#")
    return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits))


def theme_colours(css: str) -> dict[str, dict[str, str]]:
    """The theme's colours (static/css/theme.css: `--name: light-dark(#light, #dark)`, or one
    colour for both), per theme."""
    themes = {"light": {}, "dark": {}}
    pair = re.compile(
        r"^\s*--([a-z-]+):\s*light-dark\((#[0-9a-fA-F]{3,6}),\s*(#[0-9a-fA-F]{3,6})\)"
    )
    single = re.compile(r"^\s*--([a-z-]+):\s*(#[0-9a-fA-F]{3,6});")
    for line in css.splitlines():
        if found := pair.match(line):
            themes["light"][found[1]], themes["dark"][found[1]] = map(_full, found.group(2, 3))
        elif (found := single.match(line)) and found[1] not in themes["light"]:
            themes["light"][found[1]] = themes["dark"][found[1]] = _full(found[2])
    return themes


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_text_colours_meet_wcag_aa_contrast(settings, theme):
    css = (settings.BASE_DIR / "static/css/theme.css").read_text()
    colour = theme_colours(css)[theme]
    for text in ["text", "muted", "link", "link-visited", "link-new"]:
        for background in ["bg", "panel"]:
            assert contrast(colour[text], colour[background]) >= 4.5, (text, background)
    for header_background in ["accent", "accent-dark"]:  # the header's and buttons' text
        assert contrast(colour["on-accent"], colour[header_background]) >= 4.5, header_background
