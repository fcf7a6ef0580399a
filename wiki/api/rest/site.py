"""The rest of the site: search and suggestions, recent changes, categories, contributors and
image uploads."""

from typing import Annotated, Literal

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from ... import search as wiki_search
from ...editorial.revision_hiding import (
    authors_hidden_from,
    shown_credits_of,
    shown_to,
    without_hidden_authors,
)
from ...history.filters import RecentChangesFilter
from ...limits import EditLimited, client_address
from ...models import Category, Contributor, Revision
from ...permissions import is_editor, require_edit
from ...uploads import RefusedUpload, store_image
from .. import schemas
from ..errors import ApiError
from .answers import (
    ERRORS,
    REFUSALS,
    SUMMARY_FIELDS,
    absolute,
    article_summary,
    category_info,
    contributor_info,
    revision_info,
)
from .auth import WRITE
from .paging import DEFAULT_LIMIT, Limit, changes_page, checked_limit, keyset

site = Router(tags=["site"])


def _search_hit(request, hit) -> dict:
    return {
        "title": hit.article.title,
        "url": absolute(request, hit.article.get_absolute_url()),
        "snippet_html": hit.snippet,
    }


@site.get("/search", response={200: schemas.SearchResults, **ERRORS}, summary="Full-text search")
def search(
    request,
    q: str,
    page: Annotated[int, Query(description="From 1.")] = 1,
):
    """The site's ranking and snippets; quotes, -word and OR work."""
    try:
        results = wiki_search.results_for(q)
    except wiki_search.QueryTooLong as exc:
        raise ApiError(400, str(exc), code="query_too_long") from None
    if page < 1:
        raise ApiError(400, "page starts at 1.", code="invalid_page")
    results.for_readers = not is_editor(request.user)  # snippets of what readers are shown
    found = results.page(page)
    return {
        "query": results.query,
        "total": found.total,
        "page": found.number,
        "per_page": wiki_search.PER_PAGE,
        "did_you_mean": found.did_you_mean if not found.hits else "",
        "results": [_search_hit(request, hit) for hit in found.hits],
    }


@site.get(
    "/suggestions",
    response={200: schemas.Suggestions, 400: schemas.Error},
    summary="Title suggestions",
)
def suggestions(request, q: str = "", limit: Limit = 10):
    """What the search box suggests as you type."""
    return {"query": q[:300], "titles": wiki_search.suggest(q, checked_limit(limit))}


@site.get("/recent-changes", response={200: schemas.ChangeList, **ERRORS}, summary="Recent changes")
def recent_changes(
    request,
    hideminor: bool = False,
    showbots: Annotated[
        bool, Query(description="Also list the edits of accounts in the Bots group.")
    ] = False,
    category: str | None = None,
    contributor: str | None = None,
    review: Annotated[
        Literal["reviewed", "checked", "pending"] | None,
        Query(description="reviewed (medically), checked (at least checked) or pending."),
    ] = None,
    cursor: str | None = None,
    limit: Limit = DEFAULT_LIMIT,
):
    """Newest first, with the site's filters (minor edits, bots' edits, a category, a
    contributor, a review level); bots' edits are left out unless `showbots` asks for them."""
    data = {"hideminor": "1" if hideminor else "", "category": category or ""}
    data["showbots"] = "1" if showbots else ""
    data["contributor"], data["review"] = contributor or "", review or ""
    filters = RecentChangesFilter(data, viewer=request.user)
    if "category" in filters.errors:  # a name no category has: as /categories/{name}
        raise ApiError(404, "No category has this name.", code="category_not_found")
    if filters.errors:
        raise ApiError(400, "These filters are not understood.", code="invalid_filter")
    rows, next_cursor = changes_page(filters.revisions(), cursor=cursor, limit=limit)
    rows = shown_to(request.user, rows)
    return {
        "items": [
            {
                **revision_info(r),
                "article_url": absolute(request, reverse("wiki:article", args=[r.slug])),
                "bot": r.by_bot,
            }
            for r in rows
        ],
        "next_cursor": next_cursor,
    }


@site.get("/categories", response={200: schemas.CategoryList, **ERRORS}, summary="Categories")
def list_categories(request, cursor: str | None = None, limit: Limit = DEFAULT_LIMIT):
    queryset = Category.objects.select_related("parent").annotate(count=Count("articles"))
    rows, next_cursor = keyset(queryset, cursor=cursor, limit=limit)
    return {"items": [category_info(request, c, c.count) for c in rows], "next_cursor": next_cursor}


@site.get(
    "/categories/{path:name}",
    response={200: schemas.CategoryDetail, **ERRORS},
    summary="A category and its articles",
)
def get_category(request, name: str, cursor: str | None = None, limit: Limit = DEFAULT_LIMIT):
    category = (
        Category.objects.in_language()
        .select_related("parent")
        .filter(name=name.replace("_", " "))
        .first()
    )
    if category is None:
        raise ApiError(404, "No category has this name.", code="category_not_found")
    members = category.articles.only(*SUMMARY_FIELDS)
    rows, next_cursor = keyset(members, cursor=cursor, limit=limit)
    return {
        **category_info(request, category, category.articles.count()),
        "members": [article_summary(request, a) for a in rows],
        "next_cursor": next_cursor,
    }


@site.get(
    "/contributors", response={200: schemas.ContributorList, **ERRORS}, summary="Contributors"
)
def list_contributors(request, cursor: str | None = None, limit: Limit = DEFAULT_LIMIT):
    hidden = authors_hidden_from(request.user)
    shown = Q() if hidden is None else ~Q(revisions__in=hidden)
    queryset = Contributor.objects.annotate(edits=Count("revisions", filter=shown))
    rows, next_cursor = keyset(queryset, cursor=cursor, limit=limit)
    return {
        "items": [{**contributor_info(request, c), "edits": c.edits} for c in rows],
        "next_cursor": next_cursor,
    }


@site.get(
    "/contributors/{path:name}",
    response={200: schemas.ContributorDetail, **ERRORS},
    summary="A contributor",
)
def get_contributor(request, name: str):
    person = Contributor.objects.by_slug(name).order_by("pk").first()
    if person is None:
        raise ApiError(404, "No contributor has this name.", code="contributor_not_found")
    credited = (
        shown_credits_of(person.pk)
        .order_by("article__title")
        .values_list("article__title", flat=True)
    )
    return {
        **contributor_info(request, person),
        "edits": without_hidden_authors(
            Revision.objects.filter(contributor=person), request.user
        ).count(),
        "bio": person.bio,
        "credited_on": list(credited),
    }


@site.post(
    "/uploads",
    response={201: schemas.Upload, **REFUSALS},
    summary="Upload an image (PNG, JPEG, GIF, WebP)",
    **WRITE,
)
def upload(request, image: File[UploadedFile]):
    """Stored re-encoded, without its metadata; answers the Markdown that shows it."""
    require_edit(request.user, None)
    if image.size > settings.WIKI_MAX_UPLOAD_BYTES:
        raise ApiError(413, f"Images may be at most {settings.WIKI_MAX_UPLOAD_BYTES:,} bytes.")
    try:
        url = store_image(image, performer=request.user, address=client_address(request))
    except EditLimited as refused:
        raise ApiError(refused.status, str(refused), code=refused.code) from None
    except RefusedUpload as refused:
        raise ApiError(400, str(refused), code="refused_upload") from None
    return Status(201, {"url": absolute(request, url), "markdown": f"![]({url})"})
