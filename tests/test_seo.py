"""Search engines and link previews: sitemap, robots.txt, canonical, OpenGraph, JSON-LD."""

import json
import re
import xml.etree.ElementTree as ET
from html import unescape

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from encyclopedia.models import SitePage
from encyclopedia.sitemaps import ArticleSitemap
from tests.helpers import json_ld, sitemap_text
from wiki.models import Article, Category, Contributor, Portal

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def xml_of(response):
    assert response.status_code == 200, response.status_code
    return ET.fromstring(response.content)


def test_the_sitemap_lists_every_article_with_its_last_change(client, make_article):
    make_article()
    make_article(title="Other condition", source="Second.\n")
    index = xml_of(client.get("/sitemap.xml"))
    sections = [loc.text for loc in index.iter(f"{SM}loc")]
    assert "http://testserver/sitemap-articles.xml" in sections
    urls = re.findall(r"<url>(.*?)</url>", sitemap_text(client))  # every file of the section
    assert [re.search(r"<loc>(.*?)</loc>", url).group(1) for url in urls] == [
        "http://testserver/wiki/Sample_condition",
        "http://testserver/wiki/Other_condition",
    ]
    assert all("<lastmod>" in url for url in urls)


def test_a_sitemap_file_says_each_day_of_change_in_utc_and_when_its_newest_was_made(
    client, make_article
):
    """<lastmod> is the UTC day of the article's last change (read from the database as a
    day, for speed); the file's Last-Modified is the newest change to the second, so a
    crawler's If-Modified-Since is never fooled by two changes on one day."""
    from datetime import UTC, datetime

    late = make_article(title="Late", source="Text.\n")
    early = make_article(title="Early", source="Text.\n")
    Article.objects.filter(pk=late.pk).update(
        updated_at=datetime(2026, 3, 1, 23, 59, 59, 900_000, tzinfo=UTC)
    )
    Article.objects.filter(pk=early.pk).update(
        updated_at=datetime(2026, 3, 2, 0, 0, 1, 100_000, tzinfo=UTC)
    )
    response = client.get("/sitemap-articles.xml")
    text = response.content.decode()
    assert "/wiki/Late</loc><lastmod>2026-03-01</lastmod></url>" in text
    assert "/wiki/Early</loc><lastmod>2026-03-02</lastmod></url>" in text
    assert response["Last-Modified"] == "Mon, 02 Mar 2026 00:00:01 GMT"


def test_the_sitemap_leaves_out_redirect_pages(client, make_article):
    target = make_article()
    alias = make_article(title="Sample disorder", source="Alias.\n")
    Article.objects.filter(pk=alias.pk).update(redirect_to=target)
    text = sitemap_text(client)
    assert "/wiki/Sample_condition" in text and "Sample_disorder" not in text


def test_a_large_site_gets_a_sitemap_in_files_of_at_most_limit_urls(
    client, make_article, monkeypatch
):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    for n in range(5):
        make_article(title=f"Article {n}", source="Text.\n")
    sections = [loc.text for loc in xml_of(client.get("/sitemap.xml")).iter(f"{SM}loc")]
    files = [s.removeprefix("http://testserver") for s in sections if "articles" in s]
    assert len(files) >= 3
    listed = []
    for path in files:
        urls = [u.find(f"{SM}loc").text for u in xml_of(client.get(path)).iter(f"{SM}url")]
        assert 1 <= len(urls) <= 2, path
        listed += urls
    assert sorted(listed) == [f"http://testserver/wiki/Article_{n}" for n in range(5)]
    last = max(int(path.partition("?p=")[2] or 1) for path in files)
    assert client.get(f"/sitemap-articles.xml?p={last + 1}").status_code == 404


def test_the_sitemap_lists_the_main_page_portals_categories_and_site_pages(client, make_article):
    make_article(categories=["Disease Index"])
    Portal.objects.create(name="Drugs", slug="drugs")
    SitePage.objects.update_or_create(
        slug="about", defaults={"title": "About", "body": "About us."}
    )
    site = client.get("/sitemap-site.xml").content.decode()
    for path in ["http://testserver/<", "/portal/drugs", "/about"]:
        assert path in site
    assert "/category/Disease_Index" in client.get("/sitemap-categories.xml").content.decode()


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_tools(client, db):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /wiki/*/edit" in text
    assert "Disallow: /wiki/\n" not in text


@override_settings(SITE_NAME="TestPedia")
def test_an_article_has_canonical_opengraph_and_twitter_tags(client, make_article):
    make_article()
    html = client.get("/wiki/sample_condition", follow=True).content.decode()
    assert '<link rel="canonical" href="http://testserver/wiki/Sample_condition">' in html
    assert '<meta property="og:title" content="Sample condition">' in html
    assert '<meta property="og:url" content="http://testserver/wiki/Sample_condition">' in html
    assert '<meta property="og:site_name" content="TestPedia">' in html
    assert '<meta property="og:type" content="article">' in html
    assert (
        '<meta property="og:description" content="Sample condition is a made-up disorder '
        'used in tests. It is related to Other condition.">'
    ) in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert '<meta name="description" content="Sample condition is a made-up' in html


def test_an_article_with_an_image_gets_a_large_card(client, make_article):
    make_article(source="Look: ![A rash on an arm](/media/uploads/rash.png)\n")
    html = client.get("/wiki/Sample_condition").content.decode()
    assert '<meta property="og:image" content="http://testserver/media/uploads/rash.png">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


@override_settings(SITE_NAME="TestPedia")
def test_json_ld_describes_a_medical_web_page_with_its_authors(client, make_article, editor):
    article = make_article(user=editor, categories=["Neurology"])
    Contributor.objects.filter(user=editor).update(credentials="MD")
    data = json_ld(client.get("/wiki/Sample_condition").content.decode())
    assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalWebPage"
    assert data["name"] == "Sample condition"
    assert data["url"] == "http://testserver/wiki/Sample_condition"
    article.refresh_from_db()
    assert data["dateModified"] == article.updated_at.isoformat()
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Edna Marsh",
            "honorificSuffix": "MD",
            "url": "http://testserver/contributor/Edna_Marsh",
        }
    ]
    assert data["publisher"]["name"] == "TestPedia"
    assert "about" not in data  # not in the Disease Index


def test_json_ld_says_a_disease_index_article_is_about_a_medical_condition(client, make_article):
    make_article(categories=["Disease Index"])
    data = json_ld(client.get("/wiki/Sample_condition").content.decode())
    assert data["about"] == {
        "@type": "MedicalCondition",
        "name": "Sample condition",
        "url": "http://testserver/wiki/Sample_condition",
    }


def test_json_ld_cannot_be_broken_out_of_by_article_text(client, make_article, editor):
    make_article(
        title="Rock & roll",
        user=editor,
        source="Text with </script><script>alert(1)</script> & <!-- in it.\n",
    )
    Contributor.objects.filter(user=editor).update(name="Eve </script><script>alert(2)//")
    html = client.get("/wiki/Rock_&_roll").content.decode()
    script = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.DOTALL)
    payload = script.group(1)
    assert "<" not in payload and ">" not in payload and "&" not in payload
    data = json.loads(payload)
    assert data["name"] == "Rock & roll"
    assert data["author"][0]["name"] == "Eve </script><script>alert(2)//"
    assert "alert(1)" not in html


def test_descriptions_are_plain_text_escaped_once(client, make_article):
    make_article(source="Doses of 5 < 10 mg & more *matter*.\n")
    html = client.get("/wiki/Sample_condition").content.decode()
    assert '<meta name="description" content="Doses of 5 &lt; 10 mg &amp; more matter.">' in html
    assert json_ld(html)["description"] == "Doses of 5 < 10 mg & more matter."


def test_the_main_page_describes_the_site_and_its_search(client, db):
    html = client.get("/").content.decode()
    data = json_ld(html)
    assert data["@type"] == "WebSite"
    assert data["potentialAction"]["target"]["urlTemplate"] == (
        "http://testserver/search?q={search_term_string}"
    )
    assert '<link rel="canonical" href="http://testserver/">' in html


def test_tool_pages_and_old_revisions_are_not_indexed(client, make_article):
    article = make_article()
    for url in [
        "/wiki/Sample_condition/links",
        "/wiki/Sample_condition/info",
        "/wiki/Sample_condition/cite",
        "/wiki/Sample_condition?printable=yes",
        f"/wiki/Sample_condition/revision/{article.latest_revision_id}",
    ]:
        assert '<meta name="robots" content="noindex">' in client.get(url).content.decode(), url
    assert 'content="noindex"' not in client.get("/wiki/Sample_condition").content.decode()


def test_the_favicon_is_found_where_browsers_look(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/img/favicon.svg"
    assert 'rel="icon" href="/static/img/favicon.svg"' in client.get("/").content.decode()


def test_unknown_sitemap_sections_and_pages_are_404s(client, make_article):
    make_article()
    for url in [
        "/sitemap-nothing.xml",
        "/sitemap-articles.xml?p=abc",
        "/sitemap-articles.xml?p=99999999999999999999",
    ]:
        assert client.get(url).status_code == 404, url


def robots_blocks(robots_txt: str, url: str) -> bool:
    """Whether a crawler reading "*" as any characters and a final "$" as the URL's end (as
    Google and Bing document) keeps out of `url` (path and query)."""
    for line in robots_txt.splitlines():
        field, _, value = line.partition(":")
        if field.strip().lower() != "disallow" or not value.strip():
            continue
        pattern = value.strip()
        anchored = pattern.endswith("$")
        regex = ".*".join(re.escape(part) for part in pattern.rstrip("$").split("*"))
        if re.match(regex + ("$" if anchored else ""), url):
            return True
    return False


def test_robots_txt_keeps_crawlers_out_of_the_tools_but_not_out_of_titles_like_them(
    client, make_article
):
    robots = client.get("/robots.txt").content.decode()
    tools = [
        "/wiki/Drugs/edit",
        "/wiki/Drugs/edit?section=2",
        "/wiki/Drugs/Aspirin/history",
        "/wiki/Drugs/diff?from=1&to=2",
        "/wiki/Drugs/revision/12",
        "/wiki/Drugs/links",
        "/wiki/Drugs/info",
        "/wiki/Drugs/cite",
        "/wiki/Drugs?printable=yes",
        "/search?q=aspirin",
        "/random",
        "/admin/",
    ]
    articles = [
        "/wiki/Drugs/editorial_policy",
        "/wiki/Drugs/history_of_medicine",
        "/wiki/Diffuse_large_B-cell_lymphoma",
        "/wiki/Drugs/diffusion",
        "/wiki/Drugs/links_to_cancer",
        "/wiki/Drugs/information",
        "/wiki/Citation/cite_this",
        "/wiki/Research/revision_surgery",
        "/wiki/Editing",
        "/wiki/Sample_condition",
        "/randomized-trials",
        "/searching-tips",
    ]
    assert [url for url in tools if not robots_blocks(robots, url)] == []
    assert [url for url in articles if robots_blocks(robots, url)] == []


def test_date_modified_is_never_before_date_created(client, make_article, editor):
    make_article(user=editor)
    data = json_ld(client.get("/wiki/Sample_condition").content.decode())
    assert data["dateModified"] >= data["dateCreated"]


def test_an_imported_article_is_dated_from_its_import(client, db):
    from datetime import UTC, datetime

    from wiki.services import ArticleEdit, article_save

    then = datetime(2012, 5, 1, 9, 30, tzinfo=UTC)
    article_save(
        article=Article(title="Old page"),
        edit=ArticleEdit(user=None, text="Written long ago.\n", base_revision=None, at=then),
    )
    data = json_ld(client.get("/wiki/Old_page").content.decode())
    assert data["dateCreated"] == data["dateModified"] == then.isoformat()


def test_the_meta_description_is_cut_between_words_with_an_ellipsis(client, make_article):
    lead = " ".join(["Sarcoidosis inflames granulomatous tissue of many organs"] * 8) + ".\n"
    make_article(source=lead)
    html = client.get("/wiki/Sample_condition").content.decode()
    description = unescape(re.search(r'<meta name="description" content="([^"]*)"', html)[1])
    assert description.endswith("…") and len(description) <= 160
    kept = description.removesuffix("…")
    assert lead.startswith(kept) and lead[len(kept)] == " "
    assert unescape(json_ld(html)["description"]) == description


def test_a_fresh_install_has_every_page_the_footer_links_to(client, transactional_db):
    """Without the demo content: the site pages come from a migration."""
    SitePage.objects.all().delete()
    executor = MigrationExecutor(connection)
    last = executor.loader.graph.leaf_nodes("encyclopedia")
    executor.migrate([("encyclopedia", "0002_site_featured_article")])
    MigrationExecutor(connection).migrate(last)
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer"') :]
    links = set(re.findall(r'href="(/[^"]*)"', footer))
    assert {"/about", "/disclaimer", "/license", "/privacy"} <= links
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert "Not found" not in response.content.decode()


def test_a_category_page_has_a_meta_description(client, make_article):
    # Lighthouse's SEO audit (make bench-lighthouse) asks every indexed page for one.
    Category.objects.create(name="Skin")
    Category.objects.create(name="Eyes", description="Conditions of the eye & its lids.")
    html = client.get("/category/Skin").content.decode()
    assert re.search(r'<meta name="description" content="[^"]*in the category Skin\.">', html)
    html = client.get("/category/Eyes").content.decode()
    assert '<meta name="description" content="Conditions of the eye &amp; its lids.">' in html
