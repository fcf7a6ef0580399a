"""An administrator hides an old revision's text from the history in a real browser (Debian's
Chromium through Playwright), at 1280 and 375 pixels, with the keyboard alone: tick the
revision, "Change visibility of selected revisions", tick "Hide the revision's text", give a
reason. A reader then finds the revision struck out and its text withheld."""

import pytest
from django.contrib.auth.models import Permission, User

from tests.conftest import SAMPLE_SOURCE, editors_group, save
from tests.helpers import Reader, session_for
from wiki.editorial.models import RevisionVisibility
from wiki.models import Article
from wiki.services import ArticleEdit, article_save

WIDTHS = {"1280": {"width": 1280, "height": 800}, "375": {"width": 375, "height": 740}}
MARKER = "Zebraquillotherapy"


def tab_to(page, selector: str, *, backwards=False, most=120) -> None:
    """Press Tab (or Shift+Tab) until the element matching `selector` has the focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(most):
        page.keyboard.press(key)
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} is not reachable with {key}")


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_an_administrator_hides_a_revisions_text_from_the_history_with_the_keyboard(
    browser, live_server, transactional_db, width
):
    admin = User.objects.create_user("adele", password="pw-adele-123", is_staff=True)
    admin.groups.add(editors_group())
    admin.user_permissions.add(Permission.objects.get(codename="edit_protected_article"))
    edit = ArticleEdit(text=SAMPLE_SOURCE, base_revision=None, user=admin, summary="Created")
    article = article_save(article=Article(title="Sample condition"), edit=edit).article
    marked_text = SAMPLE_SOURCE.replace("mild rash", f"mild rash cured by {MARKER}")
    marked = save(article, admin, marked_text, summary="A cure").revision
    save(article, admin, SAMPLE_SOURCE, summary="Took the cure out")

    context = browser.new_context(viewport=WIDTHS[width])
    context.add_cookies(
        [{"name": "sessionid", "value": session_for(admin), "url": live_server.url}]
    )
    reader = Reader(context.new_page(), live_server.url, f"revision-hiding-{width}")
    page = reader.page

    def shot(step):
        reader.check_page(step)
        page.screenshot(path=f"/tmp/hiding-{width}-{step}.png", full_page=True)

    try:
        page.goto(live_server.url + "/wiki/Sample_condition/history")
        shot("1-history")
        tab_to(page, f'input[type=checkbox][value="{marked.pk}"]')
        page.keyboard.press("Space")
        assert page.locator(f'input[type=checkbox][value="{marked.pk}"]').is_checked()
        tab_to(page, 'button[form="revision-visibility"]', backwards=True)
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/wiki/Sample_condition/revision-visibility?ids={marked.pk}")
        tab_to(page, "#id_text")
        page.keyboard.press("Space")
        tab_to(page, "#id_reason")
        page.keyboard.type("A treatment copied from a copyrighted table")
        shot("2-visibility-form")
        page.keyboard.press("Enter")
        page.wait_for_url("**/wiki/Sample_condition/history")
        assert "visibility of 1 revision was changed" in page.locator(".messages").inner_text()
        assert "(text hidden)" in page.locator("main").inner_text()
        shot("3-hidden-for-the-administrator")
        assert RevisionVisibility.objects.get(revision_id=marked.pk).text_hidden

        # A reader: the revision's date is struck out and leads nowhere; its page says why.
        context.clear_cookies()
        page.goto(live_server.url + "/wiki/Sample_condition/history")
        struck = page.locator(".history-date.history-deleted")
        assert struck.count() == 1 and struck.evaluate("e => e.tagName") == "SPAN"
        shot("4-history-for-a-reader")
        reader.allowed_404s.add(f"/wiki/Sample_condition/revision/{marked.pk}")
        page.goto(live_server.url + f"/wiki/Sample_condition/revision/{marked.pk}")
        assert "has been hidden by an administrator" in page.locator("main").inner_text()
        assert MARKER not in page.content()
        shot("5-revision-for-a-reader")
    finally:
        context.close()
    assert [e for e in reader.errors if "403" not in e] == []
