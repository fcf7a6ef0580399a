"""Markdown to sanitized HTML, the only way content becomes HTML.

`render_markdown` serves the live preview (django-markdownx calls it); `render_article`
renders a whole article once per revision and splits the result per section, so the page,
the preview and every stored revision come from the same code.
"""

import functools
import re
import secrets
import signal
import threading
import time
import xml.etree.ElementTree as etree
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import unescape as html_unescape
from typing import NamedTuple
from urllib.parse import quote, unquote

import markdown
import nh3
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape
from markdown.blockprocessors import BlockProcessor, ParagraphProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import InlineProcessor as InlinePass
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .citations import identifier_links, render_citation_lines, split_fields
from .infoboxes import END as INFOBOX_END
from .infoboxes import START as INFOBOX_START
from .infoboxes import parse_block
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
    "div": {"footnote", "gallery"},
    # Imported from MediaWiki (`wiki.mediawiki`): tables, boxes, figures, template markers.
    "table": {"wikitable", "infobox"},
    "span": {"template", "math", "wiki-block", "citation-error"},
    "figure": {
        "thumb",
        "file-missing",
        "left",
        "right",
        "center",
        "media",
        "upright",
        "frameless",
        "gallery-item",
    },
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
    check_html_depth(html)
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


# The HTML parser behind nh3 takes time growing with the square of the nesting depth
# (25,000 unclosed <div> took 13 s): deeper HTML than this is refused before it gets there.
MAX_HTML_DEPTH = 1000
HTML_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
# Tags that never nest (void) or whose end tag may be left out: not counted as depth.
UNCOUNTED_TAGS = frozenset(
    "area base br col colgroup embed hr img input link meta param source track wbr "
    "p li dt dd tr td th thead tbody tfoot caption option optgroup rp rt".split()
)


def check_html_depth(html: str) -> None:
    if html.count("<") <= MAX_HTML_DEPTH:
        return
    depth = 0
    for m in HTML_TAG.finditer(html):
        if m.group(2).lower() in UNCOUNTED_TAGS:
            continue
        if m.group(1):
            depth = max(depth - 1, 0)
        else:
            depth += 1
            if depth > MAX_HTML_DEPTH:
                raise RenderTooComplex(TOO_COMPLEX)


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


class RenderTooComplex(ValueError):
    """Text whose rendering would take longer than its budget: markup nested or repeated far
    beyond what an article needs. The message says so to the editor; nothing is saved."""


TOO_COMPLEX = (
    "This text is too complex to render: some markup is nested or repeated far too often "
    "(for example thousands of [ or * in a row, or lists nested hundreds deep). Simplify "
    "that part of the text and try again."
)


@contextmanager
def render_budget():
    """Rendering may take WIKI_RENDER_BUDGET_SECONDS of CPU time (the load of other requests
    does not count); past that, or past Python's recursion limit, the text is refused with
    RenderTooComplex. In the main thread (gunicorn's sync workers) a CPU-time timer interrupts
    any step of Markdown; in other threads the block and inline passes check the time
    themselves. Nested calls share the outer budget."""
    if getattr(_local, "deadline", None) is not None:
        yield
        return
    budget = settings.WIKI_RENDER_BUDGET_SECONDS
    timer = threading.current_thread() is threading.main_thread()
    _local.deadline = time.thread_time() + budget
    if timer:
        if signal.getsignal(signal.SIGPROF) is not _out_of_budget:
            # Stays installed: a tick already on its way when a render ends is then ignored,
            # where the default action would end the process.
            signal.signal(signal.SIGPROF, _out_of_budget)
        # Repeats: a tick that lands where an exception is swallowed (a finalizer) is retried.
        signal.setitimer(signal.ITIMER_PROF, budget, 0.05)
    try:
        yield
    except (RenderTooComplex, RecursionError):
        _local.md = None  # interrupted mid-parse: its parser state is not to be trusted
        raise RenderTooComplex(TOO_COMPLEX) from None
    finally:
        _local.deadline = None  # first: a signal arriving now no longer interrupts anything
        if timer:
            signal.setitimer(signal.ITIMER_PROF, 0)


def _out_of_budget(signum, frame):
    if getattr(_local, "deadline", None) is not None:
        raise RenderTooComplex(TOO_COMPLEX)


def check_budget() -> None:
    deadline = getattr(_local, "deadline", None)
    if deadline is not None and time.thread_time() > deadline:
        raise RenderTooComplex(TOO_COMPLEX)


class BudgetCheck(BlockProcessor):
    """Tried before every block processor on every block: checks the budget, claims nothing."""

    def test(self, parent, block):
        check_budget()
        return False


# Python-Markdown scans forward from every `[` for its `]` and from every `](` for its `)`, so
# a run of thousands of them costs time growing with the square of its length. Brackets and
# parentheses that cannot take part in a link (no partner) or that are nested deeper than any
# link needs are hidden from the link patterns as stand-ins (private-use characters), which
# `RestoreLinkSyntax` turns back into themselves: the text shows them as typed.
MAX_BRACKET_DEPTH = 6
MAX_PAREN_DEPTH = 6
LINK_SYNTAX = re.compile(r"[\[\]()]")
STAND_INS = {"[": "\uf8f1", "]": "\uf8f2", "(": "\uf8f3", ")": "\uf8f4"}
RESTORE_STAND_INS = str.maketrans({v: k for k, v in STAND_INS.items()})
# The inline pass works on one paragraph's text at a time and copies it at each match: a huge
# paragraph is cut (at a line break, a sentence or a word where it can) into pieces of this
# size; markup spanning a cut (rare: emphasis over a line break) then shows as typed.
INLINE_PIECE = 8_000
# Abbreviation definitions past this many are ignored: each one is tried at every word.
MAX_ABBREVIATIONS = 300
# A line starting with more nested list markers than this ("- - - - …") keeps the rest as text.
MAX_MARKERS_ON_A_LINE = 20
MARKER_RUN = re.compile(
    rf"^((?:[ ]{{0,3}}(?:[-*+]|\d{{1,9}}[.)])[ \t]+){{{MAX_MARKERS_ON_A_LINE}}})"
    r"([-*+]|\d{1,9}[.)])(?=[ \t])"
)


def bound_link_syntax(data: str) -> str:
    """`data` with unmatched `[`, unmatched `(` right after a `]` (a link that cannot close),
    and pairs nested deeper than the limits replaced by stand-ins. Linear in the number of
    brackets; text with no excess comes back unchanged."""
    if "[" not in data and "(" not in data:
        return data
    partners: dict[int, int] = {}
    stacks: dict[str, list[int]] = {"[": [], "(": []}
    positions = [(m.start(), m.group()) for m in LINK_SYNTAX.finditer(data)]
    for i, c in positions:
        if c in stacks:
            stacks[c].append(i)
        else:
            stack = stacks["[" if c == "]" else "("]
            if stack:
                partners[stack.pop()] = i
    hide = set(stacks["["]) | {i for i in stacks["("] if i and data[i - 1] == "]"}
    depth = {"[": 0, "(": 0}
    limit = {"[": MAX_BRACKET_DEPTH, "(": MAX_PAREN_DEPTH}
    closers: dict[int, str] = {}
    for i, c in positions:
        if i in partners:
            depth[c] += 1
            closers[partners[i]] = c
            if depth[c] > limit[c]:
                hide.update((i, partners[i]))
        elif i in closers:
            depth[closers.pop(i)] -= 1
    if not hide:
        return data
    chars = list(data)
    for i in hide:
        chars[i] = STAND_INS[chars[i]]
    return "".join(chars)


def inline_pieces(data: str) -> list[str]:
    """A paragraph's text cut into pieces of about INLINE_PIECE characters."""
    pieces, start = [], 0
    while len(data) - start > INLINE_PIECE:
        end = start + INLINE_PIECE
        for boundary in ("\n", ". ", " "):  # a line, a sentence, a word: what spans less
            cut = data.rfind(boundary, start + INLINE_PIECE // 2, end)
            if cut >= 0:
                cut += len(boundary)
                break
        else:
            cut = end
        opened = data.rfind("[[", start, cut)
        if opened > start and opened > data.rfind("]]", start, cut):  # not inside a wiki link
            cut = opened
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return pieces


class RestoreLinkSyntax(Postprocessor):
    def run(self, text):
        return text.translate(RESTORE_STAND_INS) if "\uf8f1" <= max(text, default="") else text


class BoundAbbreviations(Treeprocessor):
    """Keeps the first MAX_ABBREVIATIONS definitions for the abbreviation pass that follows."""

    def run(self, root):
        abbrs = self.md.treeprocessors["abbr"].abbrs
        for key in list(abbrs)[MAX_ABBREVIATIONS:]:
            del abbrs[key]


class BoundListMarkers(Preprocessor):
    """`- - - - … x` nests a list per marker, one recursion each: markers past
    MAX_MARKERS_ON_A_LINE on a line are escaped, so they show as text."""

    def run(self, lines):
        return [MARKER_RUN.sub(r"\1\\\2", line) if len(line) > 40 else line for line in lines]


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
    bounded = False  # the link-syntax bounds and pieces of huge paragraphs (`BoundedExtension`)

    """Python-Markdown's inline pass, with the same result, that skips the patterns whose
    triggers (`INLINE_TRIGGERS`) are absent from the text. Trying each of the 16 patterns on
    every piece of text was a third of the rendering time; most text holds one or two
    triggers. Patterns of unknown names are always tried."""

    bounded = False  # link syntax bounded, huge paragraphs in pieces (`BoundsExtension`)

    def run(self, tree, ancestors=None):
        patterns = tuple(self.inlinePatterns)
        if getattr(self, "planned_for", None) != patterns:  # made once per Markdown instance
            registry = self.inlinePatterns
            names = {registry.get_index_for_name(n): n for n in INLINE_TRIGGERS if n in registry}
            self.plan = [
                (pattern, _TRIGGER_TESTS.get(names.get(index)))
                for index, pattern in enumerate(patterns)
            ]
            # Link syntax is bounded once code spans and escapes have been taken out.
            self.bound_at = registry.get_index_for_name("escape") + 1 if "escape" in registry else 0
            self.planned_for = patterns
        self.steps = 0
        return super().run(tree, ancestors)

    # Replaces the base class's private loop (Markdown 3.11.3, pinned), which calls it by this
    # (mangled) name: the only use of Markdown's internals; the test comparing our HTML with
    # the stock pass's catches a change of them.
    def _InlineProcessor__handleInline(self, data, patternIndex=0):
        if isinstance(data, AtomicString):
            return data
        if self.bounded and len(data) > INLINE_PIECE:
            return "".join(
                self._InlineProcessor__handleInline(piece, patternIndex)
                for piece in inline_pieces(data)
            )
        apply = self._InlineProcessor__applyPattern
        chars = set(data)  # matches only remove triggers, so this stays a safe overestimate
        start = 0
        while patternIndex < len(self.plan):
            self.steps += 1
            if not self.steps & 31:
                check_budget()
            if patternIndex == self.bound_at and self.bounded and start == 0:
                data = bound_link_syntax(data)
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


class CitationPass(Preprocessor):
    """`[^name]: cite journal | …` footnotes written out in AMA style (`wiki.citations`); after
    fenced code is set aside, so a citation shown as code stays as typed."""

    def run(self, lines):
        return render_citation_lines(lines)


BACKLINK_LETTERS = "abcdefghijklmnopqrstuvwxyz"


class ReferenceList(Treeprocessor):
    """The list of references, once footnotes are numbered: a reference used several times
    gets lettered back-links (↩ a b c, one per use), and DOIs, PMIDs, PMCIDs and ISBNs in its
    text become links (`wiki.citations.identifier_links`)."""

    def run(self, root):
        for div in root.iter("div"):
            if div.get("class") != "footnote":
                continue
            for item in div.iter("li"):
                backlinks = [a for a in item.iter("a") if a.get("class") == "footnote-backref"]
                if len(backlinks) > 1:
                    for n, link in enumerate(backlinks[: len(BACKLINK_LETTERS)]):
                        link.text = ("↩\u00a0" if n == 0 else "\u00a0") + BACKLINK_LETTERS[n]
                _link_identifiers(item)


def _link_identifiers(element) -> None:
    """Identifiers in the text of `element` and its descendants, outside links, linked."""
    if element.tag == "a" or element.tag == "code":
        return
    for child in list(element):
        _link_identifiers(child)
    if element.text and not isinstance(element.text, AtomicString):
        head, links = _split_identifiers(element.text)
        if links:
            element.text = head
            for i, link in enumerate(links):
                element.insert(i, link)
    for child in list(element):
        if child.tail and not isinstance(child.tail, AtomicString):
            tail, links = _split_identifiers(child.tail)
            if links:
                child.tail = tail
                at = list(element).index(child) + 1
                for i, link in enumerate(links):
                    element.insert(at + i, link)


def _split_identifiers(text: str):
    """(text before the first identifier, [<a> elements, each carrying the text after it])."""
    found = identifier_links(text)
    if not found:
        return text, []
    links = []
    head = text[: found[0][0]]
    for n, (_, end, label, url) in enumerate(found):
        link = etree.Element("a")
        link.set("href", url)
        link.text = AtomicString(label)
        following = found[n + 1][0] if n + 1 < len(found) else len(text)
        link.tail = text[end:following]
        links.append(link)
    return head, links


class InfoboxBlock(BlockProcessor):
    """`::: infobox <type>` … `:::` (`wiki.infoboxes`) as a box of key facts: a table with
    the name as caption, the image, then a row per field; values are inline Markdown. The
    problems of a malformed box show above it."""

    def test(self, parent, block):
        return bool(INFOBOX_START.match(block.split("\n", 1)[0]))

    def run(self, parent, blocks):
        lines = blocks.pop(0).split("\n")
        while not any(INFOBOX_END.match(line) for line in lines[1:]) and blocks:
            lines += [""] + blocks.pop(0).split("\n")  # a blank line inside the box
        end = next((i for i, line in enumerate(lines) if i and INFOBOX_END.match(line)), None)
        if end is not None and lines[end + 1 :]:
            blocks.insert(0, "\n".join(lines[end + 1 :]))
        box = parse_block(lines[:end] if end is not None else lines)
        if box.problems:
            error = etree.SubElement(etree.SubElement(parent, "p"), "span")
            error.set("class", "citation-error")
            error.text = AtomicString("Infobox error: " + " ".join(box.problems))
        table = etree.SubElement(parent, "table")
        table.set("class", "infobox")
        caption = etree.SubElement(table, "caption")
        caption.text = box.values.get("name") or box.kind.capitalize()
        body = etree.SubElement(table, "tbody")
        if image := box.values.get("image"):
            cell = etree.SubElement(etree.SubElement(body, "tr"), "td")
            cell.set("colspan", "2")
            cell.text = image
            if text := box.values.get("caption"):
                etree.SubElement(cell, "br").tail = text
        for f, value in box.rows():
            row = etree.SubElement(body, "tr")
            label = etree.SubElement(row, "th")
            label.set("scope", "row")
            label.text = AtomicString(f.label)
            etree.SubElement(row, "td").text = value


# `[[File:…]]` alone on a line; its caption may hold links (`[[Lung]]`, `[text](url)`).
FILE_LINE = re.compile(
    r"^[ \t]*\[\[[ \t]*(?:File|Image)[ \t]*:"
    r"((?:[^\[\]\n]|\[\[[^\[\]\n]*\]\]|\[[^\[\]\n]*\])+)\]\][ \t]*$",
    re.IGNORECASE,
)
GALLERY_START = re.compile(r"^:::[ \t]*gallery[ \t]*$", re.IGNORECASE)
GALLERY_LINE = re.compile(r"^[ \t]*(?:(?:File|Image)[ \t]*:)?([^|\n]+?)[ \t]*(?:\|(.*))?$", re.I)
FIGURE_SIZES = ("thumb", "upright", "frameless")
FIGURE_PLACES = ("left", "right", "center")


def media_slug(name: str) -> str:
    """A media file's name as its page's URL has it: spaces as underscores, first letter up."""
    name = " ".join(name.replace("_", " ").split())
    return (name[:1].upper() + name[1:]).replace(" ", "_")


class MediaBlock(BlockProcessor):
    """Images from the media library (`wiki.media`), as figures:

    - a paragraph of `[[File:Name.png|thumb|right|alt=What it shows|Caption]]` lines (sizes:
      thumb, upright, frameless; places: left, right, center; the last other part is the
      caption);
    - `::: gallery` … `:::`, a line `Name.png|Caption` per image.

    The figure holds a link to the media page; the image, its size and its credit line are
    filled in where the page is shown (`wiki.media.figures`), from the file's own page."""

    def test(self, parent, block):
        lines = block.split("\n")
        return bool(GALLERY_START.match(lines[0])) or all(FILE_LINE.match(x) for x in lines)

    def run(self, parent, blocks):
        lines = blocks.pop(0).split("\n")
        if GALLERY_START.match(lines[0]):
            end = next((i for i, x in enumerate(lines) if i and INFOBOX_END.match(x)), None)
            if end is not None and lines[end + 1 :]:
                blocks.insert(0, "\n".join(lines[end + 1 :]))
            gallery = etree.SubElement(parent, "div")
            gallery.set("class", "gallery")
            for line in lines[1:end]:
                if (m := GALLERY_LINE.match(line)) and line.strip():
                    # Cut at the "|" outside links only: a caption's `[[Migraine|Headache]]`
                    # stays whole. Its alt text and its caption (the last part) are kept.
                    parts = split_fields(m.group(2) or "")
                    alt = [p for p in parts[:-1] if p.strip().lower().startswith("alt=")]
                    self.figure(gallery, m.group(1), ["gallery", *alt, parts[-1]])
            return
        for line in lines:
            name, *options = split_fields(FILE_LINE.match(line).group(1))
            self.figure(parent, name, options)

    def figure(self, parent, name: str, options: list[str]) -> None:
        slug = media_slug(name)
        self.parser.md.media.add(slug)
        classes, alt, caption = ["media"], "", ""
        for option in (o.strip() for o in options):
            if option.lower() in FIGURE_SIZES + FIGURE_PLACES + ("gallery",):
                classes.append("gallery-item" if option.lower() == "gallery" else option.lower())
            elif option.lower().startswith("alt="):
                alt = option[4:].strip()
            elif option:
                caption = option
        figure = etree.SubElement(parent, "figure")
        figure.set("class", " ".join(classes))
        link = etree.SubElement(figure, "a")
        link.set("href", article_path("File:" + slug))
        link.set("title", alt)
        link.text = AtomicString("File:" + slug.replace("_", " "))
        if caption:
            etree.SubElement(figure, "figcaption").text = caption


class WikiExtension(markdown.Extension):
    def extendMarkdown(self, md):
        md.wikilinks = set()
        md.media = set()
        md.preprocessors.register(RedirectLine(md), "redirect_line", 25)
        md.preprocessors.register(CitationPass(md), "citations", 24)
        md.treeprocessors.register(ReferenceList(md), "reference_list", 14)
        md.parser.blockprocessors.register(PlainParagraphProcessor(md.parser), "plain", 110)
        md.parser.blockprocessors.register(InfoboxBlock(md.parser), "infobox", 115)
        md.parser.blockprocessors.register(MediaBlock(md.parser), "media", 116)
        md.inlinePatterns.register(WikiLinkProcessor(WIKILINK, md), "wikilink", 175)
        md.treeprocessors.register(TriggeredInlinePass(md), "inline", 20)

    def reset(self):
        pass


class BoundsExtension(markdown.Extension):
    """Rendering in bounded time: the budget checks, and the constructs whose cost grows
    faster than their length made linear (each bound changes nothing below its limit)."""

    def extendMarkdown(self, md):
        md.treeprocessors["inline"].bounded = True
        md.parser.blockprocessors.register(BudgetCheck(md.parser), "budget", 200)
        md.preprocessors.register(BoundListMarkers(md), "bound_list_markers", 22)
        md.treeprocessors.register(BoundAbbreviations(md), "bound_abbreviations", 8)
        md.postprocessors.register(RestoreLinkSyntax(md), "restore_link_syntax", 1)


class SafeFootnoteOrder(Treeprocessor):
    """Python-Markdown's footnote reordering (first use first), made safe: its own pass fails
    on a definition without a back-link (text such as `*[[A (b)|A]]: c*` loses it) and on
    an empty `div.footnote`. Items keep their place when they cannot be placed."""

    def __init__(self, md, footnotes):
        super().__init__(md)
        self.footnotes = footnotes

    def run(self, root):
        footnotes = self.footnotes
        if not footnotes.footnotes or footnotes.footnote_order == list(footnotes.footnotes):
            return
        order = footnotes.footnote_order
        separator = footnotes.get_separator()
        title = footnotes.getConfig("BACKLINK_TITLE")
        for div in root.iter("div"):
            listed = div.find("ol") if div.get("class") == "footnote" else None
            if listed is None:
                continue
            items = listed.findall("li")
            key = lambda li: (  # noqa: E731
                order.index(name)
                if (name := li.get("id", "").split(separator, 1)[-1]) in order
                else len(order)
            )
            for item in items:
                listed.remove(item)
            for index, item in enumerate(sorted(items, key=key), start=1):
                for backlink in item.iter("a"):
                    if backlink.get("class") == "footnote-backref":
                        backlink.set("title", title.format(index))
                listed.append(item)
            return


def _new_markdown(*, bounded: bool = True) -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=[
            "tables",
            "footnotes",  # numbered in order of first use, as references are
            "fenced_code",
            "sane_lists",
            "def_list",
            "abbr",
            WikiExtension(),
            *([BoundsExtension()] if bounded else []),
        ],
        extension_configs={"footnotes": {"USE_DEFINITION_ORDER": False}},
        output_format="html",
    )
    footnotes = md.treeprocessors["footnote-reorder"].footnotes
    md.treeprocessors.register(SafeFootnoteOrder(md, footnotes), "footnote-reorder", 19)
    return md


_local = threading.local()


def _markdown() -> markdown.Markdown:
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = _new_markdown()
    md.reset()
    md.wikilinks = set()
    md.media = set()
    return md


def render_markdown(text: str) -> str:
    """Markdown -> sanitized HTML (the live preview and any stand-alone text)."""
    return render_with_links(text)[0]


def render_with_links(text: str) -> tuple[str, set[str]]:
    """Markdown -> (sanitized HTML, the slugs of the articles it links to)."""
    with render_budget():
        md = _markdown()
        return sanitize(md.convert(text or "")), set(md.wikilinks)


MARKDOWN_INLINE_SYNTAX = re.compile(r"[\\`*_\[\]<>&!~^=:]|  ")


def render_inline(text: str) -> tuple[str, set[str]]:
    """One line of Markdown (a heading) -> (sanitized inline HTML, the slugs it links to)."""
    if not MARKDOWN_INLINE_SYNTAX.search(text or ""):
        return escape(text or ""), set()
    with render_budget():
        md = _markdown()
        html = re.sub(r"^<p>(.*)</p>$", r"\1", md.convert(text or "").strip(), flags=re.DOTALL)
        return sanitize(html, tags=INLINE_TAGS), set(md.wikilinks)


def plain_text(html: str) -> str:
    return " ".join(nh3.clean(html, tags=set()).split())  # whitespace runs -> one space


class RenderedSection(NamedTuple):
    heading_html: str
    anchor: str
    html: str


@dataclass
class RenderedArticle:
    lead_html: str
    sections: list["RenderedSection"]
    notes_html: str
    links: set[str] = field(default_factory=set)
    media: set[str] = field(default_factory=set)  # slugs of the media files it shows


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
    """Render the article as one document (footnotes work across sections), then split it;
    RenderTooComplex when that takes more than the budget."""
    with render_budget():
        return _render_article(lead, sections)


def _render_article(lead: str, sections: list[SourceSection]) -> RenderedArticle:
    marker = f"wikisectionmark{secrets.token_hex(6)}x"  # SECTION_MARK finds it
    parts = [lead]
    for i, section in enumerate(sections, start=1):
        parts.append(f"\n\n{marker}{i}\n\n{section.body}")
    md = _markdown()
    html = sanitize(md.convert("".join(parts)))
    links, media = set(md.wikilinks), set(md.media)
    notes = ""
    found = FOOTNOTES_AT_END.search(html)
    if found:
        notes, html = found.group(0).strip(), html[: found.start()]
        notes = notes.replace('<div class="footnote">\n<hr>', '<div class="footnote">', 1)
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
    at = references_section(sections)
    if notes and at is not None:  # the editor placed the list: it goes at the end of it
        bodies[at] = f"{bodies[at]}\n{notes}".strip()
        notes = ""
    return RenderedArticle(
        lead_html=lead_html,
        sections=[RenderedSection(*row) for row in zip(headings, anchors, bodies, strict=True)],
        notes_html=notes,
        links=links,
        media=media,
    )


REFERENCE_HEADINGS = {"references", "notes", "footnotes", "notes and references", "citations"}


def references_section(sections: list[SourceSection]) -> int | None:
    """The index of the section the list of references goes in (a "References" heading, or
    "Notes"…), the last such one; None: it goes at the end, under its own heading."""
    found = None
    for i, section in enumerate(sections):
        if " ".join(section.heading.split()).strip("#: ").lower() in REFERENCE_HEADINGS:
            found = i
    return found


# A wiki link as `WikiLinkProcessor` writes it, after sanitizing: its path, then any fragment.
WIKILINK_HREF = re.compile(r'<a class="wikilink" href="([^"#<>]*)(?:#[^"<>]*)?"')


@functools.lru_cache(maxsize=16)
def _link_paths(urlconf: str, prefix: str) -> tuple[str, str, str, str]:
    """Where the slug sits in an article's path and in its edit form's path: both quote it
    the same way, so one is made from the other without a `reverse` per link."""
    mark = "Wikislugmark"
    article = reverse("wiki:article", args=[mark], urlconf=urlconf).split(mark)
    edit = reverse("wiki:edit", args=[mark], urlconf=urlconf).split(mark)
    return article[0], article[1], edit[0], edit[1]


def mark_red_links(html: str, missing_slugs: set[str]) -> str:
    """Turn links to articles that do not exist into red links to the create form: one pass
    over the HTML, a set lookup per link (a pass per missing article took minutes)."""
    if not missing_slugs or 'class="wikilink"' not in html:
        return html
    start, end, edit_start, edit_end = _link_paths(
        get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()
    )

    def mark(m):
        path = m.group(1)
        if not (path.startswith(start) and path.endswith(end)):
            return m.group(0)
        quoted = path[len(start) : len(path) - len(end)]
        slug = unquote(html_unescape(quoted))
        if slug not in missing_slugs:
            return m.group(0)
        return (
            f'<a class="wikilink new" href="{edit_start}{quoted}{edit_end}" '
            f'title="{escape(slug.replace("_", " "))} (page does not exist)"'
        )

    return WIKILINK_HREF.sub(mark, html)
