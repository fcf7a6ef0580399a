"""`/wiki/<title>/pdf`: the PDF of the revision the reader is shown, when it is ready; until
then a page that refreshes itself (a meta refresh, no script needed) while the queue builds it."""

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from ..article_urls import article_from_url
from ..limits import client_address
from ..models import Article
from .services import (
    PAPERS,
    PdfThrottled,
    paper_of,
    pdf_queued,
    pdf_request,
    pdf_state,
    pdf_throttle,
    shown_revision_id,
)

REFRESH_SECONDS = 2


@article_from_url()  # its redirect to the canonical title may be cached, as every one's
@never_cache
def article_pdf(request, article: Article):
    paper = paper_of(request.GET.get("paper"))
    revision_id = shown_revision_id(article, request.user)
    context = {"article": article, "paper": paper, "paper_label": PAPERS[paper][0]}
    if revision_id is None or article.redirect_to_id:
        context["error"] = gettext("This page has no text to make into a PDF.")
        return render(request, "wiki/printing/failed.html", context, status=404)
    state = pdf_state(article, revision_id, paper)
    polling = request.GET.get("wait") == "1"
    if state.error and request.method == "POST":
        pdf_request(article, revision_id, paper, retry=True)
        state = pdf_state(article, revision_id, paper)
        polling = True
    if state.error:
        context.update(error=state.error, retry=True)
        return render(request, "wiki/printing/failed.html", context, status=503)
    # Counted per address: a new request, or a refresh that would start a build (not the
    # waiting page's refreshes while its build runs).
    if not polling or not (state.ready or pdf_queued(article, revision_id, paper)):
        try:
            pdf_throttle(client_address(request))
        except PdfThrottled as refused:
            context["error"] = str(refused)
            response = render(request, "wiki/printing/failed.html", context, status=429)
            response["Retry-After"] = str(refused.seconds)
            return response
    if not state.ready:
        pdf_request(article, revision_id, paper)
        state = pdf_state(article, revision_id, paper)  # built already when jobs run inline
    if state.ready:
        return FileResponse(
            default_storage.open(state.name),
            as_attachment=True,
            filename=state.filename,
            content_type="application/pdf",
        )
    if state.error:
        context.update(error=state.error, retry=True)
        return render(request, "wiki/printing/failed.html", context, status=503)
    context["next"] = f"{request.path}?paper={paper}&wait=1"
    context["refresh"] = REFRESH_SECONDS
    return render(request, "wiki/printing/preparing.html", context, status=202)
