"""action=rollback and action=patrol, in MediaWiki 1.39's shapes. A rollback takes back the
last editor's consecutive edits by restoring the revision before them, through the edit door
(history's restore edit); patrol marks a change looked at (editorial patrol)."""

from ...editorial.patrol import revision_patrol
from ...history.services import restore_edit
from ...models import Revision
from ...permissions import can_patrol
from .edit import _submit, check_editor, existing_article
from .lists_site import user_name
from .params import Failure, Params


def _author(info: Revision) -> str:
    return user_name(info.contributor.name) if info.contributor else ""


def action_rollback(request, p: Params) -> dict:
    check_editor(request, p)
    article = existing_article(p)
    user = (p.get("user") or "").replace("_", " ")
    if not user:
        raise Failure("missingparam", 'The "user" parameter must be set.')
    history = list(
        Revision.objects.filter(article_id=article.pk).select_related("contributor").order_by("-pk")
    )
    last = history[0]
    if _author(last).lower() != user.lower():
        raise Failure(
            "alreadyrolled",
            f'Cannot rollback last edit of "{article.title}" by {user}: someone else has edited '
            "or rolled back the page already.",
        )
    target = next((r for r in history if _author(r).lower() != user.lower()), None)
    if target is None:
        raise Failure("onlyauthor", "The page you tried to rollback only has one author.")
    summary = p.get("summary") or (
        f"Reverted edits by {_author(last)} to last revision by {_author(target) or 'Importer'}"
    )
    article, edit = restore_edit(revision_id=target.pk, user=request.user, summary=summary[:500])
    result = _submit(request, article, edit, interface="revert")
    return {
        "rollback": {
            "title": article.title,
            "pageid": article.pk,
            "summary": summary,
            "revid": result.revision.pk if result.revision else last.pk,
            "old_revid": last.pk,
            "last_revid": target.pk,
        }
    }


def action_patrol(request, p: Params) -> dict:
    """rcid= or revid= (a change's rcid is its revision id here)."""
    check_editor(request, p)
    if not can_patrol(request.user):
        raise Failure("permissiondenied", "You don't have permission to mark changes as patrolled.")
    revid = p.int("revid") if p.has("revid") else p.int("rcid")
    if revid is None:
        raise Failure("missingparam", 'One of the parameters "rcid" and "revid" is required.')
    revision = Revision.objects.filter(pk=revid).first()
    if revision is None:
        code = "nosuchrevid" if p.has("revid") else "nosuchrcid"
        raise Failure(code, f"There is no recent change with ID {revid}.")
    revision_patrol(revision=revision, user=request.user)
    return {"patrol": {"rcid": revision.pk, "ns": 0, "title": revision.title}}
