"""In a real browser: an editor drops an image into the editor, the form asks for its alt text,
author and license, the image is placed in the article; a reader sees the figure, its caption
and its credit, on a desktop and on a phone. Screenshots land in test-results/."""

import base64
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from PIL import Image
from playwright.sync_api import expect

from wiki.media.models import MediaFile
from wiki.models import Article

from .conftest import editors_group
from .helpers import session_for

SHOTS = Path(__file__).resolve().parent.parent / "test-results"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 740}}


def png_base64() -> str:
    buffer = io.BytesIO()
    image = Image.new("RGB", (900, 600), (235, 235, 240))
    for x in range(300, 600):
        for y in range(200, 400):
            image.putpixel((x, y), (180, 60, 60))
    image.save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_editor_drops_an_image_and_a_reader_sees_figure_caption_and_credit(
    browser, live_server, make_article, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    make_article()
    editor = User.objects.create_user("maya", password="a-long-test-password")
    editor.groups.add(editors_group())
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    context.add_cookies(
        [{"name": "sessionid", "value": session_for(editor), "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/wiki/Sample_condition/edit?section=1")
    text = page.locator("textarea.markdownx-editor")
    text.evaluate("(t) => { t.focus(); t.setSelectionRange(t.value.length, t.value.length); }")
    text.evaluate(
        """(el, data) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const files = new DataTransfer();
            files.items.add(new File([bytes], "rash on arm.png", {type: "image/png"}));
            el.dispatchEvent(new DragEvent("drop", {dataTransfer: files, bubbles: true, cancelable: true}));
        }""",
        png_base64(),
    )
    dialog = page.get_by_role("dialog", name="Add an image")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("rash on arm.png")
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(dialog.get_by_role("alert")).to_contain_text("This field is required")
    dialog.get_by_label("Alt text (required)").fill("A red patch of rash on a forearm")
    dialog.get_by_label("Author (required)").fill("Lucía Ferrer")
    dialog.get_by_label("License (required)").select_option("cc-by-4.0")
    dialog.get_by_label("Description").fill("A rash on the forearm")
    page.screenshot(path=SHOTS / "media-upload-dialog.png")
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(dialog).to_be_hidden()
    expect(text).to_have_value(
        re.compile(r"\[\[File:Rash on arm\.png\|thumb\|A rash on the forearm\]\]\n")
    )
    preview = page.locator(".markdownx-preview")
    expect(preview.locator("figure.media img")).to_have_attribute(
        "alt", "A red patch of rash on a forearm"
    )
    page.get_by_label("Summary").fill("A photo of the rash")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("Your edit was saved.")
    context.close()
    media = MediaFile.objects.get()
    assert media.author == "Lucía Ferrer" and media.license == "cc-by-4.0"
    assert "[[File:Rash on arm.png|thumb|" in Article.objects.get().source

    for name, viewport in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(f"{live_server.url}/wiki/Sample_condition")
        if name == "phone":  # sections are folded under their headings on a phone
            page.get_by_role("button", name="Expand all sections").click()
        figure = page.locator("figure.media")
        expect(figure.locator("img")).to_have_attribute("width", "220")
        expect(figure.locator("figcaption")).to_contain_text(
            "A rash on the forearm Image: Lucía Ferrer, CC BY 4.0"
        )
        assert figure.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
        expect(page.locator(".image-credits")).to_contain_text(
            "Rash on arm.png (Lucía Ferrer, CC BY 4.0)"
        )
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        page.screenshot(path=SHOTS / f"media-article-{name}.png", full_page=True)
        figure.get_by_role("link").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("File:Rash on arm.png")
        expect(page.get_by_role("link", name="Sample condition")).to_be_visible()  # file usage
        page.screenshot(path=SHOTS / f"media-page-{name}.png", full_page=True)
        context.close()
