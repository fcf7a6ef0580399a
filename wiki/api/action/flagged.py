"""FlaggedRevs' modules as this wiki maps them: prop=flagged (each page's stable revision),
rvprop=flagged (each revision's level) and action=review (mark a revision).

FlaggedRevs' levels are numbers: 0 "stable" (sighted) is our "checked", 1 "quality" is our
"medically reviewed"; "pristine" has no counterpart."""

from ...models import Article, Revision
from ...review.services import Level, ReviewRefused, mark_reviewed
from .edit import check_editor
from .params import Failure, Params, timestamp

FLAGGED_LEVELS = {Level.CHECKED: (0, "stable"), Level.REVIEWED: (1, "quality")}
ACCURACY_LEVELS = {"1": Level.CHECKED, "2": Level.REVIEWED}


def level_entry(level: str | None) -> dict | None:
    if level not in FLAGGED_LEVELS:
        return None
    number, text = FLAGGED_LEVELS[level]
    return {"level": number, "level_text": text}


def prop_flagged(article: Article, entry: dict, p: Params, request) -> None:
    """The stable revision (the newest of at least the site's WIKI_STABLE_LEVEL), its level,
    and since when newer edits wait; no key for a page without one, as FlaggedRevs does."""
    stable = article.stable_revision_id
    if stable is None:
        return
    level = Level.REVIEWED if stable == article.reviewed_revision_id else Level.CHECKED
    flagged = {"stable_revid": stable, **level_entry(level)}
    first_pending = (
        Revision.objects.filter(article_id=article.pk, pk__gt=stable)
        .order_by("pk")
        .values_list("created_at", flat=True)
        .first()
    )
    if first_pending is not None:
        flagged["pending_since"] = timestamp(first_pending)
    entry["flagged"] = flagged


def revision_flagged(entry: dict, info: Revision, text, p: Params) -> None:
    """rvprop=flagged: the revision's highest level, when it has one."""
    if found := level_entry(getattr(info, "review_level", None)):
        entry["flagged"] = found


def action_review(request, p: Params) -> dict:
    """revid= and flag_accuracy= (1 checked, 2 medically reviewed), comment=; refused with
    permissiondenied for a level the user may not set."""
    check_editor(request, p)
    if not p.has("revid"):
        raise Failure("missingparam", 'The "revid" parameter must be set.')
    info = Revision.objects.filter(pk=p.int("revid")).first()
    if info is None or info.article_id is None:
        raise Failure("nosuchrevid", f"There is no revision with ID {p.get('revid')}.")
    level = ACCURACY_LEVELS.get(p.get("flag_accuracy", "1"))
    if level is None:
        raise Failure("badvalue", 'flag_accuracy is 1 ("checked") or 2 ("medically reviewed").')
    try:
        mark_reviewed(revision=info, user=request.user, level=level, note=p.get("comment", ""))
    except ReviewRefused as refused:
        code = "permissiondenied" if refused.status == 403 else "review-denied"
        raise Failure(code, str(refused)) from None
    return {"review": {"result": "Success", "revid": info.pk, "level": level.value}}
