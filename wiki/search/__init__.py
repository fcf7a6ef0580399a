"""Full-text search: one interface, one engine per database vendor.

PostgreSQL (`postgres.py`): a stored weighted tsvector with a GIN index, `websearch_to_tsquery`,
`ts_rank`, `ts_headline` and pg_trgm. SQLite (`sqlite.py`): an FTS5 table ranked with bm25 and
`snippet()`. Both keep a table of the words in the wiki for "did you mean". The write path calls
`index_article` inside its transaction, so the index never lags behind a save.
"""

import re
from dataclasses import dataclass, field
from html import unescape

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..rendering import plain_text
from .spelling import best_correction

PER_PAGE = 20
# 50 pages of 20. Deeper pages cost more than anyone reads; so does counting further, and
# ranking more than this many articles whose title or lead holds the query.
MAX_OFFSET = 1_000
COUNT_UP_TO = MAX_OFFSET + 1  # engines stop counting here: "more than 1,000" results
MAX_QUERY_LENGTH = 300
# Markers the engines put around matched words (private-use characters, removed from
# indexed text, so only an engine can have put them there).
MARK_START, MARK_END = "\ue000", "\ue001"
WORD = re.compile(r"[^\W\d_]{3,40}")  # words spell-checked and collected for "did you mean"
HEADING_SEPARATOR = " · "  # between the lead and each heading in the indexed text
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class QueryTooLong(ValueError):
    """A query longer than MAX_QUERY_LENGTH characters."""


@dataclass
class Found:
    """What an engine answers: (article id, plain-text snippet with markers) for one page of
    hits, best first, and how many articles match in all."""

    rows: list[tuple[int, str]]
    total: int  # at most COUNT_UP_TO


@dataclass
class SearchDocument:
    """What the index holds of one article, as plain text."""

    article_id: int
    title: str
    lead: str  # the lead and the section headings
    body: str  # the sections' text
    _words: set[str] | None = field(default=None, repr=False, compare=False)

    def words(self) -> set[str]:
        if self._words is None:
            self._words = set(WORD.findall(f"{self.title} {self.lead} {self.body}".lower()))
        return self._words


@dataclass
class Hit:
    article: object  # wiki.models.Article with its categories prefetched
    snippet: SafeString


@dataclass
class SearchResults:
    query: str
    hits: list[Hit]
    total: int
    number: int = 1
    per_page: int = PER_PAGE
    did_you_mean: str = ""
    hits_by_id: dict = field(default_factory=dict, repr=False)

    # The attributes templates/encyclopedia/includes/pagination.html reads from a Page.
    @property
    def paginator(self):
        return self

    @property
    def num_pages(self) -> int:
        return max(1, -(-min(self.total, MAX_OFFSET) // self.per_page))

    @property
    def total_is_capped(self) -> bool:
        return self.total >= COUNT_UP_TO

    @property
    def counted_up_to(self) -> str:
        return f"{MAX_OFFSET:,}"

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next()

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1

    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.hits else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.hits)


def engine():
    """The search engine of the default database (Wagtail chooses its backend the same way)."""
    if connection.vendor == "postgresql":
        from . import postgres

        return postgres
    if connection.vendor == "sqlite":
        from . import sqlite

        return sqlite
    raise NotImplementedError(f"No search engine for {connection.vendor}")


def _plain(html: str) -> str:
    return CONTROL_CHARS.sub(
        " ", unescape(plain_text(html or "")).replace(MARK_START, " ").replace(MARK_END, " ")
    )


def document_from_html(article_id, title: str, lead_html: str, sections) -> SearchDocument:
    """Title, lead + headings, body: the three weighted parts, from rendered HTML;
    `sections` are (heading_html, html) pairs in order."""
    # Separated, so a snippet running from the lead into the headings reads as a list.
    parts = [_plain(lead_html), *(_plain(heading_html) for heading_html, _ in sections)]
    return SearchDocument(
        article_id=article_id,
        title=title,
        lead=HEADING_SEPARATOR.join(part for part in parts if part),
        body=_plain(" ".join(html for _, html in sections)),
    )


def document_for(article) -> SearchDocument:
    """The search document of an article as stored."""
    sections = sorted(article.sections.all(), key=lambda s: s.position)
    return document_from_html(
        article.pk, article.title, article.lead_html, [(s.heading_html, s.html) for s in sections]
    )


def index_article(article) -> None:
    """Bring the article's search entry in step with its current text (same transaction)."""
    engine().index(document_for(article))


def index_documents(documents) -> None:
    """Add or replace many entries at once (the bulk importer; same transaction)."""
    if documents:
        engine().index_many(documents)


def remove_article(article) -> None:
    """Drop the article's search entry."""
    engine().remove(article.pk)


def clean_query(raw: str) -> str:
    """The query as the engines see it: no control characters, spaces collapsed."""
    query = " ".join(CONTROL_CHARS.sub(" ", raw or "").split())
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryTooLong(f"A search can be at most {MAX_QUERY_LENGTH} characters long.")
    return query


def highlight(text: str) -> SafeString:
    """Escape the engine's plain-text snippet, then turn its markers into <mark> elements."""
    escaped = escape(text.replace(MARK_END + MARK_START, ""))
    escaped = re.sub(f"{MARK_START}([^{MARK_END}]*){MARK_END}", r"<mark>\1</mark>", escaped)
    return mark_safe(escaped.replace(MARK_START, "").replace(MARK_END, ""))


def search(query: str, page: int = 1, *, per_page: int = PER_PAGE) -> SearchResults:
    """Ranked articles matching `query` (quotes, -word and OR work), one page of them."""
    from ..models import Article

    query = clean_query(query)
    page = max(1, min(int(page), MAX_OFFSET // per_page))
    if not query:
        return SearchResults(query=query, hits=[], total=0, number=page, per_page=per_page)
    found = engine().search(query, offset=(page - 1) * per_page, limit=per_page)
    ids = [article_id for article_id, _ in found.rows]
    # An entry whose article is gone (deleted outside the write path) is left out here.
    shown = Article.objects.filter(pk__in=ids).only("title", "slug", "size", "updated_at")
    articles = {a.pk: a for a in shown.prefetch_related("categories")}
    hits = [
        Hit(articles[article_id], highlight(snippet))
        for article_id, snippet in found.rows
        if article_id in articles
    ]
    return SearchResults(
        query=query,
        hits=hits,
        total=found.total,
        number=page,
        per_page=per_page,
        did_you_mean=did_you_mean(query),
    )


def did_you_mean(query: str) -> str:
    """The query with words the wiki does not know replaced by close ones it does, when that
    finds something; else ''."""
    corrected = _corrected(query)
    return corrected if corrected and engine().search(corrected, offset=0, limit=1).total else ""


def suggest(prefix: str, limit: int = 10) -> list[str]:
    """Titles for the search box: titles starting with `prefix` first, then titles with a word
    starting with it (PostgreSQL adds titles with a similar word); when none match, the same
    for the prefix with misspelt words corrected."""
    prefix = " ".join(CONTROL_CHARS.sub(" ", prefix or "").split())[:MAX_QUERY_LENGTH]
    if not prefix:
        return []
    titles = engine().suggest(prefix, limit)
    if not titles and (corrected := _corrected(prefix)):
        titles += [t for t in engine().suggest(corrected, limit) if t not in titles]
    return titles[:limit]


def _corrected(text: str) -> str:
    """`text` with each word the wiki does not know replaced by the closest it does ('' when
    nothing was corrected)."""
    words = {w.lower() for w in WORD.findall(text)}
    unknown = words - engine().known_words(words)
    corrections = {}
    for word in unknown:
        if fix := best_correction(word, engine().similar_words(word)):
            corrections[word] = fix
    if not corrections:
        return ""
    return WORD.sub(lambda m: corrections.get(m.group().lower(), m.group()), text)


def rebuild(progress=None, batch_size: int = 500) -> int:
    """Empty the index and index every article again; `progress(done, total)` after each batch."""
    from django.db import transaction

    from ..models import Article

    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        engine().clear()
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            batch = Article.objects.filter(pk__in=ids[start : start + batch_size])
            index_documents([document_for(a) for a in batch.prefetch_related("sections")])
        if progress:
            progress(min(start + batch_size, len(ids)), len(ids))
    return len(ids)
