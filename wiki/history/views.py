"""History of an article, old revisions, contributors."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from ..models import Article, Contributor, Credit, Revision
from ..reading import missing_link_targets, table_of_contents
from ..rendering import mark_red_links
from ..snapshots import load_snapshot
from ..views import canonical_redirect


def history(request, slug: str):
    if response := canonical_redirect(request, slug, "wiki:history"):
        return response
    article = get_object_or_404(Article, slug=slug)
    revisions = Revision.objects.filter(article=article).select_related("contributor")
    page = Paginator(revisions, 50).get_page(request.GET.get("page"))
    return render(request, "wiki/history.html", {"article": article, "page": page})


def revision(request, slug: str, revision_id: int):
    info = get_object_or_404(Revision.objects.select_related("contributor"), pk=revision_id)
    article = Article.objects.filter(pk=info.article_id).first()
    snapshot = load_snapshot(info.pk)
    if snapshot is None or article is None:
        raise Http404("This revision is not available.")
    missing = missing_link_targets([article.pk])
    sections = snapshot.sections
    for section in sections:
        section.html = mark_red_links(section.html, missing)
    return render(
        request,
        "wiki/revision.html",
        {
            "article": article,
            "info": info,
            "snapshot": snapshot,
            "lead_html": mark_red_links(snapshot.lead_html, missing),
            "sections": sections,
            "toc": table_of_contents(sections) if len(sections) >= 3 else [],
            "is_current": article.latest_revision_id == info.pk,
        },
    )


def contributor(request, name: str):
    person = get_object_or_404(Contributor, name=name.replace("_", " "))
    edits = Paginator(
        Revision.objects.filter(contributor=person).order_by("-revision_id"), 50
    ).get_page(request.GET.get("page"))
    credited = (
        Credit.objects.filter(contributor=person).select_related("article").order_by("article__title")
    )
    return render(
        request, "wiki/contributor.html", {"person": person, "edits": edits, "credited": credited}
    )
