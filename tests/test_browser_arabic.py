"""The interface in Arabic in a real browser (issue 32, item 5): an editor reads an article at
/ar/, opens the menu, searches and opens the editor, on a desktop (1280 px) and a phone
(375 px), in the dark theme and the light. Every page is laid out right to left (the header's site name at the right, the
search button at the left of its box), reads Arabic, has no horizontal scroll and passes axe.
Screenshots in test-results/journey-arabic-<width>-<step>.png."""

import pytest

from tests.helpers import (
    AXE_SOURCE,
    GLIMMER_FEVER,
    RUN_AXE,
    Reader,
    compiled_catalogues,
    signed_in_context,
)
from wiki.models import Article
from wiki.services import ArticleEdit, article_save

WIDTHS = {"1280": {"width": 1280, "height": 800}, "375": {"width": 375, "height": 740}}
THEMES = {"1280": "dark", "375": "light"}  # both themes, one at each width (the automatic theme)


def right_to_left_and_accessible(reader: Reader, step: str):
    page = reader.page
    assert page.locator("html").get_attribute("dir") == "rtl", step
    assert page.locator("html").get_attribute("lang") == "ar", step
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl", step
    page.evaluate(AXE_SOURCE)
    violations = [f"{v['id']}: {v['help']} {v['nodes']}" for v in page.evaluate(RUN_AXE)]
    assert violations == [], f"{step}: {violations}"
    reader.check_page(step)  # one H1, the landmarks, no horizontal scroll; a screenshot


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_an_editor_reads_searches_and_edits_in_arabic_right_to_left(
    browser, live_server, transactional_db, editor, width
):
    compiled_catalogues()
    article_save(
        article=Article(title="Glimmer fever", language="ar"),  # an article of the Arabic site
        edit=ArticleEdit(text=GLIMMER_FEVER, base_revision=None, user=editor),
    )
    context = signed_in_context(
        browser, live_server, editor, viewport=WIDTHS[width], color_scheme=THEMES[width]
    )
    page = context.new_page()
    reader = Reader(page, live_server.url, f"arabic-{width}")
    try:
        # The article, its interface in Arabic and mirrored.
        page.goto(live_server.url + "/ar/wiki/Glimmer_fever")
        assert page.locator(".skip-link").text_content() == "انتقل إلى المحتوى"
        assert page.get_by_role("link", name="السجل", exact=True).count() >= 1  # History
        name = page.locator(".site-name").bounding_box()
        assert name["x"] + name["width"] > WIDTHS[width]["width"] / 2  # starts at the right
        right_to_left_and_accessible(reader, "article")

        # The menu (a phone's header menu; on a desktop, the page's "More" tools).
        if width == "375":
            page.locator(".site-menu > summary").click()
            panel = page.locator(".site-menu__panel")
            assert panel.is_visible()
            assert panel.get_by_role("button", name="تسجيل الخروج").count() == 1  # Sign out
            box = panel.bounding_box()
            assert box["x"] >= -1 and box["x"] + box["width"] <= WIDTHS[width]["width"] + 1
            reader.shot("menu")
            page.locator(".site-menu > summary").click()
            page.locator(".search-toggle").click()
        else:
            tools = page.locator("details.menu", has=page.locator("summary", has_text="المزيد"))
            if tools.count():
                tools.first.locator("summary").click()
                reader.shot("menu")
                tools.first.locator("summary").click()

        # Searching: the search box's button sits at its left end, after the field.
        field = page.locator("#search-q")
        button = page.locator(".site-header .search-box button")
        field.click()
        assert button.bounding_box()["x"] < field.bounding_box()["x"]
        page.keyboard.type("zzqx nothing")
        page.keyboard.press("Enter")
        page.wait_for_url("**/ar/search**")
        assert "لا توجد مقالة تطابق" in page.locator("main").inner_text()
        right_to_left_and_accessible(reader, "search")

        # The editor: right to left too, its text box included.
        page.goto(live_server.url + "/ar/wiki/Glimmer_fever/edit?mode=source")
        text = page.locator("textarea").first
        assert text.evaluate("el => getComputedStyle(el).direction") == "rtl"
        assert page.get_by_role("button", name="حفظ التغييرات").count() == 1  # Save changes
        # The scripts' words too: the mode switch (Visual / Source) and the toolbar (Link).
        page.locator(".editor-switch").wait_for()
        assert page.locator(".editor-switch").inner_text().split() == ["مرئي", "المصدر"]
        assert "رابط" in page.locator("[role=toolbar]").first.inner_text()
        preview_label = (
            "getComputedStyle(document.querySelector('.markdownx-preview'), '::before').content"
        )
        assert page.evaluate(preview_label) == '"المعاينة"'  # the preview's heading
        if width == "375":  # a phone's Write / Preview switch
            assert page.locator(".editor-mode").all_inner_texts() == ["الكتابة", "المعاينة"]
        right_to_left_and_accessible(reader, "editor")
        assert reader.errors == []
    finally:
        context.close()
