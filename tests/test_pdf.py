"""Download as PDF: an article's PDF is made by WeasyPrint through the task queue, kept per
revision, downloaded, and read back with a PDF text extractor (pypdf): its title, review state,
references with their DOI links, credits, licence and permanent link; A4 and Letter; a figure
with its credit; errors and limits give a page, never a 500."""

import html
import io
import re
import time

import pytest
from django.core.files.storage import default_storage
from django.test import TestCase
from pypdf import PdfReader

from wiki.models import Article
from wiki.review.services import mark_reviewed
from wiki.services import ArticleEdit, article_save

from .conftest import make_media, save

SOURCE = """\
Pdf fever is a made-up illness used in tests of the PDF download.[^smith]

## Symptoms

People report tiredness and a mild rash.

## Treatment

Rest helps. Drink water.

[^smith]: cite journal | authors: Smith J, Roe A | title: Sleep and migraine |
    journal: Headache | year: 2020 | volume: 60 | pages: 45-67 | doi: 10.1111/head.13700
"""
A4 = (595, 842)  # points
LETTER = (612, 792)


@pytest.fixture
def inline_queue(settings, tmp_path):
    """Jobs run when the request's transaction commits; files in this test's own folder."""
    settings.MEDIA_ROOT = tmp_path
    settings.WIKI_TASKS_INLINE = True
    settings.WIKI_SITE_URL = "http://testserver"


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def page_size(data: bytes) -> tuple[int, int]:
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def download(client, path: str, **extra):
    """Ask for the PDF as a browser does: the waiting page first (its job queued when the
    request's transaction commits), then the address its meta refresh goes to."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.get(path, **extra)
    if response.status_code == 202:
        waiting = response.content.decode()
        assert "Preparing your PDF…" in waiting or path.startswith(("/es/", "/ar/"))
        refresh = re.search(r'<meta http-equiv="refresh" content="\d+;url=([^"]+)">', waiting)
        response = client.get(html.unescape(refresh.group(1)), **extra)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def stored_pdfs(article) -> list[str]:
    try:
        return sorted(default_storage.listdir(f"pdf/{article.pk}")[1])
    except FileNotFoundError:
        return []


@pytest.mark.django_db
def test_a_reader_downloads_the_pdf_with_title_review_references_credits_license_and_link(
    client, inline_queue, make_article, editor, reviewer
):
    article = make_article("Pdf fever", SOURCE, user=editor)
    mark_reviewed(revision=article.revisions.get(), user=reviewer, level="reviewed", note="Sound.")
    page = client.get("/wiki/Pdf_fever").content.decode()
    assert 'href="/wiki/Pdf_fever/pdf"' in page and "Download as PDF" in page

    data = download(client, "/wiki/Pdf_fever/pdf")
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    article.refresh_from_db()
    assert "Pdf fever" in text
    assert "Medically reviewed by Jane Roe" in text
    assert "tiredness and a mild rash" in text
    assert "Sleep and migraine" in text
    assert "https://doi.org/10.1111/head.13700" in text
    assert "Contributors: Edna Marsh" in text
    assert "Creative Commons Attribution-ShareAlike" in text
    permanent = f"http://testserver/wiki/Pdf_fever/revision/{article.latest_revision_id}"
    assert permanent in text
    assert page_size(data) == A4
    links = [
        a["/A"]["/URI"]
        for p in PdfReader(io.BytesIO(data)).pages
        for a in (p.get("/Annots") or [])
        if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]
    ]
    assert "https://doi.org/10.1111/head.13700" in links
    assert permanent in links


@pytest.mark.django_db
def test_an_unreviewed_article_says_so_and_letter_paper_is_a_choice(
    client, inline_queue, make_article, editor
):
    make_article("Pdf fever", SOURCE, user=editor)
    a4 = download(client, "/wiki/Pdf_fever/pdf?paper=a4")
    letter = download(client, "/wiki/Pdf_fever/pdf?paper=letter")
    assert page_size(a4) == A4
    assert page_size(letter) == LETTER
    assert "Not medically reviewed yet" in pdf_text(letter)


@pytest.mark.django_db
def test_the_pdf_is_kept_per_revision_and_an_edit_makes_a_new_one(
    client, inline_queue, make_article, editor
):
    article = make_article("Pdf fever", SOURCE, user=editor)
    first = download(client, "/wiki/Pdf_fever/pdf")
    [name] = stored_pdfs(article)
    made = default_storage.get_modified_time(f"pdf/{article.pk}/{name}")
    time.sleep(1.1)  # a rebuilt file would have a later time
    assert download(client, "/wiki/Pdf_fever/pdf") == first  # the same file, not made again
    assert stored_pdfs(article) == [name]
    assert default_storage.get_modified_time(f"pdf/{article.pk}/{name}") == made

    save(article, editor, SOURCE.replace("Drink water.", "Drink plenty of water."))
    article.refresh_from_db()
    second = download(client, "/wiki/Pdf_fever/pdf")
    assert "Drink plenty of water" in pdf_text(second)
    assert stored_pdfs(article) == [f"{article.latest_revision_id}-a4.pdf"]  # the old one gone


@pytest.mark.django_db
def test_a_figure_and_its_credit_are_in_the_pdf(client, inline_queue, make_article, editor):
    make_media(editor)
    make_article(
        "Pdf fever",
        SOURCE.replace(
            "## Symptoms", "[[File:Chest scan.png|thumb|A chest film in pdf fever]]\n\n## Symptoms"
        ),
        user=editor,
    )
    data = download(client, "/wiki/Pdf_fever/pdf")
    text = pdf_text(data)
    assert "A chest film in pdf fever" in text
    assert "Dr Ana Rivera" in text
    images = [img for page in PdfReader(io.BytesIO(data)).pages for img in page.images]
    assert images and images[0].image.size[0] >= 200  # the picture itself, from our storage


@pytest.mark.django_db
def test_readers_get_the_reviewed_revision_they_are_shown(
    client, inline_queue, make_article, editor, reviewer
):
    article = make_article("Pdf fever", SOURCE, user=editor)
    mark_reviewed(revision=article.revisions.get(), user=reviewer, level="reviewed", note="")
    Article.objects.filter(pk=article.pk).update(show_reviewed=True)
    save(article, editor, SOURCE.replace("Rest helps.", "Unreviewed advice."))
    text = pdf_text(download(client, "/wiki/Pdf_fever/pdf"))
    assert "Rest helps." in text and "Unreviewed advice" not in text
    assert "Medically reviewed by Jane Roe" in text

    client.force_login(editor)  # editors read the latest revision, and get its PDF
    latest = pdf_text(download(client, "/wiki/Pdf_fever/pdf"))
    assert "Unreviewed advice" in latest and "Not medically reviewed in this version" in latest
    assert len(stored_pdfs(article)) == 2  # both kept: each is shown to someone


@pytest.mark.django_db
def test_too_slow_or_too_large_gives_a_clear_page_and_a_retry(
    client, inline_queue, make_article, editor, settings
):
    make_article("Pdf fever", SOURCE, user=editor)
    settings.WIKI_PDF_MAX_BYTES = 2000
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.get("/wiki/Pdf_fever/pdf")
    response = client.get("/wiki/Pdf_fever/pdf?wait=1")
    assert response.status_code == 503
    assert "The PDF could not be made" in response.content.decode()
    assert "too long" in response.content.decode() or "too large" in response.content.decode()
    settings.WIKI_PDF_MAX_BYTES = 30 * 1024 * 1024
    assert client.get("/wiki/Pdf_fever/pdf").status_code == 503  # the failure is remembered
    with TestCase.captureOnCommitCallbacks(execute=True):
        retried = client.post("/wiki/Pdf_fever/pdf?paper=a4")
    assert retried.status_code == 202  # queued again: the waiting page
    assert download(client, "/wiki/Pdf_fever/pdf?paper=a4&wait=1").startswith(b"%PDF")


@pytest.mark.django_db
def test_a_build_that_takes_too_long_is_stopped(
    client, inline_queue, make_article, editor, settings
):
    make_article("Pdf fever", SOURCE, user=editor)
    settings.WIKI_PDF_TIMEOUT_SECONDS = 0.05
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.get("/wiki/Pdf_fever/pdf")
    response = client.get("/wiki/Pdf_fever/pdf?wait=1")
    assert response.status_code == 503
    assert "took longer than 0.05 seconds" in response.content.decode()


@pytest.mark.django_db
def test_anonymous_downloads_are_limited_per_address(
    client, inline_queue, make_article, editor, settings
):
    make_article("Pdf fever", SOURCE, user=editor)
    settings.WIKI_PDF_PER_ADDRESS = 2
    download(client, "/wiki/Pdf_fever/pdf")
    download(client, "/wiki/Pdf_fever/pdf?paper=letter")  # the waiting page's refresh not counted
    refused = client.get("/wiki/Pdf_fever/pdf")
    assert refused.status_code == 429 and "try again in 60 minutes" in refused.content.decode()
    assert "Try again" not in refused.content.decode()  # no button that cannot help
    make_article("Other fever", SOURCE, user=editor)
    # A refresh that would start a build counts too: the waiting page's address is no way round.
    assert client.get("/wiki/Other_fever/pdf?wait=1").status_code == 429
    assert download(client, "/wiki/Pdf_fever/pdf", REMOTE_ADDR="192.0.2.7").startswith(b"%PDF")


@pytest.mark.django_db
def test_the_engine_fetches_nothing_but_our_own_files(client, inline_queue, make_article, editor):
    from wiki.printing.engine import LocalFetcher

    fetcher = LocalFetcher({"http://testserver/static/": ["static"]})
    assert fetcher.fetch("http://testserver/static/css/pdf.css").read().startswith(b"/*")
    for url in (
        "http://testserver/static/../pyproject.toml",
        "http://testserver/static/%2e%2e/pyproject.toml",
        "https://example.org/tracker.png",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def text_positions(data: bytes) -> dict[str, float]:
    """Where each piece of text of the first page starts, from the page's left edge (points)."""
    found = {}

    def seen(text, _cm, tm, _font, _size):
        if text.strip():
            found.setdefault(text.strip(), tm[4])

    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=seen)
    return found


def starting_with(positions: dict[str, float], words: str) -> float:
    return next(x for text, x in positions.items() if text.startswith(words))


@pytest.mark.django_db
@pytest.mark.parametrize("language, prefix", [("en", ""), ("ar", "/ar")])
def test_an_arabic_pdf_lays_out_right_to_left(client, inline_queue, editor, language, prefix):
    """The figure floats to the end of the line (the right in English, the left in Arabic) and
    the page number sits at the bottom corner of that side too."""
    make_media(editor)
    article = article_save(
        article=Article(title="Pdf fever", language=language),
        edit=ArticleEdit(
            text="[[File:Chest scan.png|thumb|A chest film in pdf fever]]\n\n" + SOURCE,
            base_revision=None,
            user=editor,
        ),
    ).article
    data = download(client, f"{prefix}/wiki/{article.slug}/pdf")
    width = page_size(data)[0]
    positions = text_positions(data)
    caption, number = starting_with(positions, "A chest film"), starting_with(positions, "1 / 1")
    if language == "ar":
        assert caption < width / 2 and number < width / 2
    else:
        assert caption > width / 2 and number > width / 2
