"""action=move: renaming a page through the editorial move service (`article_move`), which
checks, as the edit door does, that the user may edit it (role, protection, blocks); its
refusals answered with MediaWiki's error codes."""

from ...editorial.moves import MoveRefused, article_move
from ...permissions import EditRefused
from ...titles import InvalidTitle, validate_title
from .edit import check_editor, existing_article
from .params import Failure, Params

TAKEN = (
    "A page of that name already exists, or the name you have chosen is not valid. "
    "Please choose another name."
)


def _move_refusal(refused: EditRefused) -> Failure:
    if refused.code == "protected":
        return Failure("protectedpage", "This page has been protected to prevent editing.")
    if refused.code == "blocked":
        return Failure("blocked", str(refused))
    return Failure("cantmove", "You don't have permission to move this page.")


def _new_title(p: Params, old_title: str) -> str:
    """to=, with the leading colon of the main namespace dropped (pywikibot sends
    ":Title"), as MediaWiki reads titles."""
    raw = p.get("to", "").removeprefix(":")
    if not raw:
        raise Failure("missingparam", 'The "to" parameter must be set.')
    try:
        title = validate_title(raw)
    except InvalidTitle as exc:
        raise Failure("invalidtitle", f'Bad title "{raw}": {exc}') from None
    if title == old_title:
        raise Failure("selfmove", "The title is the same; cannot move a page over itself.")
    return title


def action_move(request, p: Params) -> dict:
    check_editor(request, p)
    article = existing_article(p, "from", "fromid")
    old_title = article.title
    new_title = _new_title(p, old_title)
    reason = p.get("reason", "")[:500]
    try:
        result = article_move(
            article=article,
            new_title=new_title,
            user=request.user,
            reason=reason,
            leave_redirect=not p.flag("noredirect"),
        )
    except EditRefused as refused:
        raise _move_refusal(refused) from None
    except MoveRefused:
        raise Failure("articleexists", TAKEN) from None
    out = {"from": old_title, "to": result.article.title, "reason": reason}
    p.set_flag(out, "redirectcreated", result.redirect is not None)
    p.set_flag(out, "moveoverredirect", result.over_redirect)
    return {"move": out}
