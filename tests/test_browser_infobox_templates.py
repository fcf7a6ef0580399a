"""In a real browser: an editor defines an infobox type by writing its template, uses it on an
article (a wrong value refused, naming the field) and a reader sees the box, at 1280 and 375
px."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import editors_group
from tests.helpers import json_ld, session_for
from tests.infobox_corpus import ANATOMY, HUMERUS

WIDTHS = {"1280": {"width": 1280, "height": 800}, "375": {"width": 375, "height": 740}}
SHOTS = Path("/tmp/shots-tmpl-infobox")


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_an_editor_adds_an_infobox_type_and_a_reader_sees_its_box(
    browser, live_server, transactional_db, width
):
    SHOTS.mkdir(exist_ok=True)
    editor = User.objects.create_user("ines", password="a-long-test-password")
    # An established editor: a young account's link (the atlas page) would be asked a captcha.
    User.objects.filter(pk=editor.pk).update(date_joined=timezone.now() - timedelta(days=90))
    editor.groups.add(editors_group())
    editor_context = browser.new_context(viewport=WIDTHS[width])
    editor_context.add_cookies(
        [{"name": "sessionid", "value": session_for(editor), "url": live_server.url}]
    )
    reader_context = browser.new_context(viewport=WIDTHS[width])
    try:
        page = editor_context.new_page()
        page.goto(f"{live_server.url}/wiki/Template:Infobox_anatomy/edit")
        page.locator("textarea.markdownx-editor").fill(ANATOMY)
        page.get_by_role("button", name="Create article").click()
        page.wait_for_url("**/wiki/Template:Infobox_anatomy")
        expect(page.locator("article table.infobox caption")).to_have_text("Anatomy")

        page.goto(f"{live_server.url}/wiki/Humerus/edit")
        box = page.locator("textarea.markdownx-editor")
        box.fill(HUMERUS.replace("FMA ID: 13303", "FMA ID: about 13303"))
        page.get_by_role("button", name="Create article").click()
        expect(page.locator(".errorlist")).to_contain_text(
            "“about 13303” is not a valid FMA ID (a number"
        )
        page.screenshot(path=SHOTS / f"browser-{width}-form-error.png", full_page=True)
        page.locator("textarea.markdownx-editor").fill(HUMERUS)
        page.get_by_role("button", name="Create article").click()
        page.wait_for_url("**/wiki/Humerus")

        reader = reader_context.new_page()
        reader.goto(f"{live_server.url}/wiki/Humerus")
        table = reader.locator("article table.infobox")
        expect(table.locator("caption")).to_have_text("Humerus")
        expect(table).to_contain_text("Axillary nerve")
        expect(table.locator("th", has_text="FMA ID")).to_be_visible()
        size = table.bounding_box()
        assert size["x"] >= 0 and size["x"] + size["width"] <= WIDTHS[width]["width"]
        about = json_ld(reader.content())["about"]
        assert about["@type"] == "AnatomicalStructure"
        reader.screenshot(path=SHOTS / f"browser-{width}-reader.png", full_page=True)
    finally:
        editor_context.close()
        reader_context.close()
