"""What the index holds of an article: its title, lead + headings and body as plain text, the
lead's prose, which snippets are made from, and the language they are in."""

from dataclasses import dataclass, field
from html import unescape

from ..excerpts import lead_prose
from ..languages import content_language
from ..rendering import plain_text
from .constants import CONTROL_CHARS, HEADING_SEPARATOR, LANGUAGE_MARK, MARK_END, MARK_START, WORD


@dataclass
class SearchDocument:
    """What the index holds of one article, as plain text."""

    article_id: int
    title: str
    lead: str  # the lead and the section headings
    body: str  # the sections' text
    prose: str = ""  # the lead's paragraphs (no infobox, lists or headings): snippets' source
    # Its words are stemmed as this language's and found only by searches in it; by default the
    # one being read, as a new article's.
    language: str = field(default_factory=content_language)
    _words: set[str] | None = field(default=None, repr=False, compare=False)

    def words(self) -> set[str]:
        if self._words is None:
            self._words = set(WORD.findall(f"{self.title} {self.lead} {self.body}".lower()))
        return self._words


def _clean(text: str) -> str:
    for mark in (MARK_START, MARK_END, LANGUAGE_MARK):
        text = text.replace(mark, " ")
    return CONTROL_CHARS.sub(" ", text)


def _plain(html: str) -> str:
    return _clean(unescape(plain_text(html or "")))


def prose_of(lead_html: str) -> str:
    """The lead's prose as the index holds it (`excerpts.lead_prose`)."""
    return _clean(lead_prose(lead_html))


def document_from_html(
    article_id, title: str, lead_html: str, sections, language: str | None = None
) -> SearchDocument:
    """Title, lead + headings, body: the three weighted parts, from rendered HTML;
    `sections` are (heading_html, html) pairs in order."""
    # Separated, so a snippet running from the lead into the headings reads as a list.
    parts = [_plain(lead_html), *(_plain(heading_html) for heading_html, _ in sections)]
    return SearchDocument(
        article_id=article_id,
        title=title,
        lead=HEADING_SEPARATOR.join(part for part in parts if part),
        body=_plain(" ".join(html for _, html in sections)),
        prose=prose_of(lead_html),
        language=language or content_language(),
    )


def document_of_composition(composition, article_id, title: str) -> SearchDocument:
    """The search document of a composed text (`composing.compose`), before it is stored."""
    return document_from_html(
        article_id,
        title,
        composition.rendered.lead_html,
        [(section.heading_html, section.html) for section in composition.rendered.sections],
    )


def document_for(article) -> SearchDocument:
    """The search document of an article as stored."""
    sections = sorted(article.sections.all(), key=lambda s: s.position)
    return document_from_html(
        article.pk,
        article.title,
        article.lead_html,
        [(s.heading_html, s.html) for s in sections],
        article.language,
    )
