"""Markdown to sanitized HTML, the only way content becomes HTML.

`render_markdown` serves the live preview (django-markdownx calls it); `render_article`
renders a whole article once per revision and splits the result per section, so the page,
the preview and every stored revision come from the same code.
"""

import functools
import re
import secrets
import threading
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from html import unescape as html_unescape
from urllib.parse import quote

import markdown
import nh3
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape
from markdown.blockprocessors import ParagraphProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import InlineProcessor as InlinePass
from markdown.util import AtomicString

from .sources import SourceSection
from .titles import InvalidTitle, title_to_slug, validate_title

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "var",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},  # rel is ours alone (`content_rules`)
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style", "scope"},
    "ol": {"start"},
    "li": {"id"},
    "sup": {"id"},
    "code": {"class"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
}
ALLOWED_CLASSES = {  # "new" (red links) and "external" are added after sanitizing, not taken
    "a": {"wikilink", "footnote-ref", "footnote-backref"},
    "div": {"footnote"},
}
INLINE_TAGS = {
    "a",
    "abbr",
    "b",
    "code",
    "del",
    "em",
    "i",
    "ins",
    "kbd",
    "mark",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "u",
    "var",
}

WIKILINK = r"\[\[([^\[\]\|\n]+?)(?:\|([^\[\]\n]+?))?\]\]"
SECTION_MARK = re.compile(r"<p>(wikisectionmark[0-9a-f]{12}x)(\d+)</p>")
FOOTNOTES_AT_END = re.compile(r'\s*<div class="footnote">.*</div>\s*$', re.DOTALL)


def article_path(slug: str) -> str:
    return _article_path(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), slug)


@functools.lru_cache(maxsize=20_000)
def _article_path(urlconf: str, prefix: str, slug: str) -> str:
    """`reverse` costs 0.1 ms, a tenth of rendering an article's links; the same page is
    linked from many articles. The key holds everything the answer depends on."""
    return reverse("wiki:article", args=[slug], urlconf=urlconf)


def sanitize(html: str, *, tags=ALLOWED_TAGS) -> str:
    html = nh3.clean(
        html,
        tags=tags,
        attributes={t: a for t, a in ALLOWED_ATTRIBUTES.items() if t in tags},
        allowed_classes={t: c for t, c in ALLOWED_CLASSES.items() if t in tags},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        filter_style_properties={"text-align"},
        strip_comments=True,
    )
    return content_rules(html)


EXTERNAL_REL = "nofollow ugc noopener"
USER_ID_PREFIX = "user-content-"
MAX_IMAGE_SIDE = 2000  # px; a larger width or height is dropped (the image keeps its own)
# A start tag as nh3 writes it: every value double-quoted, `"` inside one escaped, so a `>`
# can only end the tag outside quotes.
CONTENT_TAG = re.compile(r'<(a|img|li|sup|code|div|h[1-6])\s((?:[^>"]|"[^"]*")*)>')
TAG_ATTRIBUTE = re.compile(r'([a-z][a-z0-9-]*)="([^"]*)"')
ID_VALUE = re.compile(r'\sid="([^"]*)"')
CODE_LANGUAGE = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")


def _external(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


def content_rules(html: str) -> str:
    """The rules for links, ids, classes and images of content, the same for Markdown and for
    raw HTML (sanitized HTML goes in): links to other sites get `rel="nofollow ugc noopener"`
    and the external class, whatever rel the author wrote; ids get a prefix (with the
    fragment links pointing at them, footnotes included), so content cannot take the page's
    own ids (`content`, `search-q`) or clobber DOM globals; remote images become links unless
    WIKI_ALLOW_REMOTE_IMAGES (then https only); oversized width/height are dropped."""
    if "<" not in html:
        return html
    ids = set(ID_VALUE.findall(html))
    remote_images = settings.WIKI_ALLOW_REMOTE_IMAGES

    def rewrite(m):
        tag, attrs = m.group(1), dict(TAG_ATTRIBUTE.findall(m.group(2)))
        if "id" in attrs and not attrs["id"].startswith(USER_ID_PREFIX):
            attrs["id"] = USER_ID_PREFIX + attrs["id"]
        if tag == "a":
            href = attrs.get("href", "")
            if href.startswith("#") and href[1:] in ids:
                attrs["href"] = "#" + USER_ID_PREFIX + href[1:]
            if _external(href):
                attrs["class"] = "external"
                attrs["rel"] = EXTERNAL_REL
        elif tag == "img":
            src = attrs.get("src", "")
            if _external(src) and not (remote_images and src.startswith("https://")):
                return _image_link(attrs)
            for side in ("width", "height"):
                value = attrs.get(side)
                if value is not None and not (value.isdigit() and 0 < int(value) <= MAX_IMAGE_SIDE):
                    del attrs[side]
        elif tag == "code" and "class" in attrs:
            languages = [c for c in attrs["class"].split() if CODE_LANGUAGE.fullmatch(c)]
            if languages:
                attrs["class"] = languages[0]
            else:
                del attrs["class"]
        if attrs.get("class") == "":  # nh3 leaves the attribute when it removed every class
            del attrs["class"]
        written = "".join(f' {name}="{value}"' for name, value in attrs.items())
        return f"<{tag}{written}>"

    return CONTENT_TAG.sub(rewrite, html)


def _image_link(attrs: dict[str, str]) -> str:
    """A remote image, not loaded (a tracking pixel costs readers their privacy): a link."""
    label = attrs.get("alt") or attrs.get("title") or "image"
    return f'<a href="{attrs["src"]}" class="external" rel="{EXTERNAL_REL}">[{label}]</a>'


class WikiLinkProcessor(InlineProcessor):
    """[[Title]] and [[Title|label]] become internal links; targets are collected."""

    def handleMatch(self, m, data):
        target, label = m.group(1).strip(), (m.group(2) or "").strip()
        title, _, anchor = target.partition("#")
        try:
            title = validate_title(title)
        except InvalidTitle:
            return None, None, None
        slug = title_to_slug(title)
        self.md.wikilinks.add(slug)
        el = etree.Element("a")
        el.set("class", "wikilink")
        href = article_path(slug)
        if anchor:
            href += "#" + quote(anchor.strip().replace(" ", "_"))
        el.set("href", href)
        el.text = label or target
        return el, m.start(0), m.end(0)


# Text an inline pattern needs before it can match, by the pattern's registered name: a pattern
# whose every trigger is absent from a piece of text cannot match it and is not tried there.
INLINE_TRIGGERS = {
    "backtick": ("`",),
    "escape": ("\\",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_reference": ("[",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  \n",),
    "html": ("<", "&"),
    "entity": ("&",),
    "em_strong": ("*", "_"),
    "em_strong2": ("_",),
    "not_strong": ("*", "_"),
    "strong_em": ("*", "_"),
    "footnote": ("[^",),
    "wikilink": ("[[",),
}


# The same as (first character, the whole trigger or None when it is that one character).
_TRIGGER_TESTS = {
    name: tuple((t[0], t if len(t) > 1 else None) for t in triggers)
    for name, triggers in INLINE_TRIGGERS.items()
}


class TriggeredInlinePass(InlinePass):
    """Python-Markdown's inline pass, with the same result, that skips the patterns whose
    triggers (`INLINE_TRIGGERS`) are absent from the text. Trying each of the 16 patterns on
    every piece of text was a third of the rendering time; most text holds one or two
    triggers. Patterns of unknown names are always tried."""

    def run(self, tree, ancestors=None):
        patterns = tuple(self.inlinePatterns)
        if getattr(self, "planned_for", None) != patterns:  # made once per Markdown instance
            registry = self.inlinePatterns
            names = {registry.get_index_for_name(n): n for n in INLINE_TRIGGERS if n in registry}
            self.plan = [
                (pattern, _TRIGGER_TESTS.get(names.get(index)))
                for index, pattern in enumerate(patterns)
            ]
            self.planned_for = patterns
        return super().run(tree, ancestors)

    # Replaces the base class's private loop, which calls it by this (mangled) name; the
    # test comparing our HTML with the stock pass's catches a change of Markdown's internals.
    def _InlineProcessor__handleInline(self, data, patternIndex=0):
        if isinstance(data, AtomicString):
            return data
        apply = self._InlineProcessor__applyPattern
        chars = set(data)  # matches only remove triggers, so this stays a safe overestimate
        start = 0
        while patternIndex < len(self.plan):
            pattern, triggers = self.plan[patternIndex]
            if triggers is not None:
                for first, whole in triggers:
                    if first in chars and (whole is None or whole in data):
                        break
                else:
                    patternIndex += 1  # it cannot match: what trying it would have given
                    start = 0
                    continue
            data, matched, start = apply(pattern, data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


class PlainParagraphProcessor(ParagraphProcessor):
    """A block whose every line starts with a letter is a paragraph: each other block syntax
    needs a line that starts with a space, a digit or a mark (`#`, `>`, `-`, `*`, `|`, `:`,
    `[`, `=`...). Tried first, it spares such a block (most of an article) the tests of the
    other dozen block processors, a third of the rendering time; others go the usual way."""

    def test(self, parent, block):
        return all(line[:1].isalpha() for line in block.split("\n"))


class WikiExtension(markdown.Extension):
    def extendMarkdown(self, md):
        md.wikilinks = set()
        md.parser.blockprocessors.register(PlainParagraphProcessor(md.parser), "plain", 110)
        md.inlinePatterns.register(WikiLinkProcessor(WIKILINK, md), "wikilink", 175)
        md.treeprocessors.register(TriggeredInlinePass(md), "inline", 20)

    def reset(self):
        pass


def _new_markdown() -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=[
            "tables",
            "footnotes",
            "fenced_code",
            "sane_lists",
            "def_list",
            "abbr",
            WikiExtension(),
        ],
        output_format="html",
    )
    return md


_local = threading.local()


def _markdown() -> markdown.Markdown:
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = _new_markdown()
    md.reset()
    md.wikilinks = set()
    return md


def render_markdown(text: str) -> str:
    """Markdown -> sanitized HTML (the live preview and any stand-alone text)."""
    return render_with_links(text)[0]


def render_with_links(text: str) -> tuple[str, set[str]]:
    """Markdown -> (sanitized HTML, the slugs of the articles it links to)."""
    md = _markdown()
    return sanitize(md.convert(text or "")), set(md.wikilinks)


MARKDOWN_INLINE_SYNTAX = re.compile(r"[\\`*_\[\]<>&!~^=:]|  ")


def render_inline(text: str) -> tuple[str, set[str]]:
    """One line of Markdown (a heading) -> (sanitized inline HTML, the slugs it links to)."""
    if not MARKDOWN_INLINE_SYNTAX.search(text or ""):
        return escape(text or ""), set()
    md = _markdown()
    html = re.sub(r"^<p>(.*)</p>$", r"\1", md.convert(text or "").strip(), flags=re.DOTALL)
    return sanitize(html, tags=INLINE_TAGS), set(md.wikilinks)


def plain_text(html: str) -> str:
    return " ".join(nh3.clean(html, tags=set()).split())  # whitespace runs -> one space


@dataclass
class RenderedArticle:
    lead_html: str
    sections: list[tuple[str, str, str]]  # (heading_html, anchor, body_html)
    notes_html: str
    links: set[str] = field(default_factory=set)


def section_anchors(heading_htmls: list[str]) -> list[str]:
    """MediaWiki-style anchors: 'See also' -> 'See_also', repeated headings get _2, _3."""
    seen: dict[str, int] = {}
    anchors = []
    for heading_html in heading_htmls:
        base = re.sub(r"\s+", "_", html_unescape(plain_text(heading_html))) or "section"
        count = seen.get(base, 0) + 1
        seen[base] = count
        anchors.append(base if count == 1 else f"{base}_{count}")
    return anchors


def render_article(lead: str, sections: list[SourceSection]) -> RenderedArticle:
    """Render the article as one document (footnotes work across sections), then split it."""
    marker = f"wikisectionmark{secrets.token_hex(6)}x"  # SECTION_MARK finds it
    parts = [lead]
    for i, section in enumerate(sections, start=1):
        parts.append(f"\n\n{marker}{i}\n\n{section.body}")
    md = _markdown()
    html = sanitize(md.convert("".join(parts)))
    links = set(md.wikilinks)
    notes = ""
    found = FOOTNOTES_AT_END.search(html)
    if found:
        notes, html = found.group(0).strip(), html[: found.start()]
    chunks = SECTION_MARK.split(html)
    numbers = [(m, int(n)) for m, n in zip(chunks[1::3], chunks[2::3], strict=True)]
    if numbers == [(marker, n) for n in range(1, len(sections) + 1)]:
        bodies = [c.strip() for c in chunks[3::3]]
        lead_html = chunks[0].strip()
    else:  # a marker was swallowed (e.g. by an unclosed HTML block): render the parts apart
        parts = [render_with_links(text) for text in [lead] + [s.body for s in sections]]
        lead_html, bodies = parts[0][0], [html for html, _ in parts[1:]]
        links = set().union(*(found for _, found in parts))
    headings = []
    for section in sections:
        heading_html, found = render_inline(section.heading)
        headings.append(heading_html)
        links |= found
    anchors = section_anchors(headings)
    return RenderedArticle(
        lead_html=lead_html,
        sections=list(zip(headings, anchors, bodies, strict=True)),
        notes_html=notes,
        links=links,
    )


def mark_red_links(html: str, missing_slugs: set[str]) -> str:
    """Turn links to articles that do not exist into red links to the create form."""
    for slug in missing_slugs:
        path = article_path(slug)
        html = re.sub(
            rf'<a class="wikilink" href="{re.escape(path)}(?:#[^"]*)?"',
            f'<a class="wikilink new" href="{reverse("wiki:edit", args=[slug])}" '
            f'title="{escape(slug.replace("_", " "))} (page does not exist)"',
            html,
        )
    return html
