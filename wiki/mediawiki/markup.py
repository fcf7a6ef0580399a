"""Our Markdown as the converter writes it: escaping of literal text, and the layout pass that
turns the converter's line structure (list prefixes, headings, block placeholders) into
Markdown blocks, or into one flat run of inline HTML for table cells and footnotes.

Raw HTML blocks are left alone by Python-Markdown, so Markdown inside them (links, footnote
references) would show as typed. A table, infobox or figure is therefore written as one
paragraph that starts with an empty `<span class="wiki-block">` (a line starting with an
inline tag is not a raw HTML block) and continues on lines indented by four spaces (which no
block syntax claims inside a paragraph): Markdown inside the HTML is then rendered.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

# The converter's line structure, private-use characters that wikitext text never holds
# (`strip_private` removes any that a page brings).
LIST = "\x01"  # LIST + wiki prefix ("*#:") + END at a line start: a list item
HEADING = "\x04"  # HEADING + level + END at a line start: a heading
BLOCK = "\x03"  # BLOCK + number + BLOCK on a line of its own: a block placeholder
END = "\x02"
PRIVATE = re.compile("[\x00-\x08\x0b\x0e-\x1f]")
BLOCK_START = '<span class="wiki-block"></span>'
CONTINUATION = "\n    "

INLINE_SPECIAL = re.compile(
    r"[{}]*(?:\{\{|\}\})[{}]*|\[\[+|\]\]+|<ref|[\\`*\[\]<]|&(?=#?\w+;)|(?<!\w)_|_(?!\w)", re.I
)
LITERAL_SPECIAL = re.compile(r"[\\`*\[\]<{}]|&(?=#?\w+;)|(?<!\w)_|_(?!\w)")
INLINE_ESCAPES = {"\\": "\\\\", "`": "\\`", "*": "\\*", "[": "\\[", "]": "\\]", "<": "&lt;"}
LINE_START = re.compile(r"^(#|>|[-+](?=\s|$)|\d+[.)](?=\s|$)|=+\s*$|:|~~~)")
LABEL_SPECIAL = str.maketrans({"[": "&#91;", "]": "&#93;", "\n": " "})


def strip_private(text: str) -> str:
    return PRIVATE.sub("", text)


def _inline_escape(m: re.Match) -> str:
    s = m.group()
    if len(s) > 1:  # wikitext that did not parse (unbalanced braces, brackets, refs): code
        return " ".join(code_span(s[i : i + 200]) for i in range(0, len(s), 200))
    if s in "{}":
        return "\\" + s
    if s == "&":
        return "&amp;"
    if s == "_":
        return "\\_"
    return INLINE_ESCAPES[s]


def escape_text(text: str, *, at_line_start: bool = False, literal: bool = False) -> str:
    """Literal text as Markdown that shows it as typed: emphasis, code, link and HTML marks
    escaped, and at the start of a line the marks of headings, lists and quotes. Wikitext
    that failed to parse shows as code, unless the text is `literal` (`<nowiki>`)."""
    text = (LITERAL_SPECIAL if literal else INLINE_SPECIAL).sub(_inline_escape, text)
    if "\n" not in text and not at_line_start:
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if i or at_line_start:
            stripped = line.lstrip(" \t")
            lines[i] = LINE_START.sub(_line_start_escape, stripped, count=1)
    return "\n".join(lines)


def _line_start_escape(m: re.Match) -> str:
    s = m.group()
    if s[0] in "#>-+":
        return "\\" + s
    if s[0].isdigit():
        return s[:-1] + "\\" + s[-1]
    if s[0] == "=":
        return "&#61;" + s[1:]
    if s == ":":
        return "&#58;"
    return "&#126;~~"


def label_text(markdown: str) -> str:
    """Markdown fit for the label of a wiki link (no brackets, one line)."""
    return markdown.translate(LABEL_SPECIAL).strip()


def code_span(text: str) -> str:
    """Inline code holding `text` verbatim (backtick runs inside made safe)."""
    text = " ".join(text.split("\n"))
    if not text.strip():
        return ""
    run = max((len(r) for r in re.findall(r"`+", text)), default=0)
    fence = "`" * (run + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or run else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def fenced_code(text: str, language: str = "") -> str:
    run = max((len(r) for r in re.findall(r"^\s*(`{3,}|~{3,})", text, re.M)), default=2)
    fence = "`" * max(3, run + 1)
    return f"{fence}{language}\n{text.strip(chr(10))}\n{fence}"


def html_escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def html_block(html: str) -> str:
    """A table, infobox or figure as a paragraph whose Markdown is rendered (module doc)."""
    return BLOCK_START + html.replace("\n", CONTINUATION)


@dataclass
class Block:
    """A block placeholder's two forms: Markdown lines, and one flat run of inline HTML."""

    markdown: str
    flat: str | Callable[[], str]  # made when first needed: making it converts content
    kind: str = ""
    source: str = ""


class Layout:
    """Lays out the converter's line structure as Markdown blocks (`markdown`) or as one flat
    run (`flat`) for the inside of a table cell or a footnote."""

    def __init__(self, blocks: list[Block]):
        self.blocks = blocks

    def markdown(self, text: str) -> str:
        out: list[str] = []
        for items, line in lines_and_lists(text):
            out += ["", *markdown_list(items), ""] if items else self._markdown_line(line)
        return tidy("\n".join(out))

    def _markdown_line(self, line: str) -> list[str]:
        if line.startswith(HEADING):
            level, _, title = line[1:].partition(END)
            title = re.sub(r"(#+)\s*$", lambda m: "\\#" * len(m.group(1)), title.strip())
            return ["", "#" * int(level) + " " + title, ""] if title else [""]
        if line.startswith(BLOCK) and line.endswith(BLOCK) and line[1:-1].isdigit():
            return ["", self.blocks[int(line[1:-1])].markdown, ""]
        return [line.rstrip()]

    def flat(self, text: str) -> str:
        parts = [
            html_list(items) if items else self._flat_line(line)
            for items, line in lines_and_lists(text)
        ]
        return join_flat(parts)

    def _flat_line(self, line: str) -> str:
        if line.startswith(HEADING):
            title = line[1:].partition(END)[2].strip()
            return f"\n<strong>{title}</strong>\n" if title else ""
        if line.startswith(BLOCK) and line.endswith(BLOCK) and line[1:-1].isdigit():
            block = self.blocks[int(line[1:-1])]
            if callable(block.flat):
                block.flat = block.flat()
            return "\n" + block.flat + "\n"
        return line.strip()


def lines_and_lists(text: str):
    """The lines of `text`, each run of list-item lines gathered into one list: yields
    (items, "") for a list, ([], line) for any other line."""
    items: list[tuple[str, str]] = []
    for line in text.split("\n"):
        if line.startswith(LIST):
            prefix, _, rest = line[1:].partition(END)
            items.append((prefix, rest.strip()))
            continue
        if items:
            yield items, ""
            items = []
        yield [], line
    if items:
        yield items, ""


def join_flat(parts: list[str]) -> str:
    """Lines joined as a paragraph would join them; blank lines become line breaks."""
    text = " ".join(parts)
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", text)]
    chunks = [p for p in paragraphs if p]
    return CONTINUATION.join(_break_between(chunks))


def _break_between(chunks: list[str]) -> list[str]:
    out = []
    for i, chunk in enumerate(chunks):
        if i and not out[-1].endswith(">") and not chunk.startswith("<"):
            out[-1] += "<br>"
        out.append(chunk)
    return out


def markdown_list(items: list[tuple[str, str]]) -> list[str]:
    """Wiki list items (prefix, text) as Markdown lists, definition lists and quotes."""
    lines: list[str] = []
    kinds = [_kind(prefix) for prefix, _ in items]
    markers: list[str] = []  # the list marks of the items open at each depth
    for n, (prefix, text) in enumerate(items):
        kind = kinds[n]
        depth = 0
        if kind == "list":  # as deep as the prefix, but at most one deeper than the last
            depth = min(len(prefix) - 1, len(markers))
            if len(markers) > depth and markers[depth] != prefix[-1] and prefix[-1] in "*#":
                lines.append("")  # Markdown starts a list of the other kind after a blank line
            markers = [*markers[:depth], prefix[-1]]
        else:
            markers = []
        if kind == "quote" and n and kinds[n - 1] in {"term", "definition"}:
            kind = kinds[n] = "definition"  # `;term` then `:definition` lines
        if n and kind != kinds[n - 1] and not (kinds[n - 1] == "term" and kind == "definition"):
            if len(prefix) == 1 or kind in {"quote", "term"}:
                lines.append("")  # another kind of list starts
        if kind == "term":
            defined = n + 1 < len(items) and items[n + 1][0] == ":"
            lines.append(text if defined else f"**{text}**")
        elif kind == "definition":
            lines.append(f":   {text}" if text else "")
        else:
            lines += _markdown_item(prefix, text, depth)
    return lines


def _kind(prefix: str) -> str:
    if prefix == ";":
        return "term"
    if set(prefix) == {":"}:
        return "quote"
    return "list"


def _markdown_item(prefix: str, text: str, depth: int) -> list[str]:
    if prefix and set(prefix) <= {":", ";"}:  # indentation only: a quote as deep as it
        return ["> " * len(prefix) + text] if text else [""]
    indent = "    " * depth
    if prefix[-1] in ":;":  # a line of its own inside the list item above
        return [indent + "<br>" + text] if text else []
    marker = "-" if prefix[-1] == "*" else "1."
    return [f"{indent}{marker} {text or '&#8203;'}"]


def html_list(items: list[tuple[str, str]]) -> str:
    """Wiki list items as nested HTML lists, for flat contexts."""
    html: list[str] = []
    stack: list[str] = []
    for prefix, text in items:
        tags = ["ul" if c == "*" else "ol" if c == "#" else "dl" for c in prefix] or ["dl"]
        common = 0
        while common < min(len(stack), len(tags) - 1) and stack[common] == tags[common]:
            common += 1
        while len(stack) > common and not (len(stack) == len(tags) and stack == tags):
            html.append(f"</{stack.pop()}>")
        while len(stack) < len(tags):
            stack.append(tags[len(stack)])
            html.append(f"<{stack[-1]}>")
        item = "dt" if prefix.endswith(";") else "dd" if stack[-1] == "dl" else "li"
        html.append(f"<{item}>{text}</{item}>")
    html += [f"</{tag}>" for tag in reversed(stack)]
    return "".join(html)


LONG_LINE = 3_000
SPAN_END = re.compile(r"(?<=[^`]`)(?=[^`\s])")


def _shorter(line: str) -> list[str]:
    """A very long line cut at spaces (or, in junk without any, after code spans) into lines
    the renderer never has to cut itself (it cuts huge paragraphs where it must)."""
    if len(line) <= LONG_LINE or line.startswith(("|", "    ", BLOCK_START)):
        return [line]
    out, start = [], 0
    while len(line) - start > LONG_LINE:
        cut = line.rfind(" ", start + LONG_LINE // 2, start + LONG_LINE)
        if cut < 0:
            ends = [
                m.start()
                for m in SPAN_END.finditer(line, start + LONG_LINE // 2, start + LONG_LINE)
            ]
            ends = [e for e in ends if line.count("`", start, e) % 2 == 0]
            if not ends:
                break
            cut = ends[-1]
            out.append(line[start:cut])
            start = cut
            continue
        out.append(line[start:cut])
        start = cut + 1
    out.append(line[start:])
    return out


def tidy(markdown: str) -> str:
    """At most one blank line in a row, none at the ends, no trailing spaces."""
    lines, fence = [], ""
    for line in markdown.split("\n"):
        line = line.rstrip() if not fence else line
        opening = re.match(r"(`{3,}|~{3,})", line)
        if opening and (not fence or line.strip() == fence):
            fence = "" if fence else opening.group(1)
            lines.append(line)
        else:
            lines += [line] if fence else _shorter(line)
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n" if out else ""
