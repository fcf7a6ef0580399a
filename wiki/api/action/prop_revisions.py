"""The query's prop=revisions: the latest revision of each page, the revisions revids= named,
or (rvlimit, rvstart, rvdir, … on one page) a listing of its history."""

import hashlib

from ...editorial.revision_hiding import shown_to
from ...models import Revision
from ...review.services import with_review_marks
from ...snapshots import load_snapshots
from ...sources import section_text
from .compare import diff_rows
from .flagged import revision_flagged
from .params import (
    CONTENT_FORMAT,
    CONTENT_MODEL,
    MAX_CONTENT_LIMIT,
    MAX_LIMIT,
    Failure,
    Params,
    by_user,
    in_time_window,
    mark_hidden,
    timestamp,
)

# Any of these lists a page's history instead of giving its latest revision.
LISTING_PARAMETERS = ("limit", "startid", "endid", "start", "end", "dir", "continue", "user")


def _ids(entry: dict, info: Revision, text, p: Params) -> None:
    entry.update(revid=info.pk, parentid=info.parent_id or 0)


def _flags(entry: dict, info: Revision, text, p: Params) -> None:
    p.set_flag(entry, "minor", info.minor)


def _user(entry: dict, info: Revision, text, p: Params) -> None:
    entry["user"] = info.contributor.name if info.contributor else "Importer"
    if info.user_id is None and info.contributor is None:
        p.set_flag(entry, "anon", True)


def _timestamp(entry: dict, info: Revision, text, p: Params) -> None:
    entry["timestamp"] = timestamp(info.created_at)


def _size(entry: dict, info: Revision, text, p: Params) -> None:
    entry["size"] = info.size


def _comment(entry: dict, info: Revision, text, p: Params) -> None:
    entry["comment"] = info.summary


def _sha1(entry: dict, info: Revision, text, p: Params) -> None:
    if text is not None:
        entry["sha1"] = hashlib.sha1(text.encode()).hexdigest()


# rvprop values in the order their fields appear in an entry.
REVISION_FIELDS = (
    ("ids", _ids),
    ("flags", _flags),
    ("user", _user),
    ("timestamp", _timestamp),
    ("size", _size),
    ("comment", _comment),
    ("sha1", _sha1),
    ("flagged", revision_flagged),
)


def _add_content(entry: dict, text: str | None, p: Params, props: list[str]) -> None:
    """The text as a slot (rvslots) or on the entry itself, as MediaWiki before slots did."""
    if "content" in props and text is not None:
        if p.get("rvslots"):
            slot = {"contentmodel": CONTENT_MODEL, "contentformat": CONTENT_FORMAT}
            p.text(slot, text)
            entry["slots"] = {"main": slot}
        else:
            entry.update(contentformat=CONTENT_FORMAT, contentmodel=CONTENT_MODEL)
            p.text(entry, text)
    elif "contentmodel" in props:
        entry["contentmodel"] = CONTENT_MODEL


def revision_entry(info: Revision, text: str | None, p: Params, props: list[str]) -> dict:
    entry: dict = {}
    for name, add in REVISION_FIELDS:
        if name in props:
            add(entry, info, text, p)
    _add_content(entry, text, p, props)
    mark_hidden(entry, info, p)
    return entry


def _in_id_range(revisions, rv: Params, *, newer: bool):
    """From rvcontinue (else rvstartid) to rvendid, in the listing's direction."""
    after = rv.int("continue") if rv.has("continue") else rv.int("startid")
    if after is not None:
        revisions = revisions.filter(**{"pk__gte" if newer else "pk__lte": after})
    if (end := rv.int("endid")) is not None:
        revisions = revisions.filter(**{"pk__lte" if newer else "pk__gte": end})
    return revisions


def _listed(revisions, rv: Params, props: list[str], cont: dict) -> list[Revision]:
    """One page of a page's history; where the next begins goes to `cont`."""
    newer = rv.get("dir", "older") == "newer"
    revisions = revisions.order_by("revision_id" if newer else "-revision_id")
    revisions = _in_id_range(revisions, rv, newer=newer)
    revisions = by_user(in_time_window(revisions, rv, newer=newer), rv)
    most = MAX_CONTENT_LIMIT if "content" in props else MAX_LIMIT
    limit = rv.limit(default=10, most=most)
    rows = list(revisions[: limit + 1])
    if len(rows) > limit:
        cont["rvcontinue"] = str(rows[limit].pk)
    return rows[:limit]


def _wanted(pages, rv: Params, props: list[str], cont: dict) -> dict[int, list[Revision]]:
    """The revisions to give, by article id."""
    listing = any(rv.has(name) for name in LISTING_PARAMETERS)
    if listing and len(pages.articles) > 1:
        raise Failure(
            "multpages",
            "titles, pageids or a generator was used to supply multiple pages, "
            "but the rvlimit, rvstartid, rvendid, rvdir, rvstart and rvend parameters may "
            "only be used on a single page.",
        )
    wanted: dict[int, list[Revision]] = {}
    for article in pages.articles:
        revisions = Revision.objects.filter(article_id=article.pk).select_related("contributor")
        if "flagged" in props:
            revisions = with_review_marks(revisions)
        if article.pk in pages.revids:
            wanted[article.pk] = list(revisions.filter(pk__in=pages.revids[article.pk]))
        elif not listing:
            wanted[article.pk] = list(revisions.filter(pk=article.latest_revision_id))
        else:
            wanted[article.pk] = _listed(revisions, rv, props, cont)
    return wanted


def _texts(wanted: dict[int, list[Revision]], props: list[str]) -> dict[int, str]:
    """The texts asked for, of the revisions whose text the reader may see."""
    if "content" not in props and "sha1" not in props:
        return {}
    ids = [r.pk for rows in wanted.values() for r in rows if r.text_readable]
    return {pk: snap.source for pk, snap in load_snapshots(ids).items()}


def _section_of(text: str | None, section: str | None, info: Revision) -> str | None:
    """rvsection: only that section of the text."""
    if text is None or section in (None, ""):
        return text
    try:
        return section_text(text, int(section))
    except (ValueError, IndexError):
        raise Failure("rvnosuchsection", f"There is no section {section} in r{info.pk}.") from None


def prop_revisions(pages, entries: dict, p: Params, cont: dict) -> None:
    rv = p.with_prefix("rv")
    props = rv.list("prop", "ids|timestamp|flags|comment|user")
    wanted = _wanted(pages, rv, props, cont)
    for rows in wanted.values():
        shown_to(p.request.user, rows)
    texts = _texts(wanted, props)
    section = rv.get("section")
    for article_id, rows in wanted.items():
        entries[article_id]["revisions"] = [
            revision_entry(info, _section_of(texts.get(info.pk), section, info), p, props)
            for info in rows
        ]
        if rv.get("diffto"):
            _add_diffs(rows, entries[article_id]["revisions"], rv.get("diffto"), p)


def _diff_target(info: Revision, diffto: str) -> int | None:
    """rvdiffto: prev, next, cur or a revision id; None when there is none that way."""
    history = Revision.objects.filter(article_id=info.article_id)
    if diffto.isdigit():
        return int(diffto) if history.filter(pk=int(diffto)).exists() else None
    found = {
        "prev": lambda: history.filter(pk__lt=info.pk).order_by("-pk").first(),
        "next": lambda: history.filter(pk__gt=info.pk).order_by("pk").first(),
        "cur": lambda: history.order_by("-pk").first(),
    }.get(diffto, lambda: None)()
    return found.pk if found else None


def _add_diffs(rows: list[Revision], out: list[dict], diffto: str, p: Params) -> None:
    """Each revision's `diff` (from the other revision to it, or `to` it for next/cur), as
    MediaWiki's deprecated but still served rvdiffto gives."""
    for info, entry in zip(rows, out, strict=True):
        other = _diff_target(info, diffto)
        if other is None or not info.text_readable:
            entry["diff"] = {"notcached": True if p.v2 else ""}
            continue
        pair = (other, info.pk) if other < info.pk else (info.pk, other)
        texts = load_snapshots(list(pair))
        diff = {"from": pair[0], "to": pair[1]}
        old, new = (texts.get(pk) for pk in pair)
        p.named(diff, "body", diff_rows(old.source if old else "", new.source if new else ""))
        entry["diff"] = diff
