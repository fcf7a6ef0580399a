"""The search page, title suggestions for the search box, and the OpenSearch description."""

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode

from ..models import Article
from ..permissions import can_edit, is_editor
from ..titles import InvalidTitle, title_to_slug, validate_title
from ..views import bad_request
from . import QueryTooLong, SearchResults, clean_query, engine, help_matches, talk_matches
from . import suggest as title_suggestions

SUGGESTIONS = 10


def _page_number(raw) -> int:
    try:
        return max(1, int(raw))
    except (TypeError, ValueError):
        return 1


def _as_title(query: str) -> str:
    try:
        return validate_title(query)
    except InvalidTitle:
        return ""


def search(request):
    """/search?q= — an exact title, or the one title matching it ignoring case, goes to the
    article (MediaWiki's Go and near-match); else ranked results.

    Results keep page numbers, unlike the lists paged by key (wiki/keyset.py): they are
    ranked by relevance, which no index holds in order, so there is no key to seek from;
    and the ranked set is bounded (MAX_OFFSET, 1,000 results: 50 pages), each engine
    counting no further, so the last page costs what ranking the first 1,000 does."""
    try:
        query = clean_query(request.GET.get("q", ""))
    except QueryTooLong as exc:
        return bad_request(request, str(exc))
    title = _as_title(query)
    exact = Article.objects.only("title", "slug").near_title(title) if title else None
    if exact is not None and not request.GET.get("fulltext"):
        return redirect(exact.get_absolute_url())
    results = SearchResults(query, engine())
    editor = is_editor(request.user)
    results.for_readers = not editor
    page = results.page(_page_number(request.GET.get("page")))
    return render(
        request,
        "wiki/search.html",
        {
            "results": results,
            "page": page,
            "search_query": query,
            "extra_query": urlencode({"q": query, "fulltext": 1}),
            "exact_article": exact,
            "create_title": title
            if title and exact is None and can_edit(request.user, None)
            else "",
            "create_slug": title_to_slug(title) if title else "",
            "include_talk": bool(request.GET.get("talk")),
            "talk_matches": talk_matches(query) if request.GET.get("talk") else [],
            # The help pages are not in the index; editors are shown those that match.
            "help_matches": help_matches(query) if editor else [],
        },
    )


def suggest(request):
    """OpenSearch suggestions: ["query", ["Title", …]]."""
    query = request.GET.get("q", "")[:300]
    response = JsonResponse(
        [query, title_suggestions(query, SUGGESTIONS)],
        safe=False,
        content_type="application/x-suggestions+json",
    )
    patch_cache_control(response, public=True, max_age=300)
    return response


def opensearch(request):
    """Lets browsers add the site as a search engine (advertised by base.html)."""
    response = render(
        request,
        "wiki/search_opensearch.xml",
        {
            "search_url": request.build_absolute_uri("/search"),
            "suggest_url": request.build_absolute_uri("/search/suggest"),
            "site_url": request.build_absolute_uri("/"),
        },
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )
    patch_cache_control(response, public=True, max_age=86400)
    return response
