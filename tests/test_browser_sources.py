"""In a real browser: the edit page's Sources panel lists the article's references with PubMed's
publication types (replayed by a local server, tests/citation_services.py), their age and the
flags on a primary study and an old source; the cite dialog says when an editor's look-up
limit is reached; on a phone the site header gets out of the way while editing."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.citation_services import point_settings_at, start_citation_services
from tests.helpers import AXE_SOURCE, RUN_AXE, session_for

REVIEW, CASE_REPORT, PRISMA = "35027572", "32004427", "19621072"
ARTICLE = "\n".join(
    [
        "Migraine is common.[^ferrari] A case was reported.[^holshue]",
        "",
        "## Research",
        "",
        "Reviews follow a checklist.[^prisma]",
        "",
        f"[^ferrari]: cite journal | title: Migraine | journal: Nat Rev Dis Primers | year: 2022 "
        f"| pmid: {REVIEW}",
        "[^holshue]: cite journal | title: First case of 2019 novel coronavirus in the United "
        f"States | journal: N Engl J Med | year: 2020 | pmid: {CASE_REPORT}",
        "[^prisma]: cite journal | title: The PRISMA statement | journal: PLoS Med | year: 2009 "
        f"| pmid: {PRISMA}",
        "",
    ]
)


@pytest.fixture
def services(settings):
    server, base = start_citation_services()
    point_settings_at(settings, base)
    # The review (2022) and the case report (2020) are recent; the 2009 statement is old.
    settings.CITATION_OLD_SOURCE_YEARS = date.today().year - 2020
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture
def editing(live_server, page, make_article, editor, services):
    """The edit page of an article citing a recent review, a case report and an old source,
    open for a signed-in editor."""
    make_article("Migraine", ARTICLE)
    page.context.add_cookies(
        [{"name": "sessionid", "value": session_for(editor), "url": live_server.url}]
    )

    def open_editor(width: int, height: int = 900):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/wiki/Migraine/edit")
        return page.locator("textarea.markdownx-editor")

    return open_editor


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_the_sources_panel_flags_a_case_report_and_an_old_source_and_follows_the_text(
    editing, page, width
):
    text = editing(width)
    panel = page.locator(".sources-panel")
    summary = panel.locator("summary")
    expect(summary).to_be_visible()
    expect(panel.locator(".sources-list")).to_be_hidden()  # collapsed until asked
    summary.focus()
    page.keyboard.press("Enter")
    expect(panel).to_have_attribute("open", "")
    entries = panel.get_by_role("list", name="References of this text").get_by_role("listitem")
    expect(entries).to_have_count(3)
    review, case, prisma = entries.all()
    expect(review).to_contain_text("[^ferrari] Migraine (2022")
    expect(review).to_contain_text("Publication type: Review.")
    expect(review).to_contain_text("No flag")
    expect(case).to_contain_text("Publication type: Case Reports.")
    expect(case).to_contain_text("Primary study")
    expect(case).to_contain_text("A primary study: medical articles should rest on reviews")
    expect(case).not_to_contain_text("Older than")
    age = date.today().year - 2009
    expect(prisma).to_contain_text(f"(2009, {age} years old)")
    expect(prisma).to_contain_text("Publication type: Guideline.")
    expect(prisma).to_contain_text(f"Older than {date.today().year - 2020} years")
    expect(prisma).not_to_contain_text("Primary study")
    expect(panel.get_by_role("status")).to_have_text("3 references, 2 with a hint.")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    panel.scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/sources-panel-{width}.png", full_page=True)
    page.evaluate(AXE_SOURCE)
    assert page.evaluate(RUN_AXE) == []

    # A reference typed into the text shows when the panel checks again (by keyboard).
    text.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("[^book]: cite book | title: Headache medicine | year: 2024\n")
    refresh = panel.get_by_role("button", name="Check again")
    refresh.focus()
    page.keyboard.press("Enter")
    expect(entries).to_have_count(4)
    expect(entries.nth(3)).to_contain_text("[^book] Headache medicine (2024")
    expect(panel.get_by_role("status")).to_have_text("4 references, 2 with a hint.")

    # The panel closes from the keyboard too.
    summary.focus()
    page.keyboard.press("Space")
    expect(panel.locator(".sources-list")).to_be_hidden()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_section_edit_lists_the_references_its_marks_use(editing, page):
    editing(1280)
    page.goto(page.url + "?section=0")  # the lead: its marks, the definitions at the end
    page.locator(".sources-panel summary").click()
    entries = page.get_by_role("list", name="References of this text").get_by_role("listitem")
    expect(entries).to_have_count(2)
    expect(entries.first).to_contain_text("[^ferrari] Migraine")
    expect(entries.last).to_contain_text("[^holshue] First case of 2019 novel coronavirus")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_cite_dialog_says_when_the_editors_look_up_limit_is_reached(editing, page, settings):
    settings.CITATION_LOOKUPS_PER_MINUTE = 1
    editing(1280)
    page.locator(".cite-helper summary").click()
    field = page.get_by_label("Paste a DOI, PMID, PMCID, ISBN or web address")
    field.click()
    page.keyboard.type(f"PMID {REVIEW}")
    page.keyboard.press("Enter")
    dialog = page.locator(".cite-helper")
    expect(dialog.get_by_role("textbox", name="Title", exact=True)).to_have_value("Migraine")
    expect(dialog.locator("[data-cite-facts]")).to_contain_text("Publication type: Review")
    field.fill("")
    field.click()
    page.keyboard.type(f"PMID {CASE_REPORT}")
    page.keyboard.press("Enter")
    expect(dialog.locator(".cite-status")).to_have_text(
        "You looked up 1 reference in the last minute, the most the site allows. Wait a minute "
        "before the next look-up. You can type the fields below."
    )
    page.screenshot(path="/tmp/sources-cite-limit.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_header_is_one_slim_row_while_editing_and_on_the_article(
    editing, page, live_server
):
    height = 667
    text = editing(375, height)
    header = page.locator(".site-header")
    slim = header.bounding_box()["height"]
    assert slim <= height * 0.08, f"the header takes {slim}px of {height} while editing"
    # The account's links and the portals are in the header's menu, as on every page.
    page.locator(".site-menu > summary").click()
    expect(page.get_by_role("navigation", name="Your account (menu)")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("search", name="Site search")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Portals")).to_be_hidden()
    # The toolbar (one row, with More) and the text start in the first screen.
    bar = page.get_by_role("toolbar", name="Formatting")
    assert bar.bounding_box()["height"] < 50
    expect(bar.get_by_role("button", name="More tools")).to_be_visible()
    page.screenshot(path="/tmp/sources-edit-375.png")
    assert text.bounding_box()["y"] < height / 2
    # The preview is a toggle, not below the text.
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".markdownx-preview")).to_be_visible()
    expect(text).to_be_hidden()
    page.screenshot(path="/tmp/sources-edit-375-preview.png")

    # The article page has the same compact header: its search icon opens the search box.
    page.goto(f"{live_server.url}/wiki/Migraine")
    expect(page.get_by_role("search", name="Site search")).to_be_hidden()
    page.locator(".search-toggle").click()
    expect(page.get_by_role("search", name="Site search")).to_be_visible()
    assert header.bounding_box()["height"] > slim * 1.5
    page.screenshot(path="/tmp/sources-article-375.png")
