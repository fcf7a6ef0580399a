"""action=protect: administrators only, through the editorial protection service
(`article_protect`). The wiki has one protection: a protected page can be edited (and so
moved) by administrators only, which MediaWiki writes as edit=sysop and move=sysop."""

import datetime as dt

from django.utils import timezone

from ...editorial.protection import article_protect
from ...models import Article
from ...permissions import EditRefused, can_protect
from .edit import check_editor, existing_article
from .params import Failure, Params, parse_timestamp, timestamp

TYPES = ("edit", "move")
LEVELS = {"all": "", "": "", "sysop": Article.Protection.ADMINS}
FOREVER = ("infinite", "indefinite", "infinity", "never", "")


def _level(p: Params) -> str:
    """The one level the protections= pairs ask for (edit=…|move=…)."""
    levels = set()
    for pair in p.list("protections"):
        kind, _, level = pair.partition("=")
        if kind not in TYPES:
            raise Failure("protect-invalidaction", f'Invalid protection type "{kind}".')
        if level not in LEVELS:
            raise Failure("protect-invalidlevel", f'Invalid protection level "{level}".')
        levels.add(LEVELS[level])
    if not levels:
        raise Failure("missingparam", 'The "protections" parameter must be set.')
    if len(levels) > 1:
        raise Failure(
            "protect-invalidlevel",
            "Editing and moving are protected together here: give both the same level.",
        )
    return levels.pop()


def _expiry(p: Params) -> dt.datetime | None:
    raw = (p.list("expiry") or ["infinite"])[0]
    if raw in FOREVER:
        return None
    expires = parse_timestamp(raw)
    if expires <= timezone.now():
        raise Failure("pastexpiry", f'Expiry time "{raw}" is in the past.')
    return expires


def action_protect(request, p: Params) -> dict:
    check_editor(request, p)
    if not can_protect(request.user):
        raise Failure(
            "permissiondenied",
            "The action you have requested is limited to users in the group: sysop.",
        )
    article = existing_article(p)
    level, expires = _level(p), _expiry(p)
    expires = expires if level else None
    reason = p.get("reason", "")[:500]
    try:
        article_protect(
            article=article, user=request.user, level=level, expires=expires, reason=reason
        )
    except EditRefused as refused:
        raise Failure("cantedit", str(refused)) from None
    written = timestamp(expires) if expires else "infinite"
    protections = [{kind: "sysop" if level else "", "expiry": written} for kind in TYPES]
    return {"protect": {"title": article.title, "reason": reason, "protections": protections}}
