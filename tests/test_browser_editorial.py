"""An administrator's journey in a real browser (Debian's Chromium through Playwright), at
1280 and 375 pixels: move an article from its Move tab, follow a link to the old title, delete
an article and undelete it from the page the deletion left. Screenshots land in test-results/.
"""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from tests.helpers import Reader, session_for
from wiki.models import Article, Revision

WIDTHS = {"1280": {"width": 1280, "height": 800}, "375": {"width": 375, "height": 740}}


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_an_administrator_moves_follows_an_old_link_and_undeletes(
    browser, live_server, transactional_db, width
):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    admin = User.objects.create_superuser("root", password="a-long-test-password")
    context = browser.new_context(viewport=WIDTHS[width])
    context.add_cookies(
        [{"name": "sessionid", "value": session_for(admin), "url": live_server.url}]
    )
    reader = Reader(context.new_page(), live_server.url, f"editorial-{width}")
    page = reader.page
    try:
        # Move "Migraine" from its Move tab, leaving a redirect behind.
        page.goto(live_server.url + "/wiki/Migraine")
        page.locator(".tabs-more summary").click()  # under More, so the tabs fit a phone
        page.locator(".tabs a", has_text="Move").click()
        page.wait_for_url("**/wiki/Migraine/move")
        assert page.locator("#id_leave_redirect").is_checked()
        page.locator("#id_new_title").fill("Migraine headache")
        page.locator("#id_reason").fill("The fuller name")
        reader.check_page("1-move-form")
        page.locator("main button[type=submit]", has_text="Move the article").click()
        page.wait_for_url("**/wiki/Migraine_headache")
        assert page.locator("h1").inner_text() == "Migraine headache"
        assert "was moved to “Migraine headache”" in page.locator(".messages").inner_text()
        reader.check_page("2-moved")

        # An old link, in another article, still leads there.
        page.goto(live_server.url + "/wiki/Tension_headache")
        old_link = page.locator('main a.wikilink[href="/wiki/Migraine"]').first
        assert "new" not in (old_link.get_attribute("class") or "")
        old_link.click()
        page.wait_for_url("**/wiki/Migraine_headache?redirectedfrom=Migraine")
        assert "(Redirected from Migraine)" in page.locator(".redirected-from").inner_text()
        reader.check_page("3-redirected")

        # Delete "Tension headache", then undelete it from the page the deletion left.
        tension = Article.objects.get(title="Tension headache")
        revisions = Revision.objects.filter(article_id=tension.pk).count()
        page.goto(live_server.url + "/wiki/Tension_headache")
        page.locator(".tabs-more summary").click()
        page.locator(".tabs a", has_text="Delete").click()
        page.wait_for_url("**/wiki/Tension_headache/delete")
        page.locator("#id_reason").fill("Testing the undelete")
        reader.check_page("4-delete-form")
        reader.allowed_404s.add("/wiki/Tension_headache")
        page.locator("main button[type=submit]", has_text="Delete the page").click()
        page.wait_for_url("**/wiki/Tension_headache")
        note = page.locator(".deleted-note").inner_text()
        assert "This page was deleted on" in note and "(Testing the undelete)" in note
        reader.check_page("5-deleted")
        page.locator("a", has_text="Undelete this page").click()
        page.wait_for_url("**/wiki/Tension_headache/undelete")
        page.locator("#id_reason").fill("Back again")
        reader.check_page("6-undelete-form")
        page.locator("main button[type=submit]", has_text="Undelete the page").click()
        page.wait_for_url("**/wiki/Tension_headache")
        assert page.locator("h1").inner_text() == "Tension headache"
        # every revision back, with the deletion and the undeletion
        assert Revision.objects.filter(article_id=tension.pk).count() == revisions + 2
        reader.check_page("7-undeleted")

        page.goto(live_server.url + "/log")
        log = page.locator(".log").inner_text()
        assert "moved Migraine to Migraine headache" in log
        assert "deleted Tension headache" in log and "undeleted Tension headache" in log
        reader.check_page("8-log")
        assert reader.errors == []
    finally:
        context.close()
