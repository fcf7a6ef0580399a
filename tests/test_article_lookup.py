"""Every URL that takes an article's title meets the title the same way (wiki/article_urls.py):
a non-canonical spelling goes to the canonical URL of the same page, a title no article has is
a 404 page, and the pages that change something ask an anonymous reader to sign in.

The routes are read from the URL resolver, so a page added later is walked too.
"""

import ast
import importlib
import inspect
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

# Routes whose `slug` is not an article's title, and why.
NOT_ARTICLE_TITLES = {
    "wiki:media": "a media file's name: media pages look files up by name",
    "wiki:media_history": "a media file's name",
    "wiki:media_edit": "a media file's name",
    "wiki:media_version": "a media file's name",
    "wiki:media_delete": "a media file's name",
    "wiki:portal": "a portal's short name",
    "encyclopedia:page": "a site page's short name",
    # The revision is what the button acts on; the title is the one it was saved under,
    # which may since have been moved or deleted.
    "wiki:patrol": "a revision's own title, shown for the reader only",
}
# Pages anyone may read; every other page that takes a title changes something.
READING = {
    "wiki:article",
    "wiki:history",
    "wiki:revision",
    "wiki:diff",
    "wiki:links",
    "wiki:info",
    "wiki:credits",
    "wiki:cite",
    "wiki:source",
    "wiki:export",
    "wiki:article_pdf",  # the article as a PDF
    "wiki:template_uses",  # what uses a template
    "wiki:summary",  # what a page preview shows (JSON)
    # Not reading, but open to everyone on purpose: readers report problems without an account.
    "wiki:report_article",
}
# Routes a script reads, which answer JSON (a 404 too) rather than a page.
ANSWERS_JSON = {"wiki:summary"}
# Pages that work for a title no article has, and what they answer.
FOR_MISSING_TITLES = {
    "wiki:edit": 200,  # the form that creates it
    "wiki:links": 200,  # who links to it, waiting for it
    "wiki:watch": 302,  # watched, to be told when it is written
}


def title_routes() -> dict:
    """{"namespace:name": pattern} of every route with a title in its URL."""
    found = {}

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and "slug" in entry.pattern.regex.groupindex:
                found[f"{namespace}:{entry.name}"] = entry

    walk(get_resolver().url_patterns, "")
    return {name: p for name, p in found.items() if name not in NOT_ARTICLE_TITLES}


ROUTES = sorted(title_routes())


def test_the_walk_sees_the_pages_that_take_a_title():
    assert {"wiki:article", "wiki:edit", "wiki:history", "wiki:move", "wiki:talk_reply"} <= set(
        ROUTES
    )
    assert READING <= set(ROUTES) and set(FOR_MISSING_TITLES) <= set(ROUTES)


@pytest.fixture
def article(make_article, editor):
    return make_article(user=editor)


def url_of(name: str, slug: str, article) -> str:
    """The route's URL for `slug`, its other parts taken from the article."""
    values = {"revision_id": article.latest_revision_id, "source_language": article.language}
    groups = set(title_routes()[name].pattern.regex.groupindex) - {"slug"}
    missing = groups - set(values)
    assert not missing, f"{name}: give the test a value for {missing}"
    kwargs = {"slug": slug, **{group: values[group] for group in groups}}
    if name == "wiki:translate":  # into another language than the article's: its prefix
        with translation.override("es"):
            return reverse(name, kwargs=kwargs)
    return reverse(name, kwargs=kwargs)


def visit(client, url: str):
    """What a visitor meets: the page by a link, or by its form when it only takes posts."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    return response


@pytest.mark.parametrize("name", ROUTES)
def test_a_non_canonical_spelling_goes_to_the_canonical_url_of_the_same_page(client, article, name):
    response = visit(client, url_of(name, "sample condition", article) + "?section=1")
    expected = url_of(name, "Sample_condition", article) + "?section=1"
    assert (response.status_code, response["Location"]) in {(301, expected), (308, expected)}
    if response.status_code == 301:  # a link may change: browsers keep it an hour, not for good
        assert response["Cache-Control"] == "public, max-age=3600"


@pytest.mark.parametrize("name", ROUTES)
def test_a_title_no_article_has_is_a_404_page(admin_client_, article, name):
    response = visit(admin_client_, url_of(name, "No_such_condition", article))
    assert response.status_code == FOR_MISSING_TITLES.get(name, 404)
    if name in ANSWERS_JSON:
        assert response.json()["error"] == "not_found"
        return
    assert response["Content-Type"].startswith("text/html")
    if response.status_code == 404:
        assert "<h1" in response.content.decode()


@pytest.mark.parametrize("name", sorted(set(ROUTES) - READING))
def test_a_page_that_changes_something_asks_an_anonymous_reader_to_sign_in(
    client, administrator, article, name
):
    response = visit(client, url_of(name, "Sample_condition", article))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("login")
    # Signed in, the reader is sent back to a page a link can open (not one that only
    # takes a form's post).
    back = parse_qs(location.query)["next"][0]
    own = url_of(name, "Sample_condition", article)  # a page in another language's address
    assert back.startswith("/wiki/Sample_condition") or back == own
    client.force_login(administrator)
    assert client.get(back).status_code != 405


@pytest.mark.parametrize("name", sorted(READING))
def test_reading_pages_do_not_ask_to_sign_in(client, article, name):
    response = client.get(url_of(name, "Sample_condition", article))
    assert not (response.status_code == 302 and "/accounts/login/" in response["Location"])


def test_the_tools_of_a_redirect_page_act_on_the_redirect_not_its_target(
    client, make_article, article
):
    make_article("Sample", "#REDIRECT [[Sample condition]]\n")
    assert client.get("/wiki/Sample")["Location"] == "/wiki/Sample_condition?redirectedfrom=Sample"
    history = client.get("/wiki/Sample/history")
    assert history.status_code == 200 and history.context["article"].title == "Sample"


# Lookups of an article by the title in the URL, which only wiki/article_urls.py makes.
LOOKUP_METHODS = {"get", "filter", "by_title"}


def hand_lookups(source: str) -> list[str]:
    """Lines of `source` that look an article up by the URL's title themselves."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = ast.unparse(node.func)
        first = ast.unparse(node.args[0]) if node.args else ""
        if func == "get_object_or_404" and (first == "Article" or first.startswith("Article.")):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
            continue
        if not (func.startswith("Article.objects.") and func.split(".")[-1] in LOOKUP_METHODS):
            continue
        by_url_title = any(ast.unparse(arg) == "slug" for arg in node.args) or any(
            kw.arg == "slug" and (func.endswith(".get") or ast.unparse(kw.value) == "slug")
            for kw in node.keywords
        )
        if by_url_title:
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def view_modules() -> set[str]:
    """The modules of the views the wiki's routes call."""
    modules = set()

    def walk(patterns):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns)
            else:
                callback = inspect.unwrap(entry.callback)
                modules.add(callback.__module__)

    walk(get_resolver().url_patterns)
    return {name for name in modules if name.split(".")[0] == "wiki"}


def test_the_check_for_hand_made_lookups_finds_them():
    assert hand_lookups("a = get_object_or_404(Article, slug=slug)")
    assert hand_lookups("a = Article.objects.get(slug=title_to_slug(x))")
    assert hand_lookups("a = Article.objects.filter(slug=slug).first()")
    assert hand_lookups("a = Article.objects.by_title(slug).first()")
    assert hand_lookups("a = get_object_or_404(Article.objects.only('title'), slug=s)")
    assert not hand_lookups("a = Article.objects.filter(slug=other.slug).first()")


def test_no_view_looks_an_article_up_by_the_title_in_its_url_by_hand():
    modules = view_modules()
    assert {"wiki.views", "wiki.pages", "wiki.editing.views", "wiki.talk.views"} <= modules
    offenders = {}
    for name in sorted(modules):
        path = Path(importlib.import_module(name).__file__)
        if found := hand_lookups(path.read_text()):
            offenders[name] = found
    assert offenders == {}
