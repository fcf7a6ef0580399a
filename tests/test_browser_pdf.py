"""In a real browser, with a real task-queue worker: a reader at a desk clicks "Download as
PDF", sees "Preparing your PDF…" while the worker makes it, and the download starts by itself
(the page's meta refresh, no script); on a phone, with JavaScript off, the Letter link does the same. The PDFs are
read back with pypdf and their first pages drawn with pdftoppm. Screenshots and drawings land
in /tmp/pdf-*.png."""

import io
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from wiki.review.services import mark_reviewed

from .conftest import make_media

SHOTS = Path("/tmp")
PHONE = {"width": 375, "height": 740}
DESK = {"width": 1280, "height": 900}
SOURCE = """\
Pdf fever is a made-up illness used to try the PDF download.[^smith]

[[File:Chest scan.png|thumb|A chest film in pdf fever]]

## Symptoms

People report tiredness and a mild rash. Most feel better within a week.

## Treatment

Rest helps. Drink water.

[^smith]: cite journal | authors: Smith J, Roe A | title: Sleep and migraine |
    journal: Headache | year: 2020 | volume: 60 | pages: 45-67 | doi: 10.1111/head.13700
"""


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def first_page_drawn(pdf: Path, name: str) -> Path:
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(SHOTS / name),
        ],
        check=True,
    )
    return SHOTS / f"{name}.png"


def download_from(page, link_name: str, shot: str) -> bytes:
    with page.expect_download(timeout=120_000) as started:
        page.get_by_role("link", name=link_name, exact=True).click()
        expect(page.get_by_role("heading", name="Preparing your PDF…")).to_be_visible()
        page.screenshot(path=SHOTS / shot)
    return Path(started.value.path()).read_bytes()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_reader_downloads_the_pdf_at_a_desk_and_on_a_phone(
    browser, live_server, start_queue_worker, settings, tmp_path, editor, reviewer, make_article
):
    settings.MEDIA_ROOT = tmp_path
    settings.WIKI_SITE_URL = live_server.url
    make_media(editor)
    article = make_article("Pdf fever", SOURCE, user=editor)
    mark_reviewed(revision=article.revisions.get(), user=reviewer, level="reviewed", note="")
    start_queue_worker(MEDIA_ROOT=str(tmp_path), WIKI_SITE_URL=live_server.url)

    desk = browser.new_context(viewport=DESK, accept_downloads=True).new_page()
    desk.goto(f"{live_server.url}/wiki/Pdf_fever")
    desk.get_by_role("link", name="Download as PDF").scroll_into_view_if_needed()
    desk.screenshot(path=SHOTS / "pdf-desk-article.png")
    data = download_from(desk, "Download as PDF", "pdf-desk-preparing.png")
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Pdf fever" in text and "Medically reviewed by Jane Roe" in text
    assert "https://doi.org/10.1111/head.13700" in text
    assert "A chest film in pdf fever" in text and "Dr Ana Rivera" in text
    assert f"{live_server.url}/wiki/Pdf_fever/revision/{article.revisions.get().pk}" in text
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    (tmp_path / "desk.pdf").write_bytes(data)
    first_page_drawn(tmp_path / "desk.pdf", "pdf-desk-a4-page1")

    # Without JavaScript: the waiting page's meta refresh alone brings the download.
    phone = browser.new_context(
        viewport=PHONE, accept_downloads=True, java_script_enabled=False
    ).new_page()
    phone.goto(f"{live_server.url}/wiki/Pdf_fever")
    phone.get_by_role("link", name="PDF on Letter paper").scroll_into_view_if_needed()
    phone.screenshot(path=SHOTS / "pdf-phone-article.png")
    letter = download_from(phone, "PDF on Letter paper", "pdf-phone-preparing.png")
    box = PdfReader(io.BytesIO(letter)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # Letter
    assert "Creative Commons Attribution-ShareAlike" in pdf_text(letter)
    (tmp_path / "phone.pdf").write_bytes(letter)
    first_page_drawn(tmp_path / "phone.pdf", "pdf-phone-letter-page1")
