"""MediaWiki wikitext to our Markdown, one revision's text at a time.

`convert` is pure and bounded: it parses with mwparserfromhell (0.7.2, pinned), walks the
nodes, and writes Markdown (`markup`), footnotes for references (`footnotes`), HTML tables
(`tables`), figures (`file_links`) and text for templates (`templates`). What it cannot convert
stays visible and is listed in `Conversion.unconverted`.
"""

import collections
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import mwparserfromhell
from mwparserfromhell import nodes as wn
from mwparserfromhell.wikicode import Wikicode

from . import dump_templates, quotes, tags, templates, wikilinks
from .cite_templates import our_citations
from .footnotes import References
from .markup import (
    BLOCK,
    END,
    HEADING,
    LIST,
    Block,
    Layout,
    code_span,
    escape_text,
    fenced_code,
    strip_private,
)
from .pieces import pieces

# Past SOFT_SECONDS the rest of a page is kept as its source; past MAX_SECONDS all of it. Both
# are the converting thread's CPU time, not the clock's: a busy machine (other imports, other
# requests) must not change what a page converts to.
SOFT_SECONDS = 3.0
MAX_PARSED_CHARS = 1_000_000  # bounds the memory kept parse trees hold (bench/README.md)
MAX_SECONDS = 8.0
MAX_CHARS = 4_000_000
REDIRECT = re.compile(
    r"\A\s*#(?:REDIRECT|WEITERLEITUNG|REDIRECTION|REDIRECCIÓN|RINVIA)\s*:?\s*\[\[([^\[\]|\n]+)",
    re.IGNORECASE,
)
ENTITY_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\u00a0": "\u00a0"}
FOOTNOTE_MARK = re.compile(r"\[\^[A-Za-z0-9_-]+\]")
BEHAVIOUR_SWITCH = re.compile(r"__(?:NO)?[A-Z]+__")
HORIZONTAL_RULE = re.compile(r"^-{4,}\s*", re.M)


@dataclass
class Conversion:
    markdown: str
    categories: list[str] = field(default_factory=list)
    redirect: str | None = None
    unconverted: collections.Counter = field(default_factory=collections.Counter)
    counts: collections.Counter = field(default_factory=collections.Counter)
    # `[[es:Migraña]]`: (language code, title) of each interlanguage link, not in the text.
    interlanguage: list[tuple[str, str]] = field(default_factory=list)


def convert(
    wikitext: str,
    *,
    title: str = "",
    file_exists: Callable[[str], bool] | None = None,
    templates: frozenset[str] = frozenset(),
    template_body: bool = False,
) -> Conversion:
    """Wikitext -> our Markdown, its categories, redirect target and conversion report.
    Never raises: a page that cannot be converted in time is kept as its source, in code.
    `templates`: the names (ours, `Foo bar`) of the templates the dump brings, whose calls
    stay calls; `template_body`: the text is a template's (parameters and parser functions
    kept as ours, `dump_templates`)."""
    wikitext = strip_private((wikitext or "").replace("\r\n", "\n").replace("\r", "\n"))
    converter = Converter(title=title, file_exists=file_exists or (lambda name: False))
    converter.dump_templates, converter.template_body = templates, template_body
    redirect = redirect_target(wikitext)
    if redirect is not None:  # the page's text is what follows the redirect link
        wikitext = wikitext[wikitext.find("]]", REDIRECT.match(wikitext).end()) + 2 :]
    try:
        if len(wikitext) > MAX_CHARS:
            raise TooComplex
        markdown = converter.document(wikitext)
    except Exception:  # noqa: BLE001 - any failure on any input: the page kept as its source
        converter = Converter(title=title, file_exists=lambda name: False)
        converter.dump_templates, converter.template_body = templates, template_body
        converter.unconverted["page: kept as wikitext source"] += 1
        markdown = fenced_code(wikitext, "wikitext") + "\n" if wikitext.strip() else ""
    return Conversion(
        markdown=markdown,
        categories=list(dict.fromkeys(converter.categories)),
        redirect=redirect,
        unconverted=converter.unconverted,
        counts=converter.counts,
        interlanguage=list(dict.fromkeys(converter.interlanguage)),
    )


def convert_template(wikitext: str, templates: frozenset[str], *, title: str = "") -> Conversion:
    """A dump's template page as our template's source: what a call includes of it,
    converted in template mode, with its `<templatedata>` as our block (`dump_templates`)."""
    cut = dump_templates.transcluded(wikitext)
    conversion = convert(cut, title=title, templates=templates, template_body=True)
    if not conversion.redirect:
        data = dump_templates.template_data_block(wikitext)
        conversion.markdown = conversion.markdown.rstrip("\n") + data
    return conversion


def redirect_target(wikitext: str) -> str | None:
    m = REDIRECT.match(wikitext)
    if not m:
        return None
    target = wikilinks.clean_title(m.group(1)).lstrip(":")
    return target or None


_parsed: collections.OrderedDict[str, Wikicode] = collections.OrderedDict()
_parsed_chars = 0
_parsed_lock = threading.Lock()


def parsed(piece: str) -> Wikicode:
    """mwparserfromhell's tree of a piece, kept for the next revisions of the page (most of
    their pieces are the same): the last MAX_PARSED_CHARS of text parsed. Never changed."""
    global _parsed_chars
    with _parsed_lock:
        code = _parsed.get(piece)
        if code is not None:
            _parsed.move_to_end(piece)
            return code
    code = mwparserfromhell.parse(piece, skip_style_tags=True)
    with _parsed_lock:
        if piece not in _parsed:
            _parsed[piece] = code
            _parsed_chars += len(piece)
        while _parsed_chars > MAX_PARSED_CHARS and _parsed:
            _parsed_chars -= len(_parsed.popitem(last=False)[0])
    return code


class TooComplex(Exception):
    """The page takes longer than MAX_SECONDS to convert."""


class Writer:
    """Collects the converter's output, knowing whether it stands at the start of a line."""

    def __init__(self, *, blocks: bool = False):
        self.parts: list[str] = []
        self.at_line_start = True
        self.in_item = False  # just after a list item's marker
        self.blocks = blocks  # lines starting with a space are preformatted
        self.marks: list[str] = []  # bold and italic open on this line (`quotes`)
        self.opened_at: list[int] = []

    def write(self, text: str, *, line_start_after: bool | None = None) -> None:
        if not text:
            return
        self.parts.append(text)
        self.in_item = False
        self.at_line_start = text.endswith("\n") if line_start_after is None else line_start_after

    def text(self, text: str) -> None:
        self.write(escape_text(text, at_line_start=self.at_line_start))

    def newline(self) -> None:
        if self.marks:
            quotes.close_all(self)
        if not self.at_line_start:
            self.write("\n")

    def end_line(self) -> None:
        if self.marks:
            quotes.close_all(self)
        self.write("\n")

    def value(self) -> str:
        if self.marks:
            quotes.close_all(self)
        return "".join(self.parts)


class Converter:
    """The state of one page's conversion: report, categories, footnotes, block placeholders."""

    def __init__(self, *, title: str, file_exists: Callable[[str], bool]):
        self.title = title
        self.file_exists = file_exists
        self.counts: collections.Counter = collections.Counter()
        self.unconverted: collections.Counter = collections.Counter()
        self.categories: list[str] = []
        self.interlanguage: list[tuple[str, str]] = []
        self.blocks: list[Block] = []
        self.references = References(self)
        self.soft_deadline = time.thread_time() + SOFT_SECONDS
        self.deadline = time.thread_time() + MAX_SECONDS
        self.steps = 0
        self.layout = Layout(self.blocks)
        self.top_writer: Writer | None = None
        self.replaced: dict[int, tuple[wn.Text, str]] = {}
        self.list_prefix = ""  # the prefix of the list item being written
        self.html_list_mark: str | None = None  # "*" or "#" inside an HTML list
        self.external_numbers = 0  # [http://…] links without a label are numbered
        self.dump_templates: frozenset[str] = frozenset()  # see `convert`
        self.template_body = False

    def document(self, wikitext: str) -> str:
        self.top_writer = Writer(blocks=True)
        parts = pieces(wikitext)
        for n, piece in enumerate(parts):
            if time.thread_time() > self.soft_deadline:  # the rest is shown as its source
                self.unconverted["page: rest kept as wikitext source"] += 1
                rest = "".join(parts[n:])
                self.write_block(self.top_writer, fenced_code(rest, "wikitext"), code_span(rest))
                break
            self.replaced.clear()  # the same piece may come again in the page
            self.walk(parsed(piece).nodes, self.top_writer)
        body = self.top_writer.value()
        notes = self.references.definitions()
        if self.references.placeholder is not None:
            self.blocks[self.references.placeholder].markdown = notes
            return our_citations(self.layout.markdown(body), whole_reference=False)
        text = self.layout.markdown(body + ("\n\n" + notes if notes else ""))
        return our_citations(text, whole_reference=False)

    # The three forms content takes.
    def markdown(self, code: Wikicode) -> str:
        """Content in the converter's line structure (laid out by the caller)."""
        writer = Writer()
        self.walk(code.nodes, writer)
        return writer.value()

    def blocks_markdown(self, code: Wikicode, *, preformatted: bool = True) -> str:
        """Content as blocks of Markdown; lines starting with a space are code unless not
        `preformatted` (inside a block element such as `<blockquote>`, MediaWiki's are not)."""
        writer = Writer(blocks=preformatted)
        self.walk(code.nodes, writer)
        return self.layout.markdown(writer.value())

    def flat(self, code: Wikicode | None) -> str:
        """Content as one flat run of inline Markdown and HTML (a cell, a caption, a note)."""
        if code is None:
            return ""
        return self.layout.flat(self.markdown(code))

    def inline(self, code: Wikicode, *, at_line_start: bool = False) -> str:
        """Content as one line of inline Markdown (an emphasis, a list item, a kept tag)."""
        writer = Writer()
        writer.at_line_start = at_line_start
        self.walk(code.nodes, writer)
        text = writer.value()
        return self.layout.flat(text) if "\n" in text or BLOCK in text else text

    def add_block(self, markdown: str, flat: str, **extra) -> str:
        self.blocks.append(Block(markdown, flat, **extra))
        return f"{BLOCK}{len(self.blocks) - 1}{BLOCK}"

    def write_block(self, writer: Writer, markdown: str, flat) -> None:
        writer.newline()
        writer.write(self.add_block(markdown, flat) + "\n")

    def report(self, kind: str, converted: bool, what: str = "") -> None:
        self.counts[kind] += 1
        if converted:
            self.counts[kind + " converted"] += 1
        elif what:
            self.unconverted[what] += 1

    # The walk.
    def walk(self, nodes: list, writer: Writer) -> None:
        i = 0
        while i < len(nodes):
            self.steps += 1
            if not self.steps & 255 and time.thread_time() > self.deadline:
                raise TooComplex
            i = self.node(nodes, i, writer)

    def node(self, nodes: list, i: int, writer: Writer) -> int:
        """Writes nodes[i] (and any it takes along, like a link trail); the next index."""
        node = nodes[i]
        if isinstance(node, wn.Text):
            return self.text(nodes, i, writer)
        elif isinstance(node, wn.Wikilink):
            if self.template_body and dump_templates.has_parameters(node):
                dump_templates.link(self, node, writer)
                return i + 1
            return wikilinks.wikilink(self, nodes, i, writer)
        elif isinstance(node, wn.Template):
            templates.template(self, node, writer)
        elif isinstance(node, wn.Tag):
            return tags.tag(self, nodes, i, writer)
        elif isinstance(node, wn.ExternalLink):
            wikilinks.external_link(self, node, writer)
        elif isinstance(node, wn.HTMLEntity):
            char = entity_text(node)
            writer.write(ENTITY_ESCAPES.get(char) or escape_text(char), line_start_after=False)
        elif isinstance(node, wn.Heading):
            self.heading(node, writer)
        elif isinstance(node, wn.Argument) and self.template_body:
            dump_templates.argument(self, node, writer)
        elif isinstance(node, wn.Argument):
            self.report("template arguments", False, "template argument")
            name = " ".join(str(node.name).split())
            writer.write(f"<code>{{{{{{{escape_text(name)}}}}}}}</code>")
        return i + 1  # comments are dropped

    def node_text(self, node: wn.Text) -> str:
        """A text node's text, or what replaced it in this conversion (`replace_text`)."""
        replaced = self.replaced.get(id(node))
        return replaced[1] if replaced is not None and replaced[0] is node else node.value

    def replace_text(self, node: wn.Text, text: str) -> None:
        """Parse trees are shared between conversions (`parsed`) and never changed: a text
        node whose start was taken by its neighbour (a link trail) is replaced here. The entry
        holds the node: an id is unique only while its object lives, and a piece parsed on the
        way (a gallery's caption) is freed, its ids reused by the next."""
        self.replaced[id(node)] = (node, text)

    def text(self, nodes: list, i: int, writer: Writer) -> int:
        text = self.node_text(nodes[i])
        if "\n" not in text and not writer.at_line_start:
            quotes.write_quoted(writer, text)
            return i + 1
        lines = text.split("\n")
        for n, line in enumerate(lines):
            if n:
                writer.end_line()
            if writer.at_line_start and HORIZONTAL_RULE.match(line):
                self.counts["horizontal rules"] += 1
                writer.write("\n---\n\n")
                line = HORIZONTAL_RULE.sub("", line, count=1)
            if (
                writer.blocks
                and (n or i == 0)  # a line of the source starts here
                and writer.at_line_start
                and not writer.in_item
                and line[:1] == " "
                and line.strip()
            ):
                if n == len(lines) - 1:
                    return self.preformatted(line, nodes, i + 1, writer)
                self.preformatted_line(line, writer)
                continue
            if "__" in line:
                line = self.behaviour_switches(line)
            quotes.write_quoted(writer, line)
        return i + 1

    def behaviour_switches(self, line: str) -> str:
        """`__TOC__`, `__NOTOC__` and the like change how MediaWiki lays a page out: dropped."""
        found = BEHAVIOUR_SWITCH.findall(line)
        self.counts["magic words"] += len(found)
        return BEHAVIOUR_SWITCH.sub("", line)

    def preformatted(self, line: str, nodes: list, i: int, writer: Writer) -> int:
        """A line starting with a space, which goes on past this text node: the nodes up to
        the end of the line are taken along as their text."""
        while i < len(nodes):
            node = nodes[i]
            if isinstance(node, wn.Text) and "\n" in self.node_text(node):
                head, _, rest = self.node_text(node).partition("\n")
                self.preformatted_line(line + head, writer)
                self.replace_text(node, "\n" + rest)
                return i
            line += plain(node)
            i += 1
        self.preformatted_line(line, writer)
        return i

    def preformatted_line(self, line: str, writer: Writer) -> None:
        self.counts["preformatted lines"] += 1
        line = quotes.QUOTES.sub(quotes.unquoted, line[1:])  # bold and italic are not shown
        previous = self.blocks[-1] if self.blocks else None
        placeholder = f"{BLOCK}{len(self.blocks) - 1}{BLOCK}"
        if previous and writer.parts[-2:] == [placeholder, "\n"] and previous.kind == "pre":
            previous.source += "\n" + line
        else:
            writer.newline()
            writer.write(self.add_block("", "", kind="pre", source=line))
        block = self.blocks[-1]
        block.markdown, block.flat = fenced_code(block.source), code_span(block.source)

    def heading(self, node: wn.Heading, writer: Writer) -> None:
        self.counts["headings"] += 1
        level = min(max(node.level, 2), 6)
        writer.newline()
        title = self.flat(node.title).replace("\n    ", " ")
        notes = "".join(FOOTNOTE_MARK.findall(title))  # a heading is rendered on its own:
        title = FOOTNOTE_MARK.sub("", title).strip()  # its notes go to the section's start
        writer.write(f"{HEADING}{level}{END}{title}\n" + (f"{notes}\n" if notes else ""))

    def quotation(self, code: Wikicode | None, writer: Writer, *, source: str = "") -> None:
        """`<blockquote>` or `{{Quote}}`: a quotation (never code, whatever its indent), with
        who said it (`source`, Markdown) as its last line."""
        if code is None:
            return
        self.counts["quotes"] += 1
        text = self.blocks_markdown(code, preformatted=False).strip()
        if not text:
            return
        if source:
            text += f"\n\n— {source}"
        quoted = "\n".join("> " + line if line else ">" for line in text.split("\n"))
        after = f"<br>— {source}" if source else ""
        self.write_block(
            writer, quoted, lambda: f"<blockquote>{self.flat(code)}{after}</blockquote>"
        )

    def list_item(self, prefix: str, writer: Writer) -> None:
        writer.newline()
        writer.write(f"{LIST}{prefix}{END}", line_start_after=True)
        writer.in_item = True


def entity_text(node: wn.HTMLEntity) -> str:
    try:
        return node.normalize()
    except (ValueError, OverflowError):
        return str(node)


def plain(node) -> str:
    """A node as the text a preformatted line shows: link labels, entities decoded, the rest
    as typed."""
    if isinstance(node, wn.Comment):
        return ""
    if isinstance(node, wn.HTMLEntity):
        return entity_text(node)
    if isinstance(node, wn.Wikilink):
        return str(node.text if node.text is not None else node.title)
    if isinstance(node, wn.Tag) and node.wiki_markup and node.contents is not None:
        return "".join(plain(n) for n in node.contents.nodes)
    return str(node)
