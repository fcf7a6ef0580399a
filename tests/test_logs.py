"""The public log: one page, filtered by type, performer and target, paged, with a feed;
every tool writes to it, group changes in the admin too."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from tests.helpers import log_text
from wiki.editorial.logs import log_action
from wiki.editorial.models import LogEntry
from wiki.editorial.views import LOG_PAGE_SIZE


@pytest.fixture
def entries(editor, administrator):
    log_action(type="move", action="move", performer=editor, target="Flu", to="Influenza")
    log_action(
        type="delete",
        action="delete",
        performer=administrator,
        target="Hoax page",
        comment="Made up",
        revisions=1,
    )
    log_action(
        type="review",
        action="approve",
        performer=administrator,
        target="Influenza",
        comment="Checked against the guideline",
    )
    log_action(
        type="block",
        action="block",
        performer=administrator,
        target="User:otto",
        comment="Spam",
        scope="every page",
        until="indefinitely",
    )


def test_the_log_lists_every_entry_newest_first(client, entries):
    text = log_text(client, "/log")
    assert text.index("blocked User:otto") < text.index("moved Flu to Influenza")
    assert "deleted Hoax page" in text and "(Made up)" in text
    assert "approve Influenza" in text  # a review entry, before its sentence is written


def test_the_log_filters_by_type_performer_and_target(client, entries):
    assert "moved Flu" not in log_text(client, "/log?type=delete")
    by_edna = log_text(client, "/log?performer=edna")
    assert "moved Flu to Influenza" in by_edna and "deleted" not in by_edna
    about = log_text(client, "/log?target=Influenza")
    assert "approve Influenza" in about and "moved Flu" not in about
    assert "moved Flu" in log_text(client, "/log?target=flu")
    review = log_text(client, "/log?type=review")
    assert "approve Influenza" in review and "deleted" not in review
    bad = client.get("/log?type=nonsense")
    assert bad.status_code == 200 and "were not understood" in bad.content.decode()


def test_the_log_is_paginated(client, editor):
    LogEntry.objects.bulk_create(
        [LogEntry(type="upload", action="upload", target=f"File{i}.png") for i in range(60)]
    )
    first = client.get("/log?type=upload").content.decode()
    assert first.count('class="history-row log-entry') == LOG_PAGE_SIZE
    following = re.search(r'rel="next" href="(\?type=upload&amp;from=[^"]+)"', first)
    assert following, "Next keeps the filter"
    second = client.get("/log" + unescape(following.group(1))).content.decode()
    assert second.count('class="history-row log-entry') == 60 - LOG_PAGE_SIZE
    old_link = client.get("/log?type=upload&page=2").content.decode()  # a page-number link
    assert old_link.count('class="history-row log-entry') == LOG_PAGE_SIZE


def test_the_log_feed_has_the_same_filters(client, entries):
    feed = client.get("/log/feed?type=delete")
    assert feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert "ada deleted Hoax page" in body and "Influenza" not in body


def test_special_log_urls_redirect_to_the_log(client):
    assert client.get("/wiki/Special:Log")["Location"] == "/log"
    assert client.get("/wiki/Special:Log/move")["Location"] == "/log?type=move"
    assert client.get("/index.php?title=Special:Log&type=block&user=ada")["Location"] == (
        "/log?type=block&performer=ada"
    )


def test_group_changes_in_the_admin_are_user_rights_entries(admin_client_, reader):
    editors = Group.objects.get_or_create(name="Editors")[0]
    url = reverse("admin:auth_user_change", args=[reader.pk])
    response = admin_client_.post(
        url,
        {
            "username": reader.username,
            "password": reader.password,
            "is_active": "on",
            "groups": [editors.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(pk=reader.pk).groups.filter(name="Editors").exists()
    entry = LogEntry.objects.get(type="rights")
    assert (entry.target, entry.params["old"], entry.params["new"]) == (
        "User:rita",
        "(none)",
        "Editors",
    )
    assert "changed the groups of User:rita from (none) to Editors" in (
        log_text(admin_client_, "/log?type=rights")
    )


def test_mediawiki_tool_urls_redirect(client, make_article):
    make_article("Sample condition")
    cases = {
        "/wiki/Special:MovePage/Sample_condition": "/wiki/Sample_condition/move",
        "/index.php?title=Sample_condition&action=delete": "/wiki/Sample_condition/delete",
        "/index.php?title=Sample_condition&action=protect": "/wiki/Sample_condition/protect",
        "/index.php?title=Sample_condition&action=unprotect": "/wiki/Sample_condition/protect",
        "/wiki/Special:Block/Some_user": "/block/Some_user",
        "/wiki/Special:Undelete/Sample_condition": "/wiki/Sample_condition/undelete",
        "/index.php?title=Special:MovePage&target=Sample+condition": "/wiki/Sample_condition/move",
        "/wiki/Special:Upload?wpDestFile=Scan.png": "/upload?name=Scan.png",
        "/wiki/Special:PendingChanges": "/review-queue",
        "/wiki/Special:UnreviewedPages": "/review-queue?show=never",
    }
    for old, new in cases.items():
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == new, old


def test_log_values_are_text_not_html(client, editor):
    log_action(
        type="move",
        action="move",
        performer=editor,
        target="<b>Bold</b>",
        to="<script>x</script>",
        comment="<img src=x onerror=alert(1)>",
    )
    html = client.get("/log").content.decode()
    assert "<script>x" not in html and "<img src=x" not in html and "<b>Bold" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_uploads_and_imports_are_logged(editor_client, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path / "media"
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (1, 2, 3)).save(buffer, "PNG")
    image = SimpleUploadedFile("rash.png", buffer.getvalue(), content_type="image/png")
    assert editor_client.post("/markdownx/upload/", {"image": image}).status_code == 200
    upload = LogEntry.objects.get(type="upload")
    assert upload.performer_name == "edna" and upload.params["original"] == "rash.png"

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "night-cramps.md").write_text("---\ntitle: Night cramps\n---\nCramps at night.\n")
    call_command("import_markdown", str(folder), jobs=0, verbosity=0)
    entry = LogEntry.objects.get(type="import")
    assert entry.target == "articles" and "1 created" in entry.comment
    text = log_text(editor_client, "/log?type=import")
    assert "the system" in text and "imported articles" in text
