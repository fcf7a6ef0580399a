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
from django.core.management import call_command

from tests.conftest import save
from wiki.api.models import ApiToken
from wiki.models import Article, Contributor, Revision

VNU_JAR = Path(
    os.environ.get("VNU_JAR")
    or settings.BASE_DIR / ".tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)


def every_kind_of_page(editor):
    """Paths of the public pages and of the pages an editor sees, on the demo content."""
    call_command("load_demo", stdout=open(os.devnull, "w"))
    article = Article.objects.get(title="Migraine")
    save(article, editor, article.source.replace("\n## ", "\nA checked line.\n\n## ", 1))
    revision = Revision.objects.filter(article=article).order_by("-pk").first()
    diff = f"/wiki/Migraine/diff?from={revision.parent_id}&to={revision.pk}"
    contributor = Contributor.objects.order_by("name").first().name.replace(" ", "_")
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
        "cite": "/wiki/Migraine/cite",
    }
    ApiToken.issue(user=editor, name="reference bot")  # the profile lists it
    signed_in = {
        "editor": "/wiki/Migraine/edit",
        "section-editor": "/wiki/Migraine/edit?section=1",
        "create-form": "/wiki/A_new_article/edit",
        "history-as-editor": "/wiki/Migraine/history",
        "profile": "/accounts/profile",
    }
    return public, signed_in


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
def test_every_kind_of_page_is_valid_html(client, editor, tmp_path):
    public, signed_in = every_kind_of_page(editor)
    pages = {}
    for group, paths in [("", public), ("signed-in-", signed_in)]:
        if group:
            client.force_login(editor)
        for name, path in paths.items():
            response = client.get(path)
            assert response.status_code in (200, 404), (path, response.status_code)
            assert response["Content-Type"].startswith("text/html"), path
            file = tmp_path / f"{group}{name}.html"
            file.write_bytes(response.content)
            pages[file.name] = path

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
    assert len(pages) == len(public) + len(signed_in)
