"""Stashed and chunked uploads (`stash=1`, `chunk`, `offset`, `filesize`, `filekey`), as
MediaWiki answers them: a file sent in pieces is kept under a file key until the last piece
has come, then `action=upload` with that `filekey` stores it as any upload. The pieces wait
in the cache (Redis in production, shared by every app server) for STASH_SECONDS."""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from .params import Failure, Params

STASH_SECONDS = 6 * 3600


def _key(request, filekey: str, part: int | None = None) -> str:
    suffix = "" if part is None else f":{part}"
    return f"api-upload-stash:{request.user.pk}:{filekey}{suffix}"


def _state(request, filekey: str) -> dict:
    state = cache.get(_key(request, filekey))
    if state is None:
        raise Failure("stashfailed", f'No stashed upload has the file key "{filekey}".')
    return state


def _sizes(p: Params, piece) -> tuple[int, int]:
    filesize = p.int("filesize", piece.size if piece is not None else 0)
    offset = p.int("offset", 0)
    if filesize > settings.WIKI_MAX_UPLOAD_BYTES:
        raise Failure(
            "file-too-large", f"A file may be at most {settings.WIKI_MAX_UPLOAD_BYTES} bytes."
        )
    return filesize, offset


def stash_piece(request, p: Params) -> dict:
    """Keep a piece (`chunk`, or a whole `file` with `stash=1`); answers `Continue` with the
    next offset, or `Success` once the stashed file is whole, with its file key."""
    piece = p.files.get("chunk") or p.files.get("file")
    if piece is None:
        raise Failure("missingparam", 'One of the parameters "chunk" and "file" is required.')
    filesize, offset = _sizes(p, piece)
    if filekey := p.get("filekey"):
        state = _state(request, filekey)
    else:
        filekey = f"{secrets.token_hex(8)}.{secrets.token_hex(4)}.stash"
        state = {"size": 0, "parts": 0}
    if offset != state["size"]:
        raise Failure(
            "stashfailed", "The offset does not follow the stored part.", offset=state["size"]
        )
    data = piece.read()
    size = state["size"] + len(data)
    if size > filesize:
        raise Failure("stashfailed", "The pieces are larger than filesize.", offset=state["size"])
    cache.set(_key(request, filekey, state["parts"]), data, STASH_SECONDS)
    state = {"size": size, "parts": state["parts"] + 1, "filesize": filesize}
    cache.set(_key(request, filekey), state, STASH_SECONDS)
    answer = {"result": "Continue" if size < filesize else "Success", "filekey": filekey}
    if size < filesize:
        answer["offset"] = size
    return {"upload": answer}


def stashed_file(request, filekey: str, name: str) -> SimpleUploadedFile:
    """The whole stashed file under `filekey`, as an upload named `name`."""
    state = _state(request, filekey)
    parts = [cache.get(_key(request, filekey, n)) for n in range(state["parts"])]
    if state["size"] != state.get("filesize") or any(part is None for part in parts):
        raise Failure("stashfailed", f'The stashed upload "{filekey}" is not complete.')
    return SimpleUploadedFile(name, b"".join(parts))


def forget_stash(request, filekey: str) -> None:
    state = cache.get(_key(request, filekey)) or {"parts": 0}
    cache.delete_many(
        [_key(request, filekey)] + [_key(request, filekey, n) for n in range(state["parts"])]
    )
