"""Page and reference previews in a real browser (Debian's Chromium through Playwright), at 1280
and 375 px: pointing at a link shows the linked article's title and lead; focusing it from the
keyboard shows it too and Escape closes it; tapping a reference mark [1] on a phone shows its
citation with a DOI link that works, and the page does not move; a reader who turns previews
off finds them off after a reload; reference marks and "cited by" links are 24 px targets; the
scripts an article page loads stay under 30 KB compressed; axe finds nothing with a card open.
Screenshots land in test-results/previews-*."""

import gzip
import re

import pytest

from tests.helpers import AXE_SOURCE, RUN_AXE, SHOTS
from wiki.models import Article
from wiki.services import ArticleEdit, article_save

WIDTHS = {"1280": {"width": 1280, "height": 800}, "375": {"width": 375, "height": 740}}
SCRIPT_BUDGET = 30 * 1024  # bytes of gzip, every script an article page loads together

HAY_FEVER = """\
Hay fever is an allergy to pollen that makes the nose run and the eyes itch. It is worst when
grasses flower in late spring. Antihistamines ease it for most people.

## Treatment

Rinsing the nose and avoiding cut grass help.
"""
FILLER = "\n\n".join(
    f"Paragraph {n} of the symptoms says what readers notice over a long season of pollen."
    for n in range(12)
)
SOURCE = f"""\
Spring sniffles are a made-up complaint that resembles [[Hay fever]] in many ways. Most cases are
mild and pass within weeks.[^trial] A later claim cites the same trial again.[^trial]

## Symptoms

{FILLER}

A further claim, also sourced.[^trial] And one from a second source.[^other]

## See also

* [[Hay fever]]

## References

[^trial]: cite journal | authors: Doe J, Roe R | title: Pollen counts and sniffles | journal: Journal of Made-up Allergy | year: 2021 | volume: 4 | pages: 10-19 | doi: 10.1000/sniff.2021 | pmid: 12345678
[^other]: A second source in plain words.
"""


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"previews-{name}.png"))


def no_axe_violations(page) -> None:
    page.evaluate(AXE_SOURCE)
    found = page.evaluate(RUN_AXE)
    assert found == [], [(v["id"], v["nodes"]) for v in found]


@pytest.fixture
def articles(transactional_db):
    for title, text in (("Hay fever", HAY_FEVER), ("Spring sniffles", SOURCE)):
        article_save(
            article=Article(title=title),
            edit=ArticleEdit(text=text, base_revision=None, user=None),
        )


@pytest.fixture
def reader(browser, live_server, articles):
    contexts = []

    def open_page(width: str, **options):
        context = browser.new_context(viewport=WIDTHS[width], **options)
        contexts.append(context)
        errors = []
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.errors = errors
        page.goto(live_server.url + "/wiki/Spring_sniffles")
        return page

    yield open_page
    for context in contexts:
        context.close()


def open_every_section(page) -> None:
    """On a phone the sections start folded: the reader opens them all, as the page offers."""
    expand = page.get_by_role("button", name="Expand all sections")
    if expand.is_visible():
        expand.click()


def shown_text(link) -> str:
    """The text a reader sees on a link, its CSS brackets included."""
    return link.evaluate(
        """(a) => [getComputedStyle(a, "::before").content, a.textContent,
                  getComputedStyle(a, "::after").content].join("").replaceAll('"', "")"""
    )


def lead_link(page):
    return page.locator(".lead a", has_text="Hay fever")


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_pointing_at_a_link_shows_the_articles_title_and_lead(reader, width, scheme):
    page = reader(width, color_scheme=scheme)  # the theme follows the system's scheme
    lead_link(page).hover()
    card = page.locator(".preview--page")
    card.wait_for(state="visible", timeout=5000)
    assert "Hay fever" in card.locator(".preview__title").inner_text()
    assert "allergy to pollen" in card.inner_text()
    assert "Not yet medically reviewed" in card.inner_text()
    box, viewport = card.bounding_box(), page.viewport_size
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]  # on the screen
    card_background = card.evaluate("(c) => getComputedStyle(c).backgroundColor")
    assert (card_background == "rgb(255, 255, 255)") == (scheme == "light")
    shot(page, f"page-preview-{width}-{scheme}")
    no_axe_violations(page)
    page.mouse.move(2, viewport["height"] - 2)  # away: it closes
    card.wait_for(state="detached", timeout=5000)
    assert page.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_a_keyboard_reader_gets_the_preview_on_focus_and_escape_closes_it(reader, width):
    page = reader(width)
    link = lead_link(page)
    for _ in range(60):  # Tab through the page as a keyboard user does, to the link
        page.keyboard.press("Tab")
        if link.evaluate("(a) => a === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the link to Hay fever")
    card = page.locator(".preview--page")
    card.wait_for(state="visible", timeout=5000)
    described = link.get_attribute("aria-describedby")
    assert described and page.locator(f"#{described}").inner_text() == card.inner_text()
    assert "allergy to pollen" in card.inner_text()
    # Tab goes into the card, to its "Turn previews off" button, and Escape comes back.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Turn previews off"
    shot(page, f"keyboard-preview-{width}")
    page.keyboard.press("Escape")
    card.wait_for(state="detached", timeout=5000)
    assert link.evaluate("(a) => a === document.activeElement")
    assert link.get_attribute("aria-describedby") is None
    assert page.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_tapping_a_reference_mark_shows_its_citation_without_moving_the_page(reader, width, scheme):
    page = reader(width, has_touch=True, is_mobile=width == "375", color_scheme=scheme)
    page.context.route(
        "https://doi.org/**", lambda route: route.fulfill(body="<title>DOI</title>The paper")
    )
    open_every_section(page)
    mark = page.locator("sup a.footnote-ref").nth(2)  # the one below the long symptoms
    mark.scroll_into_view_if_needed()
    page.wait_for_timeout(200)
    assert shown_text(mark) == "[1]"
    box = mark.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24  # a target a thumb can hit
    before = page.evaluate("window.scrollY")
    mark.tap()
    popover = page.locator(".preview--reference")
    popover.wait_for(state="visible", timeout=5000)
    assert page.evaluate("window.scrollY") == before and page.url.endswith("/wiki/Spring_sniffles")
    assert popover.locator(".preview__title").inner_text() == "Reference 1"
    assert "Pollen counts and sniffles" in popover.inner_text()
    assert "↑" not in popover.inner_text()  # the cited-by links stay in the list
    doi = popover.locator('a[href="https://doi.org/10.1000/sniff.2021"]')
    assert popover.locator('a[href="https://pubmed.ncbi.nlm.nih.gov/12345678/"]').count() == 1
    shot(page, f"reference-preview-{width}-{scheme}")
    no_axe_violations(page)
    doi.tap()
    page.wait_for_url("https://doi.org/10.1000/sniff.2021")
    assert "The paper" in page.content()
    assert page.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_cited_by_links_are_large_and_lead_back_to_each_mark(reader, width):
    page = reader(width, has_touch=True, is_mobile=width == "375")
    open_every_section(page)
    item = page.locator('.footnote li[id$="fn:trial"]')
    assert re.match(r"\s*↑\s*a\s+b\s+c\s+Doe J", item.inner_text())
    backlinks = item.locator(".backlinks a")
    assert backlinks.count() == 3
    item.scroll_into_view_if_needed()
    shot(page, f"cited-by-{width}")
    for n in range(3):
        box = backlinks.nth(n).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24
    backlinks.nth(1).tap()  # b: the second use, in the lead
    page.wait_for_function("location.hash.endsWith('fnref2:trial')")
    second = page.locator('sup[id$="fnref2:trial"]')
    box = second.bounding_box()
    assert 0 <= box["y"] <= page.viewport_size["height"]  # the reader is back at the mark
    assert second.evaluate("(s) => getComputedStyle(s).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert page.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_previews_a_reader_turned_off_stay_off_after_a_reload(reader, width):
    page = reader(width)
    lead_link(page).hover()
    page.locator(".preview--page").wait_for(state="visible", timeout=5000)
    page.get_by_role("button", name="Turn previews off").click()
    assert page.locator(".preview").count() == 0
    page.reload()
    lead_link(page).hover()
    page.wait_for_timeout(1500)  # three times the delay a preview waits for
    assert page.locator(".preview").count() == 0
    # A reference mark is a plain link again: it jumps to the list of references.
    page.locator("sup a.footnote-ref").first.click()
    page.wait_for_function("location.hash.endsWith('fn:trial')")
    assert page.locator(".preview").count() == 0
    setting = page.locator(".previews-setting")
    assert "previews are off" in setting.inner_text()
    shot(page, f"previews-off-{width}")
    setting.get_by_role("button", name="Turn them on").click()
    page.reload()
    lead_link(page).hover()
    page.locator(".preview--page").wait_for(state="visible", timeout=5000)
    assert page.errors == []


@pytest.mark.browser
def test_the_scripts_an_article_page_loads_stay_under_30_kb_compressed(
    browser, live_server, articles
):
    context = browser.new_context(viewport=WIDTHS["1280"])
    page = context.new_page()
    scripts = {}
    page.on(
        "response",
        lambda r: scripts.__setitem__(r.url, r) if r.request.resource_type == "script" else None,
    )
    try:
        page.goto(live_server.url + "/wiki/Spring_sniffles")
        page.wait_for_load_state("networkidle")
        lead_link(page).hover()  # a preview loads what it needs too
        page.locator(".preview--page").wait_for(state="visible", timeout=5000)
        sizes = {url: len(gzip.compress(r.body(), 9)) for url, r in scripts.items()}
    finally:
        context.close()
    assert any("previews" in url for url in sizes)  # the walk sees the scripts
    assert sum(sizes.values()) < SCRIPT_BUDGET, sizes


@pytest.mark.browser
def test_a_long_press_on_a_phone_previews_without_following_the_link(reader):
    page = reader("375", has_touch=True, is_mobile=True)
    box = lead_link(page).bounding_box()
    point = {"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2}
    touch = page.context.new_cdp_session(page)
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [point]})
    page.locator(".preview--page").wait_for(state="visible", timeout=5000)
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(500)
    assert page.url.endswith("/wiki/Spring_sniffles")  # the press did not open the link
    assert "allergy to pollen" in page.locator(".preview--page").inner_text()
    shot(page, "long-press-375")
    # A plain tap still follows the link.
    lead_link(page).tap()
    page.wait_for_url("**/wiki/Hay_fever")
    assert page.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_without_javascript_marks_and_links_are_plain_links(browser, live_server, articles, width):
    context = browser.new_context(viewport=WIDTHS[width], java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/wiki/Spring_sniffles")
        page.locator("sup a.footnote-ref").first.click()
        assert page.url.endswith("#user-content-fn:trial")
        page.locator('.footnote li[id$="fn:trial"] .backlinks a').first.click()
        assert page.url.endswith("#user-content-fnref:trial")
        lead_link(page).click()
        page.wait_for_url("**/wiki/Hay_fever")
    finally:
        context.close()
