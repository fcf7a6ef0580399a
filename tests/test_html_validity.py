"""Every kind of page is valid HTML to the Nu HTML Checker (vnu), the W3C's validator.

The pages are fetched with Django's test client, written to a temporary folder and checked in
one run of vnu.jar (one JVM start). vnu.jar comes from the npm package `vnu-jar`, pinned in the
Makefile, which `make test` installs into .tools/ (or point VNU_JAR at one); Java is Debian's
(.ci/run installs default-jre-headless when `java` is missing). Warnings are printed, errors fail.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from tests.conftest import editorial_traces, make_media, save, talk_traces
from wiki.api.models import ApiToken
from wiki.models import Article, Contributor, Revision
from wiki.permissions import REVIEWERS_GROUP, ensure_groups
from wiki.reports.services import ReportDraft, report_file
from wiki.review.disclosures import disclosure_declare
from wiki.review.services import mark_reviewed

VNU_JAR = Path(
    os.environ.get("VNU_JAR")
    or settings.BASE_DIR / ".tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)


def every_kind_of_page(editor):
    """Paths of the public pages and of the pages an editor sees, on the demo content."""
    call_command("load_demo", stdout=open(os.devnull, "w"))
    article = Article.objects.get(title="Migraine")
    reviewed = Revision.objects.get(pk=article.latest_revision_id)
    save(article, editor, article.source.replace("\n## ", "\nA checked line.\n\n## ", 1))
    # The editor reviews too: the badge, "1 edit since the last review", the review queue.
    ensure_groups()
    editor.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    editor = User.objects.get(pk=editor.pk)  # permissions are cached per instance
    mark_reviewed(revision=reviewed, user=editor, note="Checked")
    disclosure_declare(user=editor, none_declared=True)  # a disclosure with its history
    disclosure_declare(user=editor, none_declared=False, statement="Speaker fees from Acme.")
    Contributor.objects.create(name="Nobody declared")  # "No disclosure on file"
    make_media(editor)
    vitamin = Article.objects.get(title="Vitamin D")
    save(vitamin, editor, "[[File:Chest scan.png|thumb|right|A scan]]\n\n" + vitamin.source)
    revision = Revision.objects.filter(article=article).order_by("-pk").first()
    diff = f"/wiki/Migraine/diff?from={revision.parent_id}&to={revision.pk}"
    contributor = Contributor.objects.order_by("name").first().name.replace(" ", "_")
    editorial_traces(editor)
    talk_traces(editor)
    report = report_file(
        article=article,
        draft=ReportDraft(
            section="", kind="unclear", text="Hard to follow.", email="r@example.org"
        ),
        user=None,
        address="",
    )
    public = {
        "home": "/",
        "article": "/wiki/Vitamin_D",
        "article-with-toc": "/wiki/Migraine",
        "printable": "/wiki/Migraine?printable=yes",
        "history": "/wiki/Migraine/history",
        "diff": diff,
        "inline-diff": diff + "&mode=inline",
        "revision": f"/wiki/Migraine/revision/{revision.parent_id}",
        "search-results": "/search?q=sleep",
        "search-nothing": "/search?q=zzzzqqq",
        "recent-changes": "/recent-changes",
        "recent-changes-filtered": "/recent-changes?hideminor=1&category=Neurology",
        "category": "/category/Disease_Index",
        "portal": "/portal/disease-index",
        "index": "/index/M",
        "contributor": f"/contributor/{contributor}",
        "site-page": "/disclaimer",
        "login": "/accounts/login/",
        "not-found": "/no-such-page",
        "links": "/wiki/Migraine/links",
        "info": "/wiki/Migraine/info",
        "credits": "/wiki/Asthma/credits",
        "history-of-an-import": "/wiki/Asthma/history",
        "cite": "/wiki/Migraine/cite",
        "drug-with-infobox": "/wiki/Paracetamol",
        "how-we-review": "/how-we-review",
        "disclosure": "/disclosure/Edna_Marsh",
        "no-disclosure-on-file": "/disclosure/Nobody_declared",
        "recent-changes-reviewed": "/recent-changes?review=reviewed",
        "media-page": "/wiki/File:Chest_scan.png",
        "media-history": "/wiki/File:Chest_scan.png/history",
        "media-missing": "/wiki/File:Nothing.png",
        "log": "/log",
        "log-filtered": "/log?type=move&performer=edna",
        "redirects": "/redirects",
        "redirect-page": "/wiki/Old_migraine?redirect=no",
        "redirected-from": "/wiki/Migraine?redirectedfrom=Old_migraine",
        "deleted-page": "/wiki/Old_rumour",
        "talk-page": "/wiki/Talk:Vitamin_D",
        "talk-page-empty": "/wiki/Talk:Migraine",
        "search-with-talk": "/search?q=table&fulltext=1&talk=1",
        "register": "/accounts/register",
        "password-reset": "/accounts/password_reset/",
        "password-reset-done": "/accounts/password_reset/done/",
        "report-form": "/wiki/Migraine/report",
        "report-sent": "/wiki/Migraine/report?sent=1",
    }
    ApiToken.issue(user=editor, name="reference bot")  # the profile lists it
    signed_in = {
        "editor": "/wiki/Migraine/edit",
        "section-editor": "/wiki/Migraine/edit?section=1",
        "create-form": "/wiki/A_new_article/edit",
        "history-as-editor": "/wiki/Migraine/history",
        "diff-as-editor": diff,  # the forms to mark it checked and medically reviewed
        "undo-confirmation": f"/wiki/Migraine/undo/{revision.pk}",
        "revert-confirmation": f"/wiki/Migraine/revert/{revision.parent_id}",
        "profile": "/accounts/profile",
        "review-queue": "/review-queue",
        "never-reviewed-as-reviewer": "/wiki/Asthma",
        "pending-review-as-reviewer": "/wiki/Migraine",
        "review-queue-never": "/review-queue?show=never",
        "source-notices": "/review-queue/sources",
        "upload": "/upload",
        "media-edit": "/wiki/File:Chest_scan.png/edit",
        "move": "/wiki/Migraine/move",
        "deleted-page-as-editor": "/wiki/Old_rumour",
        "recent-changes-as-editor": "/recent-changes",
        "talk-page-as-editor": "/wiki/Talk:Vitamin_D",
        "talk-page-empty-as-editor": "/wiki/Talk:Migraine",
        "watchlist": "/watchlist",
        "watchlist-edit": "/watchlist/edit",
        "preferences": "/accounts/preferences",
        "reader-reports": "/reports",
        "reader-report": f"/reports/{report.pk}",
        "disclosure-form": "/accounts/disclosure",
    }
    return public, signed_in


# The administrators' tools on the site (signed in as an administrator).
ADMIN_TOOLS = {
    "delete": "/wiki/Migraine/delete",
    "protect": "/wiki/Migraine/protect",
    "undelete": "/wiki/Old_rumour/undelete",
    "block": "/block/edna",
    "deleted-page-as-admin": "/wiki/Old_rumour",
}


def run_vnu(folder: Path) -> list[dict]:
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML Checker: apt-get install default-jre-headless"
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing: `make test` installs it (npm vnu-jar)"
    # C1 only and the serial collector: a short run starts in a third of the time.
    jvm = ["-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
    checker = ["--no-langdetect", "--format", "json", "--stdout"]
    result = subprocess.run(
        [java, *jvm, "-jar", str(VNU_JAR), *checker, str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode in (0, 1) and result.stdout, f"vnu failed: {result.stderr[-2000:]}"
    return json.loads(result.stdout)["messages"]


@pytest.mark.django_db
def test_every_kind_of_page_is_valid_html(client, editor, tmp_path, settings, tmp_path_factory):
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")  # not among the pages vnu reads
    settings.REGISTRATION_OPEN = True
    public, signed_in = every_kind_of_page(editor)
    pages = {}
    administrator = User.objects.create_superuser("root", password="a-long-test-password")
    for group, paths in [("", public), ("signed-in-", signed_in), ("admin-", ADMIN_TOOLS)]:
        if group == "signed-in-":
            client.force_login(editor)
        if group == "admin-":
            client.force_login(administrator)
        for name, path in paths.items():
            response = client.get(path)
            assert response.status_code in (200, 404), (path, response.status_code)
            assert response["Content-Type"].startswith("text/html"), path
            file = tmp_path / f"{group}{name}.html"
            file.write_bytes(response.content)
            pages[file.name] = path
    client.force_login(editor)
    migraine = Article.objects.get(title="Migraine")
    shown = client.post(
        "/wiki/Migraine/edit",
        {
            "text": migraine.source.replace("A checked line.", "A line checked twice."),
            "base_revision": migraine.latest_revision_id,
            "show_changes": "1",
        },
    )
    (tmp_path / "show-changes.html").write_bytes(shown.content)
    pages["show-changes.html"] = "/wiki/Migraine/edit (Show changes)"

    messages = run_vnu(tmp_path)

    def line(m):
        page = Path(m.get("url", "")).name
        where = f"{pages.get(page, page)}:{m.get('lastLine', '?')}"
        return f"{where}: {m.get('message')}\n    {m.get('extract', '').strip()[:160]}"

    warnings = [line(m) for m in messages if m["type"] == "info"]
    errors = [line(m) for m in messages if m["type"] != "info"]
    if warnings:
        print("vnu warnings:\n" + "\n".join(warnings))
    assert not errors, f"{len(errors)} HTML error(s):\n" + "\n".join(errors)
    assert len(pages) == len(public) + len(signed_in) + len(ADMIN_TOOLS) + 1
