"""The editors' queue of articles citing retracted, concerned or corrected papers."""

from django.shortcuts import render

from ..keyset import BY_TITLE_AND_ID, keyset_page
from .services import QUEUES, articles_citing_notices, flagged_references

PAGE_SIZE = 50


def source_notices_queue(request):
    """Articles whose references a retraction or an expression of concern (or, on the other
    tab, a correction) touches, by title, each with the references and their notices."""
    kind = request.GET.get("show", "")
    if kind not in QUEUES:
        kind = next(iter(QUEUES))
    sizes = {key: articles_citing_notices(kinds).count() for key, (_, kinds) in QUEUES.items()}
    articles = articles_citing_notices(QUEUES[kind][1])
    page = keyset_page(articles, BY_TITLE_AND_ID, request.GET, size=PAGE_SIZE, extra={"show": kind})
    flagged = flagged_references([a.pk for a in page], QUEUES[kind][1])
    return render(
        request,
        "wiki/source_notices.html",
        {
            "kind": kind,
            "queues": [(key, label, sizes[key]) for key, (label, _) in QUEUES.items()],
            "page": page,
            "count": sizes[kind],
            "rows": [(article, flagged.get(article.pk, [])) for article in page],
        },
    )
