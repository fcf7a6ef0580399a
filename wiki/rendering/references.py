"""References: citations written out, the list of references, where it goes."""

import xml.etree.ElementTree as etree

from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from ..citations import identifier_links, render_citation_lines
from ..sources import SourceSection


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


REFERENCE_HEADINGS = {"references", "notes", "footnotes", "notes and references", "citations"}


def references_section(sections: list[SourceSection]) -> int | None:
    """The index of the section the list of references goes in (a "References" heading, or
    "Notes"…), the last such one; None: it goes at the end, under its own heading."""
    found = None
    for i, section in enumerate(sections):
        if " ".join(section.heading.split()).strip("#: ").lower() in REFERENCE_HEADINGS:
            found = i
    return found
