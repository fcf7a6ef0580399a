"""In a real browser: an editor opens an unchecked edit from the history, marks it checked
from its diff page (by mouse on a desktop, by keyboard on a phone), and a reader then sees
that checked text, marked "Checked", never "Medically reviewed". Screenshots in test-results/
and /tmp/levels-*.png."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from wiki.models import Article
from wiki.review.models import Review
from wiki.services import ArticleEdit, article_save

from .conftest import SAMPLE_SOURCE, editors_group, save
from .helpers import session_for

SHOTS = Path(__file__).resolve().parent.parent / "test-results"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 740}}


def _article(title: str, editor) -> Article:
    article = article_save(
        article=Article(title=title),
        edit=ArticleEdit(text=SAMPLE_SOURCE, base_revision=None, user=editor),
    ).article
    save(article, editor, SAMPLE_SOURCE.replace("Rest helps.", "Rest and fluids help."))
    article.refresh_from_db()
    return article


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_an_editor_marks_a_revision_checked_from_its_diff(browser, live_server, settings, viewport):
    settings.WIKI_STABLE_LEVEL = "checked"
    editor = User.objects.create_user("maya", password="a-long-test-password")
    editor.groups.add(editors_group())
    article = _article("Sample condition", editor)
    latest = article.latest_revision_id
    parent = article.latest_revision.parent_id
    SHOTS.mkdir(exist_ok=True)

    context = browser.new_context(viewport=VIEWPORTS[viewport])
    context.add_cookies(
        [{"name": "sessionid", "value": session_for(editor), "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/wiki/Sample_condition/history")
    page.locator(".history-check").first.click()  # the newest edit, not checked yet
    expect(page).to_have_url(
        f"{live_server.url}/wiki/Sample_condition/diff?from={parent}&to={latest}"
    )
    button = page.get_by_role("button", name=f"Mark revision {latest} as checked")
    expect(button).to_be_visible()
    note = page.get_by_label("Check note (optional)")
    page.screenshot(path=f"/tmp/levels-form-{viewport}.png", full_page=True)
    if viewport == "phone":  # by keyboard alone: the note, Tab to the button, Enter
        note.focus()
        page.keyboard.type("Fluids are a sane addition")
        page.keyboard.press("Tab")
        expect(button).to_be_focused()
        page.keyboard.press("Enter")
    else:
        note.fill("Fluids are a sane addition")
        button.click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Revision {latest} of “Sample condition” is marked checked."
    )
    expect(page.locator(".diff-rev--new .review-flag--checked")).to_have_text("✓ checked")
    expect(page.get_by_role("button", name=f"Mark revision {latest} as checked")).to_have_count(0)
    page.screenshot(path=f"/tmp/levels-diff-{viewport}.png", full_page=True)
    page.screenshot(path=SHOTS / f"levels-diff-{viewport}.png", full_page=True)
    context.close()
    review = Review.objects.get()
    assert (review.level, review.note, review.revision_id) == (
        "checked",
        "Fluids are a sane addition",
        latest,
    )

    # Another edit waits; a reader is shown the checked text, marked checked, not reviewed.
    save(article, editor, SAMPLE_SOURCE.replace("Rest helps.", "Rest, fluids and a tonic help."))
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.goto(f"{live_server.url}/wiki/Sample_condition")
    expect(page.locator(".article")).to_contain_text("Rest and fluids help.")
    expect(page.locator(".article")).not_to_contain_text("tonic")
    expect(page.locator(".check-badge")).to_contain_text("Checked by maya")
    expect(page.get_by_role("note")).to_contain_text("You are reading the last checked version")
    expect(page.locator(".review-badge")).to_have_count(0)
    expect(page.get_by_text(re.compile("Medically reviewed"))).to_have_count(0)  # that case
    page.screenshot(path=f"/tmp/levels-reader-{viewport}.png", full_page=True)
    page.screenshot(path=SHOTS / f"levels-reader-{viewport}.png", full_page=True)
    context.close()
