"""PostgreSQL engine: a stored, weighted tsvector (title A, lead and headings B, body C) with a
GIN index, `websearch_to_tsquery` for reader syntax, `ts_rank`, `ts_headline` for the page of
hits shown, and pg_trgm for titles and words that are close to what was typed.

Tables and indexes are created by migration 0003; the entry is keyed by article and kept out of
the Article model, so revision snapshots hold no search data.
"""

import re

from django.db import connection, transaction

from . import COUNT_UP_TO, MARK_END, MARK_START, Found
from .titles import titles_starting_with

CONFIG = "english"
RANK_ALL_UP_TO = 300  # more matches are ranked by their title and lead only (see `search`)
TERM_WORD = re.compile(r"\w+")
HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


INDEX_ENTRY = f"""
    INSERT INTO wiki_search_entry
        (article_id, title, lead, body, title_vector, head_vector, vector)
    SELECT %(id)s, %(title)s, %(lead)s, %(body)s, t, t || l, t || l || b
    FROM setweight(to_tsvector('{CONFIG}', %(title)s), 'A') t,
         setweight(to_tsvector('{CONFIG}', %(lead)s), 'B') l,
         setweight(to_tsvector('{CONFIG}', %(body)s), 'C') b
    ON CONFLICT (article_id) DO UPDATE SET
        title = EXCLUDED.title, lead = EXCLUDED.lead, body = EXCLUDED.body,
        title_vector = EXCLUDED.title_vector, head_vector = EXCLUDED.head_vector,
        vector = EXCLUDED.vector
"""


def _entry(document) -> dict:
    return {
        "id": document.article_id,
        "title": document.title,
        "lead": document.lead,
        "body": document.body,
    }


def _add_words(cursor, words) -> None:
    # Sorted, so two saves adding the same new words cannot deadlock.
    cursor.execute(
        "INSERT INTO wiki_search_word (word) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING",
        [sorted(words)],
    )


def index(document) -> None:
    with connection.cursor() as cursor:
        cursor.execute(INDEX_ENTRY, _entry(document))
        _add_words(cursor, document.words())


def index_many(documents) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(INDEX_ENTRY, [_entry(d) for d in documents])
        _add_words(cursor, set().union(*(d.words() for d in documents)))


def remove(article_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM wiki_search_entry WHERE article_id = %s", [article_id])


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE wiki_search_entry, wiki_search_word")


def search(query: str, *, offset: int, limit: int) -> Found:
    params = {"q": query, "limit": limit, "offset": offset, "most": COUNT_UP_TO}
    with transaction.atomic(), connection.cursor() as cursor:
        # `@@` on a row reads its whole vector; the GIN index answers without reading any, but
        # the planner, not knowing that cost, picks a sequential scan for common words.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"""
            SELECT count(*) FROM (
                SELECT 1 FROM wiki_search_entry
                WHERE vector @@ websearch_to_tsquery('{CONFIG}', %(q)s) LIMIT %(most)s
            ) matches
            """,
            params,
        )
        total = cursor.fetchone()[0]
        if not total or offset >= total:
            return Found([], total)
        # Titles holding every word first, then the weighted rank of the whole vector. With
        # many matches, the rank of the title and lead alone (a small vector kept in the row).
        order = (
            "e.title_vector @@ query DESC, ts_rank(e.vector, query) DESC"
            if total <= RANK_ALL_UP_TO
            else "ts_rank(e.head_vector, query) DESC"
        )
        cursor.execute(
            f"""
            SELECT e.article_id
            FROM wiki_search_entry e, websearch_to_tsquery('{CONFIG}', %(q)s) query
            WHERE e.vector @@ query
            ORDER BY {order}, e.article_id
            LIMIT %(limit)s OFFSET %(offset)s
            """,
            params,
        )
        ids = [row[0] for row in cursor.fetchall()]
        # Headlines only for the page shown: ts_headline re-parses the text.
        cursor.execute(
            f"""
            SELECT article_id, ts_headline('{CONFIG}', lead || ' ' || body,
                                           websearch_to_tsquery('{CONFIG}', %s), %s)
            FROM wiki_search_entry WHERE article_id = ANY(%s)
            """,
            [query, HEADLINE_OPTIONS, ids],
        )
        snippets = dict(cursor.fetchall())
    return Found([(article_id, snippets.get(article_id, "")) for article_id in ids], total)


def known_words(words) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM wiki_search_word WHERE word = ANY(%s)", [list(words)])
        return {row[0] for row in cursor.fetchall()}


def similar_words(word: str) -> list[str]:
    """Words whose trigrams are most like those of `word` (pg_trgm's GIN index)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM wiki_search_word WHERE word %% %s "
            "ORDER BY similarity(word, %s) DESC, word LIMIT 50",
            [word, word],
        )
        return [row[0] for row in cursor.fetchall()]


def suggest(prefix: str, limit: int) -> list[str]:
    low = prefix.lower()
    titles = titles_starting_with(prefix, limit)
    with connection.cursor() as cursor:
        words = TERM_WORD.findall(prefix)
        if len(titles) < limit and words:
            # Titles with words starting so: "dyst" finds "Paroxysmal dystonia".
            terms = " & ".join(f"'{w}'" for w in words[:-1])
            terms += (" & " if terms else "") + f"'{words[-1]}':*"
            cursor.execute(
                f"""
                SELECT e.title FROM wiki_search_entry e JOIN wiki_article a ON a.id = e.article_id
                WHERE e.title_vector @@ to_tsquery('{CONFIG}', %s)
                ORDER BY length(e.title), e.title LIMIT %s
                """,
                [terms, limit * 2],
            )
            titles += [row[0] for row in cursor.fetchall() if row[0] not in titles]
        if len(titles) < limit and len(low) >= 4:
            # Typo tolerance: titles holding a word close to what was typed ("dystona").
            cursor.execute(
                """
                SELECT e.title FROM wiki_search_entry e JOIN wiki_article a ON a.id = e.article_id
                WHERE %s <%% e.title
                ORDER BY word_similarity(%s, e.title) DESC, length(e.title) LIMIT %s
                """,
                [low, low, limit * 2],
            )
            titles += [row[0] for row in cursor.fetchall() if row[0] not in titles]
    return titles[:limit]
