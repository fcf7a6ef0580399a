"""In a real browser, on a phone and a desktop: after the scheduled check, a reader sees the
retracted, concerned and corrected references marked, readable, each linked to its notice;
an editor opens the sources queue from the review queue. Screenshots land in test-results/
and /tmp/retractions-*.png."""

import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from wiki.models import Article
from wiki.services import ArticleEdit, article_save
from wiki.tasks import job_enqueue

from .conftest import editors_group
from .helpers import AXE_SOURCE, RUN_AXE, session_for
from .retraction_services import CITING_SOURCE, point_check_at, start_retraction_services

SHOTS = Path(__file__).resolve().parent.parent / "test-results"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def checked_article(transactional_db, settings):
    server, base = start_retraction_services()
    point_check_at(settings, base)
    editor = User.objects.create_user("ed", password="a-long-test-password")
    editor.groups.add(editors_group())
    article = article_save(
        article=Article(title="Vaccines and autism"),
        edit=ArticleEdit(text=CITING_SOURCE, base_revision=None, user=editor),
    ).article
    job_enqueue("wiki.retractions.jobs.check_sources_job", inline=True)
    yield article, editor
    server.shutdown()
    server.server_close()


def axe_violations(page) -> list:
    page.evaluate(AXE_SOURCE)
    return page.evaluate(RUN_AXE)


def shoot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"retractions-{name}.png"
    page.screenshot(path=path, full_page=False)
    shutil.copy(path, f"/tmp/retractions-{name}.png")


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_reader_sees_the_marked_references_readable_and_linked(
    browser, live_server, checked_article, viewport
):
    article, _ = checked_article
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    expect(page.locator(".review-sources")).to_contain_text(
        "Cites 2 retracted papers, 1 paper with an expression of concern, 1 corrected paper"
    )
    retracted = page.locator("#user-content-fn\\:wakefield .source-notice")
    if viewport == PHONE:  # the references are folded under their heading on a phone
        page.get_by_role("button", name="References").click()
    retracted.scroll_into_view_if_needed()
    shoot(page, f"reader-{viewport['width']}")
    expect(retracted).to_have_text("Retracted in 2010")
    link = retracted.get_by_role("link", name="Retracted in 2010")
    expect(link).to_have_attribute("href", "https://doi.org/10.1016/s0140-6736(10)60175-4")
    box = retracted.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= viewport["width"]  # not cut off
    looks = retracted.evaluate(
        "e => { const s = getComputedStyle(e); "
        "return [parseFloat(s.fontSize), s.color, s.backgroundColor]; }"
    )
    assert looks[0] >= 13  # pixels: legible on a phone
    assert looks[1] != looks[2]
    kinds = {
        name: page.locator(f"#user-content-fn\\:{name} .source-notice").get_attribute("class")
        for name in ("registry", "athletes", "shift")
    }
    assert kinds == {
        "registry": "source-notice source-notice--retraction",
        "athletes": "source-notice source-notice--correction",
        "shift": "source-notice source-notice--concern",
    }
    expect(page.locator("#user-content-fn\\:recovery .source-notice")).to_have_count(0)
    page.locator("#user-content-fn\\:shift").scroll_into_view_if_needed()
    shoot(page, f"kinds-{viewport['width']}")
    assert axe_violations(page) == []  # the marks' contrast, the links' size and names
    page.context.close()


@pytest.mark.browser
def test_an_editor_goes_from_the_review_queue_to_the_sources_queue(
    browser, live_server, checked_article
):
    article, editor = checked_article
    context = browser.new_context(viewport=PHONE)
    context.add_cookies(
        [{"name": "sessionid", "value": session_for(editor), "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/review-queue")
    page.get_by_role("link", name="articles citing retracted or corrected papers").click()
    expect(page.get_by_role("navigation", name="Queues")).to_contain_text(
        "Retracted or under concern (1)"
    )
    row = page.locator(".source-notices > li", has_text=article.title)
    expect(row).to_contain_text("reference [wakefield]")
    shoot(page, "queue-375")
    assert axe_violations(page) == []
    row.get_by_role("link", name=article.title).click()
    expect(page.locator("h1")).to_have_text(article.title)
    context.close()
