"""The "What uses this template" page of a template."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from ..article_urls import article_from_url
from ..models import Article
from ..titles import InvalidTitle, is_template_title, validate_title
from .services import direct_users, latest_rerender, pages_using


@article_from_url(missing_ok=True)
def what_uses(request, article: Article | None, slug: str):
    """The pages calling this template by name, and how many use it through other templates
    too; with the latest re-rendering's progress."""
    try:
        title = validate_title(slug)
    except InvalidTitle:
        raise Http404("No article has this title.") from None
    if not is_template_title(title):
        raise Http404("Only a template has pages using it.")
    page = Paginator(direct_users(slug).only("title", "slug"), 100).get_page(
        request.GET.get("page")
    )
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
