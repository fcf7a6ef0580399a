"""Editing an existing reference in the visual editor: the reference mark activated by keyboard
opens the cite dialog filled from its definition; saving it rewrites only that definition's
line (the marks, the other reference and every other block byte-identical); cancelling changes
nothing. At 1280 and 375 px."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.conftest import editors_group
from tests.helpers import session_for

SMITH = (
    "[^smith]: cite journal | authors: Smith J, Roe A | title: Triptans in practice | "
    "journal: Headache | year: 2020 | note: kept as typed | doi: 10.1111/head.13700"
)
OKAFOR = (
    "[^okafor]: cite book | authors: Okafor N | title: Migraine | publisher: Norton | year: 2019"
)
SOURCE = (
    "**Migraine** is a headache disorder.\n\n"
    "## Treatment\n\n"
    "Triptans help.[^smith] Rest helps too.[^okafor]\n\n"
    "## References\n\n"
    f"{SMITH}\n\n"
    f"{OKAFOR}\n"
)
CHANGED = SMITH.replace("Triptans in practice", "Triptans in clinical practice")


@pytest.fixture
def editor_page(live_server, page):
    editor = User.objects.create_user("vera", password="a-long-test-password")
    editor.groups.add(editors_group())
    page.context.add_cookies(
        [{"name": "sessionid", "value": session_for(editor), "url": live_server.url}]
    )
    return page


def open_first_reference_by_keyboard(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/wiki/Migraine/edit?mode=visual")
    page.wait_for_function("() => document.querySelector('.ve-host')?.dataset.ready === '1'")
    page.locator(".ve-content p", has_text="Triptans help.").click()
    page.keyboard.press("Home")
    for _ in "Triptans help.":
        page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # onto the mark: it is selected
    page.keyboard.press("Enter")
    helper = page.locator(".cite-helper")
    expect(helper.locator("summary")).to_have_text("Edit reference")
    return helper


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_a_reference_edited_through_the_cite_form_changes_only_its_definition(
    live_server, editor_page, make_article, width
):
    page = editor_page
    article = make_article("Migraine", SOURCE)
    helper = open_first_reference_by_keyboard(page, live_server, width)
    # The form shows the definition's fields.
    expect(helper.get_by_label("Type")).to_have_value("journal")
    expect(helper.get_by_label("Authors")).to_have_value("Smith J, Roe A")
    expect(helper.get_by_role("textbox", name="Journal")).to_have_value("Headache")
    expect(helper.get_by_label("Year")).to_have_value("2020")
    expect(helper.get_by_label("DOI", exact=True)).to_have_value("10.1111/head.13700")
    expect(helper.get_by_label("Reference name")).to_have_value("smith")
    title = helper.get_by_label("Title", exact=True)
    expect(title).to_have_value("Triptans in practice")
    expect(title).to_be_focused()
    page.keyboard.press("End")
    for _ in " practice":
        page.keyboard.press("ArrowLeft")
    page.keyboard.type(" clinical")
    page.screenshot(path=f"/tmp/refedit-dialog-{width}.png", full_page=True)
    helper.get_by_role("button", name="Save reference").click()
    expect(helper.locator("summary")).to_have_text("Cite a source")
    expect(page.locator(".ve-raw--footnote").first).to_contain_text("clinical practice")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("main")).to_contain_text("Your edit was saved")
    article.refresh_from_db()
    assert article.source == SOURCE.replace(SMITH, CHANGED)

    # The history's diff: the References section, and in it that one line.
    latest = article.revisions.order_by("-pk")
    page.goto(f"{live_server.url}/wiki/Migraine/diff?from={latest[1].pk}&to={latest[0].pk}")
    changed = page.locator(".diff-section--changed")
    expect(changed).to_have_count(1)
    expect(changed.locator(".diff-section-title")).to_contain_text("References")
    rows = changed.locator(".diff-row:not(.diff-row--context)")
    expect(rows).to_have_count(1)
    expect(rows.locator(".diff-old")).to_have_text(SMITH)
    expect(rows.locator(".diff-new")).to_have_text(CHANGED)
    expect(rows.locator(".diff-new ins")).to_have_text(" clinical")
    page.screenshot(path=f"/tmp/refedit-diff-{width}.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_cancelling_the_reference_form_changes_nothing(
    live_server, editor_page, make_article, width
):
    page = editor_page
    article = make_article("Migraine", SOURCE)
    count = article.revisions.count()
    helper = open_first_reference_by_keyboard(page, live_server, width)
    page.keyboard.type(" and more")  # typed into the title, then thrown away
    helper.get_by_role("button", name="Cancel").click()
    expect(helper.locator("summary")).to_have_text("Cite a source")
    assert page.evaluate("() => window.EncyclopediaVisual.serialize()") == SOURCE
    # The dialog is closed, and is the new-reference one again, empty.
    expect(helper).not_to_have_attribute("open", "")
    expect(helper.locator("[data-cite-insert]")).to_have_text("Insert citation")
    expect(helper.locator('[data-cite="title"]')).to_have_value("")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("main")).to_contain_text("You made no changes")
    article.refresh_from_db()
    assert article.source == SOURCE
    assert article.revisions.count() == count


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_free_text_footnote_clicked_says_to_edit_it_in_source(
    live_server, editor_page, make_article
):
    page = editor_page
    page.set_viewport_size({"width": 1280, "height": 900})
    source = "Rest helps.[^2]\n\n[^2]: A free-text note with a [link](https://example.org).\n"
    make_article("Rest", source)
    page.goto(f"{live_server.url}/wiki/Rest/edit?mode=visual")
    page.wait_for_function("() => document.querySelector('.ve-host')?.dataset.ready === '1'")
    page.locator(".ve-content sup.ve-footnote").click()
    expect(page.locator(".toolbar-status")).to_contain_text("edit it in Source")
    expect(page.locator(".cite-helper")).not_to_have_attribute("open", "")
    assert page.evaluate("() => window.EncyclopediaVisual.serialize()") == source
