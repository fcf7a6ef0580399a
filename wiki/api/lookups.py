"""Reads both APIs share: an article by title, its revisions' texts, one page of a search,
opaque cursors for keyset pagination."""

import base64
import binascii
import datetime as dt
import json

from django.utils import timezone

from ..editorial.revision_hiding import TextHidden, shown_to
from ..models import MAX_ID, Article, Revision
from ..review.services import with_review_marks
from ..snapshots import load_snapshots
from ..titles import InvalidTitle, title_to_slug, validate_title
from .errors import ApiError


def article_by_title(title: str) -> Article:
    """The article with this title (any first-letter case, spaces or underscores), or 404."""
    try:
        slug = title_to_slug(validate_title(title))
    except InvalidTitle as exc:
        raise ApiError(400, f"Not a valid title: {exc}", code="invalid_title") from None
    article = Article.objects.select_related("latest_revision").by_slug(slug).first()
    if article is None:
        raise ApiError(404, "No article has this title.", code="article_not_found")
    return article


def revision_of(article: Article, revision_id: int, user=None) -> Revision:
    """The article's revision, as `user` may see it (`revision_hiding.shown_to`)."""
    if not 0 < revision_id <= MAX_ID:
        raise ApiError(404, "This article has no such revision.", code="revision_not_found")
    info = (
        with_review_marks(Revision.objects.select_related("contributor"))
        .filter(pk=revision_id, article_id=article.pk)
        .first()
    )
    if info is None:
        raise ApiError(404, "This article has no such revision.", code="revision_not_found")
    return shown_to(user, [info])[0]


def require_text(info: Revision) -> None:
    """Refuse (403) the text of a revision an administrator hid from this reader."""
    if not info.text_readable:
        raise ApiError(403, str(TextHidden(info.pk)), code="texthidden")


def sources_of(revision_ids) -> dict[int, str]:
    """The Markdown source of each revision, in one query."""
    return {pk: snap.source for pk, snap in load_snapshots(revision_ids).items()}


def encode_cursor(values: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict:
    if not cursor:
        return {}
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        raise ApiError(400, "This cursor was not made by this API.", code="invalid_cursor")
    return data


def cursor_int(data: dict, key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or not 0 <= value <= MAX_ID:
        raise ApiError(400, "This cursor was not made by this API.", code="invalid_cursor")
    return value


def aware(moment):
    """A datetime a client sent, made timezone-aware (UTC when it named no zone)."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment, dt.UTC)
    return moment
