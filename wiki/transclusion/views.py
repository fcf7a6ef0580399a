"""The "What uses this template" page of a template, and the JSON the visual editor's
template form reads (names suggested, a template's parameters)."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext

from ..article_urls import article_from_url
from ..keyset import BY_TITLE_AND_ID, keyset_page
from ..models import Article
from ..titles import TEMPLATE_PREFIX, InvalidTitle, is_template_title, validate_title
from ..transcluding import PARAM_FIELDS, stored_template, template_data, template_name
from .services import direct_users, latest_rerender, pages_using

USERS_PAGE_SIZE = 100


@article_from_url(missing_ok=True)
def what_uses(request, article: Article | None, slug: str):
    """The pages calling this template by name, and how many use it through other templates
    too; with the latest re-rendering's progress."""
    try:
        title = validate_title(slug)
    except InvalidTitle:
        raise Http404(gettext("No article has this title.")) from None
    if not is_template_title(title):
        raise Http404(gettext("Only a template has pages using it."))
    users = direct_users(slug).only("title", "slug")
    page = keyset_page(users, BY_TITLE_AND_ID, request.GET, size=USERS_PAGE_SIZE)
    return render(
        request,
        "wiki/template_uses.html",
        {
            "article": article,
            "title": title,
            "slug": slug,
            "page": page,
            "all_users": len(pages_using(slug)),
            "rerender": latest_rerender(slug),
        },
    )


SUGGESTED = 10  # template names a form's name box suggests


def template_form(request):
    """What the visual editor's template form reads, as JSON: `?q=Dru` the names of templates
    starting so (suggestions); `?name=Drug box` that template's parameters from its
    templatedata block, in their order, with label, type, required, default, description and
    example (404 when there is no such template)."""
    if "name" in request.GET:
        return _parameters(request.GET["name"][:255])
    query = " ".join(request.GET.get("q", "").split())[:255]
    names = []
    if query:
        titles = (
            Article.objects.filter(
                title__istartswith=TEMPLATE_PREFIX + query, redirect_to__isnull=True
            )
            .order_by("title")
            .values_list("title", flat=True)[:SUGGESTED]
        )
        names = [t[len(TEMPLATE_PREFIX) :] for t in titles]
    return _json({"query": query, "names": names})


def _parameters(raw: str):
    name = template_name(raw) if raw.strip() else ""
    source = stored_template(name) if name else None
    if source is None:
        return _json({"error": f"There is no template “{TEMPLATE_PREFIX}{name}”."}, status=404)
    data, problems = template_data(source)
    params = [
        {"name": key, **{f: doc[f] for f in PARAM_FIELDS if f in doc}}
        for key, doc in data.get("params", {}).items()
    ]
    return _json(
        {
            "name": name,
            "title": TEMPLATE_PREFIX + name,
            "description": str(data.get("description", "")),
            "documented": bool(data),
            "params": params,
            "problems": problems,
        }
    )


def _json(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, private=True, max_age=0)
    return response
