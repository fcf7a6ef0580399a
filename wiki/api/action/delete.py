"""action=delete and action=undelete: administrators only, through the editorial deletion
service (the history is kept, and comes back whole); refusals in MediaWiki's error codes."""

from ...editorial.deletion import UndeleteRefused, page_delete, page_undelete
from ...editorial.logs import latest_deletion
from ...editorial.models import LogEntry
from ...permissions import can_delete
from ...titles import InvalidTitle, validate_title
from .edit import check_editor, existing_article
from .params import Failure, Params

ADMINISTRATORS_ONLY = "The action you have requested is limited to users in the group: sysop."


def _check_administrator(request, p: Params) -> None:
    check_editor(request, p)
    if not can_delete(request.user):
        raise Failure("permissiondenied", ADMINISTRATORS_ONLY)


def action_delete(request, p: Params) -> dict:
    _check_administrator(request, p)
    article = existing_article(p)
    reason = p.get("reason", "")[:500]
    entry = page_delete(article=article, user=request.user, reason=reason)
    return {"delete": {"title": entry.target, "reason": reason, "logid": entry.pk}}


def _deleted_title(p: Params) -> str:
    raw = p.get("title", "")
    if not raw:
        raise Failure("missingparam", 'The "title" parameter must be set.')
    try:
        return validate_title(raw)
    except InvalidTitle as exc:
        raise Failure("invalidtitle", f'Bad title "{raw}": {exc}') from None


def action_undelete(request, p: Params) -> dict:
    _check_administrator(request, p)
    title = _deleted_title(p)
    deletion = latest_deletion(title)
    reason = p.get("reason", "")[:500]
    try:
        if deletion is None or deletion.article_id is None:
            raise UndeleteRefused("Nothing of this page is left to undelete.")
        page_undelete(article_id=deletion.article_id, user=request.user, reason=reason)
    except UndeleteRefused as refused:
        raise Failure("cantundelete", f"Couldn't undelete: {refused}") from None
    restored = LogEntry.objects.filter(
        type=LogEntry.Type.DELETE, action="restore", article_id=deletion.article_id
    ).first()
    count = restored.params.get("revisions", 0) if restored else 0
    return {"undelete": {"title": title, "revisions": count, "fileversions": 0, "reason": reason}}
