"""The REST API under /api/v1/ (django-ninja), its OpenAPI document at /api/v1/schema and the
documentation page at /api/v1/docs.

Reads are public and carry an ETag (a digest of the answer, so `If-None-Match` gets a 304);
anonymous answers may be kept by shared caches as long as article pages are
(PAGE_CACHE_MAX_AGE). Writes need a personal API token (`Authorization: Bearer …`), are
checked by `wiki.permissions`, go through `wiki.services` and are throttled per token.
"""

import datetime as dt
import difflib
import hashlib
import re
from typing import Annotated

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpResponseNotModified
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from ninja import File, NinjaAPI, Query, Router, Status
from ninja.files import UploadedFile
from ninja.openapi.docs import Swagger
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle
from pydantic import BeforeValidator

from .. import search as wiki_search
from ..editing.services import EditRequest, article_edit_submit
from ..excerpts import excerpt
from ..history.diff import diff_snapshots
from ..history.filters import RecentChangesFilter
from ..history.services import restore_edit
from ..limits import EditLimited, client_address
from ..models import Article, Category, Contributor, Credit, Revision
from ..permissions import EditRefused, is_editor, require_edit
from ..reading import article_page
from ..review.services import readers_page, review_state
from ..services import ArticleEdit, EditConflict, SourceTooLarge, TitleTaken
from ..snapshots import load_snapshots
from ..sources import section_text, source_size, split_source
from ..titles import MAX_TITLE_LENGTH, InvalidTitle, title_pattern, title_to_slug, validate_title
from ..uploads import RefusedUpload, store_image
from . import errors, schemas
from .errors import ApiError
from .lookups import (
    article_by_title,
    aware,
    cursor_int,
    decode_cursor,
    encode_cursor,
    revision_of,
    sources_of,
)
from .models import ApiToken

MAX_LIMIT = 100
DEFAULT_LIMIT = 50
# Paths under /articles/{title}/ that are other operations, so no title the API reads ends so.
API_SUFFIXES = ("revisions", "revisions/[0-9]+", "revert", "diff")
BOUNDS = {"limit": {"minimum": 1, "maximum": MAX_LIMIT}, "page": {"minimum": 1}}
NOT_MODIFIED = {
    "description": "Not modified: If-None-Match names the answer's current ETag (no body)."
}
IF_NONE_MATCH = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "description": "An ETag of an earlier answer: the same answer is a 304 without a body.",
    "schema": {"type": "string"},
}


class WikiApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Declares what the views check themselves (answering their own error codes): the
        title rules (built from the URLconf, so not at import time), the bounds of `limit` and
        `page`, and the conditional GETs."""
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        title = {"maxLength": MAX_TITLE_LENGTH, "pattern": title_pattern()}
        path_title = {**title, "pattern": title_pattern(reserved_suffixes=API_SUFFIXES)}
        for operations in document["paths"].values():
            for method, operation in operations.items():
                for parameter in operation.get("parameters", []):
                    if parameter["in"] == "path" and parameter["name"] == "title":
                        parameter["schema"].update(path_title)
                    elif parameter["in"] == "query":
                        parameter["schema"].update(BOUNDS.get(parameter["name"], {}))
                if method == "get":
                    operation["parameters"] = [*operation.get("parameters", []), IF_NONE_MATCH]
                    operation["responses"]["304"] = NOT_MODIFIED
        document["components"]["schemas"]["ArticleCreate"]["properties"]["title"].update(title)
        return document

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            return conditional(request, response)
        response.setdefault("Cache-Control", "no-store")
        return response


def conditional(request, response):
    """ETag from the answer's bytes; a matching If-None-Match is a 304; shared caches may keep
    anonymous answers as long as article pages."""
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    response["ETag"] = etag
    if "HTTP_AUTHORIZATION" in request.META:
        response["Cache-Control"] = "private, no-cache"
    else:
        response["Cache-Control"] = f"public, max-age={settings.PAGE_CACHE_MAX_AGE}"
    patch_vary_headers(response, ["Authorization", "Cookie"])
    wanted = request.META.get("HTTP_IF_NONE_MATCH", "")
    if etag in [tag.strip().removeprefix("W/") for tag in wanted.split(",")] or wanted == "*":
        not_modified = HttpResponseNotModified()
        for name in ("ETag", "Cache-Control", "Vary"):
            not_modified[name] = response[name]
        return not_modified
    return response


class TokenAuth(HttpBearer):
    """A personal API token, made and revoked on the profile page."""

    def authenticate(self, request, token):
        found = ApiToken.objects.for_token(token)
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > dt.timedelta(minutes=1):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.api_token = found
        request.user = found.user
        return found.user


class TokenWriteThrottle(SimpleRateThrottle):
    """Writes per token (API_WRITE_RATE, e.g. "30/min")."""

    scope = "api_write"

    def __init__(self):
        super().__init__(settings.API_WRITE_RATE)

    def get_cache_key(self, request):
        token = getattr(request, "api_token", None)
        return f"api-write-{token.pk}" if token is not None else None


api = WikiApi(
    title="Encyclopedia API",
    version="1",
    description=(
        "Read articles, their history, search and recent changes; editors with a personal "
        "API token (made on the profile page) create and edit articles. The MediaWiki "
        "Action API is at /api.php for existing tools."
    ),
    urls_namespace="api",
    openapi_url="/schema",
    docs_url="/docs",
    docs=Swagger(settings={"defaultModelsExpandDepth": 0}),
)
api.docs.template = "wiki/api/docs.html"  # Swagger UI from our static files, under our CSP
errors.install(api)

ERRORS = {400: schemas.Error, 404: schemas.Error}
REFUSALS = {
    400: schemas.Error,
    401: schemas.Error,
    403: schemas.Error,
    413: schemas.Error,
    429: schemas.Error,
}
CREATE_ERRORS = {**REFUSALS, 409: schemas.Error}  # title_taken
WRITE_ERRORS = {**REFUSALS, 404: schemas.Error, 409: schemas.Conflict}  # edit_conflict

Limit = Annotated[int, Query(description=f"How many items a page holds (1–{MAX_LIMIT}).")]


def _date_time(value):
    """An ISO 8601 date-time, not the Unix time pydantic would also take from "0.5"."""
    if isinstance(value, str) and not re.match(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}", value):
        raise ValueError("Give a date and time as ISO 8601, e.g. 2024-06-01T00:00:00Z.")
    return value


DateTime = Annotated[dt.datetime, BeforeValidator(_date_time)]


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(400, f"limit must be between 1 and {MAX_LIMIT}.", code="invalid_limit")
    return limit


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


SUMMARY_FIELDS = ("title", "slug", "latest_revision", "updated_at", "size", "lead_html")


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
    }


def keyset(queryset, *, cursor: str | None, limit: int, key="pk", descending=False):
    """One page of `queryset` ordered by `key`, and the cursor of the next page."""
    after = cursor_int(decode_cursor(cursor), "after")
    limit = _limit(limit)
    queryset = queryset.order_by(f"-{key}" if descending else key)
    if after is not None:
        queryset = queryset.filter(**{f"{key}__{'lt' if descending else 'gt'}": after})
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode_cursor({"after": getattr(rows[-1], key)}) if more else None)


# Articles ------------------------------------------------------------------------------------

articles = Router(tags=["articles"])


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


@articles.get(
    "/{path:title}/revisions/{int:revision_id}",
    response={200: schemas.RevisionSource, **ERRORS},
    summary="One revision with its source",
)
def get_revision(request, title: str, revision_id: int):
    article = article_by_title(title)
    info = revision_of(article, revision_id)
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
    queryset = Revision.objects.filter(article_id=article.pk).select_related("contributor")
    rows, next_cursor = keyset(
        queryset, cursor=cursor, limit=limit, key="revision_id", descending=True
    )
    return {"items": [revision_info(r) for r in rows], "next_cursor": next_cursor}


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
    old, new = sorted((revision_of(article, from_), revision_of(article, to)), key=lambda r: r.pk)
    snapshots = load_snapshots([old.pk, new.pk])
    if old.pk not in snapshots or new.pk not in snapshots:
        raise ApiError(404, "The text of one of these revisions is not available.", code="no_text")
    before, after = snapshots[old.pk], snapshots[new.pk]
    compared = diff_snapshots(before, after)
    unified = "".join(
        difflib.unified_diff(
            before.source.splitlines(keepends=True),
            after.source.splitlines(keepends=True),
            fromfile=f"r{old.pk}",
            tofile=f"r{new.pk}",
        )
    )
    return {
        "from_revision": old.pk,
        "to_revision": new.pk,
        "title_change": list(compared.title_change) if compared.title_change else None,
        "unified": unified,
        "sections": [
            {
                "status": s.status,
                "heading": s.label,
                "old_number": s.old_number,
                "new_number": s.new_number,
                "moved": s.moved,
                "rows": [
                    {"kind": r.kind, "old_html": r.old, "new_html": r.new, "skipped": r.skipped}
                    for r in s.rows
                ],
            }
            for s in compared.sections
        ],
    }


# Writes


def _save(request, article: Article, edit: ArticleEdit, *, status: int = 200):
    """The edit through the edit door, its refusals answered as JSON errors."""
    door = EditRequest(edit=edit, address=client_address(request), interface="rest")
    try:
        result = article_edit_submit(article=article, request=door)
    except EditRefused as refused:
        raise ApiError(refused.status, str(refused), code=refused.code) from None
    except EditConflict as conflict:
        raise ApiError(
            409,
            "Someone saved this article since your base revision and the changes overlap. "
            "Nothing was saved; merge the texts and send again with the latest revision.",
            code="edit_conflict",
            latest_revision=conflict.latest_revision_id,
            current_text=conflict.current_source,
            your_text=conflict.your_source,
        ) from None
    except SourceTooLarge as exc:
        raise ApiError(413, str(exc), code="too_large") from None
    except TitleTaken:
        raise ApiError(409, "An article with this title exists.", code="title_taken") from None
    except InvalidTitle as exc:
        raise ApiError(400, f"Not a valid title: {exc}", code="invalid_title") from None
    except IndexError:
        raise ApiError(404, "The article has no such section.", code="no_such_section") from None
    saved = result.article
    return Status(
        status,
        {
            "title": saved.title,
            "url": absolute(request, saved.get_absolute_url()),
            "revision_id": saved.latest_revision_id,
            "unchanged": result.unchanged,
            "merged": result.merged,
        },
    )


def _check_size(text: str) -> None:
    if source_size(text) > settings.WIKI_MAX_SOURCE_BYTES:
        raise ApiError(
            413,
            f"The text is larger than {settings.WIKI_MAX_SOURCE_BYTES:,} bytes.",
            code="too_large",
        )


WRITE = {"auth": TokenAuth(), "throttle": [TokenWriteThrottle()]}


# Paths with a suffix are registered before /{title} itself: a title may hold "/".
@articles.post(
    "/{path:title}/revert",
    response={200: schemas.SaveAnswer, **REFUSALS, 404: schemas.Error},
    summary="Revert to an old revision (as a new revision)",
    **WRITE,
)
def revert_article(request, title: str, payload: schemas.RevertRequest):
    article = article_by_title(title)
    info = revision_of(article, payload.revision_id)
    article, edit = restore_edit(revision_id=info.pk, user=request.user, summary=payload.summary)
    return _save(request, article, edit)


@articles.post(
    "", response={201: schemas.SaveAnswer, **CREATE_ERRORS}, summary="Create an article", **WRITE
)
def create_article(request, payload: schemas.ArticleCreate):
    _check_size(payload.text)
    try:
        title = validate_title(payload.title)
    except InvalidTitle as exc:
        raise ApiError(400, f"Not a valid title: {exc}", code="invalid_title") from None
    if Article.objects.filter(slug=title_to_slug(title)).exists():
        raise ApiError(409, "An article with this title exists.", code="title_taken")
    edit = ArticleEdit(
        text=payload.text,
        base_revision=None,
        user=request.user,
        summary=payload.summary,
        categories=payload.categories,
    )
    return _save(request, Article(title=title), edit, status=201)


@articles.put(
    "/{path:title}",
    response={200: schemas.SaveAnswer, **WRITE_ERRORS},
    summary="Edit an article (whole or one section)",
    **WRITE,
)
def edit_article(request, title: str, payload: schemas.ArticleUpdate):
    """Send the revision your text started from as `base_revision`: a save made meanwhile is
    merged when the changes do not overlap (`merged`: true), else a 409 with both texts."""
    _check_size(payload.text)
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
    return _save(request, article, edit)


@articles.get("/{path:title}", response={200: schemas.Article, **ERRORS}, summary="One article")
def get_article(request, title: str):
    """Markdown source, sections, rendered HTML, categories, credits and links in and out.
    (Infobox and medical review state are not in the engine yet.)"""
    article = article_by_title(title)
    page = article_page(article)
    shown = readers_page(article) or page
    source = article.source
    lead, sections = split_source(source)
    stored = article.ordered_sections
    targets = sorted(article.outgoing_links.values_list("target_slug", flat=True))
    existing = set(Article.objects.filter(slug__in=targets).values_list("slug", flat=True))
    linking = (
        Article.objects.filter(outgoing_links__target_slug=article.slug)
        .order_by("title")
        .values_list("title", flat=True)[:500]
    )
    redirect = article.redirect_to.title if article.redirect_to_id else None
    return {
        "title": article.title,
        "url": absolute(request, article.get_absolute_url()),
        "revision_id": article.latest_revision_id,
        "created": article.created_at,
        "modified": article.updated_at,
        "size": article.size,
        "protected": article.is_protected,
        "redirect_to": redirect,
        "excerpt": excerpt(article.lead_html),
        "source": source,
        "sections": [{"number": 0, "heading": "", "level": 0, "anchor": "", "source": lead}]
        + [
            {
                "number": n,
                "heading": s.heading,
                "level": s.level,
                "anchor": stored[n - 1].anchor if n <= len(stored) else "",
                "source": section_text(source, n),
            }
            for n, s in enumerate(sections, start=1)
        ],
        "html": page.content,
        "readers_html": shown.content,
        "categories": [c.name for c in page.categories],
        "credits": [contributor_info(request, c) for c in page.credits],
        "links_out": [{"title": t.replace("_", " "), "exists": t in existing} for t in targets],
        "links_in": list(linking),
        "infobox": article.infobox or None,
        "review": review_info(article, shown_revision_id=shown.revision_id),
    }


def review_info(article, *, shown_revision_id=None) -> dict:
    state = review_state(article)
    last = state.review
    return {
        "reviewed_revision_id": article.reviewed_revision_id,
        "reviewed_at": last.created_at if last else None,
        "reviewer": last.reviewer_display if last else None,
        "note": last.note if last else "",
        "edits_since": state.edits_since,
        "readers_see_reviewed": article.readers_see_reviewed,
        "readers_revision_id": shown_revision_id or article.latest_revision_id,
    }


# Search, recent changes, categories, contributors, uploads --------------------------------------

site = Router(tags=["site"])


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
        "results": [
            {
                "title": hit.article.title,
                "url": absolute(request, hit.article.get_absolute_url()),
                "snippet_html": hit.snippet,
            }
            for hit in found.hits
        ],
    }


@site.get(
    "/suggestions",
    response={200: schemas.Suggestions, 400: schemas.Error},
    summary="Title suggestions",
)
def suggestions(request, q: str = "", limit: Limit = 10):
    """What the search box suggests as you type."""
    return {"query": q[:300], "titles": wiki_search.suggest(q, _limit(limit))}


@site.get("/recent-changes", response={200: schemas.ChangeList, **ERRORS}, summary="Recent changes")
def recent_changes(
    request,
    hideminor: bool = False,
    category: str | None = None,
    contributor: str | None = None,
    cursor: str | None = None,
    limit: Limit = DEFAULT_LIMIT,
):
    """Newest first, with the site's filters (minor edits, a category, a contributor)."""
    data = {"hideminor": "1" if hideminor else "", "category": category or ""}
    data["contributor"] = contributor or ""
    filters = RecentChangesFilter(data)
    if filters.errors:
        raise ApiError(400, "No category has this name.", code="invalid_filter")
    rows, next_cursor = _changes_page(filters.revisions(), cursor=cursor, limit=limit)
    return {
        "items": [
            {
                **revision_info(r),
                "article_url": absolute(request, reverse("wiki:article", args=[r.slug])),
            }
            for r in rows
        ],
        "next_cursor": next_cursor,
    }


def _changes_page(revisions, *, cursor, limit):
    """Keyset pages in the feed's order (time, then id, newest first)."""
    data = decode_cursor(cursor)
    limit = _limit(limit)
    if data:
        try:
            at = dt.datetime.fromisoformat(data["at"])
        except (KeyError, TypeError, ValueError):
            raise ApiError(
                400, "This cursor was not made by this API.", code="invalid_cursor"
            ) from None
        before = cursor_int(data, "id")
        revisions = revisions.filter(
            Q(created_at__lt=at) | Q(created_at=at, revision_id__lt=before)
        )
    rows = list(revisions[: limit + 1])
    more, rows = len(rows) > limit, rows[:limit]
    if not more:
        return rows, None
    last = rows[-1]
    return rows, encode_cursor({"at": last.created_at.isoformat(), "id": last.pk})


def category_info(request, category: Category, count: int) -> dict:
    return {
        "name": category.name,
        "url": absolute(request, category.get_absolute_url()),
        "description": category.description,
        "parent": category.parent.name if category.parent_id else None,
        "articles": count,
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
    category = Category.objects.select_related("parent").filter(name=name.replace("_", " ")).first()
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
    queryset = Contributor.objects.annotate(edits=Count("revisions"))
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
        Credit.objects.filter(contributor=person)
        .order_by("article__title")
        .values_list("article__title", flat=True)
    )
    return {
        **contributor_info(request, person),
        "edits": Revision.objects.filter(contributor=person).count(),
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


api.add_router("/articles", articles)
api.add_router("", site)
