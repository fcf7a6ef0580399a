"""The captcha in a real browser (Debian's Chromium through Playwright) at 1280 and 375
pixels: a newcomer signs up, types a wrong answer, then the right one; a young editor adds a
link on the edit page, is asked the captcha with her text still there, answers and saves.
axe-core finds nothing on the pages with the captcha.

How the test reads the challenge: the picture is drawn to defeat programs, so the test reads
the characters from the server's own record of the challenge (`helpers.captcha_shown`, by the
key the page holds), as a person reads them off the picture. The library's test mode (which
accepts "PASSED") is not used here. Screenshots: test-results/ and /tmp/shots-antiabuse/."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import editors_group
from tests.helpers import (
    AXE_SOURCE,
    RUN_AXE,
    SHOTS,
    captcha_shown,
    session_for,
    type_at_section_end,
)
from wiki.models import Article

WIDTHS = {"1280": {"width": 1280, "height": 900}, "375": {"width": 375, "height": 800}}
LOOKED_AT = Path("/tmp/shots-antiabuse")


def checked(page, name: str) -> None:
    """No axe violation, no sideways scrolling, every picture loaded; a screenshot kept."""
    page.evaluate(AXE_SOURCE)
    assert [f"{v['id']}: {v['help']} {v['nodes']}" for v in page.evaluate(RUN_AXE)] == []
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name}: {overflow}px wider than the screen"
    picture = page.locator("img.captcha-image")
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.complete && img.naturalWidth > 0")
    SHOTS.mkdir(exist_ok=True)
    LOOKED_AT.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"captcha-{name}.png", full_page=True)
    shutil.copy(SHOTS / f"captcha-{name}.png", LOOKED_AT / f"captcha-{name}.png")


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_a_newcomer_signs_up_answering_the_captcha(
    browser, live_server, transactional_db, width, settings
):
    settings.REGISTRATION_OPEN = True
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    try:
        page.goto(live_server.url + "/accounts/register")
        page.get_by_label("Username").type("nadia")
        page.get_by_label("E-mail address").type("nadia@example.org")
        page.locator("#id_password1").type("a long pass phrase 42")
        page.locator("#id_password2").type("a long pass phrase 42")
        answer = page.get_by_label("Type the characters in the picture")
        expect(answer).to_be_visible()
        sound = page.get_by_role("link", name="Listen to the characters (sound)")
        heard = page.request.get(live_server.url + sound.get_attribute("href"))
        assert heard.ok and heard.headers["content-type"] == "audio/wav"
        checked(page, f"{width}-1-sign-up")

        answer.type("wrong")
        page.get_by_role("button", name="Create account").click()
        expect(page.locator(".errorlist")).to_contain_text("That was not the text shown")
        expect(page.locator("#id_email")).to_have_value("nadia@example.org")
        checked(page, f"{width}-2-wrong-answer")
        assert not User.objects.filter(username="nadia").exists()

        _, characters = captcha_shown(page.content())
        page.locator("#id_password1").type("a long pass phrase 42")  # browsers do not refill
        page.locator("#id_password2").type("a long pass phrase 42")
        answer.type(characters)
        page.get_by_role("button", name="Create account").click()
        expect(page.locator("h1")).to_have_text("Confirm your e-mail address")
        assert User.objects.filter(username="nadia", is_active=False).exists()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_a_young_editor_answers_the_captcha_without_losing_her_text(
    browser, live_server, transactional_db, width, make_article
):
    make_article("Migraine", "A headache disorder.\n\n## Treatment\n\nRest.\n")
    editor = User.objects.create_user("lina", password="a-long-test-password")
    editor.groups.add(editors_group())
    editor.date_joined = timezone.now() - dt.timedelta(hours=1)
    editor.save()
    context = browser.new_context(viewport=WIDTHS[width])
    context.add_cookies(
        [{"name": "sessionid", "value": session_for(editor), "url": live_server.url}]
    )
    page = context.new_page()
    try:
        type_at_section_end(
            page,
            live_server.url + "/wiki/Migraine/edit?section=1",
            "\nA leaflet: [guide](https://patient-leaflets.example/migraine).",
            "Patient leaflet",
        )

        expect(page.locator(".captcha-row .errorlist")).to_contain_text("answer a captcha")
        text = page.locator("textarea.markdownx-editor")
        if not text.is_visible():
            page.get_by_role("button", name="Source", exact=True).click()
        expect(text).to_have_value(
            "## Treatment\n\nRest.\n\nA leaflet: [guide](https://patient-leaflets.example/migraine)."
        )
        expect(page.get_by_label("Summary")).to_have_value("Patient leaflet")
        checked(page, f"{width}-3-edit-asks")

        _, characters = captcha_shown(page.content())
        page.get_by_label("Type the characters in the picture").type(characters)
        page.get_by_role("button", name="Save changes").click()
        expect(page.locator(".messages")).to_contain_text("Your edit was saved")
        assert "patient-leaflets.example" in Article.objects.get(title="Migraine").source
    finally:
        context.close()
