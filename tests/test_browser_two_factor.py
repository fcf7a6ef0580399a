"""In a real browser, at a desk (1280 px) and on a phone (375 px): a reviewer, whose role
requires two-step sign-in, signs in with her password, is sent to set it up, adds the key to
"her app" (the code is computed here from the key the page shows, as a phone would), keeps
her backup codes, then signs out and in again with the next code, and reaches the review
queue. Screenshots land in /tmp/two-step-*.png."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from wiki.permissions import REVIEWERS_GROUP, ensure_groups

from .helpers import AXE_SOURCE, RUN_AXE
from .totp import next_totp, totp

SHOTS = Path("/tmp")
SIZES = {"desk": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
PASSWORD = "a-long-test-password"


def checked(page, name: str):
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name}: {overflow}px wider than the screen"
    page.evaluate(AXE_SOURCE)
    assert [f"{v['id']}: {v['nodes']}" for v in page.evaluate(RUN_AXE)] == [], name
    page.screenshot(path=SHOTS / f"two-step-{name}.png", full_page=True)


def sign_in_with_password(page, base: str):
    page.goto(f"{base}/accounts/login/?next=/review-queue")
    page.get_by_label("Username").fill("jane")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", ["desk", "phone"])
def test_a_reviewer_sets_up_two_step_sign_in_and_signs_in_with_a_code(
    browser, live_server, settings, size
):
    settings.TWO_FACTOR_REQUIRED_FOR = ["reviewers"]
    ensure_groups()
    jane = User.objects.create_user("jane", password=PASSWORD)
    jane.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
    base = live_server.url

    sign_in_with_password(page, base)
    expect(page.get_by_role("heading", name="Two-step sign-in")).to_be_visible()
    expect(page.get_by_text("Your role on this site requires two-step sign-in")).to_be_visible()
    expect(page.get_by_role("img", name="QR code of your key")).to_be_visible()
    checked(page, f"{size}-set-up")
    key = page.locator("#otp-key").inner_text()
    page.get_by_label("Code from the app").fill(totp(key))
    page.get_by_role("button", name="Turn two-step sign-in on").click()

    codes = page.get_by_role("list", name="Backup codes").locator("li")
    expect(codes).to_have_count(10)
    checked(page, f"{size}-backup-codes")
    page.get_by_role("link", name="Continue").click()
    expect(page).to_have_url(f"{base}/review-queue")

    if size == "phone":  # the account's links are in the header's menu
        page.locator("details.site-menu > summary").click()
    page.get_by_role("button", name="Sign out").click()
    sign_in_with_password(page, base)
    expect(page.get_by_role("heading", name="Sign in: your code")).to_be_visible()
    checked(page, f"{size}-code")
    page.get_by_label("Code").fill(next_totp(key))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/review-queue")
    expect(page.get_by_role("heading", level=1)).to_contain_text("review", ignore_case=True)
    context.close()
