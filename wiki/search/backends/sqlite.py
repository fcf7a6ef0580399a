"""SQLite backend: an FTS5 table (title, lead + headings, body, the lead's prose) ranked by bm25;
snippets come from the prose (migration 0013), or from the body when only it matches.

The table and the word list are created by migration 0003; a second FTS5 table of title and
lead alone (migration 0004) finds and ranks the head tier when there are many matches. FTS5 has
its own query syntax in which a stray quote or `-` is an error, so reader syntax is translated
here, every word quoted.
"""

import re

from django.db import connection

from ...languages import content_language
from ..constants import MARK_END, MARK_START
from ..title_prefixes import titles_starting_with
from .base import Found, SearchBackend

TABLE = "wiki_search_fts"
HEAD = "wiki_search_head"  # title and lead only
# bm25 weights of the columns: a title match outranks many body matches. The prose repeats
# part of the lead, for snippets only: it weighs nothing.
RANK = f"bm25({TABLE}, 10.0, 4.0, 1.0, 0.0)"
HEAD_RANK = f"bm25({HEAD}, 10.0, 4.0)"
TOKEN = re.compile(r'-?"[^"]*"?|\S+')
TERM_WORD = re.compile(r"\w+")


def _phrase(text: str) -> str:
    """Words of `text` as one quoted FTS5 phrase ('' when there are none)."""
    words = TERM_WORD.findall(text)
    return '"' + " ".join(words) + '"' if words else ""


def fts_query(query: str) -> str:
    """Reader syntax as PostgreSQL's websearch_to_tsquery reads it, in FTS5 syntax:
    words must all match, "quoted words" are phrases, -word excludes, OR between alternatives."""
    groups, positives, negatives = [], [], []
    for token in TOKEN.findall(query):
        if token.upper() == "OR":
            groups.append((positives, negatives))
            positives, negatives = [], []
            continue
        negative = token.startswith("-") and len(token) > 1
        if phrase := _phrase(token[1:] if negative else token):
            (negatives if negative else positives).append(phrase)
    groups.append((positives, negatives))
    parts = [
        "(" + " AND ".join(pos) + "".join(f" NOT {n}" for n in neg) + ")"
        for pos, neg in groups
        if pos
    ]
    return " OR ".join(parts)


class SQLiteSearchBackend(SearchBackend):
    vendor = "sqlite"
    rank_all_up_to = 1000

    def index_many(self, documents) -> None:
        ids = [[d.article_id] for d in documents]
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", ids)
            cursor.executemany(f"DELETE FROM {HEAD} WHERE rowid = %s", ids)
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, title, lead, body, prose) "
                "VALUES (%s, %s, %s, %s, %s)",
                [[d.article_id, d.title, d.lead, d.body, d.prose] for d in documents],
            )
            cursor.executemany(
                f"INSERT INTO {HEAD} (rowid, title, lead) VALUES (%s, %s, %s)",
                [[d.article_id, d.title, d.lead] for d in documents],
            )
            cursor.executemany(
                "INSERT OR IGNORE INTO wiki_search_word (word) VALUES (%s)",
                [[word] for word in sorted(set().union(*(d.words() for d in documents)))],
            )

    def remove(self, article_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [article_id])
            cursor.execute(f"DELETE FROM {HEAD} WHERE rowid = %s", [article_id])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
            cursor.execute(f"DELETE FROM {HEAD}")
            cursor.execute("DELETE FROM wiki_search_word")
            cursor.execute(
                "INSERT INTO wiki_search_word_trigram (wiki_search_word_trigram) VALUES ('rebuild')"
            )

    def search(self, query: str, *, offset: int, limit: int) -> Found:
        match = fts_query(query)
        if not match:
            return Found([], 0)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE {TABLE} MATCH %s LIMIT %s)",
                [match, self.count_up_to],
            )
            total = cursor.fetchone()[0]
            if not total or offset >= total:
                return Found([], total)
            if total <= self.rank_all_up_to:
                ids = self._ranked(cursor, match, offset, limit)
            else:
                ids = self._in_tiers(cursor, match, offset, limit)
            snippets = self._snippets(cursor, match, ids)
        return Found([(article_id, snippets.get(article_id, "")) for article_id in ids], total)

    def _ranked(self, cursor, match: str, offset: int, limit: int) -> list[int]:
        """Titles holding every word first, then bm25 of all three columns."""
        cursor.execute(
            f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s "
            f"ORDER BY rowid IN (SELECT rowid FROM {HEAD} WHERE {HEAD} MATCH %s) DESC, "
            f"{RANK}, rowid LIMIT %s OFFSET %s",
            [match, f"title : ({match})", limit, offset],
        )
        return [row[0] for row in cursor.fetchall()]

    def _in_tiers(self, cursor, match: str, offset: int, limit: int) -> list[int]:
        """Many matches: bm25 costs time for every row it ranks, so rank only those whose title
        and lead hold the query (titles holding every word first), from the table of titles
        and leads, whose position lists are short; then the rest."""
        head = f"SELECT rowid FROM {HEAD} WHERE {HEAD} MATCH %s"
        head_params = [match]
        if " NOT " in match:  # a word left out must be absent from the body too
            head += f" AND rowid IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s)"
            head_params.append(match)
        cursor.execute(
            f"{head} ORDER BY rowid IN (SELECT rowid FROM {HEAD} WHERE {HEAD} MATCH %s) DESC, "
            f"{HEAD_RANK}, rowid LIMIT %s OFFSET %s",
            [*head_params, f"title : ({match})", limit, offset],
        )
        ids = [row[0] for row in cursor.fetchall()]
        if len(ids) < limit:
            cursor.execute(f"SELECT count(*) FROM ({head})", head_params)
            skip = max(0, offset - cursor.fetchone()[0])
            cursor.execute(
                f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s "
                f"AND rowid NOT IN (SELECT rowid FROM {HEAD} WHERE {HEAD} MATCH %s) "
                f"ORDER BY {RANK}, rowid LIMIT %s OFFSET %s",
                [match, match, limit - len(ids), skip],
            )
            ids += [row[0] for row in cursor.fetchall()]
        return ids

    def _snippets(self, cursor, match: str, ids: list[int]) -> dict[int, str]:
        """Snippets only for the page shown: the lead's prose if it matches, else the body's
        (the infobox and the headings are searched, not quoted)."""
        marks = f"'{MARK_START}', '{MARK_END}', ' … ', 24"
        cursor.execute(
            f"SELECT rowid, snippet({TABLE}, 3, {marks}), snippet({TABLE}, 2, {marks}) "
            f"FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid IN ({', '.join(['%s'] * len(ids))})",
            [match, *ids],
        )
        return {
            rowid: prose if MARK_START in prose or (prose and MARK_START not in body) else body
            for rowid, prose, body in cursor.fetchall()
        }

    def known_words(self, words) -> set[str]:
        words = list(words)
        if not words:
            return set()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM wiki_search_word "
                f"WHERE word IN ({', '.join(['%s'] * len(words))})",
                words,
            )
            return {row[0] for row in cursor.fetchall()}

    def similar_words(self, word: str) -> list[str]:
        """Words sharing the most three-letter pieces with `word` (FTS5 trigram index)."""
        trigrams = sorted({word[i : i + 3] for i in range(len(word) - 2)})
        if not trigrams:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT w.word FROM wiki_search_word_trigram t "
                "JOIN wiki_search_word w ON w.id = t.rowid "
                "WHERE wiki_search_word_trigram MATCH %s ORDER BY t.rank LIMIT 200",
                [" OR ".join(f'"{t}"' for t in trigrams)],
            )
            return [row[0] for row in cursor.fetchall()]

    def suggest(self, prefix: str, limit: int) -> list[str]:
        titles = titles_starting_with(prefix, limit)
        with connection.cursor() as cursor:
            words = TERM_WORD.findall(prefix)
            if len(titles) < limit and words:
                # Titles with words starting so: "dyst" finds "Paroxysmal dystonia".
                match = "title : (" + " AND ".join(f'"{w}"' for w in words) + "*)"
                cursor.execute(
                    f"SELECT f.title FROM {TABLE} f JOIN wiki_article a ON a.id = f.rowid "
                    f"WHERE {TABLE} MATCH %s AND a.language = %s "
                    "ORDER BY length(f.title), f.title LIMIT %s",
                    [match, content_language(), limit * 2],
                )
                titles += [row[0] for row in cursor.fetchall() if row[0] not in titles]
        return titles[:limit]
