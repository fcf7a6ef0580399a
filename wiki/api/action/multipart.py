"""The fields of a multipart POST to /api.php, as PHP reads them: with CRLF line ends, as
browsers and requests send them, or with bare LF, as pywikibot's bodies (built by Python's
email package) have, which Django's parser reads as a body without fields."""

import io

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.utils.datastructures import MultiValueDict
from django.utils.http import parse_header_parameters

OTHER_FIELDS_BYTES = 1024 * 1024  # room for the text fields beside the largest file


class UnreadableBody(Exception):
    """The body is larger than an upload may be, or not multipart at all."""


def body_fields(request) -> tuple[QueryDict, MultiValueDict]:
    """The request's POST fields and files (for any body, multipart or not)."""
    if request.method != "POST" or request.content_type != "multipart/form-data":
        return request.POST, request.FILES
    boundary = request.content_params.get("boundary", "").encode("ascii", "replace")
    if not boundary:
        raise UnreadableBody("The multipart body has no boundary.")
    body = _read(request)
    delimiter = b"--" + boundary
    start = body.find(delimiter)
    after = body[start + len(delimiter) : start + len(delimiter) + 2] if start >= 0 else b""
    if after.startswith(b"\n"):
        return _fields_lf(body, boundary, request.encoding or settings.DEFAULT_CHARSET)
    parser = MultiPartParser(
        request.META, io.BytesIO(body), request.upload_handlers, request.encoding
    )
    try:
        return parser.parse()
    except MultiPartParserError as error:
        raise UnreadableBody(str(error)) from None


def _read(request) -> bytes:
    most = settings.WIKI_MAX_UPLOAD_BYTES + OTHER_FIELDS_BYTES
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > most:
        raise UnreadableBody(f"The request is larger than {most} bytes.")
    body = request.read(most + 1)
    if len(body) > most:
        raise UnreadableBody(f"The request is larger than {most} bytes.")
    return body


def _fields_lf(body: bytes, boundary: bytes, encoding: str) -> tuple[QueryDict, MultiValueDict]:
    fields, files = QueryDict(mutable=True, encoding=encoding), MultiValueDict()
    for part in (b"\n" + body).split(b"\n--" + boundary)[1:]:
        if part.startswith(b"--"):  # the closing delimiter
            break
        _, _, part = part.partition(b"\n")  # the rest of the delimiter's line
        head, _, content = part.partition(b"\n\n")
        # A CRLF before the delimiter belongs to it (pywikibot adds a \r to a last chunk
        # so that a parser reading CRLF finds the whole chunk).
        content = content.removesuffix(b"\r")
        headers = _headers(head)
        _, params = parse_header_parameters(headers.get("content-disposition", ""))
        name = params.get("name")
        if not name:
            continue
        if "filename" in params:
            kind = headers.get("content-type", "application/octet-stream")
            files.appendlist(name, SimpleUploadedFile(params["filename"], content, kind))
        else:
            fields.appendlist(name, content.decode(encoding, "replace"))
    return fields, files


def _headers(head: bytes) -> dict[str, str]:
    headers = {}
    for line in head.decode("latin-1").split("\n"):
        name, colon, value = line.partition(":")
        if colon:
            headers[name.strip().lower()] = value.strip()
    return headers
