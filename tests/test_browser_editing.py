"""An editor's journey in a real browser: sign in, edit a section with live preview, save."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.conftest import SAMPLE_SOURCE, editors_group, save
from tests.helpers import session_for
from wiki.models import Article


def drop_file(textarea, name, mime, text):
    """Drop a file onto the editor as a user dragging it from their desktop would."""
    textarea.evaluate(
        """(el, [name, mime, text]) => {
            const data = new DataTransfer();
            data.items.add(new File([text], name, {type: mime}));
            el.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true}));
        }""",
        [name, mime, text],
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_editor_signs_in_edits_a_section_with_live_preview_and_saves(
    live_server, page, make_article, output_path
):
    make_article()
    editor = User.objects.create_user("maya", password="a-long-test-password")
    editor.groups.add(editors_group())

    page.goto(f"{live_server.url}/wiki/Sample_condition")
    page.get_by_title("Edit section's source: Causes").click()

    # Not signed in yet: the sign-in form, then straight back to the section editor.
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Username").fill("maya")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/wiki/Sample_condition/edit?section=2&mode=source")

    editor_box = page.locator("textarea.markdownx-editor")
    expect(editor_box).to_have_value("## Causes\n\nNobody knows the causes.\n")
    preview = page.locator(".markdownx-preview")

    # Hostile markup typed into the editor stays harmless in the live preview.
    editor_box.fill('## Causes\n\n<img src="x" onerror="window.hacked = 1"> trap\n')
    expect(preview).to_contain_text("trap")
    assert page.evaluate("window.hacked") is None
    assert "onerror" not in preview.inner_html()

    # A dropped SVG is refused with the reason under the editor, and no junk in the text.
    editor_box.fill("")
    drop_file(
        editor_box,
        "evil.svg",
        "image/svg+xml",
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    )
    expect(page.locator(".upload-status")).to_contain_text("not an image we can read")
    expect(editor_box).to_have_value("")

    editor_box.press_sequentially(
        "## Causes\n\nA **virus** is suspected; see [[Treatment plans|the plans]] "
        "and [[Sample condition]].\n\n"
    )
    expect(preview.locator("strong")).to_have_text("virus")
    # As on the saved page: red to the create form for a missing article, blue otherwise.
    expect(preview.locator("a.wikilink.new")).to_have_attribute(
        "href", "/wiki/Treatment_plans/edit"
    )
    expect(preview.locator("a.wikilink:not(.new)")).to_have_attribute(
        "href", "/wiki/Sample_condition"
    )
    page.get_by_label("Summary").fill("Causes: a virus is suspected")
    page.screenshot(path=Path(output_path) / "section-editor.png", full_page=True)

    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_url(f"{live_server.url}/wiki/Sample_condition#Causes")
    expect(page.get_by_role("status")).to_contain_text("Your edit was saved.")
    expect(page.locator("section[aria-labelledby=Causes]")).to_contain_text("A virus is suspected")
    page.screenshot(path=Path(output_path) / "article-after-save.png", full_page=True)
    article = Article.objects.get(title="Sample condition")
    assert "A **virus** is suspected" in article.source
    assert article.revisions.first().summary == "Causes: a virus is suspected"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_editor_who_loses_a_race_merges_by_hand_on_the_conflict_page(
    live_server, page, make_article, editor, other_editor, output_path
):
    article = make_article()
    page.context.add_cookies(
        [{"name": "sessionid", "value": session_for(editor), "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/wiki/Sample_condition/edit?section=3")
    page.locator("textarea.markdownx-editor").fill("## Treatment\n\nWater helps.\n\n")

    # Meanwhile another editor saves the same sentence.
    save(
        article,
        other_editor,
        SAMPLE_SOURCE.replace("Rest helps.", "Sleep helps."),
        summary="Sleep, not rest",
    )
    page.get_by_label("Summary").fill("Water")
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_role("heading", name="Edit conflict: Sample condition")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("nothing is lost")
    mine = page.get_by_label("Your text (edit it, then save)")
    expect(mine).to_have_value(re.compile("Water helps."))
    expect(page.get_by_label("Current text (read only)")).to_have_value(re.compile("Sleep helps."))
    page.screenshot(path=Path(output_path) / "conflict.png", full_page=True)

    mine.fill(mine.input_value().replace("Water helps.", "Sleep and water help."))
    page.get_by_role("button", name="Save my merged text").click()
    expect(page.get_by_role("status")).to_contain_text("Your edit was saved.")
    expect(page.locator("section[aria-labelledby=Treatment]")).to_contain_text(
        "Sleep and water help."
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_section_added_in_the_admin_gets_a_live_preview(
    live_server, page, make_article, output_path
):
    article = make_article()
    admin = User.objects.create_superuser("root", password="a-long-test-password")
    page.context.add_cookies(
        [{"name": "sessionid", "value": session_for(admin), "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/admin/wiki/article/{article.pk}/change/")
    rows = page.locator(".inline-related:not(.empty-form) .markdownx-editor")
    existing = rows.count()
    page.get_by_role("button", name="Add another Section").click()
    expect(rows).to_have_count(existing + 1)

    # The copied row is set up like the rows the page came with: typing renders beside it.
    added = rows.nth(existing)
    preview = added.locator("xpath=..").locator(".markdownx-preview")
    added.fill("Rest and **fluids** help; see [[Sample condition]].")
    expect(preview.locator("strong")).to_have_text("fluids")
    expect(preview.locator("a.wikilink")).to_have_attribute("href", "/wiki/Sample_condition")
    # The lead links to an article that does not exist: red there too.
    red = page.locator(".field-lead .markdownx-preview a.wikilink.new")
    expect(red).to_have_text("Other condition")
    expect(red).to_have_css("color", "rgb(186, 0, 0)")
    page.screenshot(path=Path(output_path) / "admin-added-section.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_tab_leaves_the_editor_instead_of_typing_a_tab(live_server, page, make_article, editor):
    make_article()
    page.context.add_cookies(
        [{"name": "sessionid", "value": session_for(editor), "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/wiki/Sample_condition/edit?section=1")
    editor_box = page.locator("textarea.markdownx-editor")
    before = editor_box.input_value()
    assert before.startswith("## Symptoms")

    # At the start of "## Symptoms": Tab moves on to the next field, the heading stays a heading.
    editor_box.focus()
    editor_box.evaluate("el => el.setSelectionRange(0, 0)")
    page.keyboard.press("Tab")
    expect(editor_box).not_to_be_focused()
    # The next stop under the text box: the note's "upload a file" link.
    expect(page.get_by_role("link", name="upload a file")).to_be_focused()
    expect(editor_box).to_have_value(before)
    expect(page.locator(".markdownx-preview h2")).to_have_text("Symptoms")

    # Shift+Tab comes back; the explicit shortcut still indents, and its partner undoes it.
    page.keyboard.press("Shift+Tab")
    expect(editor_box).to_be_focused()
    editor_box.evaluate(
        "el => el.setSelectionRange(el.value.indexOf('People'), el.value.indexOf('People'))"
    )
    page.keyboard.press("Control+BracketRight")
    expect(editor_box).to_have_value(before.replace("People", "\tPeople"))
    page.keyboard.press("Control+BracketLeft")
    expect(editor_box).to_have_value(before)
    page.keyboard.press("Shift+Tab")
    expect(editor_box).not_to_be_focused()
    expect(editor_box).to_have_value(before)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_tab_leaves_the_admins_markdown_editors_too(live_server, page, make_article):
    article = make_article()
    admin = User.objects.create_superuser("root", password="a-long-test-password")
    page.context.add_cookies(
        [{"name": "sessionid", "value": session_for(admin), "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/admin/wiki/article/{article.pk}/change/")
    lead = page.locator(".field-lead textarea.markdownx-editor")
    before = lead.input_value()
    lead.focus()
    lead.evaluate("el => el.setSelectionRange(0, 0)")
    page.keyboard.press("Tab")
    expect(lead).not_to_be_focused()
    expect(lead).to_have_value(before)
    section = page.locator(".inline-related:not(.empty-form) textarea.markdownx-editor").first
    text = section.input_value()
    section.focus()
    page.keyboard.press("Shift+Tab")
    expect(section).not_to_be_focused()
    expect(section).to_have_value(text)
