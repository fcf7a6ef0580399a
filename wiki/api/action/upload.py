"""action=upload: a file sent as multipart (`file`) becomes a media page through the media
capability's write path (re-encoded, its metadata dropped; editors only; the young-account
limits apply). Answers in MediaWiki 1.39's shapes: `Success` with the file's imageinfo, or a
`Warning` (`exists`, `duplicate`) that `ignorewarnings` passes where it can. A file sent in
pieces, or stashed, waits in `upload_stash` until `filekey` names it."""

from ...limits import EditLimited, client_address
from ...media.models import MediaFile
from ...media.services import DuplicateMedia, MediaEdit, media_new_version, media_upload
from ...permissions import can_upload
from ...uploads import RefusedUpload
from .edit import check_editor, refusal_failure
from .lists_site import image_info
from .params import Failure, Params
from .upload_stash import forget_stash, stash_piece, stashed_file

INFO_PROPS = ["timestamp", "user", "size", "sha1", "mime", "url", "comment"]
DEFAULT_LICENSE = MediaFile.License.CC_BY_SA


def _license(text: str) -> str:
    """A license the file page's text names (e.g. {{cc-by-4.0}}), else CC BY-SA 4.0."""
    lowered = text.lower()
    for value in sorted(MediaFile.License.values, key=len, reverse=True):
        if value in lowered:
            return value
    return DEFAULT_LICENSE


def _warning(p: Params, filename: str, warnings: dict) -> dict:
    answer = {"result": "Warning", "warnings": warnings, "filename": filename}
    if p.get("filekey"):  # kept: the client may send it again with ignorewarnings
        answer["filekey"] = p.get("filekey")
    return {"upload": answer}


def _success(media: MediaFile, p: Params) -> dict:
    info = image_info(media, INFO_PROPS, p.request)
    return {"upload": {"result": "Success", "filename": media.slug, "imageinfo": info}}


def _check(request, p: Params) -> None:
    check_editor(request, p)
    if not can_upload(request.user):
        raise Failure("permissiondenied", "You don't have permission to upload files.")
    if p.get("url"):
        raise Failure("copyuploaddisabled", "Upload by URL is disabled.")
    if p.flag("checkstatus"):
        raise Failure("stashfailed", "Uploads are stored at once here: there is no status.")


def _file(request, p: Params):
    """The upload (a `file` sent, or the stashed one its `filekey` names) and its name."""
    filename = (p.get("filename") or "").removeprefix("File:")
    if filekey := p.get("filekey"):
        if not filename:
            raise Failure("missingparam", 'The "filename" parameter must be set.')
        return stashed_file(request, filekey, filename), filename
    upload = p.files.get("file")
    if upload is None:
        raise Failure(
            "missingparam", 'One of the parameters "filekey", "file" and "url" is required.'
        )
    filename = filename or upload.name or ""
    if not filename:
        raise Failure("missingparam", 'The "filename" parameter must be set.')
    return upload, filename


def _store(request, p: Params, upload, filename: str, existing: MediaFile | None) -> MediaFile:
    address = client_address(request)
    comment = p.get("comment", "")[:500]
    if existing is not None:
        return media_new_version(
            media=existing, upload=upload, user=request.user, summary=comment, address=address
        )
    text = p.get("text") or comment
    edit = MediaEdit(
        description=text,
        author=request.user.get_full_name() or request.user.username,
        license=_license(text),
        summary=comment,
    )
    return media_upload(upload=upload, name=filename, edit=edit, user=request.user, address=address)


def action_upload(request, p: Params) -> dict:
    _check(request, p)
    if p.flag("stash") or "chunk" in p.files:
        return stash_piece(request, p)
    upload, filename = _file(request, p)
    existing = MediaFile.objects.filter(slug=filename.replace(" ", "_")).first()
    if existing is not None and not p.flag("ignorewarnings"):
        return _warning(p, existing.slug, {"exists": existing.slug})
    try:
        media = _store(request, p, upload, filename, existing)
    except DuplicateMedia as duplicate:
        return _warning(p, filename.replace(" ", "_"), {"duplicate": [duplicate.existing.slug]})
    except RefusedUpload as refused:
        raise Failure("verification-error", str(refused)) from None
    except EditLimited as limited:
        raise refusal_failure(limited) from None
    except ValueError as bad:
        raise Failure("illegal-filename", str(bad)) from None
    if p.get("filekey"):
        forget_stash(request, p.get("filekey"))
    return _success(media, p)
