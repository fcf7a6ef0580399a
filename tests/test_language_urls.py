"""Languages in the URL (wiki/languages.py): the default language keeps every address it had,
the others have the same addresses under their prefix, and nothing but the path picks one."""

import pytest
from django.urls import resolve, reverse
from django.utils import translation

from wiki.languages import language_of_path, split_path, url_in

EXISTING = [
    ("/", "encyclopedia:home", {}),
    ("/wiki/Migraine", "wiki:article", {"slug": "Migraine"}),
    ("/wiki/Migraine/edit", "wiki:edit", {"slug": "Migraine"}),
    ("/wiki/Migraine/history", "wiki:history", {"slug": "Migraine"}),
    ("/search", "wiki:search", {}),
    ("/recent-changes", "wiki:recent_changes", {}),
    ("/index/A", "encyclopedia:index", {"letter": "A"}),
    ("/random", "encyclopedia:random", {}),
    ("/sitemap.xml", "sitemap", {}),
    ("/category/Headache", "wiki:category", {"name": "Headache"}),
]


@pytest.mark.parametrize(("path", "name", "kwargs"), EXISTING)
def test_the_default_languages_addresses_are_unchanged(path, name, kwargs):
    assert resolve(path).view_name == name
    assert reverse(name, kwargs=kwargs) == path
    assert language_of_path(path) == "en"


@pytest.mark.parametrize(("path", "name", "kwargs"), EXISTING)
@pytest.mark.parametrize("language", ["es", "ar"])
def test_other_languages_have_the_same_addresses_under_their_prefix(path, name, kwargs, language):
    prefixed = f"/{language}{path}"
    match = resolve(prefixed)  # whatever language is active: the page cache resolves early
    assert (match.view_name, match.kwargs) == (name, kwargs)
    assert url_in(language, name, kwargs=kwargs) == prefixed
    assert split_path(prefixed) == (language, path)
    assert reverse(name, kwargs=kwargs) == path  # the override is over


def test_an_unknown_prefix_is_not_a_language():
    assert split_path("/xx/wiki/A") == ("en", "/xx/wiki/A")
    assert split_path("/estonia") == ("en", "/estonia")
    assert split_path("/es") == ("es", "/")


@pytest.mark.django_db
def test_a_request_is_in_the_language_of_its_path_only(client):
    english = client.get("/search", HTTP_ACCEPT_LANGUAGE="es")  # the header chooses nothing
    assert english["Content-Language"] == "en"
    assert b'<html lang="en" dir="ltr">' in english.content
    spanish = client.get("/es/search")
    assert spanish["Content-Language"] == "es"
    assert b'<html lang="es" dir="ltr">' in spanish.content
    assert b'action="/es/search"' in spanish.content  # its own links stay in Spanish
    arabic = client.get("/ar/search")
    assert b'<html lang="ar" dir="rtl">' in arabic.content
    assert translation.get_language() == "en"  # the request's language ended with it
