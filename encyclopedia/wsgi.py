"""The WSGI entry point. A page-cache hit (an anonymous reader's plain GET of an article whose
stored page is current) is answered here, before Django's handler builds its request chain and
sends its signals: the same checks and the same stored response as the page-cache middleware
(`wiki.page_cache`), at a fraction of the cost. Anything else, and any failure on the way,
goes to Django (which answers readers from a replica while the primary is unreachable:
`encyclopedia.replicas.PrimaryUnreachableMiddleware`)."""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encyclopedia.settings")
django_application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (after the settings are configured)
from django.core.handlers.wsgi import WSGIRequest  # noqa: E402

from encyclopedia.errors import database_unreachable  # noqa: E402
from encyclopedia.replicas import mark_primary_down, primary_thought_down  # noqa: E402
from wiki.page_cache import answer_hit, may_be_article  # noqa: E402

logger = logging.getLogger(__name__)
SESSION_COOKIE = settings.SESSION_COOKIE_NAME + "="


def application(environ, start_response):
    if (
        environ.get("REQUEST_METHOD") in ("GET", "HEAD")
        and may_be_article(environ.get("PATH_INFO", ""))
        and not environ.get("QUERY_STRING")
        and SESSION_COOKIE not in environ.get("HTTP_COOKIE", "")
        and not primary_thought_down()  # its stamp reads the primary: Django reads a replica
    ):
        try:
            # A copy: WSGIRequest writes the decoded path back into the dict it is given,
            # which Django's handler would decode again (a title with "ñ" or Arabic: a 404).
            response = answer_hit(WSGIRequest(dict(environ)))
        except Exception as failure:  # a bad Host, Redis or the database: Django answers
            logger.debug("page-cache fast path declined", exc_info=True)
            if database_unreachable(failure):
                mark_primary_down()
            response = None
        if response is not None:
            status = f"{response.status_code} {response.reason_phrase}"
            start_response(status, list(response.items()))
            return [] if environ["REQUEST_METHOD"] == "HEAD" else [response.content]
    return django_application(environ, start_response)
