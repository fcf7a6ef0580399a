"""/api/v1/articles: list, read (with sections, links, credits and review state), history,
diffs, and the writes (create, edit, revert) through the edit door.

Paths with a suffix are registered before /{title} itself: a title may hold "/"."""

import datetime as dt
import difflib
import re
from typing import Annotated

from ninja import Query, Router
from pydantic import BeforeValidator

from ...editorial.revision_hiding import shown_to
from ...excerpts import excerpt
from ...history.diff import diff_snapshots
from ...history.services import restore_edit
from ...models import Article, Revision
from ...reading import article_page
from ...review.services import (
    ReviewRefused,
    literature_month,
    mark_reviewed,
    readers_page,
    with_review_marks,
)
from ...services import ArticleEdit
from ...snapshots import load_snapshots
from ...sources import section_text, split_source
from ...titles import InvalidTitle, title_to_slug, validate_title
from .. import schemas
from ..errors import ApiError
from ..lookups import article_by_title, aware, require_text, revision_of, sources_of
from .answers import (
    CREATE_ERRORS,
    ERRORS,
    HELD,
    REFUSALS,
    SUMMARY_FIELDS,
    WRITE_ERRORS,
    absolute,
    article_summary,
    contributor_info,
    review_info,
    revision_info,
)
from .auth import WRITE
from .paging import DEFAULT_LIMIT, Limit, keyset
from .saving import check_size, save

articles = Router(tags=["articles"])


def _date_time(value):
    """An ISO 8601 date-time, not the Unix time pydantic would also take from "0.5"."""
    if isinstance(value, str) and not re.match(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}", value):
        raise ValueError("Give a date and time as ISO 8601, e.g. 2024-06-01T00:00:00Z.")
    return value


DateTime = Annotated[dt.datetime, BeforeValidator(_date_time)]


@articles.get("", response={200: schemas.ArticleList, **ERRORS}, summary="List articles")
def list_articles(
    request,
    cursor: str | None = None,
    limit: Limit = DEFAULT_LIMIT,
    modified_since: Annotated[
        DateTime | None,
        Query(description="Only articles changed at or after this time (ISO 8601)."),
    ] = None,
):
    """Every article, oldest first, a page at a time (follow `next_cursor`)."""
    queryset = Article.objects.only(*SUMMARY_FIELDS)
    if modified_since is not None:
        queryset = queryset.filter(updated_at__gte=aware(modified_since))
    rows, next_cursor = keyset(queryset, cursor=cursor, limit=limit)
    return {"items": [article_summary(request, a) for a in rows], "next_cursor": next_cursor}


@articles.post(
    "/{path:title}/revisions/{revision_id}/review",  # not an int: 400, not the 405 of /{title}
    response={200: schemas.ReviewMark, **REFUSALS, 404: schemas.Error},
    summary="Mark a revision checked or medically reviewed",
    **WRITE,
)
def review_revision(request, title: str, revision_id: int, payload: schemas.ReviewRequest):
    """`checked`: any editor verified the revision is not vandalism; `reviewed`: a member of
    Reviewers reviewed it medically. Who may set which level: 403 `review_refused`."""
    article = article_by_title(title)
    info = revision_of(article, revision_id)
    try:
        try:
            literature_to = literature_month(payload.literature_to or "")
        except ValueError:
            raise ReviewRefused("literature_to is a month: YYYY-MM.") from None
        review = mark_reviewed(
            revision=info,
            user=request.user,
            level=payload.level,
            note=payload.note,
            literature_to=literature_to,
        )
    except ReviewRefused as refused:
        code = "review_refused" if refused.status == 403 else "invalid_review"
        raise ApiError(refused.status, str(refused), code=code) from None
    return {
        "revision_id": info.pk,
        "level": review.level,
        "reviewer": review.reviewer_display,
        "note": review.note,
        "literature_to": review.literature_to,
        "created": review.created_at,
    }


@articles.get(
    "/{path:title}/revisions/{int:revision_id}",
    response={200: schemas.RevisionSource, **ERRORS},
    summary="One revision with its source",
)
def get_revision(request, title: str, revision_id: int):
    article = article_by_title(title)
    info = revision_of(article, revision_id, request.user)
    require_text(info)
    source = sources_of([info.pk]).get(info.pk)
    if source is None:
        raise ApiError(404, "The text of this revision is not available.", code="no_text")
    return {**revision_info(info), "source": source}


@articles.get(
    "/{path:title}/revisions",
    response={200: schemas.RevisionList, **ERRORS},
    summary="An article's revisions",
)
def list_revisions(request, title: str, cursor: str | None = None, limit: Limit = DEFAULT_LIMIT):
    """Newest first."""
    article = article_by_title(title)
    queryset = with_review_marks(
        Revision.objects.filter(article_id=article.pk).select_related("contributor")
    )
    rows, next_cursor = keyset(
        queryset, cursor=cursor, limit=limit, key="revision_id", descending=True
    )
    rows = shown_to(request.user, rows)
    return {"items": [revision_info(r) for r in rows], "next_cursor": next_cursor}


def _diff_section(section) -> dict:
    return {
        "status": section.status,
        "heading": section.label,
        "old_number": section.old_number,
        "new_number": section.new_number,
        "moved": section.moved,
        "rows": [
            {"kind": r.kind, "old_html": r.old, "new_html": r.new, "skipped": r.skipped}
            for r in section.rows
        ],
    }


@articles.get(
    "/{path:title}/diff",
    response={200: schemas.Diff, **ERRORS},
    summary="Compare two revisions",
)
def diff(
    request,
    title: str,
    from_: Annotated[int, Query(alias="from", description="The older revision id.")],
    to: Annotated[int, Query(description="The newer revision id.")],
):
    """Section by section, words marked with <ins>/<del>, and a unified diff of the sources."""
    article = article_by_title(title)
    pair = (revision_of(article, from_, request.user), revision_of(article, to, request.user))
    old, new = sorted(pair, key=lambda r: r.pk)
    require_text(old)
    require_text(new)
    snapshots = load_snapshots([old.pk, new.pk])
    if old.pk not in snapshots or new.pk not in snapshots:
        raise ApiError(404, "The text of one of these revisions is not available.", code="no_text")
    before, after = snapshots[old.pk], snapshots[new.pk]
    compared = diff_snapshots(before, after)
    unified = difflib.unified_diff(
        before.source.splitlines(keepends=True),
        after.source.splitlines(keepends=True),
        fromfile=f"r{old.pk}",
        tofile=f"r{new.pk}",
    )
    return {
        "from_revision": old.pk,
        "to_revision": new.pk,
        "title_change": list(compared.title_change) if compared.title_change else None,
        "unified": "".join(unified),
        "sections": [_diff_section(s) for s in compared.sections],
    }


@articles.post(
    "/{path:title}/revert",
    response={200: schemas.SaveAnswer, **HELD, **REFUSALS, 404: schemas.Error},
    summary="Revert to an old revision (as a new revision)",
    **WRITE,
)
def revert_article(request, title: str, payload: schemas.RevertRequest):
    article = article_by_title(title)
    info = revision_of(article, payload.revision_id, request.user)
    require_text(info)
    article, edit = restore_edit(revision_id=info.pk, user=request.user, summary=payload.summary)
    return save(request, article, edit, interface="revert")


@articles.post(
    "", response={201: schemas.SaveAnswer, **CREATE_ERRORS}, summary="Create an article", **WRITE
)
def create_article(request, payload: schemas.ArticleCreate):
    check_size(payload.text)
    try:
        title = validate_title(payload.title)
    except InvalidTitle as exc:
        raise ApiError(400, f"Not a valid title: {exc}", code="invalid_title") from None
    if Article.objects.by_slug(title_to_slug(title)).exists():
        raise ApiError(409, "An article with this title exists.", code="title_taken")
    edit = ArticleEdit(
        text=payload.text,
        base_revision=None,
        user=request.user,
        summary=payload.summary,
        categories=payload.categories,
    )
    return save(request, Article(title=title), edit, status=201, answer=payload)


@articles.put(
    "/{path:title}",
    response={200: schemas.SaveAnswer, **WRITE_ERRORS},
    summary="Edit an article (whole or one section)",
    **WRITE,
)
def edit_article(request, title: str, payload: schemas.ArticleUpdate):
    """Send the revision your text started from as `base_revision`: a save made meanwhile is
    merged when the changes do not overlap (`merged`: true), else a 409 with both texts."""
    check_size(payload.text)
    article = article_by_title(title)
    edit = ArticleEdit(
        text=payload.text,
        base_revision=payload.base_revision or article.latest_revision_id,
        section=payload.section,
        user=request.user,
        summary=payload.summary,
        minor=payload.minor,
        categories=payload.categories,
    )
    return save(request, article, edit, answer=payload)


def _sections(article: Article, source: str) -> list[dict]:
    """The lead (number 0) and each section, with its own source."""
    lead, sections = split_source(source)
    stored = article.ordered_sections
    return [{"number": 0, "heading": "", "level": 0, "anchor": "", "source": lead}] + [
        {
            "number": n,
            "heading": s.heading,
            "level": s.level,
            "anchor": stored[n - 1].anchor if n <= len(stored) else "",
            "source": section_text(source, n),
        }
        for n, s in enumerate(sections, start=1)
    ]


def _links_out(article: Article) -> list[dict]:
    targets = sorted(article.outgoing_links.values_list("target_slug", flat=True))
    existing = set(Article.objects.by_slugs(targets).values_list("slug", flat=True))
    return [{"title": t.replace("_", " "), "exists": t in existing} for t in targets]


def _links_in(article: Article) -> list[str]:
    linking = (
        Article.objects.in_language()
        .filter(outgoing_links__target_slug=article.slug)
        .order_by("title")
    )
    return list(linking.values_list("title", flat=True)[:500])


@articles.get("/{path:title}", response={200: schemas.Article, **ERRORS}, summary="One article")
def get_article(request, title: str):
    """Markdown source, sections, rendered HTML, categories, credits and links in and out.
    (Infobox and medical review state are not in the engine yet.)"""
    article = article_by_title(title)
    page = article_page(article)
    shown = readers_page(article) or page
    source = article.source
    return {
        "title": article.title,
        "url": absolute(request, article.get_absolute_url()),
        "revision_id": article.latest_revision_id,
        "created": article.created_at,
        "modified": article.updated_at,
        "size": article.size,
        "protected": article.is_protected,
        "redirect_to": article.redirect_to.title if article.redirect_to_id else None,
        "excerpt": excerpt(article.lead_html),
        "source": source,
        "sections": _sections(article, source),
        "html": page.content,
        "readers_html": shown.content,
        "categories": [c.name for c in page.categories],
        "credits": [contributor_info(request, c) for c in page.credits],
        "links_out": _links_out(article),
        "links_in": _links_in(article),
        "infobox": article.infobox or None,
        "review": review_info(article, shown_revision_id=shown.revision_id),
    }
