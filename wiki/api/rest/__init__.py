"""The REST API under /api/v1/ (django-ninja), its OpenAPI document at /api/v1/schema and the
documentation page at /api/v1/docs.

Reads are public and carry an ETag (a digest of the answer, so `If-None-Match` gets a 304);
anonymous answers may be kept by shared caches as long as article pages are
(PAGE_CACHE_MAX_AGE). Writes need a personal API token (`Authorization: Bearer …`), go through
the edit door (`wiki.services`) and are throttled per token.

One module per resource (`articles`, `templates`, `site`), beside what they share: `answers`
(the entries they give), `paging` (limits and cursors), `saving` (writes through the door),
`auth` (tokens) and `wikiapi` (the API object: its document and conditional answers).
"""

from ninja.openapi.docs import Swagger

from .. import errors
from .articles import articles
from .auth import WRITE, TokenAuth, TokenWriteThrottle
from .site import site
from .template_uses import templates
from .wikiapi import WikiApi

__all__ = ["api", "WRITE", "TokenAuth", "TokenWriteThrottle"]

api = WikiApi(
    title="Encyclopedia API",
    version="1",
    description=(
        "Read articles, their history, search and recent changes; editors with a personal "
        "API token (made on the profile page) create and edit articles. The MediaWiki "
        "Action API is at /api.php for existing tools."
    ),
    urls_namespace="api",
    openapi_url="/schema",
    docs_url="/docs",
    docs=Swagger(settings={"defaultModelsExpandDepth": 0}),
)
api.docs.template = "wiki/api/docs.html"  # Swagger UI from our static files, under our CSP
errors.install(api)
api.add_router("/articles", articles)
api.add_router("/templates", templates)
api.add_router("", site)
