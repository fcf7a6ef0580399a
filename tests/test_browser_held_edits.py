"""In a real browser at 1280 and 375 pixels: with new accounts' edits held, a newcomer edits a
section and is told her edit waits for review (her text shown); the article tells her so too;
an established editor opens the held-edits queue, sees the changes, approves one (the article
shows it) and rejects the other with a reason she then reads in her list of held edits.
axe-core finds nothing on these pages. Screenshots: /tmp/abuse-shots/."""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import editors_group
from tests.helpers import AXE_SOURCE, RUN_AXE, session_for, type_at_section_end
from wiki.antiabuse.models import HeldEdit
from wiki.models import Article

WIDTHS = {"1280": {"width": 1280, "height": 900}, "375": {"width": 375, "height": 800}}
SHOTS = Path("/tmp/abuse-shots")


def checked(page, name: str) -> None:
    """No axe violation, no sideways scrolling; a screenshot kept."""
    page.evaluate(AXE_SOURCE)
    assert [f"{v['id']}: {v['help']} {v['nodes']}" for v in page.evaluate(RUN_AXE)] == [], name
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name}: {overflow}px wider than the screen"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"held-{name}.png", full_page=True)


def person(name: str, days_old: float) -> User:
    user = User.objects.create_user(name, password="a-long-test-password")
    user.groups.add(editors_group())
    user.date_joined = timezone.now() - dt.timedelta(days=days_old)
    user.save()
    return user


def signed_in_page(browser, live_server, user, width):
    context = browser.new_context(viewport=WIDTHS[width])
    context.add_cookies([{"name": "sessionid", "value": session_for(user), "url": live_server.url}])
    return context, context.new_page()


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_a_newcomers_held_edit_is_approved_by_an_editor(
    browser, live_server, transactional_db, width, make_article, settings
):
    settings.WIKI_HOLD_NEW_ACCOUNT_EDITS = True
    make_article("Migraine", "A headache disorder.\n\n## Treatment\n\nRest.\n")
    newcomer, editor = person("nina", 0.1), person("mona", 90)
    context, page = signed_in_page(browser, live_server, newcomer, width)
    try:
        type_at_section_end(
            page,
            live_server.url + "/wiki/Migraine/edit?section=1",
            "\nA dark, quiet room helps many people.",
            "Dark room",
        )
        expect(page.locator("h1")).to_have_text("Your edit is waiting for review by an editor")
        expect(page.locator("#held-text")).to_contain_text("A dark, quiet room helps")
        checked(page, f"{width}-1-held")
        assert "dark, quiet room" not in Article.objects.get(title="Migraine").source

        page.get_by_role("link", name="the article").click()
        expect(page.locator(".held-notice")).to_contain_text("waiting for review by an editor")
        checked(page, f"{width}-2-article-notice")
        type_at_section_end(
            page,
            live_server.url + "/wiki/Migraine/edit?section=1",
            "\nBUY CHEAP PILLS TODAY",
            "Offer",
        )
        expect(page.locator("h1")).to_have_text("Your edit is waiting for review by an editor")
    finally:
        context.close()

    context, page = signed_in_page(browser, live_server, editor, width)
    try:
        page.goto(live_server.url + "/review-queue/held-edits")
        expect(page.locator("h1")).to_have_text("Held edits waiting for review")
        good = page.locator(".held-edit", has_text="A dark, quiet room helps many people.")
        expect(good).to_contain_text("nina")
        checked(page, f"{width}-3-queue")
        good.get_by_role("button", name="Approve and publish").click()
        expect(page.locator(".messages")).to_contain_text("was published")
        spam = page.locator(".held-edit", has_text="BUY CHEAP PILLS")
        spam.get_by_label("Reason for rejecting (the author sees it)").fill("Advertising.")
        spam.get_by_role("button", name="Reject").click()
        expect(page.locator(".held-edits")).to_contain_text("No edit is waiting")
        checked(page, f"{width}-4-decided")
        page.goto(live_server.url + "/wiki/Migraine")
        expect(page.locator(".article")).to_contain_text("A dark, quiet room helps many people.")
        expect(page.locator(".article")).not_to_contain_text("BUY CHEAP PILLS")
    finally:
        context.close()

    context, page = signed_in_page(browser, live_server, newcomer, width)
    try:
        page.goto(live_server.url + "/review-queue/held-edits")
        expect(page.locator(".held-edit-state--rejected")).to_have_text("Rejected: Advertising.")
        expect(page.locator(".held-edit-state--approved")).to_have_text("Approved and published")
        checked(page, f"{width}-5-authors-list")
    finally:
        context.close()
    states = sorted(HeldEdit.objects.values_list("state", flat=True))
    assert states == ["approved", "rejected"]
