"""The query's list= modules about what was done (neither is a generator, as in MediaWiki):
logevents (the public log: moves, deletions, protections, blocks, uploads…) and usercontribs
(an account's edits). Both are newest first, continued by the next row's time and id."""

import datetime as dt

from django.db.models import F, Q

from ...editorial.logs import USER_PREFIX, readable_logs
from ...editorial.models import LogEntry
from ...editorial.revision_hiding import shown_to, without_hidden_authors
from ...models import Revision
from .params import Failure, Params, after_continue, in_time_window, mark_hidden, timestamp

NAMESPACES = {"User:": 2, "File:": 6, "Template:": 10, "Category:": 14}


def _page(lp: Params, rows, key: str):
    """The page of rows the limit allows, and where the next one continues."""
    limit = lp.limit()
    found = list(rows[: limit + 1])
    cont = {}
    if len(found) > limit:
        nxt = found[limit]
        cont[key] = f"{nxt.created_at.isoformat()}|{nxt.pk}"  # to the microsecond
    return found[:limit], cont


def _ordered(rows, lp: Params):
    newer = lp.get("dir", "older") == "newer"
    rows = rows.order_by(*(("created_at", "pk") if newer else ("-created_at", "-pk")))
    return in_time_window(after_continue(rows, lp, newer=newer), lp, newer=newer)


def _user_name(name: str) -> str:
    """A name as MediaWiki writes user names: spaces, a capital first letter."""
    name = name.replace("_", " ").strip()
    return name[:1].upper() + name[1:]


# logevents


def _namespace(title: str) -> int:
    return next((ns for prefix, ns in NAMESPACES.items() if title.startswith(prefix)), 0)


def _move_params(entry: LogEntry, p: Params) -> dict:
    to = entry.params.get("to", "")
    params = {"target_ns": _namespace(to), "target_title": to}
    p.set_flag(params, "suppressredirect", entry.params.get("redirect") is False)
    return params


def _block_params(entry: LogEntry, p: Params) -> dict:
    if entry.action != "block":
        return {}
    params = {"duration": entry.params.get("until", "infinite"), "flags": []}
    if expiry := entry.params.get("expiry"):
        params["expiry"] = timestamp(dt.datetime.fromisoformat(expiry))
    p.set_flag(params, "sitewide", entry.params.get("scope") == "every page")
    return params


def _log_params(entry: LogEntry, p: Params) -> dict:
    """The entry's details in MediaWiki's names for them (only those the log keeps)."""
    if entry.type == LogEntry.Type.MOVE:
        return _move_params(entry, p)
    if entry.type == LogEntry.Type.BLOCK:
        return _block_params(entry, p)
    if (entry.type, entry.action) == (LogEntry.Type.DELETE, "restore"):
        return {"count": {"revisions": entry.params.get("revisions", 0), "files": 0}}
    if entry.type == LogEntry.Type.PROTECT and entry.action != "unprotect":
        level, until = entry.params.get("level", ""), entry.params.get("until", "")
        return {"description": f"{level} ({until})"}
    if entry.type == LogEntry.Type.PATROL:
        return {"curid": entry.params.get("revision", 0), "previd": 0, "auto": 0}
    return {}


def _log_title(target: str) -> str:
    """The target as MediaWiki titles it: an account's page as "User:Name"."""
    if target.startswith(USER_PREFIX):
        return USER_PREFIX + _user_name(target.removeprefix(USER_PREFIX))
    return target


def _log_item(entry: LogEntry, p: Params) -> dict:
    page_id = entry.article_id or 0
    return {
        "logid": entry.pk,
        "ns": _namespace(entry.target),
        "title": _log_title(entry.target),
        "pageid": page_id,
        "logpage": page_id,
        "params": _log_params(entry, p),
        "type": entry.type,
        "action": entry.action,
        "user": _user_name(entry.performer_name) if entry.performer_id else "MediaWiki default",
        "timestamp": timestamp(entry.created_at),
        "comment": entry.comment,
    }


def _log_filtered(le: Params):
    """letype, leaction ("type/action"), leuser and letitle."""
    entries = readable_logs(le.request.user)
    if kind := le.get("type"):
        if kind not in LogEntry.Type.values:
            raise Failure("badvalue", f'Unrecognized value for parameter "letype": {kind}.')
        entries = entries.filter(type=kind)
    if action := le.get("action"):
        kind, _, verb = action.partition("/")
        entries = entries.filter(type=kind, action=verb)
    if user := le.get("user"):
        entries = entries.filter(performer_name__iexact=user.replace("_", " ").strip())
    if title := le.get("title"):
        entries = entries.filter(target__iexact=title.replace("_", " ").strip())
    return entries


def list_logevents(le: Params, p: Params):
    entries, cont = _page(le, _ordered(_log_filtered(le), le), "lecontinue")
    return [_log_item(entry, p) for entry in entries], cont


# usercontribs

CONTRIBS_SHOWN = {
    "minor": Q(minor=True),
    "!minor": Q(minor=False),
    "new": Q(kind=Revision.Kind.CREATE),
    "!new": ~Q(kind=Revision.Kind.CREATE),
    "top": Q(article__latest_revision=F("pk")),
    "!top": ~Q(article__latest_revision=F("pk")),
    "patrolled": Q(patrol__isnull=False),
    "!patrolled": Q(patrol__isnull=True),
    "autopatrolled": Q(pk__in=[]),  # no edit is marked patrolled by its author's right
    "!autopatrolled": Q(),
}


def _contributions(uc: Params):
    """The revisions of the accounts (or credited names) in ucuser, with ucshow applied."""
    names = [name.replace("_", " ").strip() for name in uc.list("user")]
    if not names:
        raise Failure(
            "missingparam",
            'One of the parameters "ucuser", "ucuserids", "ucuserprefix" and "uciprange" '
            "is required.",
        )
    by_name = Q()
    for name in names:
        by_name |= Q(contributor__name=name) | Q(contributor__user__username__iexact=name)
    revisions = Revision.objects.filter(by_name).select_related("contributor", "article")
    revisions = without_hidden_authors(revisions, uc.request.user)
    for name in uc.list("show"):
        if name in CONTRIBS_SHOWN:
            revisions = revisions.filter(CONTRIBS_SHOWN[name])
    return revisions


def _contribution(revision: Revision, uc: Params, p: Params) -> dict:
    contributor = revision.contributor
    item = {
        "userid": contributor.user_id or 0,
        "user": contributor.name,
        "pageid": revision.article_id,
        "revid": revision.pk,
        "parentid": revision.parent_id or 0,
        "ns": 0,
        "title": revision.title,
        "timestamp": timestamp(revision.created_at),
        "comment": revision.summary,
        "size": revision.size,
    }
    if "sizediff" in uc.list("prop"):
        item["sizediff"] = revision.size_delta
    p.set_flag(item, "new", revision.kind == Revision.Kind.CREATE)
    p.set_flag(item, "minor", revision.minor)
    p.set_flag(item, "top", revision.article.latest_revision_id == revision.pk)
    mark_hidden(item, revision, p)
    return item


def list_usercontribs(uc: Params, p: Params):
    revisions, cont = _page(uc, _ordered(_contributions(uc), uc), "uccontinue")
    shown = shown_to(p.request.user, revisions)
    return [_contribution(revision, uc, p) for revision in shown], cont


HISTORY_LISTS = {"logevents": list_logevents, "usercontribs": list_usercontribs}
HISTORY_PREFIX = {"logevents": "le", "usercontribs": "uc"}
