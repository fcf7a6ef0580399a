"""Our Markdown written as MediaWiki wikitext, for the XML export.

The Markdown is rendered by `wiki.rendering` (the sanitized HTML readers see) and that HTML
tree is written out element by element: headings, emphasis, wiki and external links, lists,
definition lists, tables, code, footnotes (as `<ref>` and `<references />`), images. Text is
escaped so that nothing in it turns into markup on the other side.
"""

import re
from urllib.parse import unquote, urlsplit

import lxml.html

from ..rendering import USER_ID_PREFIX, RenderTooComplex, article_path, render_markdown

HEADINGS = {f"h{n}": n for n in range(1, 7)}
BLOCK_TAGS = {
    *HEADINGS,
    "p",
    "ul",
    "ol",
    "dl",
    "pre",
    "blockquote",
    "table",
    "hr",
    "div",
    "figure",
    "figcaption",
    "details",
    "summary",
}
# HTML that MediaWiki accepts in wikitext as it is.
KEPT_INLINE_TAGS = {
    "sub",
    "sup",
    "del",
    "ins",
    "s",
    "u",
    "small",
    "kbd",
    "mark",
    "var",
    "samp",
    "q",
    "cite",
    "dfn",
}
CELL_ATTRIBUTES = ("style", "colspan", "rowspan", "scope")
TEXT_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "[": "&#91;",
        "]": "&#93;",
        "{": "&#123;",
        "}": "&#125;",
        "|": "&#124;",
    }
)
# Wikitext that means something wherever it is: runs of apostrophes (emphasis), of tildes
# (signatures), of underscores (magic words like __TOC__), and "://" (a bare URL is a link).
APOSTROPHES = re.compile(r"'(?='|$)|(?<=')'|^'")
TILDES = re.compile(r"~(?=~~)|(?<=~)~(?=~)|(?<=~~)~")
UNDERSCORES = re.compile(r"_(?=_)")
# Characters that start a list, a definition, a heading or a table at the start of a line.
LINE_START = re.compile(r"^([*#:;= !]|-(?=---)|\{\|)")
TERM_COLON = re.compile(r"(\[\[.*?\]\]|\[[^\]]*\]|<[^>]*>)|:")
SPACES = re.compile(r"[ \t\n\r\f]+")


def markdown_to_wikitext(source: str) -> str:
    """The wikitext of one article source (lead and sections)."""
    try:
        html = render_markdown(source)
    except RenderTooComplex:  # too complex to render here too: the text, kept as it is
        return "<pre>" + escape_pre(source.rstrip("\n")) + "</pre>\n"
    return html_to_wikitext(html)


def html_to_wikitext(html: str) -> str:
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    writer = _Writer(_footnotes(root))
    text = "\n\n".join(b for b in writer.blocks(root) if b)
    if writer.references_used:
        text += "\n\n<references />"
    return text + "\n" if text else ""


def escape_text(text: str) -> str:
    """Plain text as wikitext that shows the same characters."""
    text = text.translate(TEXT_ESCAPES)
    text = APOSTROPHES.sub("&#39;", text)
    text = TILDES.sub("&#126;", text)
    text = UNDERSCORES.sub("&#95;", text)
    return text.replace("://", "&#58;//")


def escape_pre(text: str) -> str:
    """Text inside <pre>, where MediaWiki reads no markup but decodes entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_line_start(line: str) -> str:
    """A line of text that must not start a list, heading, table or indented block."""
    return LINE_START.sub(lambda m: f"&#{ord(m.group(1)[0])};" + m.group(1)[1:], line)


def _attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _footnotes(root) -> dict[str, "lxml.html.HtmlElement"]:
    """The footnotes' list items by id, taken out of the tree (they become <ref>s)."""
    notes = {}
    for div in root.iter("div"):
        if "footnote" in _classes(div):
            for li in div.iter("li"):
                if li.get("id"):
                    notes[li.get("id")] = li
    for div in [d for d in root.iter("div") if "footnote" in _classes(d)]:
        _remove(div)
    return notes


def _remove(el) -> None:
    """Remove an element, keeping the text that follows it."""
    parent = el.getparent()
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


class _Writer:
    def __init__(self, footnotes):
        self.footnotes = footnotes
        self.ref_names: dict[str, str] = {}
        self.references_used = False
        self.article_prefix = article_path("X")[:-1]

    # Blocks --------------------------------------------------------------------------

    def blocks(self, container) -> list[str]:
        """The blocks of a container; inline content between blocks makes a paragraph."""
        out: list[str] = []
        pending: list[str] = [self.text(container.text)]

        def flush():
            line = "".join(pending).strip()
            if line:
                out.append(escape_line_start(line))
            pending.clear()

        for child in container:
            if not isinstance(child.tag, str):
                pending.append(self.text(child.tail))
                continue
            if child.tag in BLOCK_TAGS:
                flush()
                out.append(self.block(child))
            else:
                pending.append(self.inline(child))
            pending.append(self.text(child.tail))
        flush()
        return out

    def block(self, el) -> str:
        tag = el.tag
        if tag in HEADINGS:
            marks = "=" * HEADINGS[tag]
            text = self.inline_content(el).strip()
            text = re.sub(r"^=|=$", "&#61;", text)
            return f"{marks} {text} {marks}"
        if tag in {"p", "summary", "figcaption"}:
            return escape_line_start(self.inline_content(el).strip())
        if tag in {"ul", "ol"}:
            return "\n".join(self.list_lines(el, ""))
        if tag == "dl":
            return "\n".join(self.definition_lines(el, ""))
        if tag == "pre":
            return "<pre>" + escape_pre(el.text_content().removesuffix("\n")) + "</pre>"
        if tag == "blockquote":
            return "<blockquote>\n" + "\n\n".join(self.blocks(el)) + "\n</blockquote>"
        if tag == "table":
            return self.table(el)
        if tag == "hr":
            return "----"
        return "\n\n".join(b for b in self.blocks(el) if b)  # div, figure, details

    def item_text(self, el) -> tuple[str, list]:
        """A list item's or definition's own content on one line, and its nested lists."""
        pieces: list[str] = []
        nested = []
        current = [self.text(el.text)]

        def flush():
            piece = "".join(current).strip()
            if piece:
                pieces.append(piece)
            current.clear()

        for child in el:
            if not isinstance(child.tag, str):
                pass
            elif child.tag in {"ul", "ol", "dl"}:
                flush()
                nested.append(child)
            elif child.tag == "pre":
                flush()
                pieces.append(self.block(child))
            elif child.tag in BLOCK_TAGS:
                flush()
                pieces.append(self.inline_content(child).strip())
            else:
                current.append(self.inline(child))
            current.append(self.text(child.tail))
        flush()
        return escape_line_start(" <br /><br />".join(p for p in pieces if p)), nested

    def nested_lines(self, nested, prefix: str) -> list[str]:
        lines = []
        for child in nested:
            if child.tag == "dl":
                lines += self.definition_lines(child, prefix)
            else:
                lines += self.list_lines(child, prefix)
        return lines

    def list_lines(self, el, prefix: str) -> list[str]:
        marker = prefix + ("#" if el.tag == "ol" else "*")
        lines = []
        for li in el:
            if li.tag != "li":
                continue
            text, nested = self.item_text(li)
            lines.append(f"{marker} {text}".rstrip())
            lines += self.nested_lines(nested, marker)
        return lines

    def definition_lines(self, el, prefix: str) -> list[str]:
        lines = []
        for child in el:
            if child.tag not in {"dt", "dd"}:
                continue
            text, nested = self.item_text(child)
            if child.tag == "dt":  # MediaWiki ends a term at its first colon outside links
                text = TERM_COLON.sub(lambda m: m.group(1) or "&#58;", text)
            marker = prefix + (";" if child.tag == "dt" else ":")
            lines.append(f"{marker} {text}".rstrip())
            lines += self.nested_lines(nested, marker)
        return lines

    def table(self, el) -> str:
        lines = ['{| class="wikitable"']
        caption = el.find("caption")
        if caption is not None:
            lines.append("|+ " + self.inline_content(caption).strip())
        for row in el.iter("tr"):
            lines.append("|-")
            for cell in row:
                if cell.tag not in {"td", "th"}:
                    continue
                mark = "!" if cell.tag == "th" else "|"
                attrs = " ".join(
                    f'{name}="{_attribute(cell.get(name))}"'
                    for name in CELL_ATTRIBUTES
                    if cell.get(name)
                )
                content = " <br />".join(
                    b.replace("\n", " ") for b in self.blocks(cell) if b
                ).strip()
                if mark == "!":
                    content = content.replace("!!", "!&#33;")
                lines.append(f"{mark} {attrs} | {content}" if attrs else f"{mark} {content}")
        lines.append("|}")
        return "\n".join(lines)

    # Inline --------------------------------------------------------------------------

    def text(self, text: str | None) -> str:
        return escape_text(SPACES.sub(" ", text)) if text else ""

    def inline_content(self, el) -> str:
        """The wikitext of an element's children and text (not its tail), on one line."""
        parts = [self.text(el.text)]
        for child in el:
            if isinstance(child.tag, str):
                if child.tag in BLOCK_TAGS:
                    parts.append(" " + self.inline_content(child).strip() + " ")
                else:
                    parts.append(self.inline(child))
            parts.append(self.text(child.tail))
        return "".join(parts)

    def inline(self, el) -> str:
        tag = el.tag
        if tag in {"strong", "b"}:
            inner = self.inline_content(el)
            return f"'''{inner}'''" if inner.strip() else inner
        if tag in {"em", "i"}:
            inner = self.inline_content(el)
            return f"''{inner}''" if inner.strip() else inner
        if tag == "code":
            return "<code>" + self.inline_content(el) + "</code>"
        if tag == "br":
            return "<br />"
        if tag == "a":
            return self.link(el)
        if tag == "img":
            return self.image(el)
        if tag == "sup" and (ref := el.find("a")) is not None and "footnote-ref" in _classes(ref):
            return self.reference(ref)
        if tag == "span" and "backlinks" in _classes(el):
            return ""  # a reference's "cited by" links: MediaWiki makes its own
        if tag == "abbr" and el.get("title"):
            return f'<abbr title="{_attribute(el.get("title"))}">{self.inline_content(el)}</abbr>'
        if tag in KEPT_INLINE_TAGS:
            return f"<{tag}>{self.inline_content(el)}</{tag}>"
        return self.inline_content(el)  # span, abbr without a title…

    def link(self, el) -> str:
        classes = _classes(el)
        href = el.get("href") or ""
        label = self.inline_content(el).strip()
        if "footnote-backref" in classes:
            return ""
        if "footnote-ref" in classes:
            return self.reference(el)
        if href.startswith(self.article_prefix) or "wikilink" in classes:
            return self.wiki_link(href, label)
        if href.startswith("#"):
            anchor = unquote(href[1:]).removeprefix(USER_ID_PREFIX)
            return f"[[#{anchor}|{label}]]" if label else f"[[#{anchor}]]"
        if href.startswith(("http://", "https://", "mailto:", "//")):
            url = href.replace(" ", "%20").replace("]", "%5D").replace("[", "%5B")
            return f"[{url} {label}]" if label else f"[{url}]"
        return label  # a link to a page of this site that the other wiki does not have

    def wiki_link(self, href: str, label: str) -> str:
        path, _, fragment = urlsplit(href).path, None, urlsplit(href).fragment
        title = unquote(path.removeprefix(self.article_prefix)).replace("_", " ")
        target = title + (f"#{unquote(fragment).replace('_', ' ')}" if fragment else "")
        shown = label.replace("&#95;", "_")
        if shown and (shown[:1].upper() + shown[1:] in {target, target.replace(" ", "_")}):
            return f"[[{label}]]"
        return f"[[{target}|{label}]]" if label else f"[[{target}]]"

    def image(self, el) -> str:
        src, alt = el.get("src") or "", escape_text(el.get("alt") or "")
        if src.startswith(("http://", "https://", "//")):
            return f"[{src} {alt}]" if alt else f"[{src}]"
        name = unquote(src.rsplit("/", 1)[-1])
        return f"[[File:{name}|{alt}]]" if alt else f"[[File:{name}]]"

    def reference(self, anchor) -> str:
        note_id = unquote((anchor.get("href") or "").lstrip("#"))
        note = self.footnotes.get(note_id)
        if note is None:
            return ""
        self.references_used = True
        if note_id in self.ref_names:
            return f'<ref name="{self.ref_names[note_id]}" />'
        name = f"note{len(self.ref_names) + 1}"
        self.ref_names[note_id] = name
        content = self.note_content(note)
        return f'<ref name="{name}">{content}</ref>'

    def note_content(self, li) -> str:
        pieces = []
        for child in [li.text] + list(li):
            if child is None or isinstance(child, str):
                pieces.append(self.text(child))
                continue
            if child.tag in BLOCK_TAGS:
                pieces.append(self.inline_content(child).strip())
            else:
                pieces.append(self.inline(child))
            pieces.append(self.text(child.tail))
        return " ".join(p.strip() for p in pieces if p.strip())
