"""A reader sees every element of the WikiMD article anatomy."""

import re
from pathlib import Path

from django.conf import settings
from django.test import override_settings

from wiki.models import Article, Contributor

from .conftest import SAMPLE_SOURCE, save


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@override_settings(SITE_NAME="TestPedia", SITE_SUBTITLE="Health & Wellness Encyclopedia")
def test_article_page_has_the_whole_anatomy(client, make_article, editor):
    make_article(user=editor, categories=["Disease Index", "Neurology"])
    Contributor.objects.filter(user=editor).update(credentials="MD")
    response = client.get("/wiki/Sample_condition")
    html, text = response.content.decode(), text_of(response)
    assert response.status_code == 200
    assert 'class="site-name"' in html and 'role="search"' in html  # header + search box
    assert '<h1 class="article-title">Sample condition</h1>' in html
    assert "From TestPedia's Health &amp; Wellness Encyclopedia" in html
    for tab, url in [
        ("Article", "/wiki/Sample_condition"),
        ("Edit", "/wiki/Sample_condition/edit"),
        ("History", "/wiki/Sample_condition/history"),
    ]:
        assert f'href="{url}"' in html and tab in text
    assert "Sample condition is a made-up disorder" in text  # the lead
    assert 'class="toc"' in html and "1 Symptoms" in text  # four sections: a contents box
    # MediaWiki's pair: "edit" the section visually, "edit source" its Markdown.
    assert 'href="/wiki/Sample_condition/edit?section=2&amp;mode=visual"' in html
    assert 'href="/wiki/Sample_condition/edit?section=2&amp;mode=source"' in html
    assert "[ edit | edit source ]" in text
    assert "See also" in text and "Categories: Disease Index | Neurology" in text
    assert "Last edited on" in text
    assert "Contributors: Edna Marsh, MD" in text
    assert (
        "TestPedia is not a substitute for professional medical advice. See full disclaimer."
        in text
    )
    assert 'href="/disclaimer"' in html
    assert "CC BY-SA" in text


def test_no_contents_box_below_three_sections(client, make_article):
    make_article(source="Lead.\n\n## One\n\nx\n\n## Two\n\ny\n")
    assert 'class="toc"' not in client.get("/wiki/Sample_condition").content.decode()


def test_links_to_missing_articles_are_red_and_turn_blue_when_created(client, make_article):
    make_article()
    html = client.get("/wiki/Sample_condition").content.decode()
    assert 'class="wikilink new" href="/wiki/Other_condition/edit"' in html
    make_article(title="Other condition", source="Exists now.\n")
    html = client.get("/wiki/Sample_condition").content.decode()
    assert 'class="wikilink" href="/wiki/Other_condition"' in html and "wikilink new" not in html


def test_title_lookup_ignores_first_letter_case_and_underscores(client, make_article):
    make_article()
    response = client.get("/wiki/sample_condition")
    assert response.status_code == 301 and response["Location"] == "/wiki/Sample_condition"
    assert client.get("/wiki/Sample%20condition").status_code == 301


def test_a_missing_article_is_a_404_page_with_search(client, db):
    response = client.get("/wiki/No_such_thing")
    assert response.status_code == 404
    assert "does not have an article with this exact title" in response.content.decode()


def test_a_redirect_article_sends_readers_to_its_target(client, make_article):
    target = make_article()
    alias = make_article(title="Sample disorder", source="See the other.\n")
    Article.objects.filter(pk=alias.pk).update(redirect_to=target)
    response = client.get("/wiki/Sample_disorder", follow=True)
    assert response.redirect_chain[-1][0].startswith("/wiki/Sample_condition")
    assert "Redirected from" in response.content.decode()


def test_stored_html_is_what_readers_get_after_an_edit(client, make_article, editor):
    article = make_article(user=editor)
    save(article, editor, SAMPLE_SOURCE.replace("Rest helps.", "Rest **really** helps."))
    assert "<strong>really</strong>" in client.get("/wiki/Sample_condition").content.decode()


def test_the_page_is_sanitized(client, make_article):
    make_article(source="Hi <script>alert(1)</script><img src=x onerror=alert(2)>\n")
    html = client.get("/wiki/Sample_condition").content.decode()
    assert "alert(1)" not in html and "onerror" not in html


def test_main_page_lists_portals_from_the_admin(client, db):
    from wiki.models import Portal

    Portal.objects.create(name="Mindfulness", slug="mindfulness", position=1)
    html = client.get("/").content.decode()
    assert 'href="/portal/mindfulness">Mindfulness</a>' in html


def test_the_scripts_an_article_page_loads_stay_under_30_kb_compressed(
    client, make_article, settings
):
    """Issue 36's budget: every script the page names, as gzip -9 sends it, under 30 KB."""
    import gzip

    make_article()
    html = client.get("/wiki/Sample_condition").content.decode()
    sources = re.findall(r'<script[^>]* src="/static/([^"?]+)', html)
    assert "js/layout.js" in sources and "js/sections.js" in sources
    total = sum(
        len(gzip.compress((settings.BASE_DIR / "static" / path).read_bytes(), 9))
        for path in sources
    )
    assert total < 30 * 1024, f"{total} bytes for {sources}"


def test_the_article_page_works_without_javascript(client, make_article):
    """Sections, the contents and the Tools are in the HTML, open or as <details> menus; the
    parts that need a script (the top bar, the wide switch) start hidden."""
    make_article()
    html = client.get("/wiki/Sample_condition").content.decode()
    assert '<details class="toc__details" open>' in html
    assert '<details class="menu page-tools">' in html
    assert re.search(r'<nav class="sticky-header"[^>]* hidden>', html)
    # The wide switch: in the HTML, shown by the stylesheet only once the head script has
    # marked the page `js` (so it takes its place before the first paint).
    assert '<button type="button" class="width-switch"' in html
    css = (Path(settings.BASE_DIR) / "static" / "css" / "layout.css").read_text()
    assert re.search(r"^\.width-switch \{ display: none;", css, re.MULTILINE)
    assert ".js .width-switch { display: inline-block; }" in css
    assert "hidden" not in re.search(r'<section class="article-section[^>]*>', html).group(0)
