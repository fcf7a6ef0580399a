"""Raw HTML in an article follows the same rules as Markdown: links to other sites are not
endorsed, content cannot take the page's ids or borrow its styles, remote images stay away."""

from html.parser import HTMLParser

import pytest

from wiki.rendering import render_article, render_markdown
from wiki.sources import split_source


def elements(html, tag):
    """The attributes of every `tag` element a browser would build from the HTML."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, name, attrs):
            if name == tag:
                found.append(dict(attrs))

    Collector().feed(html)
    return found


@pytest.mark.parametrize(
    "source",
    [
        '<a href="https://spam.example/" rel="follow me">cheap pills</a>',
        '<a rel="follow" href="http://spam.example/" class="wikilink">cheap pills</a>',
        "[cheap pills](https://spam.example/)",
        '<a href="//spam.example/">cheap pills</a>',
    ],
)
def test_links_to_other_sites_are_not_endorsed_whoever_wrote_them(source):
    (link,) = elements(render_markdown(source), "a")
    assert link["rel"] == "nofollow ugc noopener"
    assert link["class"] == "external"


def test_internal_links_keep_no_author_rel_and_no_borrowed_classes():
    html = render_markdown(
        '<a href="/wiki/Gout" rel="me" class="new external">Gout</a> and [[Rickets]]'
    )
    gout, rickets = elements(html, "a")
    assert "rel" not in gout and "class" not in gout
    assert rickets == {"class": "wikilink", "href": "/wiki/Rickets"}


def test_content_cannot_take_the_page_ids():
    html = render_markdown('<h2 id="content">Hi</h2>\n\n<sup id="search-q">1</sup>')
    ids = [el["id"] for tag in ("h2", "sup") for el in elements(html, tag)]
    assert ids == ["user-content-content", "user-content-search-q"]


def test_a_link_to_an_id_in_the_content_still_lands_on_it():
    """Section headings get their ids from the page template, unprefixed: links to them stay."""
    html = render_markdown(
        '<h3 id="dosage">Dosage</h3>\n\nSee [the dosage](#dosage) and [causes](#Causes).'
    )
    (heading,) = elements(html, "h3")
    dosage, causes = elements(html, "a")
    assert dosage["href"] == "#" + heading["id"] == "#user-content-dosage"
    assert causes["href"] == "#Causes"


def test_footnotes_still_link_to_their_notes_and_back():
    lead, sections = split_source("Lead.[^1]\n\n## Causes\n\nMore.[^2]\n\n[^1]: One.\n[^2]: Two.\n")
    rendered = render_article(lead, sections)
    html = rendered.lead_html + rendered.sections[0][2] + rendered.notes_html
    ids = {el["id"] for tag in ("sup", "li") for el in elements(html, tag)}
    fragments = {a["href"][1:] for a in elements(html, "a") if a["href"].startswith("#")}
    assert len(ids) == 4 and fragments == ids
    assert all(i.startswith("user-content-") for i in ids)


def test_classes_of_the_site_cannot_be_borrowed():
    html = render_markdown(
        '<div class="site-header footnote">x</div>\n\n<code class="skip-link">y</code>'
        '\n\n<a class="new" href="/wiki/A">red?</a>\n\n```python\nx = 1\n```'
    )
    assert [el.get("class") for el in elements(html, "code")] == [None, "language-python"]
    assert "class" not in elements(html, "a")[0]
    assert "site-header" not in html and "skip-link" not in html


@pytest.mark.parametrize(
    "source",
    [
        '<img src="http://tracker.example/pixel.gif" alt="">',
        '<img src="https://tracker.example/pixel.gif" alt="">',
        "![chart](https://images.example/chart.png)",
        '<img src="//tracker.example/p.gif">',
    ],
)
def test_remote_images_are_not_loaded_by_default(source):
    html = render_markdown(source)
    assert elements(html, "img") == []
    (link,) = elements(html, "a")
    assert "example/" in link["href"] and link["rel"] == "nofollow ugc noopener"


def test_remote_images_over_https_can_be_allowed(settings):
    settings.WIKI_ALLOW_REMOTE_IMAGES = True
    html = render_markdown("![chart](https://images.example/chart.png)")
    assert elements(html, "img") == [{"src": "https://images.example/chart.png", "alt": "chart"}]
    assert elements(render_markdown('<img src="http://tracker.example/p.gif">'), "img") == []


def test_local_images_stay_and_only_sensible_sizes_are_kept():
    html = render_markdown(
        '<img src="/media/uploads/a.png" width="99999" height="120" alt="Rash">'
        '<img src="/media/uploads/b.png" width="300" height="-5">'
    )
    assert elements(html, "img") == [
        {"src": "/media/uploads/a.png", "height": "120", "alt": "Rash"},
        {"src": "/media/uploads/b.png", "width": "300"},
    ]
    html = render_markdown("[[Gout]], ![x](/media/uploads/x.png), [a](/wiki/A), <b>bold</b>")
    assert html == (
        '<p><a class="wikilink" href="/wiki/Gout">Gout</a>, <img alt="x" src="/media/uploads/'
        'x.png">, <a href="/wiki/A">a</a>, <b>bold</b></p>'
    )
