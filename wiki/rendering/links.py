"""Wiki links: `[[Title]]`, `[[File:…]]` and `[[Category:…]]` links, redirects, red links."""

import functools
import re
import xml.etree.ElementTree as etree
from html import unescape as html_unescape
from urllib.parse import quote, unquote

from django.urls import reverse
from django.utils.html import escape
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor

from ..languages import around_slug, quoted
from ..titles import InvalidTitle, title_to_slug, validate_title

WIKILINK = r"\[\[([^\[\]\|\n]+?)(?:\|([^\[\]\n]+?))?\]\]"


def article_path(slug: str) -> str:
    """`reverse("wiki:article", args=[slug])` for a valid title's slug, without a `reverse`
    per link (a tenth of a render's time went there): the article's path around the slug,
    quoted as `reverse` quotes it."""
    start, end, _, _ = link_paths()
    return start + quoted(slug) + end


def media_slug(name: str) -> str:
    """A media file's name as its page's URL has it: spaces as underscores, first letter up."""
    name = " ".join(name.replace("_", " ").split())
    return (name[:1].upper() + name[1:]).replace(" ", "_")


@functools.lru_cache(maxsize=20_000)  # link targets repeat within and across articles
def _target_slug(title: str) -> str | None:
    """The slug a link to `title` points at; None for a title no page can have."""
    try:
        return title_to_slug(validate_title(title))
    except InvalidTitle:
        return None


class WikiLinkProcessor(InlineProcessor):
    """[[Title]] and [[Title|label]] become internal links; targets are collected."""

    def handleMatch(self, m, data):
        target, label = m.group(1).strip(), (m.group(2) or "").strip()
        # A leading ":" says "link, do not file or embed" (MediaWiki's `[[:Category:X]]`).
        linked_only = target.startswith(":")
        target = target.removeprefix(":").strip()
        namespace, colon, name = target.partition(":")
        namespace = namespace.strip().lower() if colon else ""
        if namespace == "category":
            link = self.category_link(name, label or target)
            return (link, m.start(0), m.end(0)) if link is not None else (None, None, None)
        if linked_only and namespace in ("file", "image") and name.strip():
            el = etree.Element("a")
            el.set("href", article_path("File:" + media_slug(name)))
            el.text = label or target
            return el, m.start(0), m.end(0)
        title, _, anchor = target.partition("#")
        slug = _target_slug(title)
        if slug is None:
            return None, None, None
        self.md.wikilinks.add(slug)
        el = etree.Element("a")
        el.set("class", "wikilink")
        start, end = self.md.article_paths  # the render's language's (`_markdown`)
        href = start + quoted(slug) + end
        if anchor:
            href += "#" + quote(anchor.strip().replace(" ", "_"))
        el.set("href", href)
        el.text = label or target
        return el, m.start(0), m.end(0)

    def category_link(self, name: str, text: str):
        """`[[Category:X]]` and `[[:Category:X]]`, wherever they stand: a link to the category
        page (categories are an article's own field here, not links in its text)."""
        name = " ".join(name.partition("#")[0].replace("_", " ").split())
        if not name:
            return None
        el = etree.Element("a")
        el.set("class", "wikilink")
        el.set(
            "href", reverse("wiki:category", args=[(name[:1].upper() + name[1:]).replace(" ", "_")])
        )
        el.text = text
        return el


REDIRECT_LINE = re.compile(r"^[ \t]*#REDIRECT[ \t]*:?[ \t]*(\[\[[^\[\]\n]+\]\])", re.IGNORECASE)


class RedirectLine(Preprocessor):
    """A source that starts `#REDIRECT [[Title]]` (MediaWiki's redirect, as imported) reads
    "Redirect to Title", linked, where it is shown (`?redirect=no`, an old revision), instead
    of becoming a heading."""

    def run(self, lines):
        for i, line in enumerate(lines):
            if line.strip():
                if match := REDIRECT_LINE.match(line):
                    lines[i] = f"↪ Redirect to {match.group(1)}{line[match.end() :]}"
                break
        return lines


# A wiki link as `WikiLinkProcessor` writes it, after sanitizing: its path, then any fragment.
WIKILINK_HREF = re.compile(r'<a class="wikilink" href="([^"#<>]*)(?:#[^"<>]*)?"')


def link_paths() -> tuple[str, str, str, str]:
    """Where the slug sits in an article's path and in its edit form's path, in the active
    language (an article's links carry its language's prefix: the write path renders within
    the article's language): both quote it the same way (`quoted`), so one is made from the
    other without a `reverse` per link."""
    return (*around_slug("wiki:article"), *around_slug("wiki:edit"))


def mark_red_links(html: str, missing_slugs: set[str]) -> str:
    """Turn links to articles that do not exist into red links to the create form: one pass
    over the HTML, a set lookup per link (`bench/red_links.py`)."""
    if not missing_slugs or 'class="wikilink"' not in html:
        return html
    start, end, edit_start, edit_end = link_paths()

    def mark(m):
        path = m.group(1)
        if not (path.startswith(start) and path.endswith(end)):
            return m.group(0)
        in_path = path[len(start) : len(path) - len(end)]
        slug = unquote(html_unescape(in_path))
        if slug not in missing_slugs:
            return m.group(0)
        return (
            f'<a class="wikilink new" href="{edit_start}{in_path}{edit_end}" '
            f'title="{escape(slug.replace("_", " "))} (page does not exist)"'
        )

    return WIKILINK_HREF.sub(mark, html)
