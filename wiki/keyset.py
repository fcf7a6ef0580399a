"""Keyset ("seek") pagination for the lists readers and editors page through.

A page is found from the key of the row next to it, never by counting rows off the start
(OFFSET), so the first page and the last cost the same on any size of table: the database
walks an index from the key for one page of rows. The cursor rides in the URL:

    (nothing)              the first page
    ?from=<key>            the rows after <key> (the "Next" link: the key of this page's last)
    ?from=<key>&dir=prev   the rows before <key> (the "Previous" link), read backwards
    ?dir=last              the last page: the list read from its end, then turned round

A key is the values of the ordering's fields joined by "|", a time as MediaWiki writes one
(YYYYMMDDHHMMSS plus microseconds, UTC); the fields end in a unique one (the id, or a unique
title) so ties never lose or repeat a row. A cursor that does not parse gives the first page.

Only `from` and `dir` are read here, for every list: an old page-numbered link (`?page=3`,
from before these lists were paged by key) gives the first page, and no list's links carry
`page` on (OLD_PAGE is dropped from the list's own parameters), so no view handles it.
"""

import functools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.db import connection, models
from django.db.models import Q, Subquery
from django.db.models.lookups import IsNull

TIME_FORMAT = "%Y%m%d%H%M%S%f"
MAX_CURSOR = 600  # characters: a title (255) and a time and an id, with room
OLD_PAGE = "page"  # the page number of the paginated lists these replaced: never read


# A list's count shown on its tab or in the header is counted up to here ("1000+"): counting
# a queue of a million rows would cost every page showing it a scan of them (10,000 rows cost
# 10 ms a count).
MOST_COUNTED = 1_000


@dataclass(frozen=True)
class Counted:
    """A count made up to MOST_COUNTED: `number`, and whether there are more."""

    number: int
    more: bool = False

    def __str__(self) -> str:
        return f"{self.number}+" if self.more else str(self.number)

    def __bool__(self) -> bool:
        return self.number > 0

    @classmethod
    def sum(cls, counts) -> "Counted":
        counts = list(counts)
        total = sum(c.number for c in counts)
        more = total > MOST_COUNTED or any(c.more for c in counts)
        return cls(min(total, MOST_COUNTED), more)


def counted(queryset) -> Counted:
    """`queryset`'s rows counted up to MOST_COUNTED: one query reading at most that many."""
    found = queryset.order_by().values("pk")[: MOST_COUNTED + 1].count()  # no annotations
    return Counted(min(found, MOST_COUNTED), found > MOST_COUNTED)


def has_row(queryset) -> IsNull:
    """Whether `queryset` (tied to the listed row by OuterRef) has a row: a column of a paged
    list, as "(its first id) IS NOT NULL". Not EXISTS: PostgreSQL plans a list's EXISTS for
    every row the list could have, not the page's 51, and so reads and hashes the whole table
    asked (every review or patrol of the wiki) for each page; a scalar subquery is one index
    probe a row shown."""
    return IsNull(Subquery(queryset.order_by().values("pk")[:1]), False)


class BadCursor(ValueError):
    """A `from=` value that is not a key of this list."""


@dataclass(frozen=True)
class Keyset:
    """An ordering of a list: its fields, the last of them unique, all one way."""

    fields: tuple[str, ...]
    descending: bool = False

    def order_by(self, *, reverse: bool = False) -> list[str]:
        down = self.descending != reverse
        return [f"-{name}" if down else name for name in self.fields]

    def key_of(self, item) -> str:
        return "|".join(_encode(getattr(item, name)) for name in self.fields)

    def parse(self, model, raw: str, annotations=None) -> tuple:
        """The field values of `raw`, typed as the model's fields (or the queryset's
        `annotations`: a queue ordered by a computed time); BadCursor otherwise. Only the
        last "|"s split: a title may not hold one, but the id and times never do."""
        parts = raw.rsplit("|", len(self.fields) - 1) if raw else []
        if len(parts) != len(self.fields) or "\x00" in raw or len(raw) > MAX_CURSOR:
            raise BadCursor(raw)
        annotations = annotations or {}
        return tuple(
            _decode(
                annotations[name].output_field if name in annotations else _field(model, name), part
            )
            for name, part in zip(self.fields, parts, strict=True)
        )

    def beyond(self, values: tuple, *, backwards: bool = False) -> Q:
        """The rows after `values` in this order (before them when `backwards`). The first
        field's bound is written out alone too, so every database seeks the index to it."""
        up = self.descending == backwards
        strict, loose = ("gt", "gte") if up else ("lt", "lte")
        names = self.fields
        after = Q()
        for i in reversed(range(len(names))):
            step = Q(**{f"{names[i]}__{strict}": values[i]})
            after = step if i == len(names) - 1 else step | (Q(**{names[i]: values[i]}) & after)
        if len(names) > 1:
            after &= Q(**{f"{names[0]}__{loose}": values[0]})
        return after


# The orderings many lists share: by the time a row was made, its id breaking ties.
RECENT_FIRST = Keyset(("created_at", "pk"), descending=True)
OLDEST_FIRST = Keyset(("created_at", "pk"))
# Titles are unique in one language only: a list that may hold several needs the id too.
BY_TITLE_AND_ID = Keyset(("title", "pk"))


@dataclass
class KeysetPage:
    """One page of a list and the query strings of the pages around it."""

    items: list
    has_previous: bool
    has_next: bool
    keyset: Keyset
    extra: dict = field(default_factory=dict)  # the list's own parameters (filters)
    is_first: bool = False
    # The keys of the first and the last row read: the links go on from them even when the
    # view then leaves some rows out of `items`.
    first_key: str = ""
    last_key: str = ""

    def __post_init__(self):
        if self.items and not self.first_key:
            self.first_key = self.keyset.key_of(self.items[0])
            self.last_key = self.keyset.key_of(self.items[-1])

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    def _query(self, **cursor) -> str:
        return "?" + urlencode({**self.extra, **cursor}) if {**self.extra, **cursor} else "?"

    @property
    def has_other_pages(self) -> bool:
        return bool(self.first_key) and (self.has_previous or self.has_next)

    @property
    def first_query(self) -> str:
        return self._query()

    @property
    def last_query(self) -> str:
        return self._query(dir="last")

    @property
    def previous_query(self) -> str:
        return self._query(**{"from": self.first_key, "dir": "prev"})

    @property
    def next_query(self) -> str:
        return self._query(**{"from": self.last_key})


# A list split by a field's values (`keyset_page`'s `split`) is read a value at a time for
# up to this many values; more, and it is read as one.
MOST_SPLIT = 200


def keyset_page(
    queryset, keyset: Keyset, params, *, size: int, extra=None, split=None, keep=None
) -> KeysetPage:
    """The page of `queryset` that the request's `from` and `dir` ask for (`params`, a
    QueryDict or dict): one query of at most `size + 1` rows (two when the key is past the
    end: the first page is shown). Walking back, pages line up
    with the end, so the first one met may be short: no row is shown twice on the way.

    `split` (a field and the values the list is kept to, e.g. the watched pages' ids: a
    list, or a query of them; the rows of other values are left out here): on PostgreSQL,
    for up to MOST_SPLIT values, the page is found among each value's own first rows, read
    value by value from an index that starts with the field (two queries), however the
    values' rows lie in the list's order; one query may instead walk the list's own index
    past every row of other values (a busy page's edits, all older than the rest of the
    wiki's). More values, or another database, and the list is read as one.

    `keep`: a test of a row that only Python can make (a broken redirect's first line): the
    rows failing it are read past, a page's worth at a time and at most MOST_READ_PAGES of
    them for a page, so a page shows `size` rows wherever that many are within reach, and
    its links go on from the last row read."""
    extra = {name: value for name, value in (extra or {}).items() if name != OLD_PAGE}
    read = functools.partial(first_rows, split=split)
    if keep is not None:
        read = functools.partial(_kept_rows, keyset=keyset, keep=keep, read=read)
    raw, direction = params.get("from", ""), params.get("dir", "")
    if direction == "last":
        return _backwards(queryset, keyset, size, extra, has_next=False, read=read)
    try:
        values = keyset.parse(queryset.model, raw, queryset.query.annotations) if raw else None
    except BadCursor:
        values = None
    if values is None:
        return _forwards(queryset, keyset, size, extra, has_previous=False, read=read)
    if direction == "prev":
        before = queryset.filter(keyset.beyond(values, backwards=True))
        page = _backwards(before, keyset, size, extra, has_next=True, read=read)
    else:
        after = queryset.filter(keyset.beyond(values))
        page = _forwards(after, keyset, size, extra, has_previous=True, read=read)
    if not page.first_key:  # a key past either end (its rows deleted, or made up): start again
        return _forwards(queryset, keyset, size, extra, has_previous=False, read=read)
    return page


def first_rows(queryset, order: list[str], count: int, *, split) -> list:
    """The first `count` rows of `queryset` in `order`, kept to `split`'s values when it is
    given (see `keyset_page`)."""
    ordered = queryset.order_by(*order)
    if split is None:
        return list(ordered[:count])
    field, values = split
    if connection.vendor == "postgresql":
        few = list(values[: MOST_SPLIT + 1])  # a list, or a query of them
        if not few:
            return []
        if len(few) <= MOST_SPLIT:
            firsts = [ordered.filter(**{field: value}).values("pk")[:count] for value in few]
            found = firsts[0].union(*firsts[1:], all=True) if len(firsts) > 1 else firsts[0]
            return list(ordered.filter(pk__in=[row["pk"] for row in found])[:count])
    return list(ordered.filter(**{f"{field}__in": list(values)})[:count])


def _forwards(queryset, keyset, size, extra, *, has_previous, read) -> KeysetPage:
    rows = read(queryset, keyset.order_by(), size + 1)
    page = KeysetPage(
        rows[:size], has_previous, len(rows) > size, keyset, extra, is_first=not has_previous
    )
    return _read_past(page, rows, size, backwards=False)


def _backwards(queryset, keyset, size, extra, *, has_next, read) -> KeysetPage:
    rows = read(queryset, keyset.order_by(reverse=True), size + 1)
    more = len(rows) > size
    page = KeysetPage(rows[:size][::-1], more, has_next, keyset, extra, is_first=not more)
    return _read_past(page, rows, size, backwards=True)


# A list whose rows a test in Python keeps or leaves out (`keyset_page`'s `keep`) reads at
# most this many pages' worth of rows for one page.
MOST_READ_PAGES = 10


class KeptRows(list):
    """The rows `_kept_rows` kept, and the first and the last row it read."""

    first_read = last_read = None
    read_on = False  # it stopped at MOST_READ_PAGES with rows left unread


def _kept_rows(queryset, order, count, *, keyset, keep, read) -> KeptRows:
    """The first `count` rows of `queryset` in `order` that pass `keep`, among at most
    MOST_READ_PAGES × `count` read."""
    kept, rest = KeptRows(), queryset
    for _ in range(MOST_READ_PAGES):
        rows = read(rest, order, count)
        for row in rows:
            kept.first_read = kept.first_read or row
            kept.last_read = row
            if keep(row):
                kept.append(row)
                if len(kept) == count:
                    return kept
        if len(rows) < count:
            return kept
        values = tuple(getattr(kept.last_read, name) for name in keyset.fields)
        rest = queryset.filter(keyset.beyond(values, backwards=order != keyset.order_by()))
    kept.read_on = True
    return kept


def _read_past(page: KeysetPage, rows, size: int, *, backwards: bool) -> KeysetPage:
    """A page of kept rows (`_kept_rows`): its links go on from the rows read, not only
    those shown (a page may show none of the rows it read)."""
    if not isinstance(rows, KeptRows) or rows.first_read is None:
        return page
    more = len(rows) > size or rows.read_on
    first = page.keyset.key_of(rows.first_read)
    last = page.keyset.key_of(rows[size - 1] if len(rows) > size else rows.last_read)
    if backwards:  # read from the end: the first row read is the page's last
        page.has_previous, page.is_first = more, not more
        page.first_key, page.last_key = last, first
    else:
        page.has_next = more
        page.first_key, page.last_key = first, last
    return page


def _field(model, name: str) -> models.Field:
    found = model._meta.pk if name == "pk" else model._meta.get_field(name)
    while found.is_relation:  # a one-to-one primary key: the type of what it points at
        found = found.target_field
    return found


def _encode(value) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime(TIME_FORMAT)
    return str(value)


def _decode(model_field: models.Field, raw: str):
    try:
        if isinstance(model_field, models.DateTimeField):
            if not raw.isdigit() or len(raw) not in (14, 20):
                raise BadCursor(raw)
            return datetime.strptime(raw.ljust(20, "0"), TIME_FORMAT).replace(tzinfo=UTC)
        if isinstance(model_field, (models.IntegerField, models.AutoField)):
            value = int(raw)
            if not 0 <= value < 2**63:
                raise BadCursor(raw)
            return value
    except ValueError:
        raise BadCursor(raw) from None
    return raw
