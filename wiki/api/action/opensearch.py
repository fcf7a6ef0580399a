"""action=opensearch: the titles the search box suggests, with a line of each and its address."""

from django.urls import reverse

from ... import search as wiki_search
from ...excerpts import excerpt
from ...models import Article
from ...titles import title_to_slug
from .params import Params


def action_opensearch(request, p: Params):
    query = p.get("search", "")
    limit = p.limit(default=10, most=100)
    titles = wiki_search.suggest(query, limit)
    urls = [
        request.build_absolute_uri(reverse("wiki:article", args=[title_to_slug(t)])) for t in titles
    ]
    leads = dict(
        Article.objects.in_language().filter(title__in=titles).values_list("title", "lead_html")
    )
    descriptions = [excerpt(leads.get(t, "")) for t in titles]  # the lead's prose, cut short
    return [query, titles, descriptions, urls]
