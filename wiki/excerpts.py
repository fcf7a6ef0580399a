"""Excerpts of an article: the prose of its lead, cut short.

Every excerpt a reader or a machine sees (the main page's featured blurb, search snippets, the
meta description, OpenGraph, API descriptions) is made from `lead_prose`: the text of the lead's
paragraphs, without the infobox, figures, lists of links, headings or reference marks. The
infobox stays searchable (`wiki.search.documents`); it is just not prose.
"""

from html.parser import HTMLParser

# Blocks whose paragraphs are not the lead's prose (a caption, an infobox cell, a list item).
NOT_PROSE = {
    "table",
    "ul",
    "ol",
    "dl",
    "figure",
    "aside",
    "nav",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "sup",  # reference marks [1]
    "script",
    "style",
    "div",  # notices, navigation boxes, footnotes
}
VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col", "area"}


class _ProseParser(HTMLParser):
    """Collects the text of <p> elements that no NOT_PROSE element encloses; linear."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.outside = 0  # depth inside NOT_PROSE elements
        self.paragraph = 0  # depth inside <p>
        self.paragraphs: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        if tag in NOT_PROSE:
            self.outside += 1
        elif tag == "p":
            self.paragraph += 1
            if self.paragraph == 1 and not self.outside:
                self.paragraphs.append([])

    def handle_endtag(self, tag):
        if tag in NOT_PROSE:
            self.outside = max(0, self.outside - 1)
        elif tag == "p":
            self.paragraph = max(0, self.paragraph - 1)

    def handle_data(self, data):
        if self.paragraph and not self.outside and self.paragraphs:
            self.paragraphs[-1].append(data)


def lead_prose(lead_html: str) -> str:
    """The plain text of the lead's paragraphs, whitespace collapsed ('' when it has none)."""
    parser = _ProseParser()
    parser.feed(lead_html or "")
    parser.close()
    texts = (" ".join("".join(parts).split()) for parts in parser.paragraphs)
    return " ".join(text for text in texts if text)


def cut(text: str, length: int) -> str:
    """`text` cut between words to at most `length` characters, with an ellipsis."""
    if len(text) <= length:
        return text
    head = text[: length - 1]
    if text[length - 1] != " " and " " in head:  # the cut falls inside a word: drop it
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:–—-") + "…"


def excerpt(lead_html: str, length: int = 160) -> str:
    """A one-line excerpt of the lead's prose, cut between words."""
    return cut(lead_prose(lead_html), length)
