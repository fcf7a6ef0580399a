"""In a real browser: an editor writes a template in the source editor and uses it on a page;
a reader sees the page with the template's text, at 1280 and 375 px."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.conftest import editors_group
from tests.helpers import session_for
from wiki.models import Article
from wiki.services import ArticleEdit, article_save

WIDTHS = {"1280": {"width": 1280, "height": 800}, "375": {"width": 375, "height": 740}}

WARNING_BOX = """> **⚠ {{{title|Medical warning}}}**
>
> {{{text}}} {{#if:{{{emergency|}}}|Call {{{emergency}}} in an emergency.|}}

```templatedata
{"description": "A warning shown at the top of a page.",
 "params": {"title": {"label": "Title", "default": "Medical warning"},
            "text": {"label": "Warning", "type": "content", "required": true,
                     "example": "Do not stop this drug suddenly."},
            "emergency": {"label": "Emergency number", "type": "string", "example": "112"}}}
```
"""


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_an_editor_writes_a_template_uses_it_and_a_reader_sees_it(
    browser, live_server, transactional_db, width
):
    article_save(
        article=Article(title="Warfarin"),
        edit=ArticleEdit(text="Warfarin is an anticoagulant.\n", base_revision=None),
    )
    editor = User.objects.create_user("tomas", password="a-long-test-password")
    editor.groups.add(editors_group())
    editor_context = browser.new_context(viewport=WIDTHS[width])
    editor_context.add_cookies(
        [{"name": "sessionid", "value": session_for(editor), "url": live_server.url}]
    )
    reader_context = browser.new_context(viewport=WIDTHS[width])
    shots = Path("/tmp")
    try:
        page = editor_context.new_page()
        # The template, written in the source editor of a new page.
        page.goto(f"{live_server.url}/wiki/Template:Warning_box/edit")
        page.locator("textarea.markdownx-editor").fill(WARNING_BOX)
        page.get_by_role("button", name="Create article").click()
        page.wait_for_url("**/wiki/Template:Warning_box")
        expect(page.locator(".template-panel")).to_contain_text("What uses this template")
        expect(page.locator(".template-panel")).not_to_contain_text("Re-rendering")  # no users
        expect(page.locator("article table")).to_contain_text("Emergency number")
        page.screenshot(path=shots / f"templates-{width}-template-page.png", full_page=True)

        # Used on a page: first with a misspelt parameter, which the form refuses.
        page.goto(f"{live_server.url}/wiki/Warfarin/edit")
        box = page.locator("textarea.markdownx-editor")
        box.fill("")
        box.press_sequentially("{{Warning box|txet=Bleeds easily.}}\n\n")
        box.press("Control+End")
        box.press_sequentially("Warfarin is an anticoagulant.\n")
        page.get_by_role("button", name="Save changes").click()
        expect(page.locator(".errorlist")).to_contain_text(
            "“Template:Warning box” has no parameter “txet”"
        )
        expect(page.locator(".errorlist")).to_contain_text(
            "“Template:Warning box” needs the parameter “text”"
        )
        page.screenshot(path=shots / f"templates-{width}-form-error.png", full_page=True)
        box = page.locator("textarea.markdownx-editor")
        box.fill(
            "{{Warning box|text=Bleeding is its main risk.|emergency=112}}\n\n"
            "Warfarin is an anticoagulant.\n"
        )
        page.get_by_role("button", name="Save changes").click()
        page.wait_for_url("**/wiki/Warfarin")

        reader = reader_context.new_page()
        reader.goto(f"{live_server.url}/wiki/Warfarin")
        warning = reader.locator("article blockquote")
        expect(warning).to_contain_text("⚠ Medical warning")
        expect(warning).to_contain_text("Bleeding is its main risk. Call 112 in an emergency.")
        expect(reader.locator("article")).not_to_contain_text("{{")
        box_size = warning.bounding_box()
        assert box_size["x"] >= 0 and box_size["x"] + box_size["width"] <= WIDTHS[width]["width"]
        reader.screenshot(path=shots / f"templates-{width}-reader.png", full_page=True)

        reader.goto(f"{live_server.url}/wiki/Template:Warning_box/uses")
        expect(reader.locator(".what-uses-template")).to_contain_text("Warfarin")
    finally:
        editor_context.close()
        reader_context.close()
