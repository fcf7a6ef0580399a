"""Helpers the tests share: signed-in sessions, what a browser submits from a form, the log
as a reader reads it, a browser tab that checks every page it lands on, Markdown samples,
`manage.py` in a process of its own, and a count of the work a function does.

A test file imports what it shares from here (or from conftest), never from another test file:
each test file can then change, move or be run alone without breaking another.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse, urlsplit

import axe_playwright_python
import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils.html import strip_tags
from django.utils.translation import trans_real as translation_trans_real
from lxml import html as lxml_html

from wiki.languages import language_codes

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "test-results"
# Real MediaWiki exports beside the project (not part of it): optional, but CI has them.
SAMPLES = ROOT.parent / "shared" / "mediawiki-samples"


# A captcha answer under the `captcha_test_mode` fixture (any key, the word "PASSED").
CAPTCHA_PASSED = {"captcha_0": "test-mode", "captcha_1": "PASSED"}


def captcha_shown(html: str, field: str = "captcha") -> tuple[str, str]:
    """(key, characters) of the captcha a page shows: the key from its hidden field, the
    characters the server drew into the picture from its own record of the challenge (what a
    person reads off the picture; no test mode)."""
    from captcha.models import CaptchaStore

    key = re.search(rf'name="{field}_0" value="([^"]+)"', html).group(1)
    return key, CaptchaStore.objects.get(hashkey=key).response


def mwclient_site(live_server, user=None, password=None):
    """mwclient, unchanged, against the live server's /api.php (signed in when given one)."""
    import mwclient

    site = mwclient.Site(urlsplit(live_server.url).netloc, path="/", scheme="http", max_retries=0)
    if user:
        site.login(user, password)
    return site


def sample_exports() -> list[Path]:
    """The real MediaWiki exports (SAMPLES/xml/*.xml); none where they are absent, which fails
    the test file instead when ENCYCLOPEDIA_REQUIRE_SAMPLES=1 (CI)."""
    files = sorted((SAMPLES / "xml").glob("*.xml"))
    if not files and os.environ.get("ENCYCLOPEDIA_REQUIRE_SAMPLES") == "1":
        pytest.fail(
            f"ENCYCLOPEDIA_REQUIRE_SAMPLES=1 but no samples at {SAMPLES / 'xml'}", pytrace=False
        )
    return files


def session_for(user) -> str:
    """A signed-in session for `user`, as the sign-in form would leave it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def signed_in_context(browser, live_server, user, **options):
    """A browser context (`options`: its viewport, colour scheme…) signed in as `user`."""
    context = browser.new_context(**options)
    context.add_cookies([{"name": "sessionid", "value": session_for(user), "url": live_server.url}])
    return context


def form_as_submitted(page: str, *, form: str = "//form[@method='post'][.//textarea]") -> dict:
    """The fields a browser sends when the form is submitted as rendered: named inputs
    (checked boxes and radios only), each textarea with the newline after its start tag
    dropped and its line endings made CRLF (the HTML standard's form-data rules), and each
    select's selected options (the first option when none is). `form` is an XPath; by
    default the first posted form with a text box (the page's header has others)."""
    [form] = lxml_html.fromstring(page).xpath(form)[:1]
    data: dict[str, list[str]] = {}

    def add(name, value):
        data.setdefault(name, []).append(value)

    for field in form.xpath(".//input[@name]|.//textarea[@name]|.//select[@name]"):
        if field.get("disabled") is not None:
            continue
        name = field.get("name")
        if field.tag == "textarea":
            text = field.text or ""
            if text.startswith("\n"):  # the newline after <textarea> is not part of the value
                text = text[1:]
            add(name, text.replace("\r\n", "\n").replace("\n", "\r\n"))
        elif field.tag == "select":
            options = field.xpath(".//option")
            chosen = [o for o in options if o.get("selected") is not None]
            if not chosen and options and field.get("multiple") is None:
                chosen = options[:1]
            for option in chosen:
                add(name, option.get("value", option.text_content()))
        else:
            kind = (field.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and field.get("checked") is None:
                continue
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            add(name, field.get("value", "on" if kind in ("checkbox", "radio") else ""))
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}


def change_form_data(client, article) -> dict:
    """What a browser sends back from the article's change form, as the admin rendered it."""
    response = client.get(f"/admin/wiki/article/{article.pk}/change/")
    assert response.status_code == 200
    return form_as_submitted(response.content.decode(), form="//form[@id='article_form']")


def log_text(client, path: str) -> str:
    """The /log page as a reader reads it (links as their text)."""
    return strip_tags(client.get(path).content.decode())


class Reader:
    """One browser tab, recording console errors and checking each page it lands on."""

    def __init__(self, page, base_url: str, name: str):
        self.page, self.base_url, self.name = page, base_url, name
        self.errors: list[str] = []
        self.allowed_404s: set[str] = set()
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("console", self._console)

    def _console(self, message):
        if message.type != "error":
            return
        location = urlparse(message.location.get("url", "")).path
        if "404" in message.text and location in self.allowed_404s:
            return
        self.errors.append(f"console: {message.text} ({message.location.get('url')})")

    def shot(self, step: str):
        SHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=SHOTS / f"journey-{self.name}-{step}.png", full_page=True)

    def check_page(self, step: str):
        page = self.page
        assert page.locator("h1").count() == 1, f"{step}: one H1"
        for landmark in [
            "body > header",
            "main#content",
            "body > footer",
            "nav.portal-nav",
            "form[role=search]",
        ]:
            assert page.locator(landmark).count() >= 1, f"{step}: {landmark}"
        assert page.locator("img:not([alt])").count() == 0, f"{step}: images without alt"
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{step}: page is {overflow}px wider than the screen"
        self.shot(step)


def api_php_edit(client, title: str, text: str):
    """An edit through /api.php as a bot makes it: a CSRF token from `meta=tokens`, then the
    edit; the response (MediaWiki answers 200 with an error's code in its JSON)."""
    token = client.get("/api.php", {"action": "query", "meta": "tokens", "format": "json"})
    return client.post(
        "/api.php",
        {
            "action": "edit",
            "title": title,
            "text": text,
            "token": token.json()["query"]["tokens"]["csrftoken"],
            "format": "json",
        },
    )


# Markdown the renderer must treat as Python-Markdown does (test_rendering, test_rendering_bounds).
INLINE_SAMPLES = [
    "Plain words with no markup at all.",
    "a  \nhard break, *em*, _em_, **strong**, __strong__, ***both***, snake_case_name",
    "`code *not em*` and ``double `tick` code`` and \\*escaped\\* and a \\[not link]",
    "[link](https://example.org 'T'), [ref][r], [r], ![img](x.png), ![ref img][r], ![r]\n\n"
    "[r]: https://example.org/r",
    "<https://example.org/auto>, <someone@example.org>, <span>inline html</span>, a < b > c",
    "&amp; &copy; &#169; &#xA9; & lone ampersand",
    "[[Gout]] and [[Gout|the *gout* page]] and [[Gout#Causes]] beside [x] and [^n]\n\n"
    "[^n]: A note with [[Rickets]] and **bold**.",
    "*[WHO]: World Health Organization\n\nThe WHO says *so*.",
    "Term\n: Definition with `code` and _em_.",
    "| a | b |\n|---|---|\n| [[Gout]] | **x** |\n| `|` | <b>y</b> |",
    "- item *one*\n- item [[Two]]\n\n1. first\n2. second  \n   continued",
    "> quote with *em* and [link](http://x.y)\n\n    code block *not em*",
]


BLOCK_SAMPLES = [
    "Title\n=====\n\nSub\n---\n\nText\nmore text\n---\n\n* * *\n\n- - -\n\n___",
    "Para\n- not a list after a paragraph line\n\n- a list\n- tight\n\n- loose\n\n  indented"
    " paragraph\n\nAfter the list.",
    "1. one\n2. two\n\n    three as code?\n\n3) paren\n\nNumbers 1. in a line\n2. here",
    "* a\n    * nested\n        deep\n\n    Lazy continuation\nof an item",
    "Term\n: definition\n\nTerm two\n\n: loose definition\n\n    indented more",
    "Text[^a] more[^b].\n\n[^a]: First.\n\n    Second paragraph of the note.\n\n[^b]: Other."
    "\nNot indented continuation",
    "*[ABBR]: An abbreviation\nABBR in a paragraph.\n\n[ref]: https://example.org\nWords [ref].",
    "> Quote\nlazy line\n\n> > nested\n\nAfter > not a quote\n>Quote without space",
    "    code block\n\ttab code\n\nText\n\n```\nfenced *code*\n```\n\n~~~python\nx = 1\n~~~",
    "<div>\nraw *html* block\n</div>\n\nText <b>inline</b>\n<p>html line</p>\nText",
    "a | b\n--- | ---\n1 | 2\n\n|x|\n|-|\n|y|\n\nPipes | in text\nbut no table",
    "Écho, ça, Ωmega, 東京 start lines\nÜber the next line\n\n# Heading #\nText\n## Two",
    "Lines ending in two spaces  \nbreak here\nand\tcontain\ttabs\n\n\n\nMany blank lines",
    "#hashtag at a line start\nText #not heading\n\n:colon start\nText\n\n[x] box\nText",
    "Text\n    indented line inside a paragraph\n\n - one space list\n\n   * three",
]


def demo_articles() -> list[Path]:
    """The demo's Markdown articles (demo/)."""
    return sorted(ROOT.glob("demo/**/*.md"))


# `manage.py` with production settings (test_settings, test_accounts).
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-test-secret-key-for-the-deploy-check-0123456789abcdef",
    "ALLOWED_HOSTS": "wiki.example.org",
}


def manage(*args, env=None, timeout=120):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def confirm(client, url, summary=None):
    """Open a revert or undo's confirmation page and press Save (with its summary, or
    another), as an editor does; the response after the save, followed."""
    page = client.get(url)
    assert page.status_code == 200, page.content.decode()
    form = page.context["form"]
    fields = {"base": form.initial["base"], "summary": form.initial["summary"]}
    if summary is not None:
        fields["summary"] = summary
    return client.post(url, fields, follow=True)


def regex_passes_and_calls(function, *args):
    """How many times the module of `function` runs a regular expression (over the page:
    scans made elsewhere, such as Django's URL reversing, are left out), and how many
    function calls it makes in all (Python and C): measures of work that no load changes."""
    passes = calls = 0
    scans = {"sub", "subn", "search", "match", "fullmatch", "finditer", "findall", "split"}
    module = function.__code__.co_filename

    def count(frame, event, arg):
        nonlocal passes, calls
        if event in ("call", "c_call"):
            calls += 1
        if event == "c_call" and isinstance(getattr(arg, "__self__", None), re.Pattern):
            passes += arg.__name__ in scans and frame.f_code.co_filename == module
        elif event == "call" and frame.f_code.co_filename == re.__file__:  # re.sub(…) and co.
            caller = frame.f_back
            passes += frame.f_code.co_name in scans and caller.f_code.co_filename == module

    sys.setprofile(count)
    try:
        function(*args)
    finally:
        sys.setprofile(None)
    return passes, calls


# An article with an infobox, a footnote and links, for excerpts (test_excerpts, the browser).
GLIMMER_FEVER = """\
::: infobox medical condition
Name: Glimmer fever
Specialty: [[Infectious disease]]
Symptoms: Shivering, glowing rash, tiredness
Treatment: Fluids and rest
:::

**Glimmer fever** is an invented illness in which a faint rash glows after sunset, used here \
to test excerpts.[^1] Most people recover within a week.

## Course

The rash fades by the fifth day.

## See also

* [[Fever]]
* [[Rash]]

[^1]: A made-up source.
"""


def shown_page(response) -> str:
    """A page's HTML without its scripts' tags: their data- attributes carry words in the
    page's language for the scripts (a badge's wording, say), not text a reader sees."""
    return re.sub(r"<script\b[^>]*\bsrc=[^>]*>\s*</script>", "", response.content.decode())


def json_ld(html: str) -> dict:
    """The page's one JSON-LD block, parsed."""
    blocks = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


# axe-core as the axe-playwright-python package ships it, and the run every browser check makes.
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
RUN_AXE = """async () => {
  // WCAG 2.2 A and AA, and axe's best practices; target-size (2.5.8) is off by default.
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    rules: {"target-size": {enabled: true}},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary}`),
    count: v.nodes.length,
  }));
}"""


# pywikibot as a bot owner sets it up: a family file for this site and a user-config naming
# the account and its password file (each line a tuple; a bot password as
# BotPassword('appname', 'password')).
PYWIKIBOT_FAMILY = """\
from pywikibot import family


class Family(family.Family):
    name = "encyclopedia"
    langs = {langs!r}

    def scriptpath(self, code):
        return "" if code == {default!r} else "/" + code

    def protocol(self, code):
        return "http"
"""
PYWIKIBOT_USER_CONFIG = """\
family = "encyclopedia"
mylang = "en"
family_files["encyclopedia"] = {family!r}
usernames["encyclopedia"]["en"] = {username!r}
password_file = {passwords!r}
put_throttle = 0
minthrottle = 0
maxthrottle = 0
max_retries = 0
"""


def pywikibot_folder(folder: Path, netloc: str, username: str, password_line: str) -> Path:
    """A PYWIKIBOT_DIR for the server at `netloc`, signing in as `username`."""
    family = folder / "encyclopedia_family.py"
    default, *others = language_codes()  # each language's /api.php under its own prefix
    langs = {code: netloc for code in [default, *others]}
    family.write_text(PYWIKIBOT_FAMILY.format(langs=langs, default=default))
    passwords = folder / "passwords"
    passwords.write_text(password_line + "\n")
    passwords.chmod(0o600)
    (folder / "user-config.py").write_text(
        PYWIKIBOT_USER_CONFIG.format(
            family=str(family), username=username, passwords=str(passwords)
        )
    )
    return folder


# A documented template (tests/test_templates.py, the APIs' and the edit door's tests).
HATNOTE = """For {{{other|other uses}}}, see [[{{{page}}}]].

```templatedata
{
  "description": "A line at the top of an article pointing to a page of a similar name.",
  "params": {
    "page": {"label": "Page", "type": "wiki-page-name", "required": true,
             "description": "The page to point to", "example": "Asthma (disambiguation)"},
    "other": {"label": "Other uses", "type": "string", "default": "other uses",
              "description": "What the other page is about"}
  }
}
```
"""


def sitemap_text(client, section: str = "articles") -> str:
    """Every file of one sitemap section, as the index lists them, joined: a section is split
    by id (encyclopedia/sitemaps.py), so a test's articles may sit in more than one file."""
    index = client.get("/sitemap.xml").content.decode()
    files = re.findall(rf"<loc>https?://[^/<]+(/sitemap-{section}\.xml[^<]*)</loc>", index)
    return "".join(client.get(path.replace("&amp;", "&")).content.decode() for path in files)


def type_at_section_end(page, url: str, typed: str, summary: str) -> None:
    """In a browser: open a section's edit form at `url`, switch to the source editor if the
    visual one opened, type `typed` at the end of the text and `summary` as a person does,
    then press Save changes."""
    page.goto(url)
    text = page.locator("textarea.markdownx-editor")
    if not text.is_visible():
        page.get_by_role("button", name="Source", exact=True).click()
    text.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(typed)
    page.get_by_label("Summary").type(summary)
    page.get_by_role("button", name="Save changes").click()


def compiled_catalogues():
    """The interface's .mo files `make` builds (gitignored), built here too when missing or older
    than their .po (tests/test_interface_languages.py, tests/test_browser_arabic.py)."""
    for lang in ["es", "ar"]:
        po = ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check", "-o", str(mo), str(po)], check=True)
    translation_trans_real._translations = {}  # forget catalogues read before they were built
    translation_trans_real._default = None
