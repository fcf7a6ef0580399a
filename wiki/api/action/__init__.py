"""MediaWiki's Action API at /api.php, enough for existing clients (mwclient, bots) to read,
search, sign in and edit. Content is our Markdown (`contentmodel: markdown`).

Errors are answered as MediaWiki does: HTTP 200 with `{"error": {"code", "info"}}` and a
`MediaWiki-API-Error` header. Lists continue with `continue` (the client sends back what it
got). `formatversion=2` gives lists of pages, booleans and `content` instead of `*`.

One module per action: `query` (with its `pages`, `revisions`, `lists` and `meta`), `parse`,
`edit`, `move`, `delete` (and undelete), `protect`, `review` (FlaggedRevs', in `flagged.py`
with prop=flagged), `upload`, `rollback` (and patrol), `watch` (with clearhasmsg and
list=watchlist), `compare` (and rvdiffto), `login` (and logout, tokens), `opensearch` and
`paraminfo` (which describes them); `params` reads the request.
"""

import logging

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .bots import RETRY_AFTER_SECONDS, Lagged, check_before_module
from .compare import action_compare
from .delete import action_delete, action_undelete
from .edit import action_edit
from .flagged import action_review
from .login import action_clientlogin, action_login, action_logout
from .move import action_move
from .multipart import UnreadableBody, body_fields
from .opensearch import action_opensearch
from .paraminfo import paraminfo
from .params import Failure, Params
from .parse import action_parse
from .protect import action_protect
from .purge import action_purge
from .query import action_query
from .rollback import action_patrol, action_rollback
from .template_links import action_expandtemplates
from .upload import action_upload
from .watch import action_clearhasmsg, action_watch

logger = logging.getLogger(__name__)

ACTIONS = {
    "query": action_query,
    "login": action_login,
    "clientlogin": action_clientlogin,
    "logout": action_logout,
    "edit": action_edit,
    "move": action_move,
    "delete": action_delete,
    "undelete": action_undelete,
    "protect": action_protect,
    "review": action_review,
    "upload": action_upload,
    "rollback": action_rollback,
    "patrol": action_patrol,
    "watch": action_watch,
    "clearhasmsg": action_clearhasmsg,
    "purge": action_purge,
    "compare": action_compare,
    "parse": action_parse,
    "expandtemplates": action_expandtemplates,
    "opensearch": action_opensearch,
    "paraminfo": lambda request, p: paraminfo(request, p, sorted(ACTIONS)),
}
WRITE_ACTIONS = {
    "login",
    "clientlogin",
    "logout",
    "edit",
    "move",
    "delete",
    "undelete",
    "protect",
    "review",
    "upload",
    "rollback",
    "patrol",
    "watch",
    "clearhasmsg",
    "purge",
}
DOCS = "See /api/v1/docs and docs/api.md for the modules this wiki supports."


def _check_request(request, action: str, response_format: str) -> None:
    if response_format not in ("json", "jsonfm"):
        raise Failure(
            "unknown_format", f'Unrecognized value for parameter "format": {response_format}.'
        )
    if not action:
        raise Failure("missingparam", 'The "action" parameter must be set.')
    if action not in ACTIONS:
        raise Failure("badvalue", f'Unrecognized value for parameter "action": {action}.')
    if action in WRITE_ACTIONS and request.method != "POST":
        raise Failure("mustbeposted", f'The "{action}" module requires a POST request.')


def _run(request, action: str, p: Params):
    """The action's answer; an unexpected error is logged and answered as MediaWiki does."""
    try:
        return ACTIONS[action](request, p)
    except Failure:
        raise
    except Exception as exc:
        logger.exception("Action API error on %s", request.get_full_path())
        raise Failure(
            f"internal_api_error_{type(exc).__name__}",
            "Something went wrong on our side; nothing was saved.",
        ) from exc


ERROR_FORMATS = ("plaintext", "wikitext", "html", "raw", "none")


def _errors(failure: Failure, p: Params, error_format: str) -> dict:
    """errorformat=…: MediaWiki's newer `errors` list (with the text, the message key and
    parameters for raw, or the code alone for none) instead of the one `error`."""
    error = {"code": failure.code}
    if error_format == "raw":
        error.update(key=f"apierror-{failure.code}", params=[])
    elif error_format != "none":
        error["text" if p.v2 else "*"] = failure.info
    if failure.details:
        error["data"] = failure.details
    error["module"] = "main"
    return {"errors": [error], "docref" if p.v2 else "*": DOCS}


def _error_response(failure: Failure, p: Params) -> JsonResponse:
    error_format = p.get("errorformat", "bc")
    if error_format in ERROR_FORMATS:
        body = _errors(failure, p, error_format)
    else:
        error = {"code": failure.code, "info": failure.info, **failure.details}
        error["docref" if p.v2 else "*"] = DOCS
        body = {"error": error}
    response = JsonResponse(body)
    response["MediaWiki-API-Error"] = failure.code
    if isinstance(failure, Lagged):
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["X-Database-Lag"] = f"{failure.lag:g}"
    return response


@csrf_exempt
def api_php(request):
    """The one entry point: `action=` picks the module; errors are MediaWiki's."""
    try:
        p = Params(request, body_fields(request))
    except UnreadableBody as unreadable:
        return _error_response(Failure("badupload", str(unreadable)), Params(request))
    action = p.get("action", "")
    try:
        _check_request(request, action, p.get("format", "json"))
        check_before_module(request, action, p, writes=action in WRITE_ACTIONS)
        result = _run(request, action, p)
    except Failure as failure:
        return _error_response(failure, p)
    response = JsonResponse(result, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, must-revalidate, max-age=0"
    return response
