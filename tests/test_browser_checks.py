"""The reviewers' checks in a real browser, on every kind of page at 1280 and 375 px wide, in
the light and the dark theme: axe-core finds no accessibility violation (colour contrast
included), and the Content-Security-Policy is sent and blocks nothing the site itself needs (no
violation reported in the console or as an event).

axe-core comes from the pinned PyPI package axe-playwright-python, which ships axe.min.js; we
only read that file and evaluate it in the page (a DevTools evaluation, which the page's CSP
does not govern), so no third-party code is committed here.
"""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import expect

from tests.conftest import editorial_traces, editors_group, make_media, save, talk_traces
from tests.helpers import AXE_SOURCE, RUN_AXE, session_for
from wiki.api.models import ApiToken
from wiki.models import Article, Contributor, Revision
from wiki.permissions import REVIEWERS_GROUP, ensure_groups
from wiki.reports.services import ReportDraft, report_file
from wiki.review.services import mark_reviewed

WIDTHS = {1280: {"width": 1280, "height": 800}, 375: {"width": 375, "height": 740}}

# Collects CSP violations from the document before any page script runs.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || document.location.pathname}:${e.lineNumber}`);
});
"""
PREVIEWS_FILLED = """() => [...document.querySelectorAll(".markdownx")].every(
  (box) => !box.querySelector("textarea").value || box.querySelector(".markdownx-preview").children.length
)"""
SEARCH_NAMES = """(forms) => forms.map((f) => f.getAttribute("aria-label")
  || (f.getAttribute("aria-labelledby") || "").split(" ").map((id) => document.getElementById(id)?.textContent).join(" ").trim())"""
NONCES = "(scripts) => scripts.map((s) => s.nonce)"


def site_with_every_kind_of_page():
    """The demo content plus a second revision, so history has something to compare."""
    call_command("load_demo", stdout=open("/dev/null", "w"))
    editor = User.objects.create_user("checker", password="a-long-test-password")
    editor.groups.add(editors_group())
    article = Article.objects.get(title="Migraine")
    reviewed = Revision.objects.get(pk=article.latest_revision_id)
    save(
        article,
        editor,
        article.source.replace("\n## ", "\nA reviewed sentence.\n\n## ", 1),
        summary="A reviewed sentence",
    )
    # The checker reviews too: the badge, "1 edit since the last review", the review queue.
    ensure_groups()
    editor.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    mark_reviewed(revision=reviewed, user=User.objects.get(pk=editor.pk))
    make_media(editor)
    vitamin = Article.objects.get(title="Vitamin D")
    save(vitamin, editor, "[[File:Chest scan.png|thumb|right|A scan]]\n\n" + vitamin.source)
    revision = Revision.objects.filter(article=article).order_by("-pk").first()
    talk_traces(editor)
    report = report_file(
        article=article,
        draft=ReportDraft(
            section="", kind="unclear", text="Hard to follow.", email="r@example.org"
        ),
        user=None,
        address="",
    )
    contributor = Contributor.objects.order_by("name").first()
    public = {
        "home": "/",
        "article": "/wiki/Vitamin_D",
        "article with TOC": "/wiki/Migraine",
        "history": "/wiki/Migraine/history",
        "diff": f"/wiki/Migraine/diff?from={revision.parent_id}&to={revision.pk}",
        "revision": f"/wiki/Migraine/revision/{revision.parent_id}",
        "search results": "/search?q=sleep",
        "recent changes": "/recent-changes",
        "category": "/category/Disease_Index",
        "portal": "/portal/disease-index",
        "A–Z index": "/index/M",
        "contributor": f"/contributor/{contributor.name.replace(' ', '_')}",
        "site page": "/disclaimer",
        "login": "/accounts/login/",
        "not found": "/no-such-page",
        "what links here": "/wiki/Migraine/links",
        "page information": "/wiki/Migraine/info",
        "cite this page": "/wiki/Migraine/cite",
        "drug with infobox": "/wiki/Paracetamol",
        "how we review": "/how-we-review",
        "media page": "/wiki/File:Chest_scan.png",
        "media history": "/wiki/File:Chest_scan.png/history",
        "log": "/log",
        "redirects to fix": "/redirects",
        "redirected from": "/wiki/Migraine?redirectedfrom=Old_migraine",
        "deleted page": "/wiki/Old_rumour",
        "talk page": "/wiki/Talk:Vitamin_D",
        "empty talk page": "/wiki/Talk:Migraine",
        "register": "/accounts/register",
        "password reset": "/accounts/password_reset/",
        "report form": "/wiki/Migraine/report",
    }
    ApiToken.issue(user=editor, name="reference bot")
    signed_in = {
        "editor": "/wiki/Migraine/edit",
        "create form": "/wiki/A_new_article/edit",
        "review queue": "/review-queue",
        "retracted and corrected sources": "/review-queue/sources",
        "upload form": "/upload",
        "media edit": "/wiki/File:Chest_scan.png/edit",
        "history as reviewer": "/wiki/Migraine/history",
        "diff as reviewer": f"/wiki/Migraine/diff?from={reviewed.pk}&to={revision.pk}",
        "move": "/wiki/Migraine/move",
        "recent changes as editor": "/recent-changes",
        "profile with API tokens": "/accounts/profile",
        "talk page as editor": "/wiki/Talk:Vitamin_D",
        "watchlist": "/watchlist",
        "edit watchlist": "/watchlist/edit",
        "preferences": "/accounts/preferences",
        "undo confirmation": f"/wiki/Migraine/undo/{revision.pk}",
        "revert confirmation": f"/wiki/Migraine/revert/{revision.parent_id}",
        "reader reports": "/reports",
        "reader report": f"/reports/{report.pk}",
    }
    admin_pages = {
        "admin change page": f"/admin/wiki/article/{article.pk}/change/",
        "admin add page": "/admin/wiki/article/add/",
    }
    editorial_traces(editor)
    return editor, public, signed_in, admin_pages


# The administrators' tools on the site: ours, so axe checks them too.
ADMIN_TOOLS = {
    "delete": "/wiki/Migraine/delete",
    "protect": "/wiki/Migraine/protect",
    "undelete": "/wiki/Old_rumour/undelete",
    "block": "/block/checker",
}


class Checker:
    """One browser tab; for each page: its CSP header, CSP violations and axe's findings."""

    def __init__(self, context, base_url):
        self.base_url = base_url
        self.page = context.new_page()
        self.console: list[str] = []
        self.page.on("console", self._console)
        self.problems: dict[str, list[str]] = {}

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def visit(self, name, path, *, axe=True):
        self.console.clear()
        response = self.page.goto(self.base_url + path)
        # The editors' live previews fill in after the page loads: check them filled in.
        self.page.wait_for_function(PREVIEWS_FILLED)
        found = []
        policy = response.headers.get("content-security-policy", "")
        if "script-src" not in policy and "default-src" not in policy:
            found.append(f"no Content-Security-Policy header (got {policy!r})")
        elif "unsafe-inline" in policy.split("script-src", 1)[-1].split(";")[0]:
            found.append(f"the policy allows inline script: {policy}")
        # Inline <script> (here only the JSON-LD data) must carry the nonce the header names.
        for nonce in self.page.locator("script:not([src])").evaluate_all(NONCES):
            if not nonce or f"'nonce-{nonce}'" not in policy:
                found.append(f"inline script without this response's nonce ({nonce!r})")
        events = self.page.evaluate("window.__cspViolations || []")
        found += [f"CSP violation: {text}" for text in events + self.console]
        # axe only counts a <form role=search> with a name as a landmark: check the names here.
        names = self.page.locator("[role=search], search").evaluate_all(SEARCH_NAMES)
        if len(names) > 1 and (len(set(names)) < len(names) or "" in names):
            found.append(f"search landmarks without distinct labels: {names}")
        if axe:
            self.page.evaluate(AXE_SOURCE)
            for v in self.page.evaluate(RUN_AXE):
                found.append(f"axe {v['id']} ({v['impact']}): {v['help']}, {v['count']} node(s)")
                found += [f"    {node}" for node in v["nodes"]]
        if found:
            self.problems[f"{name} ({path})"] = found

    def report(self) -> str:
        return "\n".join(
            f"{page}:\n" + "\n".join(f"  {line}" for line in lines)
            for page, lines in self.problems.items()
        )


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_page_passes_axe_and_the_content_security_policy(
    browser, live_server, transactional_db, width, theme, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.REGISTRATION_OPEN = True
    editor, public, signed_in, admin_pages = site_with_every_kind_of_page()
    context = browser.new_context(viewport=WIDTHS[width])
    context.add_init_script(WATCH_CSP)
    # The reader's colour theme as the header's switch stores it (static/js/theme.js).
    context.add_init_script(f"localStorage.setItem('theme', '{theme}')")
    try:
        checker = Checker(context, live_server.url)
        for name, path in public.items():
            checker.visit(name, path)
        context.add_cookies(
            [{"name": "sessionid", "value": session_for(editor), "url": live_server.url}]
        )
        for name, path in signed_in.items():
            checker.visit(name, path)
        # The admin is not ours to restyle, but it must work under the policy.
        admin = User.objects.create_superuser("root", password="a-long-test-password")
        context.add_cookies(
            [{"name": "sessionid", "value": session_for(admin), "url": live_server.url}]
        )
        for name, path in ADMIN_TOOLS.items():
            checker.visit(name, path)
        if width == 1280:
            for name, path in admin_pages.items():
                checker.visit(name, path, axe=False)
            # The API's documentation page is Swagger UI's, not ours: it must work under the
            # policy and show the operations.
            checker.visit("API documentation", "/api/v1/docs", axe=False)
            expect(checker.page.get_by_text("List articles").first).to_be_visible()
        assert not checker.problems, "\n" + checker.report()
    finally:
        context.close()


def test_a_cached_article_page_keeps_the_nonce_its_policy_names(client, make_article):
    make_article()
    pages = [client.get("/wiki/Sample_condition") for _ in range(2)]
    assert [page["X-Page-Cache"] for page in pages] == ["miss", "hit"]
    for page in pages:
        policy = page["Content-Security-Policy"]
        nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
        assert f'<script type="application/ld+json" nonce="{nonce}">' in page.content.decode()
        assert "unsafe-inline" not in policy and "script-src 'self'" in policy
