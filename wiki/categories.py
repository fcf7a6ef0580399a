"""The category and portal pages: the articles of one category, listed by title."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control

from .keyset import Keyset, keyset_page
from .models import Article, Category, Portal
from .titles import typed_name

PAGE_SIZE = 200
BY_TITLE = Keyset(("title",))  # titles are unique: the key needs no id
MOST_COUNTED = 10_000  # a portal counts its articles up to here ("more than 10000")
SUGGESTED = 10


def names_starting(prefix: str, limit: int = SUGGESTED) -> list[str]:
    """Names of the reader's language's categories that start with `prefix` (its first letter
    as names have it, upper case), in order: for a box where a category is typed, since a list
    of every category (thousands, on a large wiki) is no control to choose from."""
    prefix = typed_name(prefix)[:200]
    if not prefix:
        return []
    prefix = prefix[:1].upper() + prefix[1:]
    named = Category.objects.in_language().filter(name__startswith=prefix).order_by("name")
    return list(named.values_list("name", flat=True)[:limit])


def suggest(request):
    """Category names for a box (OpenSearch suggestions JSON: ["prefix", ["Name", …]])."""
    query = request.GET.get("q", "")[:300]
    response = JsonResponse(
        [query, names_starting(query)], safe=False, content_type="application/x-suggestions+json"
    )
    patch_cache_control(response, public=True, max_age=300)
    return response


def _listing(request, template: str, articles, **context):
    """A page of `articles` (talk pages and redirects left out) by title, in `template`."""
    articles = articles.not_talk_pages().not_redirects().only("title", "slug")
    page = keyset_page(articles, BY_TITLE, request.GET, size=PAGE_SIZE)
    return render(request, template, {"page": page, **context})


def category(request, name: str):
    category = get_object_or_404(Category.objects.in_language(), name=name.replace("_", " "))
    return _listing(
        request,
        "wiki/category.html",
        category.articles.all(),
        category=category,
        subcategories=category.children.all(),
    )


def portal(request, slug):
    portal = get_object_or_404(Portal.objects.in_language().select_related("category"), slug=slug)
    articles = (
        Article.objects.in_category(portal.category)
        if portal.category_id
        else Article.objects.none()
    )
    listed = articles.not_talk_pages().not_redirects().order_by()
    counted = listed[: MOST_COUNTED + 1].count()  # bounded: a portal over a huge category
    return _listing(
        request,
        "wiki/portal.html",
        articles,
        portal=portal,
        count=min(counted, MOST_COUNTED),
        more=counted > MOST_COUNTED,
    )
