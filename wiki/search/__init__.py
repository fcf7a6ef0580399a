"""Full-text search: one interface, one backend per database vendor.

PostgreSQL (`backends/postgres.py`): a stored weighted tsvector with a GIN index,
`websearch_to_tsquery`, `ts_rank`, `ts_headline` and pg_trgm. SQLite (`backends/sqlite.py`): an
FTS5 table ranked with bm25 and `snippet()`. Both fill in `backends.base.SearchBackend` and keep
a table of the words in the wiki for "did you mean". Each entry and word is of its article's
language, stemmed as that language's (`stemming.py`), and every search, suggestion and
correction is made within the reader's language. `subscribers.py` calls `index_article` when
the write path announces a stored text, inside its transaction, so the index never lags behind
a save. Results (`results.py`) are a lazy
sequence Django's Paginator pages.
"""

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext

from ..languages import content_language
from ..models import Article
from .backends import BACKENDS, Found, SearchBackend
from .constants import (
    CONTROL_CHARS,
    COUNT_UP_TO,
    MARK_END,
    MARK_START,
    MAX_OFFSET,
    MAX_QUERY_LENGTH,
    PER_PAGE,
    WORD,
)
from .documents import SearchDocument, document_for, document_from_html, document_of_composition
from .results import Hit, SearchPage, SearchResults, highlight

__all__ = [
    "COUNT_UP_TO",
    "MARK_END",
    "MARK_START",
    "MAX_OFFSET",
    "MAX_QUERY_LENGTH",
    "PER_PAGE",
    "WORD",
    "Found",
    "Hit",
    "QueryTooLong",
    "SearchBackend",
    "SearchDocument",
    "SearchPage",
    "SearchResults",
    "clean_query",
    "did_you_mean",
    "document_for",
    "document_from_html",
    "document_of_composition",
    "engine",
    "help_matches",
    "highlight",
    "index_article",
    "index_documents",
    "is_indexed",
    "rebuild",
    "remove_article",
    "results_for",
    "search",
    "suggest",
]


class QueryTooLong(ValueError):
    """A query longer than MAX_QUERY_LENGTH characters."""


from ..titles import HELP_PREFIX, TALK_PREFIX, is_listed_title  # noqa: E402


def engine() -> SearchBackend:
    """The search backend of the default database (Wagtail chooses its backend the same way)."""
    try:
        return BACKENDS[connection.vendor]()
    except KeyError:
        raise NotImplementedError(f"No search engine for {connection.vendor}") from None


def is_indexed(title: str) -> bool:
    """Talk, help and template pages have no search entry: the article search leaves them
    out (`talk_matches` and `help_matches` find the first two)."""
    return is_listed_title(title)


def index_article(article) -> None:
    """Bring the article's search entry in step with its current text (same transaction)."""
    if not is_indexed(article.title):
        engine().remove(article.pk)
        return
    engine().index(document_for(article))


TALK_MATCHES = 20


def talk_matches(query: str, limit: int = TALK_MATCHES):
    """Talk pages whose title or text holds every word of `query` (the search's "include talk
    pages" box)."""
    return _matches_under(TALK_PREFIX, query, limit)


def help_matches(query: str, limit: int = TALK_MATCHES):
    """The editors' help pages holding every word of `query` (shown to editors only)."""
    return _matches_under(HELP_PREFIX, query, limit)


def _matches_under(prefix: str, query: str, limit: int):
    """Pages under `prefix` whose title or text holds every word of `query`; few and small, so
    read from the article tables, not the index."""
    words = [w.strip('"') for w in clean_query(query).split() if w.strip('"-')][:10]
    if not words:
        return []
    found = Article.objects.in_language().filter(slug__startswith=prefix)
    for word in words:
        found = found.filter(
            Q(title__icontains=word) | Q(lead__icontains=word) | Q(sections__body__icontains=word)
        )
    return list(found.distinct().only("title", "slug", "updated_at").order_by("title")[:limit])


def index_documents(documents) -> None:
    """Add or replace many entries at once (the bulk importer; same transaction)."""
    if documents := [d for d in documents if is_indexed(d.title)]:
        engine().index_many(documents)


def remove_article(article) -> None:
    """Drop the article's search entry."""
    engine().remove(article.pk)


def clean_query(raw: str) -> str:
    """The query as the engines see it: no control characters, spaces collapsed."""
    query = " ".join(CONTROL_CHARS.sub(" ", raw or "").split())
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryTooLong(
            gettext("A search can be at most %(count)s characters long.")
            % {"count": MAX_QUERY_LENGTH}
        )
    return query


def results_for(query: str, language: str | None = None) -> SearchResults:
    """Every article in `language` (by default the one being read) matching `query` (quotes,
    -word and OR work), ranked, read lazily."""
    return SearchResults(clean_query(query), engine(), language)


def search(query: str, page: int = 1, *, per_page: int = PER_PAGE) -> SearchPage:
    """Ranked articles of the language being read matching `query`, one page of them."""
    return results_for(query).page(page, per_page)


def did_you_mean(query: str) -> str:
    """The query with words the wiki does not know replaced by close ones it does, when that
    finds something; else ''."""
    return results_for(query).did_you_mean


def suggest(prefix: str, limit: int = 10, language: str | None = None) -> list[str]:
    """Titles in `language` (by default the one being read) for the search box: titles starting
    with `prefix` first, then titles with a word starting with it (PostgreSQL adds titles with a
    similar word); when none match, the same for the prefix with misspelt words corrected."""
    prefix = " ".join(CONTROL_CHARS.sub(" ", prefix or "").split())[:MAX_QUERY_LENGTH]
    if not prefix:
        return []
    language = language or content_language()
    backend = engine()
    titles = backend.suggest(prefix, limit, language=language)
    if not titles and (corrected := backend.corrected(prefix, language=language)):
        titles += [
            t for t in backend.suggest(corrected, limit, language=language) if t not in titles
        ]
    return titles[:limit]


def rebuild(progress=None, batch_size: int = 500) -> int:
    """Empty the index and index every article again; `progress(done, total)` after each batch."""
    return engine().rebuild(progress, batch_size)
