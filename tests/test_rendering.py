"""Markdown becomes sanitized HTML: wiki links work, scripts never reach a browser."""

import pytest

from wiki import rendering
from wiki.models import Category
from wiki.rendering import render_article, render_markdown
from wiki.sources import split_source

from .helpers import BLOCK_SAMPLES, INLINE_SAMPLES, demo_articles

HOSTILE = [
    "<script>alert('x')</script>",
    '<img src="x.png" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">click</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<p onclick="alert(1)" style="background:url(javascript:alert(1))">hi</p>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<object data="evil.swf"></object>',
    "<a href='JaVaScRiPt:alert(1)'>x</a>",
    "<a href='data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='>x</a>",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_markup_is_rendered_harmless(hostile):
    html = render_markdown(f"Intro\n\n{hostile}\n\nOutro").lower()
    for bad in (
        "<script",
        "onerror",
        "onload",
        "onclick",
        "javascript:",
        "<iframe",
        "<svg",
        "<object",
        "data:text",
        "style=",
    ):
        assert bad not in html


def test_wiki_links_become_internal_links():
    html = render_markdown("See [[sleep hygiene]] and [[Migraine|migraines]].")
    assert '<a class="wikilink" href="/wiki/Sleep_hygiene">sleep hygiene</a>' in html
    assert '<a class="wikilink" href="/wiki/Migraine">migraines</a>' in html


def test_category_links_lead_to_the_category_page_wherever_they_stand(client, db):
    html, links = rendering.render_with_links(
        "See [[:Category:Headache disorders]], <i>Main article: [[Category:Pain]]</i>, "
        "*[[category:pain relief|relief]]* and [[:Migraine]], [[:File:Aura scan.png|a scan]].\n"
    )
    assert '<a href="/wiki/File:Aura_scan.png">a scan</a>' in html
    assert '<a class="wikilink" href="/category/Headache_disorders">' in html
    assert ">Category:Headache disorders</a>" in html
    assert (
        '<i>Main article: <a class="wikilink" href="/category/Pain">Category:Pain</a></i>' in html
    )
    assert '<em><a class="wikilink" href="/category/Pain_relief">relief</a></em>' in html
    assert '<a class="wikilink" href="/wiki/Migraine">Migraine</a>' in html
    assert "[[" not in html and "/wiki/:" not in html
    assert links == {"Migraine"}  # a category is no article: never a red link
    Category.objects.create(name="Headache disorders")
    assert "Headache disorders" in client.get("/category/Headache_disorders").content.decode()


def test_every_wiki_link_of_a_huge_paragraph_is_a_link():
    """A paragraph is rendered in pieces of some thousands of characters: a cut at a space
    inside `[[Missing 12#Part|part of it]]` left it showing as typed."""
    source = " ".join(f"[[Missing {i}]] and [[Missing {i}#Part|part of it]]" for i in range(500))
    html = render_markdown(source)
    assert html.count('class="wikilink"') == 1000 and "[[" not in html


def test_external_links_are_marked_and_not_followed():
    html = render_markdown("[NHS](https://www.nhs.uk/)")
    assert 'class="external"' in html and 'rel="nofollow ugc noopener"' in html


def test_tables_and_footnotes_render():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\nText.[^n]\n\n[^n]: Note.")
    assert "<table>" in html and "<td>1</td>" in html
    assert 'class="footnote-ref"' in html and "Note." in html


def test_article_renders_per_section_with_links_and_notes():
    lead, sections = split_source(
        "Lead [[A]].[^1]\n\n## One\n\nBody [[B|bee]].\n\n## Two\n\nMore.\n\n[^1]: A note.\n"
    )
    rendered = render_article(lead, sections)
    assert "Lead" in rendered.lead_html and "<h2" not in rendered.lead_html
    assert [anchor for _, anchor, _ in rendered.sections] == ["One", "Two"]
    assert "bee</a>" in rendered.sections[0][2]
    assert "A note." in rendered.notes_html
    assert rendered.links == {"A", "B"}


def test_a_lead_leaving_an_html_block_open_still_splits_into_its_sections():
    """An unclosed <div> swallows what follows it in one document, so the parts are rendered
    apart: each section keeps its own text and links."""
    lead, sections = split_source(
        "Lead\n\n<div>\n\n## Causes\n\nSee [[Gout]].\n\n## Treatment\n\nRest, [[Rickets]].\n"
    )
    rendered = render_article(lead, sections)
    assert "<h2" not in rendered.lead_html and "Gout" not in rendered.lead_html
    bodies = [body for _, _, body in rendered.sections]
    assert 'href="/wiki/Gout"' in bodies[0] and 'href="/wiki/Rickets"' in bodies[1]
    assert rendered.links == {"Gout", "Rickets"}


def test_links_in_headings_are_links_of_the_article():
    lead, sections = split_source("Lead.\n\n## Living with [[Gout]]\n\nText.\n\n## Diet\n\nMore.\n")
    rendered = render_article(lead, sections)
    assert 'href="/wiki/Gout"' in rendered.sections[0][0]
    assert [anchor for _, anchor, _ in rendered.sections] == ["Living_with_Gout", "Diet"]
    assert rendered.links == {"Gout"}


def test_repeated_headings_get_distinct_anchors():
    lead, sections = split_source("## Notes\nx\n## Notes\ny\n")
    assert [a for _, a, _ in render_article(lead, sections).sections] == ["Notes", "Notes_2"]


def _stock_markdown():
    """Python-Markdown with our extensions and none of our speed-ups."""
    from markdown.treeprocessors import InlineProcessor

    stock = rendering._new_markdown()
    stock.treeprocessors.register(InlineProcessor(stock), "inline", 20)
    stock.parser.blockprocessors.deregister("plain")
    return stock


@pytest.mark.parametrize(
    "text", INLINE_SAMPLES + BLOCK_SAMPLES + [p.read_text() for p in demo_articles()]
)
def test_markdown_renders_exactly_as_python_markdown_renders_it(text):
    """The inline pass skips patterns whose trigger characters are absent, and a block of
    lines that all start with a letter goes straight to the paragraph processor; the HTML
    and the links found must be what Python-Markdown itself makes."""
    ours, stock = rendering._new_markdown(), _stock_markdown()
    assert type(ours.treeprocessors["inline"]) is rendering.TriggeredInlinePass
    assert "plain" in ours.parser.blockprocessors
    assert ours.convert(text) == stock.convert(text)
    assert ours.wikilinks == stock.wikilinks


def test_the_paragraph_fast_path_takes_only_paragraphs():
    processor = rendering._new_markdown().parser.blockprocessors["plain"]
    assert processor.test(None, "Plain text\nÜber more\nand more")
    for block in ["Title\n===", "Text\n- item", "a | b\n--- | ---", "Text\n: def", " lead"]:
        assert not processor.test(None, block)


def test_internal_links_follow_the_script_prefix():
    from django.urls import get_script_prefix, set_script_prefix

    before = get_script_prefix()
    try:
        set_script_prefix("/encyclopedia/")
        assert 'href="/encyclopedia/wiki/Gout"' in rendering.render_markdown("[[Gout]]")
    finally:
        set_script_prefix(before)
    assert f'href="{before}wiki/Gout"' in rendering.render_markdown("[[Gout]]")
