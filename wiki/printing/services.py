"""PDF files of articles: which revision a reader is shown, whether its PDF is ready, queueing
its build, the build itself and the limits around it.

A PDF is kept in the media storage under `pdf/<article id>/<revision id>-<paper>.pdf`, so a new
shown revision has a new name and the old files are deleted when the new one is built; a build
that failed leaves `….error` (its message) so the reader is told instead of waiting forever."""

import json
import logging
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ..editorial.revision_hiding import shown_credits
from ..limits import in_minutes, window_wait
from ..models import Article, Revision
from ..reading import article_page
from ..review.services import readers_page, review_state, shown_check, shows_reviewed_revision
from ..tasks import job_enqueue_on_commit

log = logging.getLogger(__name__)

BUILD_JOB = "wiki.printing.services.pdf_build_job"

# Page sizes a reader may choose, by the name in `?paper=`: (label, CSS page size).
PAPERS = {"a4": ("A4", "A4"), "letter": ("Letter", "letter")}
LICENSE = (
    "Text is available under the Creative Commons Attribution-ShareAlike License (CC BY-SA 4.0),"
    " https://creativecommons.org/licenses/by-sa/4.0/; additional terms may apply. Images are"
    " credited to their authors and used under CC BY-SA or similar licences."
)


class PdfThrottled(Exception):
    """Too many PDFs asked for from one address: `seconds` until the next may be."""

    def __init__(self, message: str, seconds: int):
        super().__init__(message)
        self.seconds = seconds


@dataclass(frozen=True)
class PdfState:
    """Where the PDF of one revision in one paper size stands."""

    name: str  # its file name in storage
    ready: bool
    error: str  # why its build failed, or ""
    filename: str  # what the download is called


def paper_of(value: str | None) -> str:
    value = (value or "").lower()
    return value if value in PAPERS else settings.WIKI_PDF_PAPER


def shown_revision_id(article: Article, user) -> int | None:
    """The revision this user is shown on the article page (the stable one for readers when
    the article shows its reviewed revision)."""
    if shows_reviewed_revision(article, user) and (page := readers_page(article)) is not None:
        return page.revision_id
    return article.latest_revision_id


def _name(article_id: int, revision_id: int, paper: str) -> str:
    return f"pdf/{article_id}/{revision_id}-{paper}.pdf"


def pdf_state(article: Article, revision_id: int, paper: str) -> PdfState:
    name = _name(article.pk, revision_id, paper)
    error = ""
    if not default_storage.exists(name) and default_storage.exists(name + ".error"):
        with default_storage.open(name + ".error") as f:
            error = f.read().decode() or "The PDF could not be made."
    return PdfState(
        name=name,
        ready=not error and default_storage.exists(name),
        error=error,
        filename=f"{article.slug}-{revision_id}-{paper}.pdf",
    )


def pdf_request(article: Article, revision_id: int, paper: str, *, retry: bool = False) -> None:
    """Queue the build unless one is queued or running already (or failed, unless `retry`)."""
    name = _name(article.pk, revision_id, paper)
    if retry:
        default_storage.delete(name + ".error")
    if cache.add(f"pdf:queued:{name}", 1, timeout=settings.WIKI_PDF_TIMEOUT_SECONDS + 60):
        job_enqueue_on_commit(BUILD_JOB, article.pk, revision_id, paper)


def pdf_queued(article: Article, revision_id: int, paper: str) -> bool:
    """Whether a build of this PDF is queued or running."""
    return bool(cache.get(f"pdf:queued:{_name(article.pk, revision_id, paper)}"))


def pdf_throttle(address: str) -> None:
    """Count one PDF for this address; PdfThrottled over WIKI_PDF_PER_ADDRESS an hour."""
    if not address:
        return
    wait = window_wait([(f"pdf:address:{address}", settings.WIKI_PDF_PER_ADDRESS)], 3600)
    if wait is not None:
        raise PdfThrottled(
            "Many PDFs were asked for from your address in the last hour. Please try again in "
            f"{in_minutes(wait)}, or use the printable version.",
            seconds=wait,
        )


def pdf_build_job(article_id: int, revision_id: int, paper: str) -> None:
    """The queue's job: build the PDF of this revision unless it exists or is no longer shown."""
    article = Article.objects.filter(pk=article_id).first()
    name = _name(article_id, revision_id, paper)
    try:
        if article is None or default_storage.exists(name):
            return
        # In the article's language, whatever the worker's: its words, its addresses, its
        # direction (an Arabic article's PDF reads right to left).
        with translation.override(article.language):
            context = document_context(article, revision_id, paper)
            if context is None:  # the revision is no longer one readers are shown
                return
            html = render_to_string("wiki/printing/document.html", context)
        pdf = render_pdf(html)
        default_storage.save(name, ContentFile(pdf))
        _drop_others(article)
    except Exception as failure:  # any failure is told to the reader, who would wait forever
        if isinstance(failure, PdfFailed):
            log.warning("PDF of article %s revision %s: %s", article_id, revision_id, failure)
            reason = str(failure)
        else:
            log.exception("PDF of article %s revision %s failed", article_id, revision_id)
            reason = "Something went wrong while making this PDF."
        default_storage.delete(name + ".error")
        default_storage.save(name + ".error", ContentFile(reason.encode()))
    finally:
        cache.delete(f"pdf:queued:{name}")


def _drop_others(article: Article) -> None:
    """Delete the files of revisions nobody is shown any more: a PDF is kept for the latest
    revision (editors) and the stable one (readers, while newer edits await review)."""
    article.refresh_from_db()
    shown = {str(article.latest_revision_id), str(article.stable_revision_id)}
    try:
        _, files = default_storage.listdir(f"pdf/{article.pk}")
    except FileNotFoundError:
        return
    for file in files:
        if file.split("-")[0] not in shown:
            default_storage.delete(f"pdf/{article.pk}/{file}")


def document_context(article: Article, revision_id: int, paper: str) -> dict | None:
    """What the PDF shows of this revision: None when it is neither the latest revision nor
    the stable one readers are shown."""
    page = None
    if revision_id == article.latest_revision_id:
        page = article_page(article)
    if page is None or page.revision_id != revision_id:
        page = readers_page(article)
    if page is None or page.revision_id != revision_id:
        return None
    review = review_state(article)
    shown_review = review.review if revision_id == article.reviewed_revision_id else None
    revision = Revision.objects.filter(pk=revision_id).first()
    site = settings.WIKI_SITE_URL.rstrip("/")
    return {
        "article": article,
        "page": page,
        "paper": PAPERS[paper][1],
        "review": review,
        "shown_review": shown_review,
        "shown_check": shown_check(article, revision_id) if shown_review is None else None,
        "revision": revision,
        "permanent_link": site + reverse("wiki:revision", args=[article.slug, revision_id]),
        "article_link": site + article.get_absolute_url(),
        "credits": [c.contributor for c in shown_credits(article.pk).select_related("contributor")],
        "site": site,
        "site_name": settings.SITE_NAME,
        "license": LICENSE,
        "printed": timezone.now(),
    }


class PdfFailed(Exception):
    """The engine gave up: the message says why, in words for the reader."""


def render_pdf(html: str) -> bytes:
    """The PDF of `html`, made by WeasyPrint in a child process stopped after
    WIKI_PDF_TIMEOUT_SECONDS; addresses on our site resolve to MEDIA_ROOT and the static
    folders, anything else is not fetched. PdfFailed when too slow, too large or broken."""
    site = settings.WIKI_SITE_URL.rstrip("/")
    static = [str(settings.STATIC_ROOT), *map(str, settings.STATICFILES_DIRS)]
    limit = settings.WIKI_PDF_MAX_BYTES
    if len(html.encode()) > limit:
        raise PdfFailed("This article is too long to be made into a PDF.")
    with tempfile.TemporaryDirectory(prefix="pdf-") as folder:
        output = Path(folder) / "document.pdf"
        job = {
            "html": html,
            "base_url": site + "/",
            "roots": {
                site + settings.MEDIA_URL: [str(settings.MEDIA_ROOT)],
                site + settings.STATIC_URL: static,
            },
            "output": str(output),
        }
        try:
            done = subprocess.run(
                [sys.executable, "-m", "wiki.printing.engine"],
                input=json.dumps(job).encode(),
                capture_output=True,
                timeout=settings.WIKI_PDF_TIMEOUT_SECONDS,
                cwd=settings.BASE_DIR,
            )
        except subprocess.TimeoutExpired as expired:
            raise PdfFailed(
                "Making this PDF took longer than "
                f"{settings.WIKI_PDF_TIMEOUT_SECONDS:g} seconds, so it was stopped."
            ) from expired
        if done.returncode != 0 or not output.exists():
            log.error("PDF engine failed: %s", done.stderr.decode(errors="replace")[-2000:])
            raise PdfFailed("The PDF engine could not make this PDF.")
        if output.stat().st_size > limit:
            raise PdfFailed("This article's PDF would be too large to download.")
        return output.read_bytes()
