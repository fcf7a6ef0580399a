"""In a real browser: a reader on a phone reports a wrong dose under an article, typing into
the form; an editor at a desk opens the reports from the header, marks the report fixed by the
revision that corrected it, and the report closes; the reader's mail arrives at a real SMTP
server. Screenshots land in /tmp/reports-*.png."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from wiki.models import Article
from wiki.reports.models import Report
from wiki.services import ArticleEdit, article_save

from .conftest import SAMPLE_SOURCE, editors_group, save
from .helpers import captcha_shown, session_for
from .mail_server import body

SHOTS = Path("/tmp")
PHONE = {"width": 375, "height": 740}
DESK = {"width": 1280, "height": 900}
WRONG = "The dose in Treatment says 500 g; it should be 500 mg."


def no_sideways_scroll(page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_reader_reports_on_a_phone_and_an_editor_fixes_and_closes_it(
    browser, live_server, mail_server
):
    editor = User.objects.create_user("edna", password="a-long-test-password")
    editor.groups.add(editors_group())
    article = article_save(
        article=Article(title="Ibuprofen"),
        edit=ArticleEdit(
            text=SAMPLE_SOURCE.replace("Rest helps.", "Take 500 g with food."),
            base_revision=None,
            user=editor,
        ),
    ).article

    reader = browser.new_context(viewport=PHONE)
    page = reader.new_page()
    page.goto(f"{live_server.url}/wiki/Ibuprofen")
    link = page.get_by_role("link", name="Report a problem with this article")
    link.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "reports-phone-article.png")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a problem with “Ibuprofen”")
    page.get_by_label("Which part of the article?").select_option("Treatment")
    page.get_by_label("Wrong information").check()
    page.get_by_label("What is wrong?").press_sequentially(WRONG)
    page.get_by_label("Your e-mail address (optional)").press_sequentially("rosa@example.org")
    # Not signed in: the reader reads the captcha's characters off its picture and types them.
    _, characters = captcha_shown(page.content())
    page.get_by_label("Type the characters in the picture").press_sequentially(characters)
    no_sideways_scroll(page)
    page.screenshot(path=SHOTS / "reports-phone-form.png", full_page=True)
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Your report about “Ibuprofen” was sent to the editors."
    )
    page.screenshot(path=SHOTS / "reports-phone-sent.png", full_page=True)
    reader.close()
    report = Report.objects.get()
    assert (report.section, report.kind, report.text, report.email) == (
        "Treatment",
        "wrong",
        WRONG,
        "rosa@example.org",
    )

    fix = save(article, editor, article.source.replace("500 g", "500 mg"), summary="Dose unit")
    desk = browser.new_context(viewport=DESK)
    desk.add_cookies([{"name": "sessionid", "value": session_for(editor), "url": live_server.url}])
    page = desk.new_page()
    page.goto(f"{live_server.url}/wiki/Ibuprofen")
    expect(page.locator(".user-links .reports-link .count")).to_have_text("1")
    page.locator(".user-links .reports-link").click()
    expect(page.get_by_role("navigation", name="Report states")).to_contain_text("Open (1)")
    row = page.locator(".reports-queue li", has_text="Ibuprofen")
    expect(row).to_contain_text("Treatment · Wrong information")
    page.screenshot(path=SHOTS / "reports-desk-queue.png", full_page=True)
    row.get_by_role("link", name=f"Report {report.pk}").click()
    expect(page.locator(".report-text")).to_contain_text(WRONG)
    page.get_by_label("Fixed", exact=True).check()
    page.get_by_label("Fixed by revision (for “fixed”)").select_option(str(fix.revision.pk))
    page.get_by_label("Note to the reporter (optional, in the mail)").press_sequentially(
        "Corrected to 500 mg. Thank you!"
    )
    page.screenshot(path=SHOTS / "reports-desk-triage.png", full_page=True)
    page.get_by_role("button", name="Save the triage").click()
    expect(page.get_by_role("status")).to_contain_text(f"Report {report.pk} is now “Fixed”")
    expect(page.get_by_role("navigation", name="Report states")).to_contain_text("Open (0)")
    expect(page.locator(".reports-queue li", has_text="Ibuprofen")).to_contain_text(
        f"fixed by revision {fix.revision.pk}"
    )
    expect(page.locator(".user-links .reports-link .count")).to_have_text("0")
    page.screenshot(path=SHOTS / "reports-desk-closed.png", full_page=True)
    desk.close()

    report.refresh_from_db()
    assert report.state == "fixed" and report.fixed_by_id == fix.revision.pk
    [mail] = mail_server.inbox.wait_for("rosa@example.org")
    assert "Corrected to 500 mg. Thank you!" in body(mail)
    assert f"to={fix.revision.pk}" in body(mail)
