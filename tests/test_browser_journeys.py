"""The clinician's journey in a real browser, typed and clicked as a person does, at 1280 and
375 px: sign in, open an article with an infobox, edit its introduction in the text box (typed
keys and Enter, so the browser's own CRLF reaches the server), the whole text, one section with
the citation helper, drop an image, undo one edit after seeing its diff; a reviewer reviews
the article first from its page, then the changes from the queue's diff; an anonymous reader
sees the reviewed text meanwhile and the new one after. What is posted
is whatever the browser sends; no test string is posted. Screenshots land in test-results/."""

import base64
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from PIL import Image
from playwright.sync_api import expect

from wiki.media.models import MediaFile
from wiki.models import Article, Contributor, Revision
from wiki.permissions import REVIEWERS_GROUP, ensure_groups
from wiki.review.models import Review

from .conftest import editors_group

SHOTS = Path(__file__).resolve().parent.parent / "test-results"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 740}}
PASSWORD = "a-long-test-password"


def png_base64() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 500), (200, 60, 60)).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").click()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    # On a phone the account links are in the header's menu: attached, if not shown.
    expect(page.locator(".user-links button", has_text="Sign out")).to_be_attached()


def put_cursor_after(textarea, text: str) -> None:
    """Move the text box's caret to just after `text`, as a click there would."""
    textarea.evaluate(
        "(t, s) => { t.focus(); const i = t.value.indexOf(s) + s.length; t.setSelectionRange(i, i); }",
        text,
    )


def mark_reviewed(page, revision_id: int, note: str) -> None:
    page.get_by_label("Review note (optional)").first.click()
    page.keyboard.type(note)
    page.get_by_role("button", name=f"Mark revision {revision_id} medically reviewed").click()
    expect(page.get_by_role("status")).to_contain_text("is marked medically reviewed")


def save(page, summary: str) -> None:
    page.get_by_label("Summary").click()
    page.keyboard.type(summary)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("Your edit was saved.")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_clinician_edits_an_infobox_article_as_a_browser_does(
    browser, live_server, settings, tmp_path, width
):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    clinician = User.objects.create_user("kenji", password=PASSWORD)
    clinician.groups.add(editors_group())
    ensure_groups()
    reviewer = User.objects.create_user("jane", password=PASSWORD)
    reviewer.groups.add(editors_group(), Group.objects.get(name=REVIEWERS_GROUP))
    Contributor.objects.create(user=reviewer, name="Jane Roe", credentials="MD")
    SHOTS.mkdir(exist_ok=True)
    paracetamol = Article.objects.get(title="Paracetamol")
    revisions = paracetamol.revisions.count()

    # A reviewer reviews the article, never reviewed, from its page.
    context = browser.new_context(viewport=VIEWPORTS[width])
    page = context.new_page()
    sign_in(page, live_server.url, "jane")
    page.goto(f"{live_server.url}/wiki/Paracetamol")
    mark_reviewed(page, paracetamol.latest_revision_id, "Checked against the label")
    context.close()

    context = browser.new_context(viewport=VIEWPORTS[width])
    page = context.new_page()
    sign_in(page, live_server.url, "kenji")

    # The introduction, infobox included: a new field line typed with Enter.
    page.goto(f"{live_server.url}/wiki/Paracetamol")
    page.get_by_role("link", name="edit introduction").click()
    text = page.locator("textarea.markdownx-editor")
    expect(text).to_have_value(re.compile(r"^::: infobox drug"))
    put_cursor_after(text, "Trade names: Tylenol, Panadol")
    page.keyboard.press("Enter")
    page.keyboard.type("Elimination half-life: 1 to 4 hours")
    page.screenshot(path=SHOTS / f"journey-lead-{width}.png")
    save(page, "Half-life in the infobox")
    box = page.locator("table.infobox")
    expect(box).to_contain_text("Elimination half-life")
    expect(box).to_contain_text("1 to 4 hours")

    # The whole text: a paragraph typed at the end of the first section.
    page.get_by_role(
        "link", name="Edit", exact=True
    ).click()  # the whole text, in source mode (the last used)
    text = page.locator("textarea.markdownx-editor")
    put_cursor_after(text, "* fever and discomfort from colds, flu and other infections;")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Doses are counted across every product taken.")
    save(page, "Counting doses")
    expect(page.locator("main")).to_contain_text("Doses are counted across every product taken.")

    # One section, with a source cited through the helper and an image dropped in.
    page.locator("h2", has_text="Uses").get_by_role("link", name="edit source", exact=True).click()
    text = page.locator("textarea.markdownx-editor")
    put_cursor_after(text, "Doses are counted across every product taken.")
    page.locator("summary", has_text="Cite a source").click()  # the helper below the editor
    page.get_by_label("Authors").fill("Okafor N")
    page.get_by_label("Title", exact=True).fill("Counting paracetamol doses")
    page.get_by_role("textbox", name="Journal").fill("Pharmacy Practice")
    page.get_by_label("Year").fill("2021")
    page.get_by_role("button", name="Insert citation").click()
    expect(text).to_have_value(re.compile(r"\[\^Okafor2021\]"))
    put_cursor_after(text, "Paracetamol is used for mild to moderate pain and to lower fever.")
    text.evaluate(
        """(el, data) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const files = new DataTransfer();
            files.items.add(new File([bytes], "tablets.png", {type: "image/png"}));
            el.dispatchEvent(new DragEvent("drop", {dataTransfer: files, bubbles: true, cancelable: true}));
        }""",
        png_base64(),
    )
    dialog = page.get_by_role("dialog", name="Add an image")
    dialog.get_by_label("Alt text (required)").fill("White tablets on a red tray")
    dialog.get_by_label("Author (required)").fill("Kenji Watanabe")
    dialog.get_by_label("License (required)").select_option("cc-by-4.0")
    dialog.get_by_label("Description").fill("Paracetamol tablets")
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(dialog).to_be_hidden()
    expect(text).to_have_value(  # where the caret was, not at the top of the section
        re.compile(r"^## Uses\n\nParacetamol is used [^\n]*fever\.\n\n\[\[File:Tablets\.png\|thumb")
    )
    page.screenshot(path=SHOTS / f"journey-section-{width}.png", full_page=True)
    save(page, "A source and a photo")

    # Second thoughts on the half-life: undo that edit alone, after seeing what it changes.
    page.get_by_role("link", name="History").first.click()
    row = page.locator(".history-row", has_text="Half-life in the infobox")
    row.get_by_role("link", name="undo").click()
    expect(page.locator(".change-preview")).to_contain_text("Elimination half-life")
    assert paracetamol.revisions.count() == revisions + 3  # nothing saved on the click
    page.get_by_label("Summary").click()
    page.keyboard.press("End")
    page.keyboard.type(" (the figure needs a source)")
    page.screenshot(path=SHOTS / f"journey-undo-{width}.png", full_page=True)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_be_visible()
    context.close()

    paracetamol.refresh_from_db()
    assert paracetamol.revisions.count() == revisions + 4
    assert "\r" not in paracetamol.source
    assert "Elimination half-life" not in paracetamol.source
    assert Revision.objects.filter(summary__endswith="(the figure needs a source)").exists()
    assert MediaFile.objects.filter(name="Tablets.png").exists()
    assert Revision.objects.filter(summary="A source and a photo").exists()

    # A reader meanwhile sees the reviewed text, told that changes await review.
    context = browser.new_context(viewport=VIEWPORTS[width])
    page = context.new_page()
    page.goto(f"{live_server.url}/wiki/Paracetamol")
    expect(page.locator(".review-notice")).to_contain_text("waiting for a reviewer")
    expect(page.locator("main")).not_to_contain_text("Doses are counted")
    context.close()

    # The reviewer goes from the queue to the diff since the last review and marks it.
    context = browser.new_context(viewport=VIEWPORTS[width])
    page = context.new_page()
    sign_in(page, live_server.url, "jane")
    if page.locator(".site-menu > summary").is_visible():  # a phone: the header's menu
        page.locator(".site-menu > summary").click()
    page.get_by_role("link", name="Review queue").click()
    expect(page.locator(".queue-tabs [aria-current=page]")).to_contain_text("Changed since")
    row = page.locator(".history-row", has_text="Paracetamol")
    row.get_by_role("link", name="review the changes since the last review").click()
    expect(page.locator("main")).to_contain_text("Doses are counted across every product taken.")
    paracetamol.refresh_from_db()
    mark_reviewed(page, paracetamol.latest_revision_id, "Sources checked")
    context.close()

    # An anonymous reader sees the box, the sentence, its reference and the figure.
    context = browser.new_context(viewport=VIEWPORTS[width])
    page = context.new_page()
    page.goto(f"{live_server.url}/wiki/Paracetamol")
    expect(page.locator(".review-badge")).to_contain_text("Medically reviewed by Jane Roe, MD")
    expect(page.locator(".review-notice")).to_have_count(0)
    expect(page.locator("table.infobox")).to_contain_text("Pregnancy category")
    expect(page.locator("table.infobox")).not_to_contain_text("half-life")
    expect(page.locator("main")).to_contain_text("Doses are counted across every product taken.")
    expect(page.locator("main")).to_contain_text("Okafor N. Counting paracetamol doses.")
    expect(page.locator("figure.media img")).to_have_attribute("alt", "White tablets on a red tray")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    page.screenshot(path=SHOTS / f"journey-reader-{width}.png", full_page=True)
    context.close()
    assert [r.note for r in Review.objects.order_by("pk")] == [
        "Checked against the label",
        "Sources checked",
    ]
