"""Lists a page at a time: the `limit` parameter and keyset pages behind opaque cursors."""

import datetime as dt
from typing import Annotated

from django.db.models import Q
from ninja import Query

from ..errors import ApiError
from ..lookups import cursor_int, decode_cursor, encode_cursor

MAX_LIMIT = 100
DEFAULT_LIMIT = 50

Limit = Annotated[int, Query(description=f"How many items a page holds (1–{MAX_LIMIT}).")]


def checked_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(400, f"limit must be between 1 and {MAX_LIMIT}.", code="invalid_limit")
    return limit


def keyset(queryset, *, cursor: str | None, limit: int, key="pk", descending=False):
    """One page of `queryset` ordered by `key`, and the cursor of the next page."""
    after = cursor_int(decode_cursor(cursor), "after")
    limit = checked_limit(limit)
    queryset = queryset.order_by(f"-{key}" if descending else key)
    if after is not None:
        queryset = queryset.filter(**{f"{key}__{'lt' if descending else 'gt'}": after})
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode_cursor({"after": getattr(rows[-1], key)}) if more else None)


def changes_page(revisions, *, cursor, limit):
    """Keyset pages in the feed's order (time, then id, newest first)."""
    data = decode_cursor(cursor)
    limit = checked_limit(limit)
    if data:
        try:
            at = dt.datetime.fromisoformat(data["at"])
        except (KeyError, TypeError, ValueError):
            raise ApiError(
                400, "This cursor was not made by this API.", code="invalid_cursor"
            ) from None
        before = cursor_int(data, "id")
        revisions = revisions.filter(
            Q(created_at__lt=at) | Q(created_at=at, revision_id__lt=before)
        )
    rows = list(revisions[: limit + 1])
    more, rows = len(rows) > limit, rows[:limit]
    if not more:
        return rows, None
    last = rows[-1]
    return rows, encode_cursor({"at": last.created_at.isoformat(), "id": last.pk})
