"""A reader's journey in a real browser (Debian's Chromium through Playwright), on a desktop
and on a phone: main page → portal → article → a See-also link → search → a result.

Every page on the way must lay out within the screen width, have its landmarks, one H1, alt
text on images, and log no JavaScript error. Screenshots land in test-results/.
"""

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import call_command

from tests.helpers import Reader

SHOTS = Path(__file__).resolve().parent.parent / "test-results"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}


def journey(browser, live_server, name: str):
    context = browser.new_context(viewport=VIEWPORTS[name])
    page = context.new_page()
    reader = Reader(page, live_server.url, name)
    try:
        # Main page; the first Tab reaches the skip link, which moves focus to the content.
        page.goto(live_server.url + "/")
        assert page.locator("h1").inner_text() == "Welcome to WellnessWiki"
        assert page.locator(".featured").is_visible()
        reader.check_page("1-main")
        page.keyboard.press("Tab")
        skip = page.locator(".skip-link")
        assert skip.evaluate("el => el === document.activeElement")
        box = skip.bounding_box()
        assert box and box["x"] >= 0, "the skip link shows when focused"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "content"

        # A portal, from the main page's portal cards.
        page.locator(".portal-cards a", has_text="Disease Index").click()
        page.wait_for_url("**/portal/disease-index")
        assert page.locator("h1").inner_text() == "Disease Index"
        reader.check_page("2-portal")

        # An article listed in the portal, with its page tools.
        page.locator("main a", has_text="Migraine").first.click()
        page.wait_for_url("**/wiki/Migraine")
        assert page.locator("h1").inner_text() == "Migraine"
        page.locator(".page-tools summary").click()  # the Tools menu
        assert page.locator(".page-tools a", has_text="Cite this page").is_visible()
        page.keyboard.press("Escape")
        reader.check_page("3-article")

        # A See-also link to another article (on a phone, its section opened first).
        if name == "phone":
            page.get_by_role("button", name="See also").click()
        page.locator("#See_also ~ .section-body a.wikilink:not(.new)").first.click()
        page.wait_for_url("**/wiki/Tension_headache")
        assert page.locator("h1").inner_text() == "Tension headache"
        reader.check_page("4-see-also")

        # The header's search box, then a result.
        if name == "phone":
            page.locator(".search-toggle").click()  # the header's search icon
        page.locator("#search-q").fill("sleep")
        with page.expect_navigation() as navigation:
            page.locator("header form[role=search] button[type=submit]").click()
        url = urlparse(page.url)
        assert url.path == "/search" and parse_qs(url.query)["q"] == ["sleep"]
        assert navigation.value.status == 200
        reader.check_page("5-search")
        result = page.locator(".search-results .search-result__title a").first
        title = result.inner_text()
        result.click()
        page.wait_for_url("**/wiki/**")
        assert page.locator("h1").inner_text() == title
        reader.check_page("6-result")
        assert reader.errors == []
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("name", ["desktop", "phone"])
def test_a_reader_walks_from_the_main_page_to_a_search_result(
    browser, live_server, transactional_db, name
):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    journey(browser, live_server, name)


@pytest.mark.browser
@pytest.mark.parametrize("name", ["desktop", "phone"])
def test_the_pages_around_the_articles_fit_the_screen(browser, live_server, transactional_db, name):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    context = browser.new_context(viewport=VIEWPORTS[name])
    reader = Reader(context.new_page(), live_server.url, name)
    pages = {
        "index": "/index/M",
        "category": "/category/Disease_Index",
        "links": "/wiki/Migraine/links",
        "info": "/wiki/Migraine/info",
        "cite": "/wiki/Migraine/cite",
        "printable": "/wiki/Migraine?printable=yes",
        "site-page": "/disclaimer",
        "not-found": "/no-such-page",
    }
    try:
        reader.allowed_404s.add("/no-such-page")
        for step, path in pages.items():
            reader.page.goto(live_server.url + path)
            reader.check_page(f"page-{step}")
        printable = reader.page
        printable.goto(live_server.url + "/wiki/Migraine?printable=yes")
        for hidden in [".portal-nav", ".tabs", ".editsection", ".page-tools", ".search-box"]:
            assert not printable.locator(hidden).first.is_visible(), hidden
        assert reader.errors == []
    finally:
        context.close()
