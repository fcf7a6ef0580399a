"""Dark mode in a real browser (Debian's Chromium through Playwright), at 1280 and 375 px: the
reader's Light / Dark / Automatic switch in the header, remembered across reloads and pages
with the right theme at the first frame (no flash of the other), the system's setting obeyed
without a choice and without JavaScript, paper always light, the admin following the same
choice, and axe (colour contrast included) clean on the pages readers and editors use most in
both themes. Screenshots go to /tmp/shots-dark/."""

import gzip
from pathlib import Path
from urllib.request import urlopen

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import expect

from tests.conftest import editors_group, save
from tests.helpers import AXE_SOURCE, RUN_AXE, session_for
from wiki.models import Article

WIDTHS = {1280: {"width": 1280, "height": 800}, 375: {"width": 375, "height": 740}}
SHOTS = Path("/tmp/shots-dark")
DARK_BACKGROUND = "rgb(16, 20, 24)"  # --bg in static/css/theme.css
LIGHT_BACKGROUND = "rgb(255, 255, 255)"

# Runs in every page before its own scripts: what the first frame the browser renders shows.
FIRST_FRAME = """
window.__firstFrame = null;
requestAnimationFrame(() => {
  window.__firstFrame = {
    theme: document.documentElement.getAttribute("data-theme"),
    scheme: getComputedStyle(document.documentElement).colorScheme,
    background: document.body ? getComputedStyle(document.body).backgroundColor : null,
  };
});
"""
BACKGROUND = "() => getComputedStyle(document.body).backgroundColor"


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def first_frame(page):
    page.wait_for_function("() => window.__firstFrame !== null")
    return page.evaluate("() => window.__firstFrame")


def demo_site():
    """The demo content, and a second revision of Migraine for a diff."""
    call_command("load_demo", stdout=open("/dev/null", "w"))
    editor = User.objects.create_user("nightowl", password="a-long-test-password")
    editor.groups.add(editors_group())
    migraine = Article.objects.get(title="Migraine")
    before = migraine.latest_revision_id
    save(migraine, editor, migraine.source.replace("\n## ", "\nA sentence at night.\n\n## ", 1))
    migraine.refresh_from_db()
    return editor, f"/wiki/Migraine/diff?from={before}&to={migraine.latest_revision_id}"


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_a_reader_turns_the_dark_theme_on_and_it_stays_from_the_first_frame(
    browser, live_server, transactional_db, width
):
    demo_site()
    context = browser.new_context(viewport=WIDTHS[width], color_scheme="light")
    context.add_init_script(FIRST_FRAME)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/wiki/Paracetamol")
        switch = page.get_by_label("Colour theme")
        expect(switch).to_have_value("auto")
        assert page.evaluate(BACKGROUND) == LIGHT_BACKGROUND
        # The reader reaches the switch with the keyboard and picks the dark theme.
        for _ in range(30):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.id") == "theme-choice":
                break
        else:
            raise AssertionError("Tab never reached the theme switch")
        switch.select_option(label="Dark theme")
        expect(switch).to_have_value("dark")
        assert page.evaluate(BACKGROUND) == DARK_BACKGROUND
        # Reloaded, and on the next pages: dark at the very first frame, the switch says so.
        for path in ("/wiki/Paracetamol", "/", "/search?q=sleep"):
            page.goto(live_server.url + path)
            frame = first_frame(page)
            assert frame == {"theme": "dark", "scheme": "dark", "background": DARK_BACKGROUND}, (
                path,
                frame,
            )
            expect(page.get_by_label("Colour theme")).to_have_value("dark")
        page.goto(live_server.url + "/wiki/Paracetamol")
        shot(page, f"article-dark-{width}")
        # Paper stays light: the printable view of the same page.
        page.goto(live_server.url + "/wiki/Paracetamol?printable=yes")
        assert page.evaluate(BACKGROUND) == LIGHT_BACKGROUND
        # Light on a dark system, then back to Automatic.
        page.goto(live_server.url + "/wiki/Paracetamol")
        page.emulate_media(color_scheme="dark")
        page.get_by_label("Colour theme").select_option(label="Light theme")
        page.reload()
        assert first_frame(page)["background"] == LIGHT_BACKGROUND
        page.get_by_label("Colour theme").select_option(label="Automatic theme")
        assert page.evaluate(BACKGROUND) == DARK_BACKGROUND
        page.reload()
        # Automatic: the page offers both schemes and the system's (dark) one applies.
        assert first_frame(page) == {
            "theme": "auto",
            "scheme": "light dark",
            "background": DARK_BACKGROUND,
        }
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False])
def test_a_dark_system_gives_the_dark_theme_without_a_choice_with_or_without_javascript(
    browser, live_server, transactional_db, javascript
):
    demo_site()
    for scheme, background in (("dark", DARK_BACKGROUND), ("light", LIGHT_BACKGROUND)):
        context = browser.new_context(
            viewport=WIDTHS[375], color_scheme=scheme, java_script_enabled=javascript
        )
        page = context.new_page()
        try:
            page.goto(live_server.url + "/wiki/Migraine")
            assert page.evaluate(BACKGROUND) == background
            # The switch needs JavaScript: without it, it is not shown at all.
            if javascript:
                expect(page.get_by_label("Colour theme")).to_have_value("auto")
            else:
                expect(page.locator(".theme-switch")).to_be_hidden()
        finally:
            context.close()


def axe_and_shot(page, problems, name):
    page.evaluate(AXE_SOURCE)
    for v in page.evaluate(RUN_AXE):
        problems.append(f"{name}: axe {v['id']}: {v['help']} ({v['count']}) {v['nodes']}")
    shot(page, name)


def visit_and_check(page, url, problems, name):
    page.goto(url)
    if "/edit" not in url:
        return axe_and_shot(page, problems, name)
    # The edit page opens in the visual editor; then the source editor with its live preview.
    page.wait_for_function("() => document.querySelector('.ve-host')?.dataset.ready === '1'")
    axe_and_shot(page, problems, f"{name} visual")
    page.get_by_role("button", name="Source", exact=True).click()
    page.wait_for_function("() => document.querySelector('.markdownx-preview h2')")
    if page.viewport_size["width"] < 700:  # a phone shows the text or its preview: both
        axe_and_shot(page, problems, f"{name} source")
        page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.locator(".markdownx-preview")).to_be_visible()
    axe_and_shot(page, problems, f"{name} preview")


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_nothing_in_either_theme_on_the_pages_most_used(
    browser, live_server, transactional_db, width, theme
):
    editor, diff = demo_site()
    context = browser.new_context(viewport=WIDTHS[width])
    # The reader's choice as the switch stores it, there before each page's own script runs.
    context.add_init_script(f"localStorage.setItem('theme', '{theme}')")
    page = context.new_page()
    problems = []
    try:
        for name, path in {
            "article": "/wiki/Migraine",
            "drug with infobox": "/wiki/Paracetamol",
            "main page": "/",
            "search": "/search?q=sleep",
            "category": "/category/Disease_Index",
            "history": "/wiki/Migraine/history",
            "diff": diff,
            "talk page": "/wiki/Talk:Migraine",
        }.items():
            visit_and_check(page, live_server.url + path, problems, f"{theme}-{width}-{name}")
        context.add_cookies(
            [{"name": "sessionid", "value": session_for(editor), "url": live_server.url}]
        )
        visit_and_check(
            page,
            live_server.url + "/wiki/Migraine/edit",
            problems,
            f"{theme}-{width}-editor",
        )
        admin = User.objects.create_superuser("root", password="a-long-test-password")
        context.add_cookies(
            [{"name": "sessionid", "value": session_for(admin), "url": live_server.url}]
        )
        visit_and_check(
            page, live_server.url + "/admin/wiki/article/", problems, f"{theme}-{width}-admin"
        )
        # The admin follows the reader's choice, in the site's colours.
        assert page.evaluate("() => document.documentElement.dataset.theme") == theme
        expected = DARK_BACKGROUND if theme == "dark" else LIGHT_BACKGROUND
        assert page.evaluate(BACKGROUND) == expected
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def test_the_scripts_an_article_page_loads_stay_under_30_kb_compressed(live_server, make_article):
    make_article()
    html = urlopen(live_server.url + "/wiki/Sample_condition").read().decode()
    assert '<script src="/static/js/theme.js"></script>' in html  # in <head>, before the CSS
    assert html.index("js/theme.js") < html.index("css/site.css")
    sources = [part.split('"', 1)[0] for part in html.split('<script src="')[1:]]
    sizes = {src: len(gzip.compress(urlopen(live_server.url + src).read())) for src in sources}
    # The one script that blocks the first paint: the theme and the reading layout's classes.
    assert sizes["/static/js/theme.js"] < 2048, sizes
    assert sum(sizes.values()) < 30 * 1024, sizes
