"""In a real browser: an administrator types a house advertisement into the admin, with an
image picked from disk; readers on a desk (1280 px) and a phone (375 px) see it labelled
"Advertisement" under the article, the second from the page cache, and click it through the
site's own counting address, landing on a page the operator keeps free of them. Screenshots land in /tmp/promotions-*.png."""

import pytest
from PIL import Image
from playwright.sync_api import expect

from encyclopedia import promotions
from encyclopedia.models import Promotion, PromotionDay
from encyclopedia.promotions import impressions_flush

from .helpers import AXE_SOURCE, RUN_AXE, session_for

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
TEXT = "Evening sleep clinic: book a consultation online"


def no_sideways_scroll(page):
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"


def no_axe_violations(page):
    page.evaluate(AXE_SOURCE)
    violations = [f"{v['id']}: {v['help']} {v['nodes']}" for v in page.evaluate(RUN_AXE)]
    assert violations == []


def create_in_the_admin(browser, live_server, administrator, image_path):
    context = browser.new_context(viewport=DESKTOP)
    context.add_cookies(
        [{"name": "sessionid", "value": session_for(administrator), "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="Promotions").click()
    page.get_by_role("link", name="Add promotion").click()
    page.get_by_label("Text:", exact=True).press_sequentially(TEXT)
    page.get_by_label("Link:", exact=True).press_sequentially(
        f"{live_server.url}/wiki/Sleep_hygiene"
    )
    page.get_by_label("Image:", exact=True).set_input_files(image_path)
    # First without alt text: the admin refuses and says why.
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text("Describe the image")
    page.get_by_label("Image:", exact=True).set_input_files(
        image_path
    )  # a refused form drops the file
    page.get_by_label("Image alt text:").press_sequentially("A crescent moon over a bed")
    page.screenshot(path="/tmp/promotions-admin-form.png", full_page=True)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    page.screenshot(path="/tmp/promotions-admin-list.png", full_page=True)
    context.close()


def read_and_click(browser, live_server, viewport, shot):
    context = browser.new_context(viewport=viewport)  # a reader, not signed in
    page = context.new_page()
    blocked = []  # what the Content-Security-Policy refused: nothing, the block is our own
    page.on("console", lambda m: "Content Security Policy" in m.text and blocked.append(m.text))
    response = page.goto(f"{live_server.url}/wiki/Insomnia")
    assert "img-src 'self' https:" in response.headers["content-security-policy"]
    advert = page.get_by_role("region", name="Advertisement")
    expect(advert).to_be_visible()
    expect(advert).to_contain_text("Advertisement")
    expect(advert).to_contain_text(TEXT)
    # Outside the article's text, above the disclaimer.
    expect(page.locator("article .promotion")).to_have_count(0)
    below = page.evaluate(
        "document.querySelector('.promotion').compareDocumentPosition("
        "document.querySelector('.disclaimer')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert below
    advert.scroll_into_view_if_needed()
    image = advert.get_by_role("img", name="A crescent moon over a bed")
    expect(image).to_be_visible()
    page.wait_for_function("document.querySelector('.promotion__image').naturalWidth > 0")
    no_sideways_scroll(page)
    no_axe_violations(page)
    page.screenshot(path=f"/tmp/promotions-{shot}-article.png", full_page=True)
    assert blocked == []
    page.emulate_media(media="print")  # printed, the article stands alone
    expect(advert).to_be_hidden()
    page.emulate_media(media="screen")
    advert.screenshot(path=f"/tmp/promotions-{shot}-block.png")
    advert.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sleep hygiene")
    # The advertiser's page here is an article in a category the operator keeps clear.
    expect(page.get_by_role("region", name="Advertisement")).to_have_count(0)
    context.close()
    return response.headers.get("x-page-cache")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_administrator_runs_a_promotion_and_readers_see_and_click_it(
    browser, live_server, settings, administrator, make_article, tmp_path
):
    settings.PROMOTIONS_ENABLED = True
    settings.PROMOTIONS_EXCLUDED_CATEGORIES = ["Clinics"]
    promotions._running.update(key=None, promotions=[])
    make_article("Insomnia", categories=["Sleep"])
    make_article("Sleep hygiene", categories=["Sleep", "Clinics"])
    image_path = tmp_path / "moon.png"
    Image.new("RGB", (240, 120), (31, 111, 80)).save(image_path)

    create_in_the_admin(browser, live_server, administrator, image_path)
    promotion = Promotion.objects.get()
    assert promotion.text == TEXT and promotion.image_alt == "A crescent moon over a bed"

    assert read_and_click(browser, live_server, DESKTOP, "desktop") == "miss"
    assert read_and_click(browser, live_server, PHONE, "phone") == "hit"
    impressions_flush()
    day = PromotionDay.objects.get(promotion=promotion)
    assert (day.impressions, day.clicks) == (2, 2)
