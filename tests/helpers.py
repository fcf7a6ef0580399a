"""Helpers the tests share: signed-in sessions, what a browser submits from a form, the log
as a reader reads it, and a browser tab that checks every page it lands on."""

from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils.html import strip_tags
from lxml import html as lxml_html

SHOTS = Path(__file__).resolve().parent.parent / "test-results"


def session_for(user) -> str:
    """A signed-in session for `user`, as the sign-in form would leave it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


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
