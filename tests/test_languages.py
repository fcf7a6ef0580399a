"""Content in languages (wiki/languages.py, wiki/translations.py): titles per language, links,
redirects, categories and lists within a language, translation groups (the language menu,
hreflang, JSON-LD) kept right by moves, deletions and merges, and caches keyed by language."""

import json
import re
from io import StringIO
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.management import call_command
from django.utils import translation

from wiki.caching import invalidate_articles
from wiki.editorial.deletion import page_delete
from wiki.editorial.moves import article_move
from wiki.editorial.revision_hiding import VisibilityChange, revisions_visibility_change
from wiki.models import Article, Category, Revision, TranslationGroup
from wiki.services import ArticleEdit, article_save
from wiki.translations import TranslationRefused, translation_link

ENGLISH = "Migraine is a headache disorder. See [[Headache]] and [[Aura]].\n"
SPANISH = "La migraña es un trastorno de cefalea. Véase [[Cefalea]] y [[Headache]].\n"


def write(title, text, language="en", user=None, categories=None):
    article = Article.objects.by_title(title, language).first() or Article(
        title=title, language=language
    )
    edit = ArticleEdit(
        text=text,
        base_revision=article.latest_revision_id,
        user=user,
        summary="test",
        categories=categories,
    )
    return article_save(article=article, edit=edit).article


def json_ld(html: str) -> dict:
    return json.loads(
        re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html).group(1)
    )


@pytest.fixture
def pages(db):
    """Migraine (en) and Migraña (es), linked; Headache (en) and Cefalea (es)."""
    english = write("Migraine", ENGLISH)
    write("Headache", "Headache is pain in the head.\n")
    spanish = write("Migraña", SPANISH, "es", categories=["Neurología"])
    write("Cefalea", "La cefalea es dolor de cabeza.\n", "es")
    translation_link(english, spanish)
    return english, spanish


def test_the_same_title_in_two_languages_is_two_articles(client, db):
    english = write("Migraine", ENGLISH)
    french_word = write("Migraine", "Una página española titulada Migraine.\n", "es")
    assert english.pk != french_word.pk and english.slug == french_word.slug
    assert "headache disorder" in client.get("/wiki/Migraine").content.decode()
    spanish = client.get("/es/wiki/Migraine").content.decode()
    assert "página española" in spanish and "headache disorder" not in spanish
    assert client.get("/ar/wiki/Migraine").status_code == 404


def test_a_spanish_article_links_within_spanish(client, pages):
    english, spanish = pages
    assert spanish.get_absolute_url() == "/es/wiki/Migra%C3%B1a"
    assert english.get_absolute_url() == "/wiki/Migraine"
    html = client.get("/es/wiki/Migra%C3%B1a").content.decode()
    assert '<article class="article article--sections" lang="es">' in html
    assert 'class="wikilink" href="/es/wiki/Cefalea"' in html  # a Spanish article: blue
    # "Headache" is English only: red, and its creation is a Spanish article.
    assert 'class="wikilink new" href="/es/wiki/Headache/edit"' in html
    english_html = client.get("/wiki/Migraine").content.decode()
    assert 'class="wikilink" href="/wiki/Headache"' in english_html
    assert 'class="wikilink new" href="/wiki/Aura/edit"' in english_html
    # What links here: the linkers of the title in its own language only.
    spanish_links = client.get("/es/wiki/Headache/links").content.decode()
    assert 'href="/es/wiki/Migra%C3%B1a"' in spanish_links
    assert 'href="/wiki/Migraine"' not in spanish_links
    english_links = client.get("/wiki/Headache/links").content.decode()
    assert 'href="/wiki/Migraine"' in english_links
    assert "/es/wiki/Migra%C3%B1a" not in english_links


def test_redirects_and_categories_resolve_within_the_language(client, pages):
    write("Jaqueca", "#REDIRECT [[Migraña]]\n", "es")
    jaqueca = Article.objects.by_title("Jaqueca", "es").get()
    assert jaqueca.redirect_to.language == "es" and jaqueca.redirect_to.title == "Migraña"
    answer = client.get("/es/wiki/Jaqueca")
    assert answer.status_code == 301 and answer["Location"].startswith("/es/wiki/Migra%C3%B1a")
    assert Category.objects.get(name="Neurología").language == "es"
    assert "Migraña" in client.get("/es/category/Neurolog%C3%ADa").content.decode()
    assert client.get("/category/Neurolog%C3%ADa").status_code == 404
    # The same category name in English is another category.
    write("Headache", "Headache is pain.\n", categories=["Neurología"])
    assert Category.objects.filter(name="Neurología").count() == 2


def test_lists_are_of_the_readers_language(client, pages):
    spanish_index = client.get("/es/index/M").content.decode()
    assert "Migraña" in spanish_index and ">Migraine<" not in spanish_index
    assert ">Migraine<" in client.get("/index/M").content.decode()
    recent = client.get("/es/recent-changes").content.decode()
    assert "Cefalea" in recent and "Headache" not in recent
    assert "Headache" in client.get("/recent-changes").content.decode()
    for _ in range(5):
        assert client.get("/es/random")["Location"].startswith("/es/wiki/")
    sitemap = client.get("/es/sitemap-articles.xml").content.decode()
    assert "/es/wiki/Migra%C3%B1a" in sitemap and "/wiki/Migraine<" not in sitemap
    assert "/es/sitemap.xml" in client.get("/robots.txt").content.decode()
    with translation.override("es"):
        assert Article.objects.near_title("cefalea").title == "Cefalea"
        assert Article.objects.near_title("headache") is None


def test_the_language_menu_hreflang_and_json_ld(client, pages):
    english, spanish = pages
    html = client.get("/wiki/Migraine").content.decode()
    assert (
        '<link rel="alternate" hreflang="es" href="http://testserver/es/wiki/Migra%C3%B1a">' in html
    )
    assert '<link rel="alternate" hreflang="en" href="http://testserver/wiki/Migraine">' in html
    assert (
        '<link rel="alternate" hreflang="x-default" href="http://testserver/wiki/Migraine">' in html
    )
    assert '<details class="menu language-menu">' in html
    assert '<a href="/es/wiki/Migra%C3%B1a" lang="es" hreflang="es">Español' in html
    data = json_ld(html)
    assert data["inLanguage"] == "en"
    assert [w["url"] for w in data["workTranslation"]] == ["http://testserver/es/wiki/Migra%C3%B1a"]
    spanish_html = client.get("/es/wiki/Migra%C3%B1a").content.decode()
    data = json_ld(spanish_html)
    assert data["inLanguage"] == "es"
    assert data["translationOfWork"]["url"] == "http://testserver/wiki/Migraine"
    assert (
        '<link rel="alternate" hreflang="x-default" href="http://testserver/wiki/Migraine">'
        in spanish_html
    )
    # Alone, an article has no menu and no alternates.
    headache = client.get("/wiki/Headache").content.decode()
    assert "language-menu" not in headache and "hreflang" not in headache


def test_an_editor_links_and_unlinks_from_the_information_page(client, editor, db):
    write("Migraine", ENGLISH)
    write("Migraña", SPANISH, "es")
    client.force_login(editor)
    answer = client.post(
        "/wiki/Migraine/translations", {"action": "link", "language": "es", "title": "migraña"}
    )
    assert answer.status_code == 302
    info = client.get("/wiki/Migraine/info").content.decode()
    assert 'href="/es/wiki/Migra%C3%B1a"' in info
    assert "Migraine" in client.get("/es/wiki/Migra%C3%B1a").content.decode()
    client.post("/es/wiki/Migra%C3%B1a/translations", {"action": "unlink"})
    assert not TranslationGroup.objects.exists()
    assert "language-menu" not in client.get("/wiki/Migraine").content.decode()
    client.logout()
    refused = client.post("/wiki/Migraine/translations", {"action": "unlink"})
    assert refused.status_code == 302 and "login" in refused["Location"]


def test_an_editor_cannot_link_a_protected_article_of_another_language(client, editor, db):
    """Linking changes both pages' language menus: the editor must be allowed to edit both."""
    write("Migraine", ENGLISH)
    Article.objects.filter(pk=write("Migraña", SPANISH, "es").pk).update(protection="admins")
    client.force_login(editor)
    client.post(
        "/wiki/Migraine/translations", {"action": "link", "language": "es", "title": "Migraña"}
    )
    assert not TranslationGroup.objects.exists()
    assert "You may not edit" in client.get("/wiki/Migraine/info").content.decode()


def test_a_language_has_one_article_in_a_group(pages):
    english, _spanish = pages
    other = write("Jaqueca", "Otra.\n", "es")
    with pytest.raises(TranslationRefused):
        translation_link(english, other)
    with pytest.raises(TranslationRefused):
        translation_link(other, Article.objects.by_title("Cefalea", "es").get())


def test_moving_deleting_and_merging_keep_the_group_right(pages, editor):
    english, spanish = pages
    arabic = write("صداع نصفي", "الصداع النصفي اضطراب.\n", "ar")
    translation_link(arabic, english)
    group = english.translation_group_id
    moved = article_move(article=spanish, new_title="Migraña (enfermedad)", user=editor).article
    assert moved.translation_group_id == group
    left_behind = Article.objects.by_title("Migraña", "es").get()
    assert left_behind.redirect_to_id == moved.pk and left_behind.translation_group_id is None
    # Merged into another Spanish article (it becomes a redirect): the other takes its place.
    target = write("Jaqueca", "La jaqueca, otro nombre.\n", "es")
    write("Migraña (enfermedad)", "#REDIRECT [[Jaqueca]]\n", "es")
    target.refresh_from_db()
    assert target.translation_group_id == group
    assert Article.objects.get(pk=moved.pk).translation_group_id is None
    page_delete(article=Article.objects.get(pk=arabic.pk), user=editor, reason="test")
    assert set(
        Article.objects.filter(translation_group_id=group).values_list("language", flat=True)
    ) == {"en", "es"}
    page_delete(article=target, user=editor, reason="test")
    assert not TranslationGroup.objects.filter(pk=group).exists()  # one left: no group
    english.refresh_from_db()
    assert english.translation_group_id is None


def test_cached_pages_are_kept_per_language(client, db):
    write("Migraine", ENGLISH)
    write("Migraine", "Una página española titulada Migraine.\n", "es")
    assert client.get("/wiki/Migraine")["X-Page-Cache"] == "miss"
    assert client.get("/wiki/Migraine")["X-Page-Cache"] == "hit"
    spanish = client.get("/es/wiki/Migraine")  # same slug: never the English copy
    assert spanish["X-Page-Cache"] == "miss" and "página española" in spanish.content.decode()
    assert spanish["Content-Language"] == "es"
    assert client.get("/es/wiki/Migraine")["X-Page-Cache"] == "hit"
    write("Migraine", "Migraña, cambiada.\n", "es")  # drops the Spanish copy only
    assert "cambiada" in client.get("/es/wiki/Migraine").content.decode()
    assert client.get("/wiki/Migraine")["X-Page-Cache"] == "hit"


def test_hiding_a_spanish_summary_drops_the_spanish_page_not_the_english_one(
    client, administrator, db
):
    """Cached pages are forgotten by (language, slug): the same slug in English stays cached."""
    write("Migraine", ENGLISH)
    spanish = write("Migraine", "Una página española titulada Migraine.\n", "es")
    write("Migraine", "Una página española, otra vez.\n", "es")
    for path in ("/wiki/Migraine", "/es/wiki/Migraine"):
        client.get(path)
        assert client.get(path)["X-Page-Cache"] == "hit"
    first = Revision.objects.filter(article_id=spanish.pk).order_by("pk").first()
    revisions_visibility_change(
        revision_ids=[first.pk],
        user=administrator,
        change=VisibilityChange(text=False, summary=True, author=False, reason="test"),
    )
    assert client.get("/es/wiki/Migraine")["X-Page-Cache"] == "miss"
    assert client.get("/wiki/Migraine")["X-Page-Cache"] == "hit"
    with pytest.raises(TypeError):
        invalidate_articles({"Migraine"})  # a bare slug names no page


def test_the_demo_has_articles_in_spanish_and_arabic_linked_to_english(client, db):
    call_command("load_demo", stdout=StringIO())
    spanish = Article.objects.by_title("Migraña", "es").get()
    arabic = Article.objects.by_title("صداع نصفي", "ar").get()
    english = Article.objects.by_title("Migraine", "en").get()
    assert (
        spanish.translation_group_id == arabic.translation_group_id == english.translation_group_id
    )
    assert Article.objects.by_title("Ibuprofeno", "es").get().translation_group_id
    html = client.get("/es/wiki/Migra%C3%B1a").content.decode()
    assert 'class="wikilink" href="/es/wiki/Ibuprofeno"' in html
    assert 'href="/ar/wiki/%D8%B5%D8%AF%D8%A7%D8%B9_%D9%86%D8%B5%D9%81%D9%8A"' in html
    arabic_html = client.get(arabic.get_absolute_url()).content.decode()
    assert '<html lang="ar" dir="rtl">' in arabic_html
    assert (
        "/ar/wiki/%D8%A8%D8%A7%D8%B1%D8%A7%D8%B3%D9%8A%D8%AA%D8%A7%D9%85%D9%88%D9%84" in arabic_html
    )
    call_command("load_demo", stdout=StringIO())  # idempotent
    assert Article.objects.filter(language="es").count() == 3


def test_the_wsgi_entry_answers_a_title_with_letters_beyond_ascii(transactional_db):
    """The page-cache fast path reads the request first: Django's handler still gets the
    path as the server gave it (it once got it decoded twice: "Migraña" was a 404)."""
    from encyclopedia.wsgi import application

    write("Migraña", SPANISH, "es")
    statuses = []
    for _ in range(2):  # a miss, then a hit from the fast path
        environ = {
            "PATH_INFO": "/es/wiki/Migraña".encode().decode("iso-8859-1"),  # as WSGI has it
            "HTTP_HOST": "testserver",
        }
        setup_testing_defaults(environ)
        body = b"".join(application(environ, lambda status, headers: statuses.append(status)))
        assert "trastorno de cefalea" in body.decode()
    assert statuses == ["200 OK", "200 OK"]
