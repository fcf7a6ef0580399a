"""The django-ninja API object as the wiki shapes it: an OpenAPI document that declares what
the views check themselves, stable operation ids, and reads answered conditionally (an ETag,
a 304 for `If-None-Match`, shared caches for anonymous answers)."""

import hashlib

from django.conf import settings
from django.http import HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from ninja import NinjaAPI

from ...titles import MAX_TITLE_LENGTH, title_pattern
from .paging import MAX_LIMIT

# Paths under /articles/{title}/ that are other operations, so no title the API reads ends so.
API_SUFFIXES = ("revisions", "revisions/[0-9]+", "revert", "diff")
BOUNDS = {"limit": {"minimum": 1, "maximum": MAX_LIMIT}, "page": {"minimum": 1}}
NOT_MODIFIED = {
    "description": "Not modified: If-None-Match names the answer's current ETag (no body)."
}
IF_NONE_MATCH = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "description": "An ETag of an earlier answer: the same answer is a 304 without a body.",
    "schema": {"type": "string"},
}
# Generated clients name their methods after operation ids: they stay what they were when the
# API was one module, wherever a view lives.
OPERATION_ID_PREFIX = "wiki_api_rest_"


def _declare_checks(operations: dict, path_title: dict) -> None:
    for method, operation in operations.items():
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path" and parameter["name"] == "title":
                parameter["schema"].update(path_title)
            elif parameter["in"] == "query":
                parameter["schema"].update(BOUNDS.get(parameter["name"], {}))
        if method == "get":
            operation["parameters"] = [*operation.get("parameters", []), IF_NONE_MATCH]
            operation["responses"]["304"] = NOT_MODIFIED


class WikiApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Declares what the views check themselves (answering their own error codes): the
        title rules (built from the URLconf, so not at import time), the bounds of `limit` and
        `page`, and the conditional GETs."""
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        title = {"maxLength": MAX_TITLE_LENGTH, "pattern": title_pattern()}
        path_title = {**title, "pattern": title_pattern(reserved_suffixes=API_SUFFIXES)}
        for operations in document["paths"].values():
            _declare_checks(operations, path_title)
        document["components"]["schemas"]["ArticleCreate"]["properties"]["title"].update(title)
        return document

    def get_openapi_operation_id(self, operation) -> str:
        return OPERATION_ID_PREFIX + operation.view_func.__name__

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            return conditional(request, response)
        response.setdefault("Cache-Control", "no-store")
        return response


def conditional(request, response):
    """ETag from the answer's bytes; a matching If-None-Match is a 304; shared caches may keep
    anonymous answers as long as article pages."""
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    response["ETag"] = etag
    if "HTTP_AUTHORIZATION" in request.META:
        response["Cache-Control"] = "private, no-cache"
    else:
        response["Cache-Control"] = f"public, max-age={settings.PAGE_CACHE_MAX_AGE}"
    patch_vary_headers(response, ["Authorization", "Cookie"])
    wanted = request.META.get("HTTP_IF_NONE_MATCH", "")
    if etag in [tag.strip().removeprefix("W/") for tag in wanted.split(",")] or wanted == "*":
        not_modified = HttpResponseNotModified()
        for name in ("ETag", "Cache-Control", "Vary"):
            not_modified[name] = response[name]
        return not_modified
    return response
