"""Reading an article with an infobox in a real browser (Debian's Chromium through Playwright):
on a phone (375 px) the lead's first paragraph comes before the infobox, as on Wikipedia's
mobile view; on a desktop (1280 px) the infobox stays at the top right beside the text."""

import pytest

from tests.helpers import GLIMMER_FEVER
from wiki.models import Article
from wiki.services import ArticleEdit, article_save

WIDTHS = {"1280": {"width": 1280, "height": 800}, "375": {"width": 375, "height": 740}}


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_a_reader_finds_an_article_and_reads_its_first_paragraph_before_the_infobox_on_a_phone(
    browser, live_server, transactional_db, width
):
    article_save(
        article=Article(title="Glimmer fever"),
        edit=ArticleEdit(text=GLIMMER_FEVER, base_revision=None, user=None),
    )
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    try:
        # The reader types the name in odd case in the header's search box: Go finds it.
        page.goto(live_server.url + "/")
        if width == "375":
            page.locator(".search-toggle").click()  # a phone's header: the search icon
        page.locator("#search-q").click()
        page.keyboard.type("glimmer FEVER")
        page.keyboard.press("Enter")
        page.wait_for_url("**/wiki/Glimmer_fever")
        paragraph = page.locator(".lead > p", has_text="invented illness").bounding_box()
        infobox = page.locator(".lead table.infobox").bounding_box()
        content = page.locator(".lead").bounding_box()
        if width == "375":
            assert paragraph["y"] + paragraph["height"] <= infobox["y"] + 1
            assert infobox["width"] >= content["width"] - 2  # the full width, under the text
        else:
            assert infobox["y"] <= paragraph["y"] + 1  # top right, beside the first paragraph
            assert abs(infobox["x"] + infobox["width"] - (content["x"] + content["width"])) < 2
            assert infobox["width"] < content["width"] / 2
    finally:
        context.close()
