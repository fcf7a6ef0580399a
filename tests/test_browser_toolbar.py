"""The source editor's toolbar in a real browser, driven with the keyboard and mouse as a
clinician edits: formatting, lists, a table, `[[` completion, special characters, undo, the
phone layout and keyboard-only use with axe-core clean (static/js/toolbar.js)."""

from pathlib import Path

import axe_playwright_python
import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.conftest import editors_group
from tests.helpers import session_for
from wiki.models import Article

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    rules: {"target-size": {enabled: true}},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}"""
CAUSES = "## Causes\n\nNobody knows the causes.\n"
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


@pytest.fixture
def editing(live_server, page, make_article):
    """Two articles and a signed-in editor; returns a function opening a section editor."""
    make_article()
    make_article("Aspirin", "Aspirin is a painkiller.\n")
    make_article("Asprin", "#REDIRECT [[Aspirin]]\n")
    editor = User.objects.create_user("nadia", password="a-long-test-password")
    editor.groups.add(editors_group())
    page.context.add_cookies(
        [{"name": "sessionid", "value": session_for(editor), "url": live_server.url}]
    )

    def open_editor(path="/wiki/Sample_condition/edit?section=2"):
        page.goto(live_server.url + path)
        expect(page.get_by_role("toolbar", name="Formatting")).to_be_visible()
        return page.locator("textarea.markdownx-editor")

    return open_editor


def tool(page, name):
    return page.get_by_role("toolbar", name="Formatting").get_by_role(
        "button", name=name, exact=True
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_section_formatted_with_the_toolbar_saves_exactly_that_source(
    editing, page, live_server, output_path
):
    page.set_viewport_size({"width": 1280, "height": 900})
    text = editing()
    expect(text).to_have_value(CAUSES)
    assert tool(page, "Bold").get_attribute("title") == "Bold (Ctrl+B)"
    assert tool(page, "Italic").get_attribute("title") == "Italic (Ctrl+I)"
    assert tool(page, "Link").get_attribute("title") == "Link (Ctrl+K)"

    # Select "Nobody" with Shift+arrows, press Bold: wrapped, and still selected.
    text.click()
    page.keyboard.press("Control+Home")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    for _ in range(6):
        page.keyboard.press("Shift+ArrowRight")
    tool(page, "Bold").click()
    expect(text).to_have_value("## Causes\n\n**Nobody** knows the causes.\n")
    assert text.evaluate("t => t.value.slice(t.selectionStart, t.selectionEnd)") == "Nobody"

    # A new paragraph; "rise" selected and Ctrl+I.
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("Fever may rise")
    for _ in range(4):
        page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Control+i")
    page.keyboard.press("End")

    # A bulleted list on an empty line: a placeholder item selected for typing.
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    tool(page, "Bulleted list").click()
    page.keyboard.type("Rest")
    page.keyboard.press("Enter")
    page.keyboard.type("- Fluids")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")

    # A table: its first heading is selected for typing.
    tool(page, "Table").click()
    page.keyboard.type("Dose")
    preview = page.locator(".markdownx-preview")
    expect(preview.locator("table th").first).to_have_text("Dose")
    page.keyboard.press("Control+End")

    # `[[Asp` suggests Aspirin; Enter takes it and closes the link.
    page.keyboard.type("\nSee [[Asp")
    listbox = page.get_by_role("listbox", name="Article titles")
    expect(listbox.get_by_role("option", name="Aspirin")).to_be_visible()
    expect(listbox.get_by_role("option", name="Asprin")).to_be_visible()  # a redirect
    active = text.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").inner_text() == "Aspirin"
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()

    # A title with no article is offered, marked as a red link; Escape closes the list.
    page.keyboard.type(" and [[Trial of nothing")
    missing = listbox.locator(".missing")
    expect(missing).to_contain_text("Trial of nothing")
    expect(missing).to_contain_text("no article yet")
    page.screenshot(path=Path(output_path) / "toolbar-completion-1280.png")
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    page.keyboard.type("]]. Dose 1 ")

    # ± from the special characters, reached from the text with Shift+Tab and arrow keys.
    page.keyboard.press("Shift+Tab")
    focused_tool = page.evaluate("document.activeElement.closest('[role=toolbar]') !== null")
    assert focused_tool
    page.keyboard.press("End")
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    expect(tool(page, "Special characters")).to_be_focused()
    page.keyboard.press("Enter")
    menu = page.get_by_role("menu", name="Special characters")
    expect(menu.get_by_role("menuitem", name="± plus-minus")).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu).to_be_hidden()
    expect(text).to_be_focused()
    page.keyboard.type(" 0.5 mg")

    # Undo takes the last typing away, redo brings it back: the text box's own history.
    before_undo = text.input_value()
    tool(page, "Undo").click()
    assert text.input_value() != before_undo
    tool(page, "Redo").click()
    expect(text).to_have_value(before_undo)

    expected = (
        "## Causes\n\n**Nobody** knows the causes.\n\nFever may *rise*\n\n- Rest\n- Fluids\n\n"
        "| Dose | Heading |\n| --- | --- |\n| Cell | Cell |\n| Cell | Cell |\n"
        "\nSee [[Aspirin]] and [[Trial of nothing]]. Dose 1 ± 0.5 mg"
    )
    expect(text).to_have_value(expected)
    expect(preview.locator("a.wikilink:not(.new)")).to_have_attribute("href", "/wiki/Aspirin")
    expect(preview.locator("a.wikilink.new")).to_have_text("Trial of nothing")
    page.screenshot(path=Path(output_path) / "toolbar-1280.png", full_page=True)

    page.get_by_label("Summary").fill("Causes, formatted with the toolbar")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", name="Sample condition", exact=True)).to_be_visible()
    article = Article.objects.get(title="Sample condition")
    assert "\n" + expected + "\n" in article.source or article.source.endswith(expected + "\n")

    # The diff of that revision shows the typed source, word for word.
    revisions = list(article.revisions.order_by("pk").values_list("pk", flat=True))
    page.goto(
        f"{live_server.url}/wiki/Sample_condition/diff?from={revisions[-2]}&to={revisions[-1]}"
    )
    assert page.locator("del").all_inner_texts() == []
    assert page.locator("ins").all_inner_texts() == [
        "**",
        "**",
        "Fever may *rise*",
        "- Rest\n- Fluids",
        "| Dose | Heading |\n| --- | --- |\n| Cell | Cell |\n| Cell | Cell |",
        "See [[Aspirin]] and [[Trial of nothing]]. Dose 1 ± 0.5 mg",
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_toolbar_is_one_row_with_more_and_the_preview_is_a_toggle(
    editing, page, output_path
):
    page.set_viewport_size({"width": 375, "height": 740})
    text = editing()
    bar = page.get_by_role("toolbar", name="Formatting")
    box = bar.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert box["height"] < 50, "the toolbar wraps onto a second row"
    for button in bar.get_by_role("button").all():
        if button.is_visible():
            b = button.bounding_box()
            assert b["y"] - box["y"] < 10 and b["x"] + b["width"] <= box["x"] + box["width"] + 1
    more = tool(page, "More tools")
    expect(more).to_be_visible()
    expect(tool(page, "Table")).to_be_hidden()

    # The preview is not below the text: Write / Preview switch between them.
    preview = page.locator(".markdownx-preview")
    expect(preview).to_be_hidden()
    text.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("Salt helps.")
    page.get_by_role("button", name="Preview").click()
    expect(preview).to_be_visible()
    expect(preview).to_contain_text("Salt helps.")
    expect(text).to_be_hidden()
    page.screenshot(path=Path(output_path) / "toolbar-375-preview.png", full_page=True)
    page.get_by_role("button", name="Write").click()
    expect(text).to_be_visible()
    expect(preview).to_be_hidden()

    # A tool that did not fit, from the More menu: a table at the end of the text.
    text.click()
    page.keyboard.press("Control+End")
    more.click()
    menu = page.get_by_role("menu", name="More tools")
    expect(menu).to_be_visible()
    page.screenshot(path=Path(output_path) / "toolbar-375-more.png")
    menu.get_by_role("menuitem", name="Table", exact=True).click()
    expect(menu).to_be_hidden()
    assert text.input_value().endswith(
        "Salt helps.\n\n| Heading | Heading |\n| --- | --- |\n| Cell | Cell |\n| Cell | Cell |\n"
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_toolbar_works_from_the_keyboard_alone_and_axe_finds_nothing(
    editing, page, live_server
):
    page.set_viewport_size({"width": 1280, "height": 900})
    text = editing("/wiki/Sample_condition/edit")
    page.evaluate(AXE_SOURCE)
    assert page.evaluate(RUN_AXE) == []

    # Tab reaches the toolbar once, arrows move inside it, Tab goes on to the text box.
    page.keyboard.press("Tab")
    for _ in range(60):
        if page.evaluate("document.activeElement.closest('[role=toolbar]') !== null"):
            break
        page.keyboard.press("Tab")
    expect(tool(page, "Paragraph style")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(tool(page, "Bold")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(tool(page, "Help with editing (opens in a new tab)")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(tool(page, "Redo")).to_be_focused()
    page.keyboard.press("Home")
    page.keyboard.press("Tab")
    expect(text).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(tool(page, "Paragraph style")).to_be_focused()

    # A heading from the style menu, with the keyboard; Escape closes a menu back to its button.
    page.keyboard.press("ArrowDown")
    menu = page.get_by_role("menu", name="Paragraph style")
    expect(menu).to_be_visible()
    assert page.evaluate(RUN_AXE) == []
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(tool(page, "Paragraph style")).to_be_focused()

    page.keyboard.press("Tab")
    page.keyboard.press("Control+End")
    page.keyboard.type("Outlook")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(text).to_be_focused()
    assert text.input_value().endswith("\n## Outlook")

    # Ctrl+K: the link dialog, a title completed with the keyboard, then the text to show.
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Take ")
    page.keyboard.press("Control+k")
    dialog = page.get_by_role("dialog", name="Insert a link")
    expect(dialog).to_be_visible()
    page.keyboard.type("aspi")
    expect(dialog.get_by_role("option", name="Aspirin")).to_be_visible()
    assert page.evaluate(RUN_AXE) == []
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("combobox")).to_have_value("Aspirin")
    page.keyboard.press("Tab")
    page.keyboard.type("a painkiller")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(text).to_be_focused()
    assert text.input_value().endswith("\n## Outlook\n\nTake [[Aspirin|a painkiller]]")

    # Cite opens the cite helper at its first field.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("End")
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    expect(tool(page, "Cite a source")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".cite-helper")).to_have_attribute("open", "")
    expect(page.locator(".cite-helper select, .cite-helper input").first).to_be_focused()

    # Back to the text with Shift+Tab; an external address gives a Markdown link.
    for _ in range(5):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.tagName") == "TEXTAREA":
            break
    expect(text).to_be_focused()
    page.keyboard.press("Control+k")
    page.keyboard.type("https://www.who.int/")
    page.keyboard.press("Enter")
    assert text.input_value().endswith(
        "[[Aspirin|a painkiller]][https://www.who.int/](https://www.who.int/)"
    )

    # Image opens the file picker, and the chosen file the upload dialog that asks for its alt
    # text, author and license (last: Chromium takes no keys once its file chooser was shown).
    text.focus()
    with page.expect_file_chooser() as chooser:
        tool(page, "Image").click()
    chooser.value.set_files(
        files=[{"name": "scan.png", "mimeType": "image/png", "buffer": PNG_BYTES}]
    )
    upload = page.get_by_role("dialog", name="Add an image")
    expect(upload).to_be_visible()
    expect(upload).to_contain_text("scan.png")
    upload.get_by_role("button", name="Cancel").click()
    expect(upload).to_be_hidden()
    expect(text).to_be_focused()


DOSING = (
    "Doses for adults.\n\n## Doses\n\n| Drug | Dose |\n|---|---|\n"
    "| Paracetamol | 1 g |\n| Ibuprofen | 400 mg |\n\nAsk a pharmacist.\n"
)


def table_tool(page, name):
    tool(page, "Edit table").click()
    page.get_by_role("menu", name="Edit table").get_by_role("menuitem", name=name).click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_table_gains_a_row_and_a_column_loses_a_row_and_an_infobox_is_filled_in(
    editing, page, live_server, make_article, output_path
):
    page.set_viewport_size({"width": 1280, "height": 900})
    make_article("Dosing", DOSING)
    text = editing("/wiki/Dosing/edit")
    preview = page.locator(".markdownx-preview")

    # Outside a table the table tools say what they need.
    text.click()
    page.keyboard.press("Control+Home")
    table_tool(page, "Add row below")
    expect(page.get_by_role("status").filter(has_text="cursor in a table")).to_be_visible()
    expect(text).to_have_value(DOSING)

    # In "Paracetamol": a row below, the caret in its first cell; the dose in its second.
    for _ in range(6):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    table_tool(page, "Add row below")
    expect(text).to_be_focused()
    page.keyboard.type("Aspirin")
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.type("300 mg")
    expect(preview.locator("table tbody tr")).to_have_count(3)

    # In the heading "Dose": a column to its right, its heading selected for typing.
    for _ in range(3):
        page.keyboard.press("ArrowUp")
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    table_tool(page, "Add column right")
    page.keyboard.type("Notes")
    expect(preview.locator("table th")).to_have_text(["Drug", "Dose", "Notes"])

    # Remove column takes "Notes" away again; Ctrl+Z puts it back (one undo step).
    with_notes = text.input_value()
    table_tool(page, "Remove column")
    expect(preview.locator("table th")).to_have_text(["Drug", "Dose"])
    page.keyboard.press("Control+z")
    expect(text).to_have_value(with_notes)

    # The Ibuprofen row goes.
    page.keyboard.press("Control+End")
    for _ in range(3):
        page.keyboard.press("ArrowUp")
    table_tool(page, "Remove row")
    expect(preview.locator("table tbody tr")).to_have_count(2)

    # A drug infobox at the top: every field written out, the caret after "Name: ".
    page.keyboard.press("Control+Home")
    tool(page, "Infobox").click()
    menu = page.get_by_role("menu", name="Infobox")
    menu.get_by_role("menuitem", name="Infobox: drug").click()
    page.keyboard.type("Paracetamol")
    for _ in range(7):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("End")
    page.keyboard.type("N02BE01")
    expect(preview.locator("table.infobox")).to_contain_text("N02BE01")
    page.screenshot(path=Path(output_path) / "toolbar-table-infobox.png", full_page=True)

    # A second infobox is refused with a word why.
    tool(page, "Infobox").click()
    menu.get_by_role("menuitem", name="Infobox: drug").click()
    expect(page.get_by_role("status").filter(has_text="has an infobox already")).to_be_visible()

    page.get_by_label("Summary").fill("Aspirin row, notes column, infobox")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("table.infobox")).to_contain_text("N02BE01")
    article = Article.objects.get(title="Dosing")
    skeleton = (
        "::: infobox drug\nName: Paracetamol\nImage: \nCaption: \nTrade names: \n"
        "Other names: \nDrug class: \nRoutes of administration: \nATC code: N02BE01\n"
        "Pregnancy category: \nLegal status: \nBioavailability: \nMetabolism: \n"
        "Elimination half-life: \nExcretion: \n:::\n\n"
    )
    table = (
        "| Drug | Dose | Notes |\n|---|---|---|\n| Paracetamol | 1 g |  |\n"
        "| Aspirin | 300 mg |  |\n"
    )
    assert article.source == skeleton + DOSING.replace(
        "| Drug | Dose |\n|---|---|\n| Paracetamol | 1 g |\n| Ibuprofen | 400 mg |\n", table
    )

    revisions = list(article.revisions.order_by("pk").values_list("pk", flat=True))
    page.goto(f"{live_server.url}/wiki/Dosing/diff?from={revisions[-2]}&to={revisions[-1]}")
    page.screenshot(path=Path(output_path) / "toolbar-table-diff.png", full_page=True)
    # Word by word: the Ibuprofen row became the Aspirin row, each row gained a cell, and the
    # infobox came in; nothing else of the table moved.
    assert [t for t in page.locator("del").all_inner_texts() if t.strip()] == ["Ibuprofen", "400"]
    assert page.locator("ins").all_inner_texts() == [
        skeleton.rstrip("\n"),
        " Notes |\n|---",
        "  |",
        "Aspirin",
        "300",
        "  |",
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_help_button_opens_the_editors_help(editing, page):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))
    page.set_viewport_size({"width": 1280, "height": 900})
    editing()
    with page.context.expect_page() as opened:
        tool(page, "Help with editing (opens in a new tab)").click()
    help_page = opened.value
    expect(help_page.get_by_role("heading", name="Help:Editing")).to_be_visible()
    expect(help_page.get_by_role("heading", name="The toolbar")).to_be_visible()
    expect(help_page.get_by_role("link", name="Help:Tables").first).to_be_visible()
    # The cite dialog links to its own help.
    page.bring_to_front()
    tool(page, "Cite a source").click()
    link = page.get_by_role("link", name="Help: citing sources (new tab)")
    expect(link).to_have_attribute("href", "/wiki/Help:Citing_sources")


@pytest.mark.django_db
def test_the_article_page_loads_no_editor_code(client, make_article):
    make_article()
    page = client.get("/wiki/Sample_condition").content.decode()
    assert "toolbar.js" not in page and "editor.css" not in page and "cite.js" not in page
    editor = User.objects.create_user("nadia", password="a-long-test-password")
    editor.groups.add(editors_group())
    client.force_login(editor)
    for path in [
        "/wiki/Sample_condition/edit",
        "/wiki/Sample_condition/edit?section=1",
        "/wiki/A_new_page/edit",
    ]:
        edit = client.get(path).content.decode()
        assert "toolbar.js" in edit and "editor.css" in edit, path
