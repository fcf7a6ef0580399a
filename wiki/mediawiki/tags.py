"""Tags: wiki markup that mwparserfromhell reads as tags (bold, italic, list items, tables,
rules) and the HTML and extension tags of wikitext (`<ref>`, `<math>`, `<pre>`...)."""

import html
import re

from mwparserfromhell import nodes as wn

from . import file_links, tables
from .markup import code_span, escape_text, fenced_code, html_escape
from .tag_attributes import attr

LIST_TAGS = {"li", "dt", "dd"}
KEPT_INLINE = {
    "sub",
    "sup",
    "s",
    "del",
    "u",
    "ins",
    "small",
    "q",
    "kbd",
    "samp",
    "var",
    "mark",
    "cite",
    "dfn",
    "abbr",
}
RENAMED = {"strike": "s"}
TRANSPARENT = {
    "span",
    "div",
    "font",
    "center",
    "big",
    "noinclude",
    "onlyinclude",
    "bdi",
    "section",
    "em",
    "strong",
    "b",
    "i",
    "translate",
    "tr",
    "td",
    "th",
    "tbody",
    "thead",
    "tfoot",
    "caption",
    "bdo",
    "time",
    "data",
    "wbr",
    "nowiki-inline",
}
DROPPED = {"includeonly", "templatedata", "templatestyles", "indicator", "categorytree", "inputbox"}
CODE_BLOCKS = {
    "pre",
    "syntaxhighlight",
    "source",
    "timeline",
    "score",
    "graph",
    "hiero",
    "chem",
    "ce",
    "imagemap",
    "mapframe",
    "maplink",
}
HEADING_TAG = re.compile(r"^h([1-6])$")
EMPHASIS = {"b": "**", "i": "*", "strong": "**", "em": "*"}


def tag(cv, nodes: list, i: int, writer) -> int:
    node = nodes[i]
    name = str(node.tag).strip().lower()
    if node.wiki_markup and name in LIST_TAGS:
        return list_marks(cv, nodes, i, writer)
    if name in EMPHASIS:
        emphasis(cv, node, EMPHASIS[name], writer)
    elif name == "hr":
        cv.counts["horizontal rules"] += 1
        writer.newline()
        writer.write("\n---\n\n")
    elif name == "table":
        tables.table(cv, node, writer)
    elif name == "ref":
        reference(cv, node, writer)
    elif name == "references":
        if node.contents is not None:
            cv.references.define_listed(node.contents)
        cv.references.mark_list(writer)
    elif name == "gallery":
        file_links.gallery(cv, node, writer)
    else:
        other_tag(cv, node, name, writer)
    return i + 1


def list_marks(cv, nodes: list, i: int, writer) -> int:
    """List marks at a line start (`*#:`, `;`) as one list prefix; a `:` after a `;` term on
    the same line starts the definition."""
    node = nodes[i]
    if not writer.at_line_start and str(node.wiki_markup) == ":" and cv.list_prefix:
        prefix = cv.list_prefix[:-1] + ":"
        cv.list_prefix = prefix
        cv.list_item(prefix, writer)
        return i + 1
    prefix = ""
    while i < len(nodes) and isinstance(nodes[i], wn.Tag) and nodes[i].wiki_markup:
        if str(nodes[i].tag).lower() not in LIST_TAGS:
            break
        prefix += str(nodes[i].wiki_markup)
        i += 1
    cv.counts["list items"] += 1
    cv.list_prefix = prefix
    cv.list_item(prefix, writer)
    return i


def emphasis(cv, node: wn.Tag, mark: str, writer) -> None:
    text = cv.inline(node.contents) if node.contents is not None else ""
    core = text.strip()
    if not core:
        writer.write(text)
        return
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    writer.write(f"{lead}{mark}{core}{mark}{trail}")


def reference(cv, node: wn.Tag, writer) -> None:
    cv.counts["refs"] += 1
    text = None if node.self_closing or node.contents is None else cv.flat(node.contents)
    mark = cv.references.cite(name=attr(node, "name"), group=attr(node, "group"), text=text)
    cv.counts["refs converted"] += 1
    writer.write(mark)


def other_tag(cv, node: wn.Tag, name: str, writer) -> None:
    source = str(node.contents) if node.contents is not None else ""
    cv.counts["tags"] += 1
    if name == "nowiki":
        text = html.unescape(source)
        writer.write(escape_text(text, at_line_start=writer.at_line_start, literal=True))
    elif name == "br":
        writer.write("<br>")
    elif name == "math":
        math(cv, node, source, writer)
    elif name in {"code", "tt"}:
        writer.write(code_span(html.unescape(plain_source(node))))
    elif name in CODE_BLOCKS:
        code_block(cv, node, name, source, writer)
    elif name in KEPT_INLINE or name in RENAMED:
        kept_inline(cv, node, RENAMED.get(name, name), writer)
    elif name in DROPPED:
        cv.counts["tags dropped"] += 1
    elif name == "blockquote":
        cv.quotation(node.contents, writer)
    elif name in {"poem", "p"}:
        lines(cv, node, name, writer)
    elif HEADING_TAG.match(name) and node.contents is not None:
        cv.heading(wn.Heading(node.contents, int(name[1])), writer)
    elif name in {"ul", "ol", "li", "dl", "dt", "dd"}:
        html_list_tag(cv, node, name, writer)
    elif name in TRANSPARENT or node.contents is None:
        if node.contents is not None:
            cv.walk(node.contents.nodes, writer)
    else:
        unknown_tag(cv, node, name, writer)
        return
    cv.counts["tags converted"] += 1


def unknown_tag(cv, node: wn.Tag, name: str, writer) -> None:
    """A tag MediaWiki does not know shows as typed, as it does there."""
    cv.unconverted[f"tag: {name}"] += 1
    attributes = "".join(str(a) for a in node.attributes)
    if node.self_closing:
        writer.text(f"<{node.tag}{attributes}{node.padding}/>")
        return
    writer.text(f"<{node.tag}{attributes}{node.padding}>")
    cv.walk(node.contents.nodes, writer)
    if not node.implicit:
        writer.text(f"</{node.closing_tag}>")


def plain_source(node: wn.Tag) -> str:
    return "".join(str(n) for n in node.contents.nodes if not isinstance(n, wn.Comment))


def math(cv, node: wn.Tag, source: str, writer) -> None:
    cv.counts["math"] += 1
    source = " ".join(html.unescape(source).split())
    if attr(node, "display") == "block":
        block = fenced_code(source, "math")
        cv.write_block(writer, block, f'<span class="math">{code_span(source)}</span>')
    else:
        writer.write(f'<span class="math">{code_span(source)}</span>')


def code_block(cv, node: wn.Tag, name: str, source: str, writer) -> None:
    language = attr(node, "lang") if name in {"syntaxhighlight", "source"} else ""
    if name not in {"pre", "syntaxhighlight", "source"}:
        cv.unconverted[f"tag: {name}"] += 1
        language = name
    text = html.unescape(source) if name == "pre" else source
    language = re.sub(r"[^A-Za-z0-9_+#.-]", "", language)[:40]
    cv.write_block(writer, fenced_code(text, language), code_span(text))


def kept_inline(cv, node: wn.Tag, name: str, writer) -> None:
    text = cv.inline(node.contents) if node.contents is not None else ""
    title = attr(node, "title") if name == "abbr" else ""
    opening = f'<abbr title="{html_escape(title)}">' if title else f"<{name}>"
    writer.write(f"{opening}{text}</{name}>" if text.strip() else text)


def lines(cv, node: wn.Tag, name: str, writer) -> None:
    """`<poem>` keeps its line breaks; `<p>` is a paragraph."""
    if node.contents is None:
        return
    writer.newline()
    writer.write("\n")
    text = cv.inline(node.contents, at_line_start=True) if name == "p" else ""
    if name == "poem":
        rows = [cv.flat(_parse(row)) for row in str(node.contents).strip("\n").split("\n")]
        text = "<br>\n".join(rows)
    writer.write(text + "\n\n")


def html_list_tag(cv, node: wn.Tag, name: str, writer) -> None:
    if node.contents is None:
        return
    if name in {"li", "dt", "dd"}:
        mark = {"li": cv.html_list_mark or "*", "dt": ";", "dd": ":"}[name]
        cv.list_item(mark, writer)
        writer.write(cv.inline(node.contents).strip())
        writer.write("\n")
        return
    outer = cv.html_list_mark
    cv.html_list_mark = "#" if name == "ol" else "*" if name == "ul" else None
    cv.walk(node.contents.nodes, writer)
    cv.html_list_mark = outer
    writer.newline()


def _parse(text: str):
    import mwparserfromhell

    return mwparserfromhell.parse(text)
