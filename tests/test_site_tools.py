"""The page tools on each article: permanent link, page information, cite, printable version."""

import datetime as dt
import re

from django.utils import timezone

from wiki.models import Article

from .conftest import SAMPLE_SOURCE, save


def text_of(html):
    """The page as a reader sees it: tags gone, spaces as the browser would collapse them."""
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\( ", "(", re.sub(r" ([,.)])", r"\1", text))


def html_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_the_article_has_a_tools_box_with_every_tool(client, make_article):
    article = make_article()
    html = html_of(client, "/wiki/Sample_condition")
    tools = html[html.index('class="page-tools"') : html.index("</aside>")]
    assert 'href="/wiki/Sample_condition/links">What links here' in tools
    assert f'href="/wiki/Sample_condition/revision/{article.latest_revision_id}"' in tools
    assert 'href="/wiki/Sample_condition/info">Page information' in tools
    assert 'href="/wiki/Sample_condition/cite">Cite this page' in tools
    assert 'href="/wiki/Sample_condition?printable=yes"' in tools


def test_the_permanent_link_follows_the_latest_revision_and_keeps_the_old_text(
    client, make_article, editor
):
    article = make_article(user=editor)
    first = article.latest_revision_id
    second = save(article, editor, SAMPLE_SOURCE.replace("Rest helps.", "Sleep helps.")).revision
    html = html_of(client, "/wiki/Sample_condition")
    assert f'/wiki/Sample_condition/revision/{second.pk}"' in html
    old = html_of(client, f"/wiki/Sample_condition/revision/{first}")
    assert "Rest helps." in old and "Sleep helps." not in old


def test_page_information_counts_edits_contributors_size_and_links(
    client, make_article, editor, other_editor
):
    article = make_article(user=editor, categories=["Neurology"])
    save(article, other_editor, SAMPLE_SOURCE + "\nMore text.\n")
    save(article, editor, SAMPLE_SOURCE + "\nEven more text.\n")
    make_article(title="Other condition", source="Back to [[Sample condition]].\n")
    article.refresh_from_db()
    text = text_of(html_of(client, "/wiki/Sample_condition/info"))
    assert "Created by Edna Marsh, on" in text
    assert "Last edited by Edna Marsh, on" in text
    assert "Number of edits 3 (history)" in text
    assert "Distinct editors 2" in text and "Credited contributors 2" in text
    assert f"Size {article.size} bytes" in text
    assert "Categories Neurology" in text
    assert "Links to this article 1 (what links here)" in text
    assert "Links from this article 1" in text


def test_page_information_shows_outgoing_links_red_or_blue(client, make_article):
    make_article(source="See [[Exists]] and [[Missing page]].\n")
    make_article(title="Exists", source="Here.\n")
    html = html_of(client, "/wiki/Sample_condition/info")
    assert '<a href="/wiki/Exists">Exists</a>' in html
    assert '<a class="new" href="/wiki/Missing_page/edit"' in html and ">Missing page</a>" in html


def test_page_information_of_a_missing_article_is_a_404(client, db):
    html_of(client, "/wiki/Nothing_here/info", status=404)


def test_cite_this_page_gives_ama_and_apa_with_the_permanent_link_and_dates(
    client, make_article, editor
):
    article = make_article(user=editor)
    edited = dt.datetime(2025, 3, 4, 10, 30, tzinfo=dt.UTC)
    from wiki.models import Revision

    Revision.objects.filter(pk=article.latest_revision_id).update(created_at=edited)
    today = timezone.localdate()
    accessed = f"{today:%B} {today.day}, {today.year}"
    link = f"http://testserver/wiki/Sample_condition/revision/{article.latest_revision_id}"
    text = text_of(html_of(client, "/wiki/Sample_condition/cite"))
    assert (
        f"Sample condition. WellnessWiki. Updated March 4, 2025. Accessed {accessed}. {link}"
        in text
    )
    assert (
        f"Sample condition. (2025, March 4). In WellnessWiki. Retrieved {accessed}, from {link}"
        in text
    )
    assert f"Permanent link {link}" in text


def test_cite_this_page_of_a_missing_article_is_a_404(client, db):
    html_of(client, "/wiki/Nothing_here/cite", status=404)


def test_the_printable_version_uses_the_print_stylesheet_on_screen(client, make_article):
    make_article()
    printable = html_of(client, "/wiki/Sample_condition?printable=yes")
    assert 'href="/static/css/print.css" media="all"' in printable
    assert "Sample condition is a made-up disorder" in printable
    normal = html_of(client, "/wiki/Sample_condition")
    assert 'href="/static/css/print.css" media="print"' in normal


def test_the_print_stylesheet_drops_navigation_tools_and_edit_links(settings):
    css = (settings.BASE_DIR / "static/css/print.css").read_text()
    hidden = css[: css.index("display: none")]
    for selector in [
        ".site-header",
        ".portal-nav",
        ".tabs",
        ".editsection",
        ".page-tools",
        ".search-box",
    ]:
        assert selector in hidden


def test_tools_use_canonical_titles(client, make_article):
    make_article()
    for tool in ["info", "cite"]:
        response = client.get(f"/wiki/sample_condition/{tool}")
        assert response["Location"] == f"/wiki/Sample_condition/{tool}"


def test_a_title_ending_in_a_tool_name_is_refused(client, db):
    assert Article.objects.count() == 0
    assert client.get("/wiki/Foo/info").status_code == 404
