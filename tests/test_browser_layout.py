"""The reading layout in a real browser (Debian's Chromium through Playwright), on the demo's
Migraine: on a desk (1280 px) the top bar with search after scrolling, the contents beside the
text marking the section in view and folding away, the wide-text switch remembered across a
reload, the Tools menu by keyboard; on a phone (375 × 667 px) the title on the first screen,
sections folded and opened one by one, all at once and by a link, tabs that fit with their
More menu; without JavaScript every section open. axe finds nothing at either width."""

import itertools
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.helpers import AXE_SOURCE, RUN_AXE, session_for
from wiki.models import Article

SHOTS = Path("/tmp/shots-layout")
DESK = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}
OVERFLOW = "(el) => el.scrollWidth - el.clientWidth"


def axe_violations(page) -> list:
    page.evaluate(AXE_SOURCE)
    return [f"{v['id']}: {v['help']} {v['nodes']}" for v in page.evaluate(RUN_AXE)]


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png")


SCHEMES = ["light", "dark"]  # the system's colour scheme: the theme follows it (Automatic)
BACKGROUNDS = {"light": "rgb(255, 255, 255)", "dark": "rgb(16, 20, 24)"}  # --bg, theme.css


def in_the_theme(page, scheme: str) -> None:
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == BACKGROUNDS[scheme]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


@pytest.mark.browser
@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_desk_reader_keeps_search_and_contents_at_hand(browser, live_server, demo, scheme):
    context = browser.new_context(viewport=DESK, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/wiki/Migraine")
        in_the_theme(page, scheme)
        bar = page.locator(".sticky-header")
        expect(bar).to_be_hidden()
        toc = page.locator("#toc")
        article = page.locator("article.article")
        assert toc.bounding_box()["x"] + toc.bounding_box()["width"] < article.bounding_box()["x"]
        shot(page, f"desk-top-{scheme}")

        # Scrolling past the header brings the top bar with its search box.
        page.mouse.wheel(0, 900)
        expect(bar).to_be_visible()
        expect(bar.get_by_role("combobox", name="Search WellnessWiki")).to_be_visible()

        # The contents stay beside the text and mark the section being read.
        toc.get_by_role("link", name="Treatment").click()
        treatment = toc.get_by_role("link", name="Treatment")
        expect(treatment).to_have_attribute("aria-current", "location")
        box = toc.bounding_box()
        assert 0 <= box["y"] < DESK["height"]
        page.locator("#Symptoms").scroll_into_view_if_needed()
        page.evaluate("document.getElementById('Symptoms').scrollIntoView()")
        expect(toc.get_by_role("link", name="Symptoms")).to_have_attribute(
            "aria-current", "location"
        )
        expect(treatment).not_to_have_attribute("aria-current", "location")
        shot(page, f"desk-scrolled-{scheme}")

        # The contents fold into their button; the text takes the room.
        text_x = article.bounding_box()["x"]
        toc.get_by_text("Contents").click()
        expect(treatment).to_be_hidden()
        assert article.bounding_box()["x"] < text_x - 100
        toc.get_by_text("Contents").click()
        expect(treatment).to_be_visible()

        # Wide text, remembered by this browser across a reload.
        narrow = article.bounding_box()["width"]
        switch = page.get_by_role("button", name="Wide text")
        expect(switch).to_have_attribute("aria-pressed", "false")
        switch.click()
        assert article.bounding_box()["width"] > narrow + 100
        page.reload()
        expect(switch).to_have_attribute("aria-pressed", "true")
        assert article.bounding_box()["width"] > narrow + 100
        switch.click()
        page.reload()
        assert abs(article.bounding_box()["width"] - narrow) < 2

        # The Tools menu opens and closes from the keyboard, the focus back on its button.
        tools = page.locator(".page-tools summary")
        tools.focus()
        page.keyboard.press("Enter")
        cite = page.get_by_role("link", name="Cite this page")
        expect(cite).to_be_visible()
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="What links here")).to_be_focused()
        assert axe_violations(page) == []
        page.keyboard.press("Escape")
        expect(cite).to_be_hidden()
        expect(tools).to_be_focused()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_phone_reader_sees_the_title_first_and_opens_sections(browser, live_server, demo, scheme):
    context = browser.new_context(viewport=PHONE, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/wiki/Migraine")
        in_the_theme(page, scheme)
        title = page.locator("h1").bounding_box()
        assert title["y"] + title["height"] < 300  # the header and tabs leave it on screen
        disclaimer = page.locator(".title-disclaimer").bounding_box()
        assert disclaimer["y"] - title["y"] < 120
        infobox = page.locator(".lead table.infobox")
        expect(infobox).to_be_visible()
        # The key facts in a compact table: smaller type than the text, the full width.
        assert infobox.evaluate("(t) => parseFloat(getComputedStyle(t).fontSize)") < 14
        assert infobox.bounding_box()["width"] > PHONE["width"] * 0.9
        expect(page.locator(".lead > p").first).to_be_visible()
        assert page.evaluate(OVERFLOW, page.locator("html").element_handle()) <= 0
        shot(page, f"phone-top-{scheme}")

        # Sections are folded under their headings, which stay headings.
        symptoms = page.get_by_role("button", name="Symptoms")
        causes = page.get_by_role("button", name="Causes")
        expect(symptoms).to_have_attribute("aria-expanded", "false")
        expect(page.get_by_role("heading", name="Symptoms")).to_be_visible()
        symptoms_text = page.locator("#Symptoms ~ .section-body")
        expect(symptoms_text).to_be_hidden()
        symptoms.click()
        expect(symptoms).to_have_attribute("aria-expanded", "true")
        expect(symptoms_text).to_be_visible()
        expect(causes).to_have_attribute("aria-expanded", "false")
        symptoms.press("Enter")
        expect(symptoms_text).to_be_hidden()

        # All at once, and folded again.
        page.get_by_role("button", name="Expand all sections").click()
        for name in ["Symptoms", "Causes", "Treatment", "References"]:
            expect(page.get_by_role("button", name=name)).to_have_attribute("aria-expanded", "true")
        page.get_by_role("button", name="Collapse all sections").click()
        expect(page.locator("#Treatment ~ .section-body")).to_be_hidden()
        assert axe_violations(page) == []

        # A link to #Treatment (here from the contents) opens that section; so does a new
        # fragment in the address.
        page.locator("#toc summary").click()
        page.locator("#toc").get_by_role("link", name="Treatment").click()
        expect(page.get_by_role("button", name="Treatment")).to_have_attribute(
            "aria-expanded", "true"
        )
        expect(page.locator("#Treatment ~ .section-body")).to_be_in_viewport()
        page.evaluate("location.hash = '#Diagnosis'")
        expect(page.get_by_role("button", name="Diagnosis")).to_have_attribute(
            "aria-expanded", "true"
        )
        page.goto(live_server.url + "/wiki/Migraine#Causes")
        expect(page.locator("#Causes ~ .section-body")).to_be_in_viewport()
        expect(page.get_by_role("button", name="Symptoms")).to_have_attribute(
            "aria-expanded", "false"
        )
        shot(page, f"phone-section-{scheme}")

        # The search icon opens the search box.
        page.get_by_role("button", name="Search").first.click()
        expect(page.locator("#search-q")).to_be_focused()
        page.keyboard.type("asthma")
        page.keyboard.press("Enter")
        page.wait_for_url("**/wiki/Asthma")
    finally:
        context.close()


@pytest.mark.browser
def test_the_tabs_fit_a_phone_with_their_more_menu(browser, live_server, demo):
    admin = User.objects.create_superuser("ada", password="pw-ada-123", email="ada@example.org")
    context = browser.new_context(viewport=PHONE)
    context.add_cookies(
        [{"name": "sessionid", "value": session_for(admin), "url": live_server.url}]
    )
    page = context.new_page()
    try:
        for path in ["/wiki/Migraine", "/wiki/Migraine/edit"]:
            page.goto(live_server.url + path)
            tabs = page.locator(".page-bar")
            assert tabs.evaluate(OVERFLOW) <= 0, path
            assert page.evaluate(OVERFLOW, page.locator("html").element_handle()) <= 0, path
            boxes = tabs.locator(":scope > nav > ul > li, :scope > details").evaluate_all(
                "(items) => items.map((i) => i.getBoundingClientRect())"
            )
            tops = [b["top"] for b in boxes]
            assert max(tops) - min(tops) <= 2, path  # one line
            assert max(b["right"] for b in boxes) <= PHONE["width"], path
            lefts = sorted(boxes, key=lambda b: b["left"])
            assert all(a["right"] <= b["left"] + 1 for a, b in itertools.pairwise(lefts)), path
        shot(page, "phone-edit-tabs")

        # The account menu of the compact header.
        page.locator(".site-menu > summary").click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        page.keyboard.press("Escape")

        # The rarer actions are under More.
        page.get_by_text("More", exact=True).click()
        expect(page.get_by_role("link", name="Protect")).to_be_visible()
        assert axe_violations(page) == []
        page.get_by_role("link", name="Move").click()
        page.wait_for_url("**/wiki/Migraine/move")
        expect(page.get_by_text("More", exact=True)).to_be_visible()
    finally:
        context.close()


@pytest.mark.browser
def test_on_a_narrow_desk_the_contents_wait_in_a_button(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 900, "height": 800})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/wiki/Migraine")
        contents = page.locator("#toc summary")
        treatment = page.locator("#toc").get_by_role("link", name="Treatment")
        expect(treatment).to_be_hidden()
        assert contents.bounding_box()["y"] < page.locator("h1").bounding_box()["y"]
        contents.click()
        treatment.click()
        expect(page.locator("#Treatment")).to_be_in_viewport()
        # From further down, the top bar's Contents button brings them back.
        page.locator("#toc summary").click()
        page.mouse.wheel(0, 600)
        page.locator(".sticky-header").get_by_role("button", name="Contents").click()
        expect(treatment).to_be_in_viewport()
        assert axe_violations(page) == []
    finally:
        context.close()


@pytest.mark.browser
def test_without_javascript_every_section_and_the_contents_are_open(browser, live_server, demo):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/wiki/Migraine")
        expect(page.locator(".section-toggle")).to_have_count(0)
        expect(page.locator("#Treatment ~ .section-body")).to_be_visible()
        expect(page.locator("#toc").get_by_role("link", name="Treatment")).to_be_visible()
        expect(page.locator(".sticky-header")).to_be_hidden()
    finally:
        context.close()


# Runs before the page's own scripts: every layout shift the page makes while it loads (CLS).
SHIFTS = """
window.__shift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""
HEADINGS = "(hs) => hs.map((h) => Math.round(h.getBoundingClientRect().top))"
STYLES_LOADED = """() => Promise.all([...document.querySelectorAll('link[rel=stylesheet]')]
  .filter((link) => link.media !== 'print')
  .map((link) => link.sheet ? true : new Promise((done) => link.addEventListener('load', done))))"""


def layout_shift(page) -> float:
    page.wait_for_timeout(300)  # a shift is reported a frame after it happens
    return page.evaluate("window.__shift")


def held_sections_script(page) -> list:
    """Holds sections.js back (its request waits) so the page shows what a reader sees before
    it runs: the page as drawn from <head> and the styles alone. release() lets it load."""
    held = []
    page.route("**/js/sections.js", lambda route: held.append(route))
    return held


def release(page, held: list) -> None:
    for _ in range(50):
        if held:
            break
        page.wait_for_timeout(100)
    held.pop().continue_()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_phone_article_is_folded_from_its_first_paint(browser, live_server, demo, scheme):
    """Asthma at 375 px: folded before sections.js runs, in the places where the script leaves
    it, so nothing moves (CLS under 0.01); the buttons then open, and open all."""
    context = browser.new_context(viewport=PHONE, color_scheme=scheme)
    context.add_init_script(SHIFTS)
    page = context.new_page()
    try:
        held = held_sections_script(page)
        page.goto(live_server.url + "/wiki/Asthma", wait_until="commit")
        page.wait_for_selector("nav.catlinks", state="attached")
        page.evaluate(STYLES_LOADED)
        in_the_theme(page, scheme)
        # Before the script: folded, no buttons yet, every heading where it will stay.
        expect(page.locator(".section-toggle")).to_have_count(0)
        for name in ["Symptoms", "Causes", "Treatment"]:
            expect(page.get_by_role("heading", name=name)).to_be_visible()
            expect(page.locator(f"#{name} ~ .section-body")).to_be_hidden()
        expect(page.get_by_role("heading", name="Asthma attacks")).to_be_hidden()
        expect(page.locator(".lead > p").first).to_be_visible()
        headings = page.locator(".article h2.section-heading")
        before = headings.evaluate_all(HEADINGS)
        shot(page, f"phone-first-paint-{scheme}")

        release(page, held)
        symptoms = page.get_by_role("button", name="Symptoms")
        expect(symptoms).to_have_attribute("aria-expanded", "false")
        assert headings.evaluate_all(HEADINGS) == before
        assert layout_shift(page) < 0.01
        assert page.evaluate("document.documentElement.className").find("folded") < 0
        shot(page, f"phone-wired-{scheme}")

        # One section, then all of them (the subsection opens with its section).
        symptoms.click()
        expect(page.get_by_role("heading", name="Asthma attacks")).to_be_visible()
        expect(page.locator("#Causes ~ .section-body")).to_be_hidden()
        page.get_by_role("button", name="Expand all sections").click()
        for name in ["Causes", "Diagnosis", "Treatment", "See also"]:
            expect(page.get_by_role("button", name=name)).to_have_attribute("aria-expanded", "true")
        expect(page.locator("#Treatment ~ .section-body")).to_be_visible()
        assert axe_violations(page) == []
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_link_to_a_section_opens_it_from_the_first_paint(browser, live_server, demo, scheme):
    """An address to a subsection (#Asthma_attacks) or a section (#Diagnosis) on a phone: its
    section is open and in view before sections.js runs, and stays so after."""
    context = browser.new_context(viewport=PHONE, color_scheme=scheme)
    context.add_init_script(SHIFTS)
    try:
        for fragment, section, closed in [
            ("Asthma_attacks", "Symptoms", "Causes"),
            ("Diagnosis", "Diagnosis", "Symptoms"),
        ]:
            page = context.new_page()  # a page load, not a move within the page
            held = held_sections_script(page)
            page.goto(f"{live_server.url}/wiki/Asthma#{fragment}", wait_until="commit")
            page.wait_for_selector("nav.catlinks", state="attached")
            page.evaluate(STYLES_LOADED)
            target = page.locator(f"#{fragment}")
            expect(target).to_be_visible()
            expect(page.locator(f"#{section} ~ .section-body")).to_be_visible()
            expect(page.locator(f"#{closed} ~ .section-body")).to_be_hidden()
            before = target.evaluate("(t) => t.getBoundingClientRect().top + scrollY")
            release(page, held)
            expect(page.get_by_role("button", name=section)).to_have_attribute(
                "aria-expanded", "true"
            )
            expect(page.get_by_role("button", name=closed)).to_have_attribute(
                "aria-expanded", "false"
            )
            expect(target).to_be_in_viewport()
            assert target.evaluate("(t) => t.getBoundingClientRect().top + scrollY") == before
            assert layout_shift(page) < 0.01
            shot(page, f"phone-fragment-{fragment}-{scheme}")
            page.close()
    finally:
        context.close()


@pytest.mark.browser
def test_without_javascript_every_section_of_asthma_is_open(browser, live_server, demo):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/wiki/Asthma")
        expect(page.locator(".section-toggle")).to_have_count(0)
        expect(page.get_by_text("Expand all sections")).to_have_count(0)
        for name in ["Symptoms", "Causes", "Diagnosis", "Treatment"]:
            expect(page.locator(f"#{name} ~ .section-body")).to_be_visible()
        expect(page.get_by_role("heading", name="Asthma attacks")).to_be_visible()
        expect(page.get_by_role("button", name="Wide text")).to_be_hidden()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", SCHEMES)
def test_wide_text_is_remembered_and_shown_without_a_shift(browser, live_server, demo, scheme):
    context = browser.new_context(viewport=DESK, color_scheme=scheme)
    context.add_init_script(SHIFTS)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/wiki/Asthma")
        assert layout_shift(page) < 0.01  # the switch had its place before layout.js ran
        article = page.locator("article.article")
        narrow = article.bounding_box()["width"]
        page.get_by_role("button", name="Wide text").click()
        wide = article.bounding_box()["width"]
        assert wide > narrow + 100

        # Reloaded: wide from the first paint (theme.js), so nothing moves.
        page.reload()
        switch = page.get_by_role("button", name="Wide text")
        expect(switch).to_have_attribute("aria-pressed", "true")
        assert abs(article.bounding_box()["width"] - wide) < 2
        assert layout_shift(page) < 0.01
        in_the_theme(page, scheme)
        shot(page, f"desk-wide-{scheme}")
        page.goto(live_server.url + "/wiki/Migraine")
        assert layout_shift(page) < 0.01
        assert article.bounding_box()["width"] > narrow + 100
        switch.click()
        expect(switch).to_have_attribute("aria-pressed", "false")
        page.reload()
        assert abs(article.bounding_box()["width"] - narrow) < 2
        assert layout_shift(page) < 0.01
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_admin_fits_a_360_px_phone(browser, live_server, demo, scheme):
    """The admin's pages for an article at 360 px: nothing wider than the screen, the Markdown
    fields' previews wrapped inside their rows rather than cut off."""
    admin = User.objects.create_superuser("root", password="a-long-test-password")
    asthma = Article.objects.get(title="Asthma")
    context = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme=scheme)
    context.add_cookies(
        [{"name": "sessionid", "value": session_for(admin), "url": live_server.url}]
    )
    page = context.new_page()
    try:
        for path in [
            "/admin/",
            "/admin/wiki/article/",
            f"/admin/wiki/article/{asthma.pk}/change/",
            f"/admin/wiki/article/{asthma.pk}/history/",
            "/wiki/Asthma/history",
            "/wiki/Asthma/protect",
        ]:
            page.goto(live_server.url + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        page.goto(f"{live_server.url}/admin/wiki/article/{asthma.pk}/change/")
        previews = page.locator(".markdownx-preview")
        expect(previews.first).to_contain_text("long-term condition")
        outside = previews.evaluate_all(
            """(ps) => ps.filter((p) => p.offsetWidth > 0).map((p) =>
              p.getBoundingClientRect().right - p.closest('.form-row').getBoundingClientRect().right)"""
        )
        assert len(outside) > 3
        assert max(outside) <= 1  # each preview inside its field's row
        page.locator(".field-lead").scroll_into_view_if_needed()
        shot(page, f"admin-360-{scheme}")
    finally:
        context.close()


def fits_and_reads(page, name: str, scheme: str) -> None:
    in_the_theme(page, scheme)
    assert page.evaluate(OVERFLOW, page.locator("html").element_handle()) <= 0, name
    assert axe_violations(page) == [], name
    shot(page, name)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", SCHEMES)
def test_site_health_the_code_page_and_the_captcha_read_well_in_both_themes(
    browser, live_server, transactional_db, settings, scheme
):
    """Walked at 1280 and 375 px: the admin's Site health (what needs an operator marked), the
    second step of signing in (the code), and sign-up's captcha with its sound link under the
    picture. Nothing wider than the screen, axe clean (contrast included), in the theme."""
    settings.REGISTRATION_OPEN = True
    admin = User.objects.create_superuser("root", password="a-long-test-password")
    owner = User.objects.create_user("omar", password="a-long-test-password")
    TOTPDevice.objects.create(user=owner, name="phone", confirmed=True)
    for viewport in [DESK, PHONE]:
        context = browser.new_context(viewport=viewport, color_scheme=scheme)
        page = context.new_page()
        width = viewport["width"]
        try:
            page.goto(live_server.url + "/accounts/register")
            picture = page.get_by_role("img", name="Characters to type")
            sound = page.get_by_role("link", name="Listen to the characters (sound)")
            expect(sound).to_be_visible()
            assert sound.bounding_box()["y"] >= picture.bounding_box()["y"] + 20  # under it
            expect(page.get_by_text("with the link under the picture")).to_be_visible()
            heard = page.request.get(live_server.url + sound.get_attribute("href"))
            assert heard.ok and heard.headers["content-type"] == "audio/wav"
            sound.scroll_into_view_if_needed()  # the screenshot shows the captcha
            fits_and_reads(page, f"captcha-{width}-{scheme}", scheme)

            page.goto(live_server.url + "/accounts/login/")
            page.get_by_label("Username").fill("omar")
            page.get_by_label("Password").fill("a-long-test-password")
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("heading", name="Sign in: your code")).to_be_visible()
            page.get_by_label("Code").fill("000000")
            page.get_by_role("button", name="Sign in").click()
            expect(page.locator(".errorlist")).to_be_visible()
            fits_and_reads(page, f"sign-in-code-{width}-{scheme}", scheme)

            context.add_cookies(
                [{"name": "sessionid", "value": session_for(admin), "url": live_server.url}]
            )
            page.goto(live_server.url + "/admin/health/")
            backups = page.get_by_role("row", name="Backups").get_by_role("cell").first
            expect(backups).to_have_text("TOO OLD OR NONE")  # no backup taken in a test
            assert backups.evaluate("(c) => getComputedStyle(c).fontWeight") == "700"
            fits_and_reads(page, f"site-health-{width}-{scheme}", scheme)
        finally:
            context.close()
