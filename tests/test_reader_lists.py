"""Lists for readers show articles: no talk pages, no redirects (working or broken). The admin
lists everything, with filters for kind and redirects."""

import re

import pytest

from tests.helpers import sitemap_text
from wiki.models import Article, Category
from wiki.services import ArticleEdit, article_save


def make_page(title, text, editor, categories=None):
    return article_save(
        article=Article(title=title),
        edit=ArticleEdit(text=text, base_revision=None, user=editor, categories=categories),
    ).article


@pytest.fixture
def pages(editor):
    """An article, its talk page, a redirect to it and a redirect to a missing page, all in the
    same category and all edited after the article."""
    article = make_page("Tinnitus", "A ringing in the ears.\n", editor, ["Ear"])
    make_page("Talk:Tinnitus", "## Sources\n\nNeeds one. ~~~~\n", editor, ["Ear"])
    make_page("Tinnitis", "#REDIRECT [[Tinnitus]]\n", editor, ["Ear"])
    make_page("Tinnitus aurium", "#redirect [[No such tinnitus page]]\n", editor, ["Ear"])
    return article


def listed(html: str) -> set[str]:
    return set(re.findall(r'<a href="/wiki/([^"#?]+)"', html))


NOT_ARTICLES = {"Talk:Tinnitus", "Tinnitis", "Tinnitus_aurium"}


def test_recently_updated_on_the_main_page_lists_articles_only(client, pages):
    html = client.get("/").content.decode()
    recent = html.split('id="recent-title"', 1)[1].split("</section>", 1)[0]
    assert "Tinnitus" in listed(recent)
    assert not listed(recent) & NOT_ARTICLES


def test_the_index_lists_articles_only(client, pages):
    found = listed(client.get("/index/T").content.decode())
    assert "Tinnitus" in found
    assert not found & NOT_ARTICLES


def test_a_category_page_lists_articles_only(client, pages):
    assert Category.objects.get(name="Ear").articles.count() == 4
    found = listed(client.get("/category/Ear").content.decode())
    assert "Tinnitus" in found
    assert not found & NOT_ARTICLES


def test_random_article_never_lands_on_a_talk_page_or_a_redirect(client, pages):
    seen = {client.get("/random")["Location"].removeprefix("/wiki/") for _ in range(40)}
    assert seen == {"Tinnitus"}


def admin_titles(client, **params) -> set[str]:
    html = client.get("/admin/wiki/article/", params).content.decode()
    return set(re.findall(r'<th class="field-title"><a href="[^"]*">([^<]*)</a>', html))


def test_the_admin_filters_articles_by_kind_and_by_redirect(admin_client_, pages):
    everything = {"Tinnitus", "Talk:Tinnitus", "Tinnitis", "Tinnitus aurium"}
    assert admin_titles(admin_client_) == everything
    assert admin_titles(admin_client_, kind="talk") == {"Talk:Tinnitus"}
    assert admin_titles(admin_client_, kind="article") == everything - {"Talk:Tinnitus"}
    assert admin_titles(admin_client_, redirect="yes") == {"Tinnitis", "Tinnitus aurium"}
    assert admin_titles(admin_client_, redirect="no", kind="article") == {"Tinnitus"}
    html = admin_client_.get("/admin/wiki/article/").content.decode()
    assert "By kind" in html and "By redirect" in html


def test_the_sitemap_lists_articles_only(client, pages):
    xml = sitemap_text(client)
    assert "/wiki/Tinnitus</loc>" in xml
    assert not {loc for loc in re.findall(r"/wiki/([^<]+)</loc>", xml)} & NOT_ARTICLES
