"""References: citations written out, the list of references, where it goes."""

import xml.etree.ElementTree as etree

from markdown.extensions.footnotes import NBSP_PLACEHOLDER
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
CITED_BY = "↑"


class ReferenceList(Treeprocessor):
    """The list of references, once footnotes are numbered: each reference starts with its
    "cited by" back-links (↑ for one use, ↑ a b c for several, one per use), as Wikipedia's
    do, where a thumb finds them; DOIs, PMIDs, PMCIDs and ISBNs in its text become links
    (`wiki.citations.identifier_links`)."""

    def run(self, root):
        for div in root.iter("div"):
            if div.get("class") != "footnote":
                continue
            for item in div.iter("li"):
                backlinks = [a for a in item.iter("a") if a.get("class") == "footnote-backref"]
                if backlinks:
                    _cited_by_first(item, backlinks)
                _link_identifiers(item)


def _label(n: int) -> str:
    return BACKLINK_LETTERS[n] if n < len(BACKLINK_LETTERS) else str(n + 1)


def _cited_by_first(item, backlinks) -> None:
    """Move the back-links Python-Markdown puts at the end of a reference to its start, in a
    `span.backlinks`: ↑ alone when it is cited once, else ↑ then a letter for each use."""
    parents = {child: parent for parent in item.iter() for child in parent}
    for link in backlinks:
        parent = parents[link]
        parent.remove(link)
        if parent is not item and parent.tag == "p" and not len(parent) and not parent.text:
            parents[parent].remove(parent)  # the paragraph made only to hold them
    last = item[-1] if len(item) else None
    if last is not None and last.tag == "p" and (last.text or "").endswith(NBSP_PLACEHOLDER):
        last.text = last.text[: -len(NBSP_PLACEHOLDER)]
    span = etree.Element("span", {"class": "backlinks"})
    if len(backlinks) == 1:
        backlinks[0].text = CITED_BY
    else:
        span.text = CITED_BY + "\u00a0"
        for n, link in enumerate(backlinks):
            link.text = _label(n)
            link.tail = " " if n + 1 < len(backlinks) else None
    for link in backlinks:
        span.append(link)
    holder = item[0] if len(item) and item[0].tag == "p" else item
    span.tail = " " + (holder.text or "").lstrip()
    holder.text = None
    holder.insert(0, span)


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
