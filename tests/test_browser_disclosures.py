"""In a real browser, on a desktop and on a phone: a reviewer declares their competing
interests from their profile, then changes them; a reader follows the review badge of an
article they reviewed to the disclosure and its history. Screenshots land in /tmp."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from wiki.models import Article, Category, Contributor, Revision
from wiki.permissions import REVIEWERS_GROUP, ensure_groups
from wiki.review.services import mark_reviewed
from wiki.services import ArticleEdit, article_save

from .conftest import SAMPLE_SOURCE, editors_group
from .helpers import AXE_SOURCE, RUN_AXE, session_for

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
FIRST = "Paid consultant to Acme Pharma, 2024 to 2026."
SECOND = "Paid consultant to Acme Pharma, 2024 to 2026.\nSpeaker fees from Beta Labs."


def no_sideways_scroll(page):
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"


def no_axe_violations(page):
    page.evaluate(AXE_SOURCE)
    violations = [f"{v['id']}: {v['help']} {v['nodes']}" for v in page.evaluate(RUN_AXE)]
    assert violations == []


def declare(browser, live_server, reviewer, viewport, statement: str, shot: str):
    """The reviewer opens their profile, follows the link to the disclosure form, types their
    interests and the category they conflict with, and saves."""
    context = browser.new_context(viewport=viewport)
    context.add_cookies(
        [{"name": "sessionid", "value": session_for(reviewer), "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/profile")
    page.get_by_role("link", name="Declare your competing interests").click()
    page.get_by_label("I declare the interests below").check()
    box = page.get_by_label("Your interests")
    box.fill("")
    lines = statement.split("\n")
    box.press_sequentially(lines[0])
    for line in lines[1:]:
        box.press("Enter")
        box.press_sequentially(line)
    conflicts = page.get_by_label("Categories they conflict with (optional)")
    conflicts.fill("")
    conflicts.press_sequentially("Drugs")
    no_sideways_scroll(page)
    no_axe_violations(page)
    page.screenshot(path=f"/tmp/disclosures-{shot}-form.png", full_page=True)
    page.get_by_role("button", name="Save disclosure").click()
    expect(page.get_by_role("status")).to_contain_text("Your disclosure was saved.")
    expect(page.locator(".disclosure--current")).to_contain_text(lines[-1])
    expect(page.locator(".disclosure--current")).to_contain_text(
        "Conflicts declared with the categories: Drugs"
    )
    no_sideways_scroll(page)
    page.screenshot(path=f"/tmp/disclosures-{shot}-saved.png", full_page=True)
    context.close()


def follow_the_badge(browser, live_server, viewport, shot: str):
    context = browser.new_context(viewport=viewport)  # a reader, not signed in
    page = context.new_page()
    page.goto(f"{live_server.url}/wiki/Ibuprofen")
    badge = page.locator(".review-badge")
    expect(badge).to_contain_text("Medically reviewed by Jane Roe, MD")
    expect(badge).to_contain_text("declared a competing interest in Drugs")
    no_sideways_scroll(page)
    page.screenshot(path=f"/tmp/disclosures-{shot}-article.png", full_page=True)
    badge.get_by_role("link", name="reviewer's disclosure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Disclosure of competing interests: Jane Roe, MD"
    )
    expect(page.locator(".disclosure--current")).to_contain_text("Speaker fees from Beta Labs.")
    earlier = page.locator(".disclosure-history li")
    expect(earlier).to_have_count(1)
    expect(earlier).not_to_contain_text("Speaker fees")
    expect(earlier).to_contain_text(FIRST)
    no_sideways_scroll(page)
    no_axe_violations(page)
    page.screenshot(path=f"/tmp/disclosures-{shot}-disclosure.png", full_page=True)
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_reviewer_declares_and_a_reader_follows_the_badge_to_it(browser, live_server, settings):
    settings.WIKI_REVIEW_CONFLICT_POLICY = "show"
    ensure_groups()
    reviewer = User.objects.create_user("jane", password="a-long-test-password")
    reviewer.groups.add(editors_group(), Group.objects.get(name=REVIEWERS_GROUP))
    Contributor.objects.create(user=reviewer, name="Jane Roe", credentials="MD")
    Category.objects.create(name="Drugs")

    declare(browser, live_server, reviewer, DESKTOP, FIRST, "desktop")
    declare(browser, live_server, reviewer, PHONE, SECOND, "phone")

    article = article_save(
        article=Article(title="Ibuprofen"),
        edit=ArticleEdit(
            text=SAMPLE_SOURCE, base_revision=None, user=reviewer, categories=["Drugs"]
        ),
    ).article
    mark_reviewed(revision=Revision.objects.get(pk=article.latest_revision_id), user=reviewer)

    follow_the_badge(browser, live_server, DESKTOP, "desktop")
    follow_the_badge(browser, live_server, PHONE, "phone")
