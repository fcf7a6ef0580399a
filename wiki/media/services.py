"""The write path of media pages: upload, a new version of the file, an edit of the page, and
deletion (which warns while articles show the file). Each change is a `MediaRevision`.
Callers check who asks (`permissions.can_upload`). A person's change through an interface names
the client `address`: the young-account limits every writer obeys are then checked here
(`limits.EditLimited`); an importer or the admin passes none."""

import hashlib
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from .. import caching
from ..antiabuse.services import link_screen
from ..editorial.logs import log_action
from ..editorial.models import LogEntry
from ..limits import check_write
from ..models import Category, MediaUse
from ..permissions import is_administrator
from ..services import contributor_for
from ..uploads import ALLOWED_IMAGE_FORMATS, RefusedUpload, image_format, reencoded
from . import thumbnails
from .models import MediaFile, MediaRevision

PAGE_FIELDS = ("description", "alt", "author", "source_url", "license", "rationale", "date")
NAME_FORBIDDEN = re.compile(r"[#<>\[\]|{}/:\\\x00-\x1f\x7f]")
EXTENSIONS = {ext: fmt for fmt, ext in ALLOWED_IMAGE_FORMATS.items()} | {"jpeg": "JPEG"}


class DuplicateMedia(Exception):
    """The same bytes are already a media page: the upload points there instead."""

    def __init__(self, existing: MediaFile):
        super().__init__(f"This image is already uploaded as “{existing.name}”.")
        self.existing = existing


class MediaInUse(Exception):
    def __init__(self, articles: list[str]):
        shown = ", ".join(articles[:5]) + (" and others" if len(articles) > 5 else "")
        super().__init__(
            f"Articles still show this image: {shown}. Remove it from them first, or confirm."
        )
        self.articles = articles


@dataclass
class MediaEdit:
    """What an upload or an edit of a media page gives."""

    description: str = ""
    alt: str = ""
    author: str = ""
    source_url: str = ""
    license: str = ""
    rationale: str = ""
    date: object = None
    categories: list[str] = field(default_factory=list)
    summary: str = ""


def _obey_limits(*, user, address: str | None, old=None, new=None) -> None:
    """The young-account limits and the link blocklist, for a person's change; a media
    page's links live in its description and source address."""
    if address is None:
        return

    def text(item) -> str:
        return f"{item.description}\n{item.source_url}" if item is not None else ""

    check_write(user=user, address=address, old_text=text(old), new_text=text(new))
    link_screen(old_text=text(old), new_text=text(new))  # the link blocklist (LinkBlocked)


def media_name(name: str, found_format: str) -> str:
    """A file name as a media page's title: one space between words, first letter up, an
    extension that says the format. ValueError saying what is wrong."""
    name = " ".join(name.replace("_", " ").split())
    if not name:
        raise ValueError("Give the file a name, e.g. “Chest X-ray.png”.")
    if NAME_FORBIDDEN.search(name):
        raise ValueError("A file name cannot contain # < > [ ] | { } / \\ or a colon.")
    stem, dot, ext = name.rpartition(".")
    if not dot or EXTENSIONS.get(ext.lower()) is None:
        name = f"{name}.{ALLOWED_IMAGE_FORMATS[found_format]}"
    elif EXTENSIONS[ext.lower()] != found_format:
        raise ValueError(
            f"The name ends in .{ext} but the file is a {found_format} image: "
            f"name it .{ALLOWED_IMAGE_FORMATS[found_format]}."
        )
    if len(name) > 240:
        raise ValueError("A file name has at most 240 characters.")
    return name[:1].upper() + name[1:]


def _read(upload) -> tuple[bytes, str, str]:
    """The re-encoded image (metadata dropped), its format and hash; RefusedUpload says why not."""
    found = image_format(upload)
    data = reencoded(upload, found)
    return data, found, hashlib.sha256(data).hexdigest()


def _duplicate(sha256: str, *, but=None) -> None:
    existing = MediaFile.objects.filter(sha256=sha256)
    if but is not None:
        existing = existing.exclude(pk=but.pk)
    if found := existing.first():
        raise DuplicateMedia(found)


def _fields(media: MediaFile) -> dict:
    data = {name: getattr(media, name) for name in PAGE_FIELDS}
    data["date"] = media.date.isoformat() if media.date else None
    data["categories"] = sorted(media.categories.values_list("name", flat=True))
    return data


def _record(media, kind, user, summary) -> MediaRevision:
    return MediaRevision.objects.create(
        media=media,
        kind=kind,
        user=user,
        contributor=contributor_for(user),
        created_at=media.updated_at,
        summary=summary,
        fields=_fields(media),
        file=media.file,
        sha256=media.sha256,
        width=media.width,
        height=media.height,
    )


def _apply(media: MediaFile, edit: MediaEdit) -> None:
    for name in PAGE_FIELDS:
        setattr(media, name, getattr(edit, name))


def _set_categories(media: MediaFile, names: list[str]) -> None:
    media.categories.set(
        [Category.objects.get_or_create(name=n, language=media.language)[0] for n in names]
    )


def _retire_pages_showing(media: MediaFile) -> None:
    """The pages that show the file show its credit and size: retire them."""
    pages = set(
        MediaUse.objects.filter(media_slug=media.slug).values_list(
            "article__language", "article__slug"
        )
    )
    if pages:
        caching.invalidate_articles(pages)


def media_upload(
    *, upload, name: str, edit: MediaEdit, user, address: str | None = None
) -> MediaFile:
    """A new media page for an uploaded image. RefusedUpload (not an image we take),
    DuplicateMedia (these bytes are a page already), ValueError (the name) or EditLimited."""
    _obey_limits(user=user, address=address, new=edit)
    data, found, sha256 = _read(upload)
    name = media_name(name, found)
    _duplicate(sha256)
    with transaction.atomic():
        if MediaFile.objects.filter(slug=name.replace(" ", "_")).exists():
            raise ValueError(f"“{name}” is taken: choose another name, or upload a new version.")
        stored, width, height = thumbnails.store(data, sha256, found)
        now = timezone.now()
        media = MediaFile(name=name, file=stored, sha256=sha256, width=width, height=height)
        media.format, media.created_at, media.updated_at = found, now, now
        _apply(media, edit)
        media.save()
        _set_categories(media, edit.categories)
        _record(media, MediaRevision.Kind.UPLOAD, user, edit.summary or "Uploaded")
        log_action(
            type=LogEntry.Type.UPLOAD,
            action="upload",
            performer=user,
            target=f"File:{media.name}",
            comment=edit.summary,
        )
        _retire_pages_showing(media)  # articles that showed it as not uploaded yet
    return media


def media_new_version(
    *, media: MediaFile, upload, user, summary: str = "", address: str | None = None
) -> MediaFile:
    _obey_limits(user=user, address=address)
    data, found, sha256 = _read(upload)
    _duplicate(sha256)
    with transaction.atomic():
        media = MediaFile.objects.select_for_update().get(pk=media.pk)
        stored, width, height = thumbnails.store(data, sha256, found)
        media.file, media.sha256, media.width, media.height = stored, sha256, width, height
        media.format, media.updated_at = found, timezone.now()
        media.save()
        _record(media, MediaRevision.Kind.VERSION, user, summary or "New version of the file")
        log_action(
            type=LogEntry.Type.UPLOAD,
            action="overwrite",
            performer=user,
            target=f"File:{media.name}",
            comment=summary,
        )
        _retire_pages_showing(media)
    return media


def media_update(
    *, media: MediaFile, edit: MediaEdit, user, address: str | None = None
) -> MediaRevision | None:
    """Save the page's fields; None when nothing changed. EditLimited (a young account)."""
    _obey_limits(user=user, address=address, old=media, new=edit)
    with transaction.atomic():
        media = MediaFile.objects.select_for_update().get(pk=media.pk)
        before = _fields(media)
        _apply(media, edit)
        media.updated_at = timezone.now()
        media.save()
        _set_categories(media, edit.categories)
        if _fields(media) == before:
            transaction.set_rollback(True)
            return None
        revision = _record(media, MediaRevision.Kind.EDIT, user, edit.summary)
        _retire_pages_showing(media)
    return revision


def media_delete(*, media: MediaFile, user, confirmed: bool = False) -> None:
    """Delete the page; MediaInUse (with the articles) while articles show it, unless
    `confirmed`. The stored files stay (old revisions of articles may show them)."""
    if not is_administrator(user):
        raise RefusedUpload(gettext("Only administrators can delete media files."))
    users = list(
        MediaUse.objects.filter(media_slug=media.slug)
        .order_by("article__title")
        .values_list("article__title", flat=True)
    )
    if users and not confirmed:
        raise MediaInUse(users)
    _retire_pages_showing(media)
    media.delete()
