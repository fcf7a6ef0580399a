"""How the Action API reads a request and writes its answer: parameters (POST over GET), the
failures MediaWiki names, timestamps and the two output formats (formatversion 1 and 2)."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from ...editorial.revision_hiding import without_hidden_authors

CONTENT_MODEL, CONTENT_FORMAT = "markdown", "text/markdown"
CATEGORY_NS, CATEGORY_PREFIX = 14, "Category:"
MAX_LIMIT, MAX_CONTENT_LIMIT = 500, 50


class Failure(Exception):
    """An error answer: MediaWiki's code, its words, and any data its module adds beside
    them (SpamBlacklist's `spamblacklist: {matches}`, maxlag's host and lag)."""

    def __init__(self, code: str, info: str, **details):
        super().__init__(info)
        self.code, self.info, self.details = code, info, details


class Params:
    """The request's parameters (POST over GET), read as MediaWiki reads them; `fields` are
    the body's fields and files (`multipart.body_fields`)."""

    def __init__(self, request, fields: tuple = ({}, {}), prefix: str = ""):
        self.request = request
        self.data = request.GET.copy()
        self.data.update(fields[0])
        self.files = fields[1]
        self.prefix = prefix
        self.v2 = self.data.get("formatversion") in ("2", "latest")

    def with_prefix(self, prefix: str) -> "Params":
        other = object.__new__(Params)
        other.__dict__.update(self.__dict__, prefix=prefix)
        return other

    def get(self, name: str, default=None):
        return self.data.get(self.prefix + name, default)

    def has(self, name: str) -> bool:
        return self.prefix + name in self.data

    def list(self, name: str, default: str = "") -> list[str]:
        raw = self.get(name, default) or ""
        return [v for v in raw.split("|") if v]

    def int(self, name: str, default: int | None = None) -> int | None:
        raw = self.get(name)
        if raw in (None, ""):
            return default
        try:
            return int(raw)
        except ValueError:
            raise Failure(
                "badinteger", f'Invalid value "{raw}" for integer parameter "{self.prefix}{name}".'
            ) from None

    def limit(self, name: str = "limit", default: int = 10, most: int = MAX_LIMIT) -> int:
        if self.get(name) == "max":
            return most
        return max(1, min(self.int(name, default), most))

    def flag(self, name: str) -> bool:
        return self.has(name) and self.get(name) not in ("0", "false")

    def set_flag(self, out: dict, key: str, value: bool) -> None:
        """fv1 writes a present flag as "", leaves a false one out; fv2 writes booleans."""
        if self.v2:
            out[key] = bool(value)
        elif value:
            out[key] = ""

    def text(self, out: dict, value: str) -> None:
        self.named(out, "content", value)

    def named(self, out: dict, key: str, value) -> None:
        """fv2 gives a value its name; fv1 calls it `*`."""
        out[key if self.v2 else "*"] = value

    def wrapped(self, value):
        """fv2 gives a value as it is; fv1 wraps it as `{"*": value}`."""
        return value if self.v2 else {"*": value}


def timestamp(moment) -> str:
    return timezone.localtime(moment, timezone.get_fixed_timezone(0)).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(raw: str):
    """MediaWiki accepts 20260102030405 and ISO 8601."""
    raw = raw.strip()
    for fmt in ("%Y%m%d%H%M%S", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S"):
        try:
            return dt.datetime.strptime(raw, fmt).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    raise Failure("badtimestamp", f'Invalid value "{raw}" for timestamp parameter.')


def in_time_window(revisions, lp: Params, *, newer: bool):
    """The revisions between `start` and `end` (rvstart/rvend, rcstart/rcend), which name
    their bounds in the direction of the listing."""
    if lp.get("start"):
        start = parse_timestamp(lp.get("start"))
        revisions = revisions.filter(**{"created_at__gte" if newer else "created_at__lte": start})
    if lp.get("end"):
        end = parse_timestamp(lp.get("end"))
        revisions = revisions.filter(**{"created_at__lte" if newer else "created_at__gte": end})
    return revisions


def by_user(revisions, lp: Params):
    """The revisions of the contributor named by `user` (rvuser, rcuser), if one is."""
    if user := lp.get("user"):
        name = user.replace("_", " ")  # MediaWiki writes "Otto" for the account "otto"
        revisions = revisions.filter(contributor__name__in={name, name[:1].lower() + name[1:]})
        return without_hidden_authors(revisions, lp.request.user)
    return revisions


def mark_hidden(entry: dict, info, p: Params) -> None:
    """MediaWiki's flags on a revision with hidden parts (texthidden, commenthidden,
    userhidden, suppressed), the parts left out for a reader who may not see them; `info`
    went through `revision_hiding.shown_to`."""
    hidden = info.hidden
    for part, flag, keys in HIDDEN_FLAGS:
        if getattr(hidden, part):
            p.set_flag(entry, flag, True)
            if not info.readable:
                for key in keys:
                    entry.pop(key, None)
    if hidden.anything and hidden.suppressed:
        p.set_flag(entry, "suppressed", True)


HIDDEN_FLAGS = (
    ("text", "texthidden", ("content", "slots", "sha1", "contentformat", "contentmodel")),
    ("summary", "commenthidden", ("comment", "parsedcomment")),
    ("author", "userhidden", ("user", "userid", "anon")),
)


def after_continue(rows, lp: Params, *, newer: bool):
    """Where `continue` (rccontinue, lecontinue, uccontinue: the next row's time, to the
    microsecond, and id) left off, for rows with `created_at`."""
    if not lp.get("continue"):
        return rows
    at_raw, _, id_raw = lp.get("continue").partition("|")
    try:
        at = dt.datetime.fromisoformat(at_raw)
    except ValueError:
        raise Failure("badcontinue", "Invalid continue param.") from None
    rid = int(id_raw) if id_raw.isdigit() else 0
    if newer:
        return rows.filter(Q(created_at__gt=at) | Q(created_at=at, pk__gte=rid))
    return rows.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lte=rid))
