"""A newcomer's journey in a real browser (Debian's Chromium through Playwright), at 1280
and 375 pixels: sign up, confirm through the mail the test SMTP server caught, watch a page;
an editor opens a topic on its talk page and edits it; the mail arrives with the diff link,
which shows the change. Screenshots land in test-results/."""

import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from tests.conftest import editors_group
from tests.helpers import Reader, session_for
from tests.mail_server import body

WIDTHS = {"1280": {"width": 1280, "height": 800}, "375": {"width": 375, "height": 740}}


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_a_newcomer_signs_up_watches_a_page_and_is_mailed_the_diff_of_an_edit(
    browser, live_server, transactional_db, width, settings, mail_server, captcha_test_mode
):
    settings.REGISTRATION_OPEN = True
    settings.WIKI_SITE_URL = live_server.url
    call_command("load_demo", stdout=open("/dev/null", "w"))
    editor = User.objects.create_user("carla", password="a-long-test-password")
    editor.groups.add(editors_group())
    newcomer_context = browser.new_context(viewport=WIDTHS[width])
    editor_context = browser.new_context(viewport=WIDTHS[width])
    editor_context.add_cookies(
        [{"name": "sessionid", "value": session_for(editor), "url": live_server.url}]
    )
    newcomer = Reader(newcomer_context.new_page(), live_server.url, f"talk-{width}-newcomer")
    other = Reader(editor_context.new_page(), live_server.url, f"talk-{width}-editor")
    page = newcomer.page
    try:
        # Sign up from the sign-in page.
        page.goto(live_server.url + "/accounts/login/")
        page.locator("main a", has_text="Create an account").click()
        page.wait_for_url("**/accounts/register")
        page.locator("#id_username").fill("nadia")
        page.locator("#id_email").fill("nadia@example.org")
        page.locator("#id_password1").fill("a long pass phrase 42")
        page.locator("#id_password2").fill("a long pass phrase 42")
        page.locator("#id_captcha_1").fill("PASSED")  # the library's test mode: not our topic
        newcomer.check_page("1-register")
        page.locator("main button[type=submit]", has_text="Create account").click()
        page.locator("h1", has_text="Confirm your e-mail address").wait_for()
        newcomer.check_page("2-check-your-mail")

        # The confirmation mail, caught by the test's SMTP server, signs her in.
        [mail] = mail_server.inbox.wait_for("nadia@example.org")
        link = re.search(r"https?://\S+", body(mail)).group(0)
        assert link.startswith(live_server.url + "/accounts/confirm/")
        page.goto(link)
        page.wait_for_url("**/accounts/preferences")
        assert "confirmed" in page.locator(".messages").inner_text()
        assert page.locator("#id_notify_watched").is_checked()
        newcomer.check_page("3-confirmed-preferences")

        # She watches Migraine with the star.
        page.goto(live_server.url + "/wiki/Migraine")
        page.locator(".tabs button", has_text="Watch").click()
        page.locator(".tabs button", has_text="Unwatch").wait_for()
        newcomer.check_page("4-watching")

        # An editor opens a topic on the talk page.
        talk = other.page
        talk.goto(live_server.url + "/wiki/Migraine")
        talk.locator(".tabs a.talk-tab").click()
        talk.wait_for_url("**/wiki/Talk:Migraine")
        talk.locator("#id_topic-heading").fill("Triptan dosing")
        talk.locator("#id_topic-text").fill("The dosing paragraph needs a newer source.")
        talk.locator("main button[type=submit]", has_text="Add topic").click()
        talk.locator("main h2", has_text="Triptan dosing").wait_for()
        assert "carla" in talk.locator("main article").inner_text()
        other.check_page("5-talk-topic")

        # The topic's mail leads her to the talk page; her visit allows the next mail.
        [_, topic_mail] = mail_server.inbox.wait_for("nadia@example.org", count=2)
        assert "Talk:Migraine" in topic_mail["Subject"]
        page.goto(re.search(r"The page: (\S+)", body(topic_mail)).group(1))
        page.locator("main h2", has_text="Triptan dosing").wait_for()
        newcomer.check_page("6-talk-page-from-the-mail")

        talk.goto(live_server.url + "/wiki/Migraine/edit?section=1")
        editor_text = talk.locator("textarea[name=text]")
        editor_text.fill(editor_text.input_value() + "\nA sentence added by Carla.\n")
        talk.locator("#id_summary").fill("A sentence on triggers")
        talk.locator("main button[type=submit]", has_text="Save").first.click()
        talk.wait_for_url("**/wiki/Migraine**")

        # The edit's mail has the diff link, which shows the change.
        notice = mail_server.inbox.wait_for("nadia@example.org", count=3)[-1]
        assert "“Migraine” was changed by carla" in notice["Subject"]
        diff = re.search(r"See the changes: (\S+)", body(notice)).group(1)
        assert "/wiki/Migraine/diff?from=" in diff
        page.goto(diff)
        assert page.locator("main").get_by_text("A sentence added by Carla.").count() >= 1
        newcomer.check_page("7-diff-from-the-mail")
        page.goto(live_server.url + "/watchlist")
        assert page.locator(".new-mark").count() >= 1
        newcomer.check_page("8-watchlist")
        assert not newcomer.errors and not other.errors, newcomer.errors + other.errors
    finally:
        newcomer_context.close()
        editor_context.close()
