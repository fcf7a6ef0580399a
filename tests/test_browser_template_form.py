"""In a real browser: an editor inserts a template call from the visual editor's form (the
template picked by typing its name and clicking a suggestion, its fields from templatedata,
a required one enforced), edits the call again as a form from its box, saves; an unchanged
call elsewhere keeps its exact text; a reader sees the expanded template at 1280 and 375 px."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.conftest import editors_group
from tests.helpers import AXE_SOURCE, RUN_AXE, session_for
from wiki.models import Article
from wiki.services import ArticleEdit, article_save

WIDTHS = {"1280": {"width": 1280, "height": 900}, "375": {"width": 375, "height": 800}}
SHOTS = Path("/tmp/shots-tmpl-import")

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
# A call typed by hand with odd spacing: saved again untouched, it keeps every character.
INITIAL = "Warfarin is an anticoagulant.\n\n{{ warning box |text = Check the INR weekly. }}\n"


def _save(title: str, text: str) -> None:
    article_save(article=Article(title=title), edit=ArticleEdit(text=text, base_revision=None))


def _tool(page, name: str):
    """A toolbar button, or its entry under "More" when the row is too narrow for it."""
    button = page.get_by_role("toolbar", name="Formatting").get_by_role("button", name=name)
    if button.is_visible():
        button.click()
    else:
        page.get_by_role("button", name="More tools").click()
        page.get_by_role("menuitem", name=name).click()


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_an_editor_inserts_a_template_from_the_visual_form_and_a_reader_sees_it(
    browser, live_server, transactional_db, width
):
    SHOTS.mkdir(exist_ok=True)
    _save("Template:Warning box", WARNING_BOX)
    _save("Template:Warning list", "A list of warnings.\n")
    _save("Warfarin", INITIAL)
    editor = User.objects.create_user("tomas", password="a-long-test-password")
    editor.groups.add(editors_group())
    editor_context = browser.new_context(viewport=WIDTHS[width])
    editor_context.add_cookies(
        [{"name": "sessionid", "value": session_for(editor), "url": live_server.url}]
    )
    reader_context = browser.new_context(viewport=WIDTHS[width])
    try:
        page = editor_context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{live_server.url}/wiki/Warfarin/edit?mode=visual")
        page.wait_for_function("() => document.querySelector('.ve-host')?.dataset.ready === '1'")
        # The hand-typed call shows as a box with its values.
        expect(page.locator(".ve-content .ve-template")).to_contain_text("warning box")
        expect(page.locator(".ve-content .ve-template")).to_contain_text("Check the INR weekly.")

        # A new paragraph at the end, and the form from the toolbar.
        page.locator(".ve-content").click()
        page.keyboard.press("Control+End")
        page.keyboard.press("Enter")
        _tool(page, "Insert a template")
        dialog = page.get_by_role("dialog", name="Insert a template")
        expect(dialog).to_be_visible()
        dialog.get_by_label("Template", exact=True).press_sequentially("Warn")
        dialog.get_by_role("button", name="Warning box").click()
        warning = dialog.get_by_label("Warning (required)")
        expect(warning).to_be_focused()
        expect(dialog).to_contain_text("A warning shown at the top of a page.")
        expect(dialog).to_contain_text("Default: Medical warning")
        # The required field, left empty, is refused by the form.
        dialog.get_by_role("button", name="Insert template").click()
        expect(dialog.get_by_role("alert")).to_have_text("Fill in the required field: Warning.")
        expect(warning).to_have_attribute("aria-invalid", "true")
        page.evaluate(AXE_SOURCE)
        assert page.evaluate(RUN_AXE) == []
        page.screenshot(path=SHOTS / f"form-{width}-required.png")
        warning.press_sequentially("Bleeding is its main risk.")
        dialog.get_by_label("Emergency number").press_sequentially("112")
        dialog.get_by_role("button", name="Insert template").click()
        expect(dialog).to_be_hidden()
        boxes = page.locator(".ve-content .ve-template")
        expect(boxes).to_have_count(2)
        expect(boxes.nth(1)).to_contain_text("Warning box")
        expect(boxes.nth(1)).to_contain_text("emergency: 112")

        # The new call edited again as a form, from its box.
        boxes.nth(1).get_by_role("button").click()
        again = page.get_by_role("dialog", name="Edit template: Warning box")
        expect(again.get_by_label("Warning (required)")).to_have_value("Bleeding is its main risk.")
        number = again.get_by_label("Emergency number")
        number.fill("")
        number.press_sequentially("911")
        page.screenshot(path=SHOTS / f"form-{width}-edit.png")
        again.get_by_role("button", name="Apply changes").click()
        expect(boxes.nth(1)).to_contain_text("emergency: 911")
        assert page.evaluate(RUN_AXE) == []
        page.screenshot(path=SHOTS / f"form-{width}-boxes.png", full_page=True)
        page.get_by_role("button", name="Save changes").click()
        page.wait_for_url("**/wiki/Warfarin")
        assert errors == []
        source = Article.objects.get(title="Warfarin").source
        assert source.startswith(INITIAL.rstrip("\n"))  # the untouched call, as typed
        assert source.rstrip("\n").endswith(
            "{{Warning box|text=Bleeding is its main risk.|emergency=911}}"
        )

        reader = reader_context.new_page()
        reader.goto(f"{live_server.url}/wiki/Warfarin")
        article = reader.locator("article")
        expect(article).to_contain_text("Check the INR weekly.")
        expect(article).to_contain_text("Bleeding is its main risk. Call 911 in an emergency.")
        expect(article).not_to_contain_text("{{")
        box = reader.locator("article blockquote").last.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[width]["width"]
        reader.screenshot(path=SHOTS / f"reader-{width}.png", full_page=True)
    finally:
        editor_context.close()
        reader_context.close()


def test_the_forms_json_suggests_names_and_gives_parameters(client, db):
    _save("Template:Warning box", WARNING_BOX)
    _save("Template:Plain note", "Note: {{{1}}}\n")
    names = client.get("/templates/form.json", {"q": "warn"}).json()
    assert names["names"] == ["Warning box"]
    data = client.get("/templates/form.json", {"name": "warning_box"}).json()
    assert data["title"] == "Template:Warning box"
    assert [p["name"] for p in data["params"]] == ["title", "text", "emergency"]
    assert data["params"][1] == {
        "name": "text",
        "label": "Warning",
        "type": "content",
        "required": True,
        "example": "Do not stop this drug suddenly.",
    }
    assert data["params"][0]["default"] == "Medical warning"
    plain = client.get("/templates/form.json", {"name": "Plain note"}).json()
    assert plain["documented"] is False and plain["params"] == []
    missing = client.get("/templates/form.json", {"name": "No such"})
    assert missing.status_code == 404
    assert missing.json()["error"] == "There is no template “Template:No such”."


@pytest.mark.browser
def test_in_the_source_mode_the_form_writes_the_call_at_the_cursor(
    browser, live_server, transactional_db
):
    _save("Template:Warning box", WARNING_BOX)
    _save("Warfarin", "Warfarin is an anticoagulant.\n")
    editor = User.objects.create_user("tomas", password="a-long-test-password")
    editor.groups.add(editors_group())
    context = browser.new_context(viewport=WIDTHS["1280"])
    context.add_cookies(
        [{"name": "sessionid", "value": session_for(editor), "url": live_server.url}]
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/wiki/Warfarin/edit?mode=source")
        page.wait_for_function("() => document.querySelector('.ve-host')?.dataset.ready === '1'")
        box = page.locator("textarea.markdownx-editor")
        box.click()
        box.press("Control+End")
        _tool(page, "Insert a template")
        dialog = page.get_by_role("dialog", name="Insert a template")
        dialog.get_by_label("Template", exact=True).press_sequentially("warning box")
        dialog.get_by_label("Template", exact=True).press("Enter")  # the name as typed
        dialog.get_by_label("Warning (required)").press_sequentially("Bleeds easily.")
        dialog.get_by_role("button", name="Insert template").click()
        expect(box).to_have_value(
            "Warfarin is an anticoagulant.\n{{Warning box|text=Bleeds easily.}}"
        )
        expect(box).to_be_focused()
    finally:
        context.close()
