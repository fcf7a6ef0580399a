"""The site's languages, and the language of a request: the URL says it.

The default language (`settings.LANGUAGE_CODE`) has the addresses the site always had
(`/wiki/Migraine`, `/search`); every other language of `settings.LANGUAGES` has the same
addresses under a prefix (`/es/wiki/Migraña`, `/es/search`, `/ar/`). Nothing else chooses the
language of a page: not a cookie, not `Accept-Language` (which the main page may only use to
suggest a language), so a URL is the same page for everyone and caches can keep it.

The languages are settings, not rows: the URL map, the interface's compiled catalogues and a
language's search configuration are all chosen when the site is deployed, so a language cannot
usefully appear at run time (`WIKI_LANGUAGES` in the environment picks from `ALL_LANGUAGES`).

`LanguagePrefixPattern` resolves a prefixed path whatever language is active (the page cache
resolves paths before any middleware has run) and reverses with the active language's prefix,
as Django's `i18n_patterns` does: a `reverse()` made while a Spanish page is rendered gives its
Spanish address, and one made elsewhere (a task, a feed, a ban) the default language's, unless
the caller says otherwise with `translation.override` (`url_in`).
"""

import functools
import re
from contextlib import contextmanager
from urllib.parse import quote

from django.conf import settings
from django.urls import URLResolver, get_script_prefix, get_urlconf, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS

RTL = {"ar", "fa", "he", "ur", "ps", "dv", "yi"}


def default_language() -> str:
    return settings.LANGUAGE_CODE


def language_codes() -> list[str]:
    """Every language of the site, the default first."""
    codes = [code for code, _name in settings.LANGUAGES]
    return [default_language()] + [c for c in codes if c != default_language()]


def content_language() -> str:
    """The language being read: the request's (activated from its path), else the default."""
    language = translation.get_language()
    return language if language in language_codes() else default_language()


def other_languages() -> list[str]:
    """The languages whose addresses carry a prefix."""
    return language_codes()[1:]


def language_name(code: str) -> str:
    """The language's name in that language ("Español", "العربية")."""
    return dict(settings.LANGUAGES).get(code, code)


def language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in language_codes()]


def is_rtl(code: str) -> bool:
    return code.split("-")[0] in RTL


def split_path(path: str) -> tuple[str, str]:
    """(language, the path without its prefix): "/es/wiki/X" → ("es", "/wiki/X");
    "/wiki/X" → ("en", "/wiki/X")."""
    head, slash, _rest = path.lstrip("/").partition("/")
    if head in other_languages() and (slash or path.rstrip("/").endswith(head)):
        return head, path[len(head) + 1 :] or "/"
    return default_language(), path


def language_of_path(path: str) -> str:
    return split_path(path)[0]


def prefix(language: str) -> str:
    """The path prefix of a language: "" for the default, "/es" for Spanish."""
    return "" if language == default_language() else f"/{language}"


def url_in(language: str, viewname: str, *args, **kwargs) -> str:
    """`reverse()` for a language, the active one or another: a list's rows are in the
    active one, so they reverse without switching the language (and back) for each row."""
    if language == translation.get_language():
        return reverse(viewname, *args, **kwargs)
    with translation.override(language):
        return reverse(viewname, *args, **kwargs)


_SLUG, _NUMBER = "Slug-to-quote", 9_876_543_210_123  # stand-ins reversed once, replaced after
_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves; its iri_to_uri then changes nothing
_LEFT_AS_IS = re.compile(r"[A-Za-z0-9_.~!$&'()*+,;=/:@-]*")  # what quote(…, _SAFE) leaves


def quoted(slug: str) -> str:
    """A slug as `reverse` puts it in a path: `quote(slug, safe=_SAFE)`; most slugs need
    nothing, found faster than quote finds it."""
    return slug if _LEFT_AS_IS.fullmatch(slug) else quote(slug, safe=_SAFE)


def around_slug(viewname: str, urlconf: str | None = None) -> tuple[str, str]:
    """The path of a view of one slug in the active language: what stands before the slug
    and after it, reversed once per view, URL configuration, script prefix and language.
    `head + quoted(slug) + tail` is `reverse(viewname, args=[slug])` without a `reverse` per
    row or link (a list's reverses cost more than its queries; a sitemap file of 10,000 URLs,
    a render's links, spent most of their time there)."""
    return _around(viewname, *_reversing_in(urlconf), with_number=False)


def _reversing_in(urlconf: str | None = None) -> tuple[str, str, str | None]:
    """What a path reversed now depends on: URL configuration, script prefix, language."""
    urlconf = urlconf or get_urlconf() or settings.ROOT_URLCONF
    return urlconf, get_script_prefix(), translation.get_language()


@functools.lru_cache(maxsize=256)
def _around(viewname: str, urlconf: str, prefix: str, language: str | None, *, with_number):
    """(before the slug, after it) or, with a number, (before the slug, between the slug and
    the number, after the number): stand-ins reversed once, split where they stand."""
    args = [_SLUG, _NUMBER] if with_number else [_SLUG]
    head, _, tail = reverse(viewname, args=args, urlconf=urlconf).partition(_SLUG)
    if with_number:
        return head, *tail.partition(str(_NUMBER))[::2]
    return head, tail


def path_of(viewname: str):
    """`reverse(viewname, args=[slug])` for the many rows of a list, in the active language."""
    head, tail = around_slug(viewname)
    return lambda slug: head + quoted(slug) + tail


def path_with_number_of(viewname: str):
    """`path_of` for a view of a title and one number (a revision): path(slug, number)."""
    head, before, after = _around(viewname, *_reversing_in(), with_number=True)
    return lambda slug, number: f"{head}{quoted(slug)}{before}{int(number)}{after}"


@contextmanager
def reading_in(language: str):
    """Render and reverse in `language` for the duration (a task, a mail, a test)."""
    with translation.override(language):
        yield


class LanguagePrefixPattern(LocalePrefixPattern):
    """Matches "es/…" for any other language, and an unprefixed path as the default language;
    reverses with the active language's prefix (none for the default)."""

    def __init__(self):
        super().__init__(prefix_default_language=False)

    def match(self, path):
        head, slash, rest = path.partition("/")
        if slash and head in other_languages():
            return rest, (), {}
        return path, (), {}

    @property
    def language_prefix(self):
        language = translation.get_language() or default_language()
        return "" if language not in other_languages() else f"{language}/"

    def describe(self):
        return "'<language>/'"


def language_patterns(*urls) -> list[URLResolver]:
    """The URL patterns that exist in every language (the default one unprefixed)."""
    return [URLResolver(LanguagePrefixPattern(), list(urls))]


class RequestLanguageMiddleware:
    """Activates the language the path says for the request (interface strings, `reverse()`
    and the content shown), as `request.LANGUAGE_CODE`, and says it in `Content-Language`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_of_path(request.path_info)
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
