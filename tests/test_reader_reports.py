"""Reader reports: "Report a problem with this article" under every article, anonymous allowed,
behind a honeypot and a throttle; the editors' triage queue (new, accepted, fixed with the
revision, declined, duplicate); the reporter's mail through a real SMTP server; the open
counts in the review queue; and reports private to editors everywhere else."""

import json

import pytest
from django.core.management import call_command

import wiki.keyset
from wiki.editorial.deletion import page_delete, page_undelete
from wiki.models import Article, Revision
from wiki.reports.models import Report
from wiki.reports.services import ReportDraft, Triage, report_file, report_triage
from wiki.review.services import mark_reviewed

from .conftest import save
from .helpers import CAPTCHA_PASSED
from .mail_server import body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("captcha_test_mode")]

MARKER = "Zebracorn dosage looks tenfold too high"


def report_form(client, slug="Sample_condition", address="203.0.113.5", **fields):
    data = {"section": "Treatment", "kind": "wrong", "text": MARKER, "email": "", "website": ""}
    data.update(CAPTCHA_PASSED)  # asked of readers who are not signed in
    data.update(fields)
    return client.post(f"/wiki/{slug}/report", data, REMOTE_ADDR=address)


def file_one(article, text=MARKER, email="", section=""):
    return report_file(
        article=article,
        draft=ReportDraft(section=section, kind="outdated", text=text, email=email),
        user=None,
        address="198.51.100.7",
    )


def test_a_reports_whole_life_filed_anonymously_triaged_fixed_and_the_reporter_mailed(
    client, mail_server, editor, make_article, django_capture_on_commit_callbacks
):
    article = make_article(user=editor)
    page = client.get("/wiki/Sample_condition")
    assert b"Report a problem with this article" in page.content
    form = client.get("/wiki/Sample_condition/report")
    html = form.content.decode()
    for heading in ("Whole article", "Symptoms", "Causes", "Treatment", "See also"):
        assert f">{heading}</option>" in html
    assert 'name="website"' in html  # the honeypot, hidden from people

    sent = report_form(client, email="rosa@example.org")
    assert sent.status_code == 302
    thanks = client.get(sent["Location"])
    assert "was sent to the editors" in thanks.content.decode()
    report = Report.objects.get()
    assert (report.title, report.section, report.kind, report.state) == (
        "Sample condition",
        "Treatment",
        "wrong",
        "new",
    )
    assert report.revision_id == article.latest_revision_id and report.reporter is None

    client.force_login(editor)
    header = client.get("/wiki/Sample_condition").content.decode()
    assert 'class="reports-link">Reports <span class="count">1</span>' in header
    queue = client.get("/reports").content.decode()
    assert MARKER in queue and "Open (1)" in queue
    assert "1 open report" in client.get("/review-queue?show=never").content.decode()

    # Triage: accepted (no mail yet), then fixed by the editor's correction.
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post(f"/reports/{report.pk}", {"state": "accepted"})
    assert accepted.status_code == 302
    fix = save(article, editor, article.source.replace("Rest helps.", "Rest and fluids help."))
    fix = fix.revision
    detail = client.get(f"/reports/{report.pk}").content.decode()
    assert f'<option value="{fix.pk}">' in detail and "rosa@example.org" in detail
    with django_capture_on_commit_callbacks(execute=True):
        fixed = client.post(
            f"/reports/{report.pk}",
            {"state": "fixed", "fixed_by": fix.pk, "reply": "Thanks, the dose is corrected."},
        )
    assert fixed.status_code == 302
    report.refresh_from_db()
    assert report.state == "fixed" and report.fixed_by_id == fix.pk
    assert report.handled_by == editor

    [mail] = mail_server.inbox.wait_for("rosa@example.org")
    assert mail["Subject"].strip() == "Your report about “Sample condition”: fixed"
    text = body(mail)
    assert f"> {MARKER}" in text
    assert f"http://testserver/wiki/Sample_condition/diff?from={fix.parent_id}&to={fix.pk}" in text
    assert "The editor's note: Thanks, the dose is corrected." in text

    # The report is closed: out of the open list, the header and the review queue.
    assert "Open (0)" in client.get("/reports").content.decode()
    assert 'class="count">0</span>' in client.get("/reports").content.decode()
    assert "open report" not in client.get("/review-queue?show=never").content.decode()
    assert f"revision {fix.pk}" in client.get("/reports?show=fixed").content.decode()
    # Saving the same state again sends no second mail.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/reports/{report.pk}", {"state": "fixed", "fixed_by": fix.pk})
    assert len(mail_server.inbox.to("rosa@example.org")) == 1


def test_a_declined_report_mails_its_reporter_and_one_without_an_address_mails_nobody(
    mail_server, editor, make_article, django_capture_on_commit_callbacks
):
    article = make_article(user=editor)
    with_address = file_one(article, email="dora@example.org")
    without = file_one(article, text="Another wording problem")
    with django_capture_on_commit_callbacks(execute=True):
        report_triage(
            report=with_address,
            user=editor,
            triage=Triage("declined", reply="The sources given agree with the article."),
        )
        report_triage(report=without, user=editor, triage=Triage("declined"))
    [mail] = mail_server.inbox.wait_for("dora@example.org")
    assert mail["Subject"].strip() == "Your report about “Sample condition”: declined"
    assert "decided not to change the article" in body(mail)
    assert "The sources given agree with the article." in body(mail)
    assert len(mail_server.inbox.messages) == 1


def test_a_duplicate_links_to_the_report_it_repeats(editor_client, editor, make_article):
    article = make_article(user=editor)
    first, second = file_one(article), file_one(article, text="Same thing again")
    itself = editor_client.post(f"/reports/{second.pk}", {"state": "duplicate"})
    assert itself.status_code == 400
    assert "Give the number of the report this one repeats." in itself.content.decode()
    refused = editor_client.post(
        f"/reports/{second.pk}", {"state": "duplicate", "duplicate_of": second.pk}
    )
    assert "Give the number of another report" in refused.content.decode()
    editor_client.post(f"/reports/{second.pk}", {"state": "duplicate", "duplicate_of": first.pk})
    second.refresh_from_db()
    assert second.state == "duplicate" and second.duplicate_of == first
    shown = editor_client.get(f"/reports/{first.pk}").content.decode()
    assert f'href="/reports/{second.pk}">report {second.pk}</a>' in shown
    listed = editor_client.get("/reports?show=duplicate").content.decode()
    assert f'duplicate of <a href="/reports/{first.pk}">report {first.pk}</a>' in listed


def test_fixed_needs_a_revision_of_the_same_article(editor_client, editor, make_article):
    article = make_article(user=editor)
    other = make_article(title="Other condition", source="Other.\n", user=editor)
    report = file_one(article)
    missing = editor_client.post(f"/reports/{report.pk}", {"state": "fixed", "reply": "Done"})
    assert missing.status_code == 400
    assert "Choose the revision that fixed the problem." in missing.content.decode()
    assert "Done</textarea>" in missing.content.decode()  # the note is kept
    foreign = editor_client.post(
        f"/reports/{report.pk}", {"state": "fixed", "fixed_by": other.latest_revision_id}
    )
    assert foreign.status_code == 400
    report.refresh_from_db()
    assert report.state == "new"


def test_anonymous_reports_are_throttled_per_address_with_a_clear_429(
    client, settings, editor, make_article
):
    settings.WIKI_REPORTS_PER_ADDRESS = 2
    make_article(user=editor)
    assert report_form(client).status_code == 302
    assert report_form(client).status_code == 302
    refused = report_form(client, text="A third one, kept as typed")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many reports were sent from your address or about this article" in page
    assert "A third one, kept as typed</textarea>" in page
    assert int(refused["Retry-After"]) > 0
    assert Report.objects.count() == 2
    assert report_form(client, address="203.0.113.99").status_code == 302  # another address
    client.force_login(editor)  # editors are not throttled
    assert report_form(client).status_code == 302


def test_one_article_takes_only_so_many_reports_from_everyone(client, settings, make_article):
    settings.WIKI_REPORTS_PER_ARTICLE = 3
    make_article()
    make_article(title="Other condition", source="Other.\n")
    for n in range(3):
        assert report_form(client, address=f"192.0.2.{n}").status_code == 302
    assert report_form(client, address="192.0.2.50").status_code == 429
    assert (
        report_form(client, slug="Other_condition", address="192.0.2.50", section="").status_code
        == 302
    )


def test_a_filled_honeypot_files_nothing_and_tells_the_robot_nothing(client, make_article):
    make_article()
    answer = report_form(client, website="http://spam.example")
    assert answer.status_code == 302 and "sent=1" in answer["Location"]
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"text": "   "}, "Say what is wrong, in a few words at least."),
        ({"kind": ""}, "This field is required."),
        ({"kind": "angry"}, "Select a valid choice."),
        ({"email": "not an address"}, "Enter a valid email address."),
        ({"section": "No such heading"}, "Select a valid choice."),
        ({"text": "x" * 5001}, "Ensure this value has at most 5000 characters"),
        ({"text": "A null\x00 character"}, "Null characters are not allowed."),
    ],
)
def test_bad_input_gets_form_errors_and_keeps_what_was_typed(client, make_article, fields, error):
    make_article()
    answer = report_form(client, **{"email": "kept@example.org", **fields})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert error in page
    if "email" not in fields:
        assert 'value="kept@example.org"' in page
    if "text" not in fields:
        assert f"{MARKER}</textarea>" in page
    assert Report.objects.count() == 0


def test_a_report_on_a_title_no_article_has_is_404(client):
    assert client.get("/wiki/No_such_page/report").status_code == 404
    assert report_form(client, slug="No_such_page").status_code == 404


def test_the_queue_and_reports_are_for_editors_only(client, reader, editor, make_article):
    report = file_one(make_article(user=editor))
    for path in ("/reports", f"/reports/{report.pk}"):
        answer = client.get(path)
        assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")
    client.force_login(reader)
    assert client.get("/reports").status_code == 403
    assert client.get(f"/reports/{report.pk}").status_code == 403
    assert client.post(f"/reports/{report.pk}", {"state": "declined"}).status_code == 403
    assert "reports-link" not in client.get("/wiki/Sample_condition").content.decode()
    report.refresh_from_db()
    assert report.state == "new"


def test_reports_stay_out_of_every_public_page_api_feed_search_and_export(
    client, reader, editor, reviewer, make_article, tmp_path
):
    article = make_article(user=editor)
    file_one(article, email="secret-reader@example.org", section="Treatment")
    places = [
        "/wiki/Sample_condition",
        "/wiki/Sample_condition/history",
        "/wiki/Sample_condition/info",
        "/wiki/Sample_condition/source",
        "/wiki/Special:Export/Sample_condition?history=1",
        "/recent-changes",
        "/recent-changes/feed",
        "/log",
        "/log/feed",
        "/review-queue?show=never",
        "/api/v1/articles/Sample_condition",
        "/api/v1/articles/Sample_condition/revisions",
        "/api.php?action=query&list=search&srsearch=Zebracorn&format=json",
        "/api.php?action=query&prop=revisions&titles=Sample_condition&rvprop=content"
        "&rvslots=main&format=json",
    ]
    for who in (None, reader, editor):
        if who:
            client.force_login(who)
        for path in places:
            answer = client.get(path)
            assert answer.status_code == 200, path
            content = answer.getvalue() if answer.streaming else answer.content
            text = content.decode()
            assert "Zebracorn" not in text and "secret-reader" not in text, (who, path)
        found = client.get("/search", {"q": "Zebracorn tenfold", "fulltext": "1"})
        assert "No article matches" in found.content.decode()
        assert "Sample_condition" not in found.content.decode()
        if who is editor:
            assert "1 open report" in client.get("/review-queue?show=never").content.decode()
    client.logout()
    client.force_login(reviewer)  # a reviewer who is not an editor sees no counts
    assert "open report" not in client.get("/review-queue?show=never").content.decode()
    call_command("export", "--format", "json", "--output", str(tmp_path / "a.json"), verbosity=0)
    exported = (tmp_path / "a.json").read_text()
    assert "Sample condition" in json.loads(exported).__repr__()
    assert "Zebracorn" not in exported
    call_command("export", "--output", str(tmp_path / "md"), verbosity=0)
    for path in (tmp_path / "md").rglob("*"):
        if path.is_file():
            assert "Zebracorn" not in path.read_text(errors="replace")


def test_a_report_remembers_the_revision_the_reader_was_shown(
    client, editor, reviewer, make_article
):
    article = make_article(user=editor)
    reviewed = Revision.objects.get(pk=article.latest_revision_id)
    mark_reviewed(revision=reviewed, user=reviewer)
    save(article, editor, article.source + "\nA newer line.\n")
    article = Article.objects.get(pk=article.pk)
    assert article.latest_revision_id != reviewed.pk
    report_form(client)  # readers are shown the reviewed revision by default
    assert Report.objects.get().revision_id == reviewed.pk


def test_a_report_outlives_the_deletion_of_its_article_and_returns_with_it(
    editor_client,
    editor,
    administrator,
    mail_server,
    make_article,
    django_capture_on_commit_callbacks,
):
    article = make_article(user=editor)
    report = file_one(article, email="dora@example.org")
    article_id = article.pk
    page_delete(article=article, user=administrator, reason="Test")
    listed = editor_client.get("/reports").content.decode()
    assert 'Sample condition <span class="muted">(deleted)</span>' in listed
    assert editor_client.get(f"/reports/{report.pk}").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        report_triage(report=report, user=editor, triage=Triage("declined"))
    [mail] = mail_server.inbox.wait_for("dora@example.org")
    assert "The article:" not in body(mail)
    page_undelete(article_id=article_id, user=administrator)
    assert Report.objects.get(pk=report.pk).article.title == "Sample condition"


def test_administrators_see_reports_in_the_admin(admin_client_, editor, make_article):
    report = file_one(make_article(user=editor), email="dora@example.org")
    listed = admin_client_.get("/admin/wiki/report/")
    assert listed.status_code == 200 and "dora@example.org" in listed.content.decode()
    change = admin_client_.get(f"/admin/wiki/report/{report.pk}/change/")
    assert change.status_code == 200 and MARKER in change.content.decode()
    assert admin_client_.get("/admin/wiki/report/add/").status_code == 403


def test_in_production_the_reporters_mail_goes_from_a_queue_worker(
    settings, mail_server, start_queue_worker, client, editor, make_article
):
    """The default: the triage returns at once; a worker of the task queue sends the mail."""
    settings.WIKI_TASKS_INLINE = False
    start_queue_worker(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(mail_server.port),
    )
    make_article(user=editor)
    report_form(client, email="vera@example.org")
    client.force_login(editor)
    report = Report.objects.get()
    assert client.post(f"/reports/{report.pk}", {"state": "declined"}).status_code == 302
    [mail] = mail_server.inbox.wait_for("vera@example.org", timeout=60)  # the worker starts
    assert "declined" in mail["Subject"]


def test_the_queue_counts_each_state_only_so_far(editor_client, editor, make_article, monkeypatch):
    """However many reports there are, a tab and the header count up to MOST_COUNTED, each
    state read from its index ("2+"), never every report."""
    monkeypatch.setattr(wiki.keyset, "MOST_COUNTED", 2)
    article = make_article(user=editor)
    for n in range(3):
        file_one(article, text=f"{MARKER} {n}")
    queue = editor_client.get("/reports").content.decode()
    assert "Open (2+)" in queue and "Fixed (0)" in queue
    assert '<span class="count">2+</span>' in editor_client.get("/recent-changes").content.decode()
