"""The matches of a query as a lazy sequence that Django's Paginator can page.

Like Wagtail's search results: `len()` is the total, capped at MAX_OFFSET so no paginator
offers a page past the 50th, and a slice asks the backend for those rows only, so articles are
read and snippets made for the page shown alone. The page the view expects (`page()`) is
fetched by the same backend call that counts, so a results page costs one search, as it did.
"""

import re
from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import EmptyPage, Page, Paginator
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..excerpts import excerpt
from ..languages import content_language
from ..models import Article
from ..snapshots import load_snapshots
from .constants import MARK_END, MARK_START, MAX_OFFSET, PER_PAGE


def highlight(text: str) -> SafeString:
    """Escape the engine's plain-text snippet, then turn its markers into <mark> elements."""
    escaped = escape(text.replace(MARK_END + MARK_START, ""))
    escaped = re.sub(f"{MARK_START}([^{MARK_END}]*){MARK_END}", r"<mark>\1</mark>", escaped)
    return mark_safe(escaped.replace(MARK_START, "").replace(MARK_END, ""))


@dataclass
class Hit:
    article: object  # wiki.models.Article with its categories prefetched
    snippet: SafeString


class SearchResults:
    """Every article in `language` (by default the one being read) matching `query` (already
    cleaned), best first, read on demand."""

    def __init__(self, query: str, backend, language: str | None = None):
        self.query = query
        self.backend = backend
        self.language = language or content_language()
        self._window = (0, PER_PAGE)  # what to fetch with the count, when nothing is yet
        self._found = {}  # (offset, limit) -> Found
        # Readers (not editors) are shown an article's reviewed revision while newer edits
        # await review (`wiki.review`): its snippet then comes from that revision's lead.
        self.for_readers = False

    def _fetch(self, offset: int, limit: int):
        key = (offset, limit)
        if key not in self._found:
            self._found[key] = self.backend.search(
                self.query, language=self.language, offset=offset, limit=limit
            )
        return self._found[key]

    @property
    def total(self) -> int:
        """How many articles match, counted up to the backend's count_up_to."""
        if not self.query:
            return 0
        found = next(iter(self._found.values()), None) or self._fetch(*self._window)
        return found.total

    @property
    def total_is_capped(self) -> bool:
        return self.total >= self.backend.count_up_to

    @property
    def counted_up_to(self) -> str:
        return f"{MAX_OFFSET:,}"

    def __len__(self) -> int:
        """The matches pages can reach: a capped count means more than MAX_OFFSET."""
        return MAX_OFFSET if self.total_is_capped else min(self.total, MAX_OFFSET)

    def __getitem__(self, key):
        if isinstance(key, int):
            hits = self[key : key + 1]
            if not hits:
                raise IndexError(key)
            return hits[0]
        start, stop, step = key.indices(len(self))
        if step != 1:
            raise ValueError("Search results are sliced in order.")
        return self._hits(self._rows(start, stop)) if stop > start else []

    def _rows(self, start: int, stop: int) -> list[tuple[int, str]]:
        """Rows start..stop, from a fetch already made when one holds them."""
        for (offset, limit), found in self._found.items():
            if offset <= start and stop <= offset + limit:
                return found.rows[start - offset : stop - offset]
        return self._fetch(start, stop - start).rows

    def _hits(self, rows) -> list[Hit]:
        ids = [article_id for article_id, _ in rows]
        # An entry whose article is gone (deleted outside the write path) is left out here.
        shown = Article.objects.filter(pk__in=ids).only(
            "title",
            "slug",
            "size",
            "updated_at",
            "latest_revision_id",
            "reviewed_revision_id",
            "checked_revision_id",
            "show_reviewed",
        )
        articles = {a.pk: a for a in shown.prefetch_related("categories")}
        reviewed = self._reviewed_summaries(articles.values()) if self.for_readers else {}
        return [
            Hit(articles[article_id], reviewed.get(article_id) or highlight(snippet))
            for article_id, snippet in rows
            if article_id in articles
        ]

    @staticmethod
    def _reviewed_summaries(articles) -> dict[int, str]:
        """The excerpt of the lead's prose of the revision readers see, for the articles whose
        readers are shown their reviewed revision (one snapshot query for the page)."""
        waiting = {a.stable_revision_id: a.pk for a in articles if a.readers_shown_reviewed}
        summaries = {}
        for revision_id, snapshot in load_snapshots(list(waiting)).items():
            # Its stored HTML only: nothing is rendered for a search (a revision kept without
            # it keeps the index's snippet).
            if snapshot.lead_html:
                summaries[waiting[revision_id]] = escape(excerpt(snapshot.lead_html))
        return summaries

    @cached_property
    def did_you_mean(self) -> str:
        """The query with words the wiki does not know replaced by close ones it does, when
        that finds something; else ''."""
        if not self.query:
            return ""
        corrected = self.backend.corrected(self.query, language=self.language)
        if not corrected:
            return ""
        found = self.backend.search(corrected, language=self.language, offset=0, limit=1)
        return corrected if found.total else ""

    def page(self, number: int, per_page: int = PER_PAGE) -> "SearchPage":
        """Page `number` (at most the last page MAX_OFFSET reaches). Past the last page with
        results it is an empty page, so the reader is told there are no more (Paginator's
        get_page would show the last page instead)."""
        number = max(1, min(int(number), MAX_OFFSET // per_page))
        if not self._found:
            self._window = ((number - 1) * per_page, per_page)
        paginator = SearchPaginator(self, per_page)
        try:
            return paginator.page(number)
        except EmptyPage:
            return SearchPage([], number, paginator)


class SearchPaginator(Paginator):
    """Django's Paginator, handing out SearchPages."""

    def _get_page(self, *args, **kwargs):
        return SearchPage(*args, **kwargs)


class SearchPage(Page):
    """A Page of hits that also answers for its results (total, did you mean)."""

    @property
    def results(self) -> SearchResults:
        return self.paginator.object_list

    @property
    def hits(self) -> list[Hit]:
        return list(self.object_list)

    @property
    def total(self) -> int:
        return self.results.total

    @property
    def total_is_capped(self) -> bool:
        return self.results.total_is_capped

    @property
    def did_you_mean(self) -> str:
        return self.results.did_you_mean

    def end_index(self) -> int:
        # The rows shown, not the rows counted: a row whose article is gone is not shown.
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)
