"""Titles: every title the wiki accepts can be read at its URL; the others are refused clearly."""

import re

import pytest
from django.urls import reverse, set_script_prefix

from wiki import urls as wiki_urls
from wiki.rendering import article_path
from wiki.titles import InvalidTitle, title_to_slug, validate_title


def action_tails() -> list[str]:
    """What follows the title in each of the wiki's other URLs, with and without its id:
    "edit", "revision", "revision/1", "undo", "undo/1" … read from the URL patterns."""
    tails = set()
    for entry in wiki_urls.urlpatterns:
        regex = entry.pattern.regex.pattern
        if not regex.startswith(f"^wiki/{wiki_urls.TITLE}/"):
            continue
        tail = regex.removeprefix(f"^wiki/{wiki_urls.TITLE}/").removesuffix("$")
        tail = re.sub(r"\(\?P<\w+>[^)]*\)", "1", tail)
        tails |= {tail, tail.rsplit("/", 1)[0], tail.replace("1", "99999999999999999999")}
    return sorted(tails)


CANDIDATES = [
    *(f"Foo/{tail}" for tail in action_tails()),
    *(f"Foo/{tail.capitalize()}" for tail in action_tails()),
    "Foo/undo/x",
    "Category:Foo",
    "Special:Foo",
    "What is pain?",
    "Pain?/Later",
    "100% natural",
    "Foo/print",
    "Foo/..",
    "Foo/.",
    "Foo/../Bar",
]


def test_the_action_tails_come_from_every_action_url():
    assert {"edit", "history", "revision/1", "undo/1", "revert/1", "diff"} <= set(action_tails())


@pytest.mark.django_db
@pytest.mark.parametrize("candidate", CANDIDATES)
def test_a_title_is_either_readable_at_its_url_or_refused_on_the_create_form(
    editor_client, make_article, candidate
):
    try:
        title = validate_title(candidate)
    except InvalidTitle as refused:
        response = editor_client.post(
            "/wiki/New_article/edit",
            {"title": candidate, "text": "Body typed by the editor.", "summary": ""},
        )
        page = response.content.decode()
        assert str(refused).replace("'", "&#x27;") in page
        assert "Body typed by the editor." in page
        return
    article = make_article(title=title, source="A readable body.")
    url = article.get_absolute_url()
    assert not {".", ".."} & set(url.split("/")), "browsers rewrite such a URL before asking"
    response = editor_client.get(url)
    assert response.status_code == 200
    assert response.context["article"] == article


def test_titles_ending_in_an_action_url_are_refused():
    for title in ["Foo/undo/3", "Foo/revision/1", "Foo/revert/2", "Foo/edit", "Foo/history"]:
        with pytest.raises(InvalidTitle, match="reserved"):
            validate_title(title)


def test_a_leading_colon_names_the_main_namespace_not_a_new_title(client, db):
    """MediaWiki clients write ':Migraine' for the article Migraine: it is the same page."""
    assert validate_title(":Migraine") == validate_title("Migraine") == "Migraine"
    assert validate_title(": talk:migraine") == "Talk:Migraine"
    response = client.get("/wiki/:Migraine/history")
    assert response.status_code == 301  # never a page of its own titled ':Migraine'
    assert response["Location"].endswith("/wiki/Migraine/history")


LINKED = [
    *CANDIDATES,
    "Migraine",
    "Crohn's disease",
    "Vitamin B12 (cobalamin)",
    "Síndrome de Down",
    "صداع نصفي",
    "C++ & C#",
    "A+B=C; really!",
    "~tilde@home:colon",
    "Hash#fragment",
    'Quote"d <angle> [square] {curly} `tick` ^caret| pipe\\back',
    "Percent %41 already",
    "File:Knee scan.png",
    "Talk:Migraine",
    "Template:Infobox drug",
]


@pytest.mark.parametrize("prefix", ["/", "/med wiki/"])
def test_a_wiki_links_path_is_the_one_reverse_gives(prefix):
    """Rendering builds an article's path around its slug instead of calling `reverse` per
    link: for every title the wiki accepts, the same path, quoted the same way, under any
    script prefix."""
    checked = 0
    set_script_prefix(prefix)
    try:
        for candidate in LINKED:
            try:
                slug = title_to_slug(validate_title(candidate))
            except InvalidTitle:
                continue
            assert article_path(slug) == reverse("wiki:article", args=[slug]), candidate
            checked += 1
    finally:
        set_script_prefix("/")
    assert checked > 20
