"""A reader of the Spanish demo article in a real browser (Chromium through Playwright), at
1280 and 375 pixels: the page is in Spanish at /es/wiki/Migraña, its language menu opens from
the keyboard and leads to the English and Arabic articles, and axe-core finds nothing on it.
(The Arabic page's right-to-left layout is checked with the interface's translation.)"""

import pytest
from django.core.management import call_command

from tests.helpers import AXE_SOURCE, RUN_AXE, Reader

WIDTHS = {"1280": {"width": 1280, "height": 800}, "375": {"width": 375, "height": 740}}


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_a_reader_finds_the_article_in_her_language_and_the_others_from_the_menu(
    browser, live_server, transactional_db, width
):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    reader = Reader(browser.new_page(viewport=WIDTHS[width]), live_server.url, f"lang-{width}")
    page = reader.page
    page.goto(live_server.url + "/es/wiki/Migra%C3%B1a")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == "Migraña"
    menu = page.locator("details.language-menu")
    assert menu.get_attribute("open") is None
    page.locator("details.language-menu > summary").focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("open") is not None
    links = menu.locator("a")
    assert links.all_inner_texts() == ["English · Migraine", "العربية · صداع نصفي"]
    for link in links.all():
        box = link.bounding_box()  # inside the screen, at 375 px too
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[width]["width"]
    page.evaluate(AXE_SOURCE)
    found = page.evaluate(RUN_AXE)
    assert found == [], found
    reader.check_page("1-spanish-menu-open")
    page.keyboard.press("Tab")  # the first language of the menu
    page.keyboard.press("Enter")
    page.wait_for_url("**/wiki/Migraine")
    assert page.locator("html").get_attribute("lang") == "en"
    back = page.locator('details.language-menu a[hreflang="es"]')
    assert back.get_attribute("href") == "/es/wiki/Migra%C3%B1a"
    reader.check_page("2-english")
    assert reader.errors == []
