"""In a real browser, at a desk (1280 px) and on a phone (375 px): an editor makes a bot
password on their profile, choosing what it may do, sees the password once, signs a bot in
with it, then revokes it. Screenshots land in /tmp/bots-*.png."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import expect

from wiki.api.models import BotPassword

from .conftest import editors_group
from .helpers import session_for

SHOTS = Path("/tmp")
SIZES = {"desk": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}


def signs_in(name: str, password: str) -> bool:
    bot = Client()
    token = bot.post("/api.php", {"action": "login"}).json()["login"]["token"]
    answer = bot.post(
        "/api.php", {"action": "login", "lgname": name, "lgpassword": password, "lgtoken": token}
    ).json()
    return answer["login"]["result"] == "Success"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", ["desk", "phone"])
def test_an_editor_makes_a_bot_password_sees_it_once_and_revokes_it(browser, live_server, size):
    editor = User.objects.create_user("edna", password="a-long-test-password")
    editor.groups.add(editors_group())
    context = browser.new_context(viewport=SIZES[size])
    context.add_cookies(
        [{"name": "sessionid", "value": session_for(editor), "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/profile")

    section = page.get_by_role("region", name="Bot passwords")
    expect(section.get_by_text("You have no bot passwords.")).to_be_visible()
    expect(section.get_by_label("Delete and undelete pages")).to_have_count(0)  # not hers
    section.get_by_label("Bot name").fill("reference fixer")
    section.get_by_label("Edit existing pages").check()
    section.get_by_role("button", name="Make a bot password").click()

    shown = page.locator(".bot-password-text")
    expect(shown).to_be_visible()
    expect(page.locator(".bot-login")).to_have_text("edna@reference fixer")
    password = shown.inner_text()
    row = page.get_by_role("row", name="edna@reference fixer")
    expect(row).to_contain_text("Edit existing pages")
    assert (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )
    page.screenshot(path=SHOTS / f"bots-{size}-made.png", full_page=True)
    assert signs_in("Edna@reference fixer", password)

    page.reload()  # shown once
    expect(page.locator(".bot-password-text")).to_have_count(0)
    assert password not in page.content()

    page.get_by_role("button", name="Revoke the bot password reference fixer").click()
    expect(page.get_by_text("The bot password “reference fixer” was revoked")).to_be_visible()
    expect(page.get_by_text("You have no bot passwords.")).to_be_visible()
    page.screenshot(path=SHOTS / f"bots-{size}-revoked.png", full_page=True)
    assert not signs_in("Edna@reference fixer", password)
    assert BotPassword.objects.active().count() == 0
    context.close()
