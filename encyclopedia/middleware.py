"""Serve anonymous article views from the page cache before the rest of the stack runs."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date

from wiki import caching


def cacheable_request(request) -> bool:
    """An anonymous reader's plain GET of an article: no session, no query string."""
    return (
        request.method in ("GET", "HEAD")
        and request.path_info.startswith("/wiki/")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def public_headers(response, page: caching.CachedPage) -> None:
    response["ETag"] = page.etag
    if page.last_modified:
        response["Last-Modified"] = http_date(page.last_modified)
    response["Cache-Control"] = f"public, max-age={settings.PAGE_CACHE_MAX_AGE}"
    response["Vary"] = "Cookie"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PAGE_CACHE_ENABLED and cacheable_request(request):
            page = caching.get_page(request.path_info)
            if page is not None:
                if request.META.get("HTTP_IF_NONE_MATCH") == page.etag:
                    response = HttpResponseNotModified()
                else:
                    response = HttpResponse(page.body, content_type="text/html; charset=utf-8")
                public_headers(response, page)
                response["X-Page-Cache"] = "hit"
                return response
        return self.get_response(request)


def store_for_anonymous(request, response, last_modified: float | None):
    """Called by the article view: keep the page for the next anonymous reader."""
    if not (settings.PAGE_CACHE_ENABLED and cacheable_request(request)
            and response.status_code == 200 and not request.user.is_authenticated):
        if request.user.is_authenticated:
            response["Cache-Control"] = "private, no-cache"
        return response
    page = caching.store_page(request.path_info, response.content, last_modified)
    public_headers(response, page)
    response["X-Page-Cache"] = "miss"
    if request.META.get("HTTP_IF_NONE_MATCH") == page.etag:
        not_modified = HttpResponseNotModified()
        public_headers(not_modified, page)
        return not_modified
    return response
