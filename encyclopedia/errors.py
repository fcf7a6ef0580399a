"""The not-found page says the reason a view gave, in the reader's language.

The server-error page: standalone (the database may be what failed), but a form's typed
text is handed back, so an edit lost to an outage can be pasted again.

When what failed is reaching the database (it is down, or switching to a new leader after a
failover: deploy/ha.py), the answer is 503 Service Unavailable with Retry-After, saying so: the
editor's text is handed back and saving again in a few seconds works."""

import sys

from django.contrib.sessions.exceptions import SessionInterrupted
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseNotFound
from django.template import loader
from django.urls import Resolver404
from django.utils.functional import Promise

from wiki.editing.views import bad_request_page

try:
    from psycopg import InterfaceError as DriverInterfaceError
    from psycopg import OperationalError as DriverOperationalError
    from psycopg_pool import PoolTimeout
except ImportError:  # SQLite only
    DriverInterfaceError = DriverOperationalError = PoolTimeout = OperationalError

UNREACHABLE = (
    OperationalError,
    InterfaceError,
    DriverOperationalError,
    DriverInterfaceError,
    PoolTimeout,
)
RETRY_AFTER_SECONDS = 10


def database_unreachable(exception) -> bool:
    """Whether `exception` (or what caused it) is the database not answering."""
    seen = 0
    while exception is not None and seen < 5:
        if isinstance(exception, UNREACHABLE):
            return True
        exception = exception.__cause__ or exception.__context__
        seen += 1
    return False


def bad_request(request, exception=None):
    """Django's 400 handler. A session that could not be stored because the database went
    away after the view ran (SessionInterrupted, during a failover) is the 503 page with the
    text, saying the edit may have been saved; anything else the wiki's 400 page."""
    if isinstance(exception, SessionInterrupted) and database_unreachable(exception):
        return _unavailable(request, maybe_saved=True)
    return bad_request_page(request, exception)


def not_found(request, exception=None):
    """Django's 404 handler, with the reason a view wrote for readers (marked for
    translation, so in the page's language); Django's own (an address no pattern matches,
    `get_object_or_404`'s "No … matches the given query") are not for readers, left out."""
    reason = exception.args[0] if isinstance(exception, Http404) and exception.args else ""
    if isinstance(exception, Resolver404) or not isinstance(reason, str | Promise):
        reason = ""
    if str(reason).endswith("matches the given query."):
        reason = ""
    template = loader.get_template("404.html")
    return HttpResponseNotFound(template.render({"reason": reason}, request))


def server_error(request):
    """Django's 500 handler (called while the exception is being handled). No context
    processors: they may need the database."""
    return _unavailable(request)


def _unavailable(request, maybe_saved=False):
    text = ""
    if request.method == "POST":
        try:
            text = request.POST.get("text", "")
        except Exception:  # an unreadable body: nothing to hand back
            text = ""
    unavailable = maybe_saved or database_unreachable(sys.exc_info()[1])
    # A reader's GET is then answered again from a replica (replicas.PrimaryUnreachableMiddleware).
    request.database_unreachable = unavailable
    page = loader.get_template("500.html").render(
        {"text": text, "unavailable": unavailable, "maybe_saved": maybe_saved}
    )
    response = HttpResponse(page, status=503 if unavailable else 500)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
