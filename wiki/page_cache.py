"""Serve anonymous article views from the page cache before the rest of the stack runs.

First in MIDDLEWARE, so a hit costs one cache read, one indexed query (is the stored page still
current?) and no other middleware, and a stored page keeps every header the full stack gave it
(security headers included).
"""

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

from . import caching
from .languages import split_path

NOT_REPLAYED = {"set-cookie", "x-page-cache"}
ARTICLE_PREFIX = "/wiki/"  # after the language's prefix, if any (/es/wiki/…)


def may_be_article(path: str) -> bool:
    """Whether `path` can be an article's, in any language: the WSGI entry's quick test."""
    return path.startswith(ARTICLE_PREFIX) or split_path(path)[1].startswith(ARTICLE_PREFIX)


# The views whose anonymous answers are kept, and what tells their copies apart beside the
# origin: an article's page and its summary (page previews) are dropped together.
CACHED_VIEWS = {"wiki:article": "", "wiki:summary": " summary"}


def cacheable_request(request) -> tuple[str, str, str] | None:
    """(slug, variant, language) of an anonymous reader's plain GET of an article or its
    summary: no session, no query string; else None. A request the site marks
    `skip_page_cache` (read from somewhere our stamps do not come from) is neither answered
    from the cache nor kept."""
    if (
        settings.PAGE_CACHE_ENABLED
        and not getattr(request, "skip_page_cache", False)
        and request.method in ("GET", "HEAD")
        and may_be_article(request.path_info)
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and (request.is_secure() or not getattr(settings, "SECURE_SSL_REDIRECT", False))
    ):
        return cached_view(request.path_info)
    return None


def cached_view(path: str) -> tuple[str, str, str] | None:
    """(slug, variant, language) when `path` is an article itself or its summary, not one of
    its other tools (/history, /edit…): a title may hold a slash. The language is the path's:
    a Spanish page and an English one of the same title are two copies."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    variant = CACHED_VIEWS.get(match.view_name)
    return None if variant is None else (match.kwargs["slug"], variant, split_path(path)[0])


def public_page(request, response, last_modified: float | None):
    """Called by a view whose page is the same for every anonymous reader."""
    if request.user.is_authenticated:
        response["Cache-Control"] = "private, no-cache"
        return response
    if last_modified:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = f"public, max-age={settings.PAGE_CACHE_MAX_AGE}"
    patch_vary_headers(response, ["Cookie"])
    response.page_cacheable = True
    return response


def replay(request, page: caching.CachedPage):
    if request.META.get("HTTP_IF_NONE_MATCH") == page.etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(page.body)
    for name, value in page.headers:
        if name.lower() != "content-length" or response.status_code == 200:
            response[name] = value
    return response


def lookup(request, slug: str, variant: str = "", language: str = ""):
    """(origin, stamp, stored pages, the replayed response of a hit or None)."""
    # Scheme and host: the canonical link and the HTTPS headers (HSTS) differ between them.
    origin = f"{request.scheme}://{request.get_host()}{variant}"
    # Read before rendering: anything that changes during the render makes it stale.
    stamp = caching.page_stamp(slug, language or None)
    pages = caching.stored_pages(slug, language or None)
    if (page := caching.fresh_page(pages, origin, stamp)) is not None:
        response = replay(request, page)
        response["X-Page-Cache"] = "hit"
        return origin, stamp, pages, response
    return origin, stamp, pages, None


def answer_hit(request):
    """The replayed page when this request is a page-cache hit, else None: what the WSGI
    entry point answers before Django's handler runs (`encyclopedia.wsgi`)."""
    if (view := cacheable_request(request)) is None:
        return None
    return lookup(request, *view)[3]


class AnonymousPageCacheMiddleware:
    """A hit costs one cache read and one indexed query (the stamp, see `wiki.caching`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (view := cacheable_request(request)) is None:
            return self.get_response(request)
        slug, _variant, language = view
        origin, stamp, pages, response = lookup(request, *view)
        if response is not None:
            return response
        response = self.get_response(request)
        if (
            getattr(response, "page_cacheable", False)
            and response.status_code == 200
            and stamp.revision_id is not None
        ):
            headers = [(k, v) for k, v in response.items() if k.lower() not in NOT_REPLAYED]
            page = caching.store_page(
                slug, origin, stamp, response.content, headers, pages, language
            )
            response["ETag"] = page.etag
            response["X-Page-Cache"] = "miss"
            if request.META.get("HTTP_IF_NONE_MATCH") == page.etag:
                return replay(request, page)
        return response
