"""In a real browser, on a phone: a reviewer follows the header's overdue count to the queue,
reviews an overdue article saying how recent the literature is, and readers see it.
Screenshots land in test-results/."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from playwright.sync_api import expect

from wiki.models import Article, Contributor, Revision
from wiki.permissions import REVIEWERS_GROUP, ensure_groups
from wiki.review.models import Review
from wiki.review.services import mark_reviewed, refresh_review_queue
from wiki.services import ArticleEdit, article_save

from .conftest import SAMPLE_SOURCE, editors_group
from .helpers import session_for

SHOTS = Path(__file__).resolve().parent.parent / "test-results"
PHONE = {"width": 375, "height": 740}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_reviewer_reviews_an_overdue_article_with_its_literature_date(browser, live_server):
    ensure_groups()
    reviewer = User.objects.create_user("jane", password="a-long-test-password")
    reviewer.groups.add(editors_group(), Group.objects.get(name=REVIEWERS_GROUP))
    Contributor.objects.create(user=reviewer, name="Jane Roe", credentials="MD")
    article = article_save(
        article=Article(title="Ibuprofen"),
        edit=ArticleEdit(text=SAMPLE_SOURCE, base_revision=None, user=reviewer),
    ).article
    revision = Revision.objects.get(pk=article.latest_revision_id)
    old = mark_reviewed(revision=revision, user=reviewer)
    Review.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    refresh_review_queue(Article.objects.filter(pk=article.pk))  # as the review would have
    SHOTS.mkdir(exist_ok=True)

    context = browser.new_context(viewport=PHONE)
    context.add_cookies(
        [{"name": "sessionid", "value": session_for(reviewer), "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/wiki/Ibuprofen")
    page.locator(".site-menu > summary").click()  # the account links, in the phone's menu
    page.locator(".site-menu .review-overdue-link").click()
    expect(page.get_by_role("navigation", name="Queues")).to_contain_text("Review overdue (1)")
    row = page.locator(".review-queue li", has_text="Ibuprofen")
    expect(row).to_contain_text("due ")
    row.get_by_role("link", name="review its current text").click()
    page.get_by_label("Literature reviewed to (month and year as YYYY-MM, optional)").fill(
        "2025-03"
    )
    page.get_by_role("button", name=f"Mark revision {revision.pk} medically reviewed").click()
    expect(page.get_by_role("status")).to_contain_text("is marked medically reviewed")
    expect(page.locator(".review-overdue-link")).to_have_count(0)
    context.close()
    assert Review.objects.order_by("-created_at").first().literature_to.isoformat() == "2025-03-01"

    context = browser.new_context(viewport=PHONE)  # a reader
    page = context.new_page()
    page.goto(f"{live_server.url}/wiki/Ibuprofen")
    dates = page.locator(".review-dates")
    expect(dates).to_contain_text(f"Last reviewed {timezone.now():%-d %B %Y}")
    expect(dates).to_contain_text("Literature reviewed to March 2025")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    page.screenshot(path=SHOTS / "review-cycle-phone.png", full_page=True)
    context.close()
