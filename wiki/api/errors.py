"""Errors of the REST API: always JSON, `{"error": {"code", "message", "status", ...}}`, with a
code a program can branch on, never an HTML error page."""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

logger = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    429: "throttled",
    500: "server_error",
}


class ApiError(Exception):
    """An answer other than success, with a machine-readable code and words for a person."""

    def __init__(self, status: int, message: str, *, code: str = "", **details):
        super().__init__(message)
        self.status, self.message = status, message
        self.code = code or CODES.get(status, "error")
        self.details = details


def error_response(status: int, message: str, *, code: str = "", **details) -> JsonResponse:
    body = {"code": code or CODES.get(status, "error"), "message": message, "status": status}
    return JsonResponse({"error": {**body, **details}}, status=status)


def _validation_errors(errors) -> list[dict]:
    return [
        {
            "field": ".".join(str(p) for p in e.get("loc", ()) if p not in ("body", "query")),
            "message": e.get("msg", ""),
        }
        for e in errors
    ]


def install(api) -> None:
    """Make every failure of `api` a JSON error."""

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return error_response(exc.status, exc.message, code=exc.code, **exc.details)

    @api.exception_handler(ValidationError)
    def invalid(request, exc: ValidationError):
        return error_response(
            400,
            "Some parameters are missing or not valid.",
            code="invalid_parameters",
            fields=_validation_errors(exc.errors),
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = error_response(
            401,
            "Send a personal API token (made on your profile page) as "
            "“Authorization: Bearer <token>”.",
        )
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(Throttled)
    def throttled(request, exc: Throttled):
        wait = int(exc.wait or 1)
        response = error_response(
            429, f"Too many writes with this token; try again in {wait} s.", retry_after=wait
        )
        response["Retry-After"] = str(wait)
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return error_response(exc.status_code, str(exc))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error_response(404, str(exc) or "Not found.")

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return error_response(403, str(exc) or "You may not do this.")

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return error_response(413, "The request body is larger than the server accepts.")

    @api.exception_handler(MultiPartParserError)
    def unreadable_body(request, exc):
        return error_response(
            400, f"The request body cannot be read: {exc}", code="unreadable_body"
        )

    @api.exception_handler(Exception)
    def unexpected(request, exc):
        logger.exception("API error on %s", request.path)
        return error_response(500, "Something went wrong on our side; nothing was saved.")
