"""Markdown to sanitized HTML, the only way content becomes HTML.

`render_markdown` serves the live preview (django-markdownx calls it); `render_article`
renders a whole article once per revision and splits the result per section, so the page,
the preview and every stored revision come from the same code.
"""

import re
import secrets
from dataclasses import dataclass, field
from html import unescape as html_unescape
from typing import NamedTuple

import markdown
import nh3
from django.utils.html import escape

from ..sources import SourceSection
from .block_processors import InfoboxBlock, MediaBlock
from .bounds import BoundsExtension
from .budget import TOO_COMPLEX, RenderTooComplex, _local, render_budget
from .content import USER_ID_PREFIX, content_rules
from .links import (
    REDIRECT_LINE,
    WIKILINK,
    RedirectLine,
    WikiLinkProcessor,
    article_path,
    link_paths,
    mark_red_links,
    media_slug,
)
from .policy import INLINE_TAGS, sanitize
from .references import CitationPass, ReferenceList, SafeFootnoteOrder, references_section
from .shortcuts import PlainParagraphProcessor, TriggeredInlinePass

__all__ = [
    "REDIRECT_LINE",
    "TOO_COMPLEX",
    "USER_ID_PREFIX",
    "MediaBlock",
    "RenderTooComplex",
    "RenderedArticle",
    "RenderedSection",
    "TriggeredInlinePass",
    "article_path",
    "content_rules",
    "mark_red_links",
    "media_slug",
    "plain_text",
    "render_article",
    "render_inline",
    "render_markdown",
    "render_with_links",
    "sanitize",
]


SECTION_MARK = re.compile(r"<p>(wikisectionmark[0-9a-f]{12}x)(\d+)</p>")
FOOTNOTES_AT_END = re.compile(r'\s*<div class="footnote">.*</div>\s*$', re.DOTALL)


class WikiExtension(markdown.Extension):
    def extendMarkdown(self, md):
        self.md = md
        md.registerExtension(self)  # its `reset` runs with the Markdown instance's
        self.reset()
        md.preprocessors.register(RedirectLine(md), "redirect_line", 25)
        md.preprocessors.register(CitationPass(md), "citations", 24)
        md.treeprocessors.register(ReferenceList(md), "reference_list", 14)
        md.parser.blockprocessors.register(PlainParagraphProcessor(md.parser), "plain", 110)
        md.parser.blockprocessors.register(InfoboxBlock(md.parser), "infobox", 115)
        md.parser.blockprocessors.register(MediaBlock(md.parser), "media", 116)
        md.inlinePatterns.register(WikiLinkProcessor(WIKILINK, md), "wikilink", 175)
        md.treeprocessors.register(TriggeredInlinePass(md), "inline", 20)

    def reset(self):
        """Each render: the links and files it finds, and the paths of its language's
        articles (read once a render, not once a link)."""
        self.md.wikilinks = set()
        self.md.media = set()
        self.md.article_paths = link_paths()[:2]


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


def _markdown() -> markdown.Markdown:
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = _new_markdown()
    md.reset()
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
