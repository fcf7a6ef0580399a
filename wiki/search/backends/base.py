"""The contract every search backend fills in, and what a backend answers a search with.

A backend is chosen by database vendor (`wiki.search.engine()`); it owns its tables (created
by migrations 0003 and 0004, each entry and word of one language since 0034) and answers with
article ids and plain-text snippets whose matched words are between MARK_START and MARK_END.
Every search, suggestion and spelling look-up is within one language (the reader's): its
words are stemmed as that language's (`stemming.py`), and the limits apply within it. Reading
articles, escaping and paging are the package's, so they are the same whichever backend answers.
"""

import abc
from dataclasses import dataclass

from django.db import transaction

from ...models import Article
from ...titles import HELP_PREFIX, TALK_PREFIX, TEMPLATE_PREFIX
from ..constants import COUNT_UP_TO, WORD
from ..documents import SearchDocument, document_for
from ..spelling import best_correction


@dataclass
class Found:
    """What a backend answers: (article id, plain-text snippet with markers) for one page of
    hits, best first, and how many articles match in all."""

    rows: list[tuple[int, str]]
    total: int  # at most the backend's count_up_to


class SearchBackend(abc.ABC):
    """Full-text index of the wiki's articles, plus the words it holds for "did you mean"."""

    vendor: str
    # Counting stops here: a total this large means "more than MAX_OFFSET".
    count_up_to: int = COUNT_UP_TO
    # More matches than this are ranked in two tiers, head (title and lead) and body. Below
    # count_up_to, so a total this small is a count, never the cap.
    rank_all_up_to: int

    def index(self, document: SearchDocument) -> None:
        """Add or replace one article's entry (inside the caller's transaction)."""
        self.index_many([document])

    @abc.abstractmethod
    def index_many(self, documents: list[SearchDocument]) -> None:
        """Add or replace many entries, and add their words to the word list."""

    @abc.abstractmethod
    def remove(self, article_id: int) -> None:
        """Drop one article's entry."""

    @abc.abstractmethod
    def clear(self) -> None:
        """Empty the index and the word list."""

    @abc.abstractmethod
    def search(self, query: str, *, language: str, offset: int, limit: int) -> Found:
        """Ids and snippets of the matches in `language` `offset`..`offset + limit`, best first,
        and their total (counted up to count_up_to). `query` is in reader syntax: quotes, -word,
        OR."""

    @abc.abstractmethod
    def suggest(self, prefix: str, limit: int, *, language: str) -> list[str]:
        """Up to `limit` titles in `language` for the search box, those starting with `prefix`
        first."""

    @abc.abstractmethod
    def known_words(self, words, *, language: str) -> set[str]:
        """Which of `words` (lower case) the wiki holds in `language`: the spelling hook for
        known words."""

    @abc.abstractmethod
    def similar_words(self, word: str, *, language: str) -> list[str]:
        """Words of the wiki in `language` spelt like `word`, most similar first: the spelling
        hook for candidates."""

    def corrected(self, text: str, *, language: str) -> str:
        """`text` with each word the wiki does not know in `language` replaced by the closest it
        does ('' when nothing was corrected)."""
        words = {w.lower() for w in WORD.findall(text)}
        unknown = words - self.known_words(words, language=language)
        corrections = {}
        for word in unknown:
            if fix := best_correction(word, self.similar_words(word, language=language)):
                corrections[word] = fix
        if not corrections:
            return ""
        return WORD.sub(lambda m: corrections.get(m.group().lower(), m.group()), text)

    def rebuild(self, progress=None, batch_size: int = 500) -> int:
        """Empty the index and index every article again, a transaction a batch;
        `progress(done, total)` after each batch."""
        # Talk and help pages are not indexed (`wiki.search.is_indexed`).
        articles = Article.objects.exclude(slug__startswith=TALK_PREFIX)
        articles = articles.exclude(slug__startswith=HELP_PREFIX)
        articles = articles.exclude(slug__startswith=TEMPLATE_PREFIX)
        ids = list(articles.order_by("pk").values_list("pk", flat=True))
        with transaction.atomic():
            self.clear()
        for start in range(0, len(ids), batch_size):
            with transaction.atomic():
                batch = Article.objects.filter(pk__in=ids[start : start + batch_size])
                documents = [document_for(a) for a in batch.prefetch_related("sections")]
                if documents:
                    self.index_many(documents)
            if progress:
                progress(min(start + batch_size, len(ids)), len(ids))
        return len(ids)
