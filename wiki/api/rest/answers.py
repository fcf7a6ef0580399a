"""What the REST API answers: the entries it makes of articles, revisions, contributors,
categories and review states, and the error responses each kind of operation declares."""

from django.conf import settings

from ...editorial.revision_hiding import SHOWN
from ...excerpts import excerpt
from ...models import Article, Category, Contributor, Revision
from ...review.services import review_state
from .. import schemas

ERRORS = {400: schemas.Error, 404: schemas.Error}
REFUSALS = {
    400: schemas.Error,
    401: schemas.Error,
    403: schemas.Error,
    413: schemas.Error,
    429: schemas.Error,
}
HELD = {202: schemas.HeldAnswer}  # a held edit (wiki/antiabuse/holding.py)
CREATE_ERRORS = {**HELD, **REFUSALS, 409: schemas.Error}  # title_taken
WRITE_ERRORS = {**HELD, **REFUSALS, 404: schemas.Error, 409: schemas.Conflict}  # edit_conflict

SUMMARY_FIELDS = ("title", "slug", "latest_revision", "updated_at", "size", "lead_html")


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def article_summary(request, article: Article) -> dict:
    return {
        "title": article.title,
        "url": absolute(request, article.get_absolute_url()),
        "revision_id": article.latest_revision_id,
        "modified": article.updated_at,
        "size": article.size,
        "excerpt": excerpt(article.lead_html),
    }


def contributor_info(request, person: Contributor) -> dict:
    return {
        "name": person.name,
        "credentials": person.credentials,
        "display_name": person.display_name,
        "url": absolute(request, person.get_absolute_url()),
    }


def revision_info(info: Revision) -> dict:
    return {
        "id": info.pk,
        "parent_id": info.parent_id,
        "title": info.title,
        "timestamp": info.created_at,
        "contributor": info.contributor.display_name if info.contributor else None,
        "summary": info.summary,
        "minor": info.minor,
        "kind": info.kind,
        "size": info.size,
        "size_delta": info.size_delta,
        "section": info.section,
        "review_level": getattr(info, "review_level", None),
        **hidden_info(info),
    }


def hidden_info(info: Revision) -> dict:
    """What of the revision is hidden (it went through `revision_hiding.shown_to`, which
    blanked what the reader may not see)."""
    hidden = getattr(info, "hidden", SHOWN)
    return {
        "text_hidden": hidden.text,
        "summary_hidden": hidden.summary,
        "contributor_hidden": hidden.author,
    }


def category_info(request, category: Category, count: int) -> dict:
    return {
        "name": category.name,
        "url": absolute(request, category.get_absolute_url()),
        "description": category.description,
        "parent": category.parent.name if category.parent_id else None,
        "articles": count,
    }


def review_info(article, *, shown_revision_id=None) -> dict:
    state = review_state(article)
    last = state.review
    shown = shown_revision_id or article.latest_revision_id
    return {
        "reviewed_revision_id": article.reviewed_revision_id,
        "reviewed_at": last.created_at if last else None,
        "reviewer": last.reviewer_display if last else None,
        "note": last.note if last else "",
        "edits_since": state.edits_since,
        "readers_see_reviewed": article.readers_see_reviewed,
        "readers_revision_id": shown,
        "checked_revision_id": article.checked_revision_id,
        "stable_level": settings.WIKI_STABLE_LEVEL,
        "readers_revision_level": _level_of(article, shown),
    }


def _level_of(article, revision_id) -> str | None:
    """The highest mark of the article's newest marked revisions (a revision newer than the
    checked one has none)."""
    if revision_id is None:
        return None
    if revision_id == article.reviewed_revision_id:
        return "reviewed"
    return "checked" if revision_id == article.checked_revision_id else None
