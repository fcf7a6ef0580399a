"""SQLite backend: an FTS5 table (title, lead + headings, body, the lead's prose) ranked by bm25;
snippets come from the prose (migration 0013), or from the body when only it matches.

The table and the word list are created by migration 0003; a second FTS5 table of title and
lead alone (migration 0004) finds and ranks the head tier when there are many matches. FTS5 has
its own query syntax in which a stray quote or `-` is an error, so reader syntax is translated
here, every word quoted.

Each entry and word has a language (migration 0034): an indexed `language` column holding one
word, the language's code after LANGUAGE_MARK, which every search matches too, so counts,
ranks and limits are within the reader's language (a word no text holds, so no column filter
is needed, which would cost reading the position lists of every match). FTS5 folds diacritics
(`remove_diacritics 2`) and stems English (porter); the other languages' words are stemmed
here (`stemming.stems`) into the columns `stemmed_title`, `stemmed_lead` and `stemmed_body`,
which their searches match instead, with the query's words stemmed the same way. Their
snippets still come from the text as written, marking the words that begin with a stem of the
query.
"""

import re
from dataclasses import dataclass

from django.db import connection

from ..constants import LANGUAGE_MARK, MARK_END, MARK_START
from ..stemming import stemmed_here, stems
from ..title_prefixes import titles_starting_with
from .base import Found, SearchBackend

TABLE = "wiki_search_fts"
HEAD = "wiki_search_head"  # title and lead only
# bm25 weights of the columns: a title match outranks many body matches (as written, then
# stemmed). The prose repeats part of the lead, for snippets only, and the language is a
# filter: they weigh nothing.
RANK = f"bm25({TABLE}, 10.0, 4.0, 1.0, 0.0, 10.0, 4.0, 1.0, 0.0)"
HEAD_RANK = f"bm25({HEAD}, 10.0, 4.0, 10.0, 4.0, 0.0)"
TOKEN = re.compile(r'-?"[^"]*"?|\S+')
TERM_WORD = re.compile(r"\w+")


def language_token(language: str) -> str:
    """The word of `language` in the index's language column ("\ue002en", "\ue002ptbr")."""
    return LANGUAGE_MARK + "".join(TERM_WORD.findall(language))


def stemmed_parts(language: str, parts) -> list[str]:
    """The stemmed columns' texts of `parts` (title, lead, body): their words stemmed, or
    nothing for a language FTS5 stems itself."""
    if not stemmed_here(language):
        return ["" for _ in parts]
    return [" ".join(stems(part, language)) for part in parts]


def _phrase(words: list[str]) -> str:
    """Words as one quoted FTS5 phrase ('' when there are none)."""
    return '"' + " ".join(words) + '"' if words else ""


def reader_syntax(query: str) -> list[tuple[list[str], list[str]]]:
    """Reader syntax as PostgreSQL's websearch_to_tsquery reads it: alternatives separated by
    OR, each (its wanted tokens, its tokens after a minus); a quoted token is a phrase."""
    groups, positives, negatives = [], [], []
    for token in TOKEN.findall(query):
        if token.upper() == "OR":
            groups.append((positives, negatives))
            positives, negatives = [], []
        elif token.startswith("-") and len(token) > 1:
            negatives.append(token[1:])
        else:
            positives.append(token)
    groups.append((positives, negatives))
    return groups


def fts_query(query: str, words=TERM_WORD.findall) -> str:
    """Reader syntax in FTS5 syntax: words must all match, "quoted words" are phrases, -word
    excludes, OR between alternatives; `words` splits a token into the words to look up."""
    parts = []
    for positives, negatives in reader_syntax(query):
        wanted = [p for token in positives if (p := _phrase(words(token)))]
        unwanted = [n for token in negatives if (n := _phrase(words(token)))]
        if wanted:
            parts.append("(" + " AND ".join(wanted) + "".join(f" NOT {n}" for n in unwanted) + ")")
    return " OR ".join(parts)


@dataclass(frozen=True)
class Match:
    """A reader's query as the FTS5 expressions that find one language's entries."""

    terms: str  # the query in FTS5 syntax, its words stemmed when the language's entries are
    language: str
    stemmed: bool
    marked: str = ""  # for stemmed entries: the words snippets mark, as FTS5 prefixes

    @classmethod
    def of(cls, query: str, language: str) -> "Match":
        if not stemmed_here(language):
            return cls(fts_query(query), language, stemmed=False)
        wanted = " ".join(token for positives, _ in reader_syntax(query) for token in positives)
        marked = " OR ".join(f'"{stem}"*' for stem in dict.fromkeys(stems(wanted, language)))
        terms = fts_query(query, lambda token: stems(token, language))
        return cls(terms, language, stemmed=True, marked=marked)

    def _held(self, columns: str) -> str:
        """The query, anywhere for English (whose stemmed columns are empty), only in the
        stemmed `columns` for the other languages (a stem must not match the text as
        written)."""
        return f"{{{columns}}} : ({self.terms})" if self.stemmed else f"({self.terms})"

    @property
    def entries(self) -> str:
        """The language's entries holding the query (in TABLE)."""
        held = self._held("stemmed_title stemmed_lead stemmed_body")
        return f'"{language_token(self.language)}" AND {held}'

    @property
    def heads(self) -> str:
        """The language's entries whose title and lead hold the query (in HEAD)."""
        return f'"{language_token(self.language)}" AND {self._held("stemmed_title stemmed_lead")}'

    @property
    def titles(self) -> str:
        """Entries whose title holds the whole query (in HEAD)."""
        return f"{'stemmed_title' if self.stemmed else 'title'} : ({self.terms})"

    @property
    def snippets(self) -> str:
        """What snippets of entries already found are made with: the words they mark (without
        the language, which every row of the page is of, and seeking it costs per row)."""
        held = self._held("stemmed_title stemmed_lead stemmed_body")
        return f"({{prose body}} : ({self.marked})) OR {held}" if self.marked else held


class SQLiteSearchBackend(SearchBackend):
    vendor = "sqlite"
    rank_all_up_to = 1000

    def index_many(self, documents) -> None:
        ids = [[d.article_id] for d in documents]
        rows = [(d, stemmed_parts(d.language, (d.title, d.lead, d.body))) for d in documents]
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", ids)
            cursor.executemany(f"DELETE FROM {HEAD} WHERE rowid = %s", ids)
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, title, lead, body, prose, stemmed_title, "
                "stemmed_lead, stemmed_body, language) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    [
                        d.article_id,
                        d.title,
                        d.lead,
                        d.body,
                        d.prose,
                        *stemmed,
                        language_token(d.language),
                    ]
                    for d, stemmed in rows
                ],
            )
            cursor.executemany(
                f"INSERT INTO {HEAD} (rowid, title, lead, stemmed_title, stemmed_lead, language) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    [d.article_id, d.title, d.lead, *stemmed[:2], language_token(d.language)]
                    for d, stemmed in rows
                ],
            )
            cursor.executemany(
                "INSERT OR IGNORE INTO wiki_search_word (language, word) VALUES (%s, %s)",
                sorted({(d.language, word) for d in documents for word in d.words()}),
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

    def search(self, query: str, *, language: str, offset: int, limit: int) -> Found:
        match = Match.of(query, language)
        if not match.terms:
            return Found([], 0)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE {TABLE} MATCH %s LIMIT %s)",
                [match.entries, self.count_up_to],
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

    def _ranked(self, cursor, match: Match, offset: int, limit: int) -> list[int]:
        """Titles holding every word first, then bm25 of all three columns."""
        cursor.execute(
            f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s "
            f"ORDER BY rowid IN (SELECT rowid FROM {HEAD} WHERE {HEAD} MATCH %s) DESC, "
            f"{RANK}, rowid LIMIT %s OFFSET %s",
            [match.entries, match.titles, limit, offset],
        )
        return [row[0] for row in cursor.fetchall()]

    def _in_tiers(self, cursor, match: Match, offset: int, limit: int) -> list[int]:
        """Many matches: bm25 costs time for every row it ranks, so rank only those whose title
        and lead hold the query (titles holding every word first), from the table of titles
        and leads, whose position lists are short; then the rest."""
        head = f"SELECT rowid FROM {HEAD} WHERE {HEAD} MATCH %s"
        head_params = [match.heads]
        if " NOT " in match.terms:  # a word left out must be absent from the body too
            head += f" AND rowid IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s)"
            head_params.append(match.entries)
        cursor.execute(
            f"{head} ORDER BY rowid IN (SELECT rowid FROM {HEAD} WHERE {HEAD} MATCH %s) DESC, "
            f"{HEAD_RANK}, rowid LIMIT %s OFFSET %s",
            [*head_params, match.titles, limit, offset],
        )
        ids = [row[0] for row in cursor.fetchall()]
        if len(ids) < limit:
            cursor.execute(f"SELECT count(*) FROM ({head})", head_params)
            skip = max(0, offset - cursor.fetchone()[0])
            cursor.execute(
                f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s "
                f"AND rowid NOT IN (SELECT rowid FROM {HEAD} WHERE {HEAD} MATCH %s) "
                f"ORDER BY {RANK}, rowid LIMIT %s OFFSET %s",
                [match.entries, match.heads, limit - len(ids), skip],
            )
            ids += [row[0] for row in cursor.fetchall()]
        return ids

    def _snippets(self, cursor, match: Match, ids: list[int]) -> dict[int, str]:
        """Snippets only for the page shown: the lead's prose if it matches, else the body's
        (the infobox and the headings are searched, not quoted)."""
        marks = f"'{MARK_START}', '{MARK_END}', ' … ', 24"
        cursor.execute(
            f"SELECT rowid, snippet({TABLE}, 3, {marks}), snippet({TABLE}, 2, {marks}) "
            f"FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid IN ({', '.join(['%s'] * len(ids))})",
            [match.snippets, *ids],
        )
        return {
            rowid: prose if MARK_START in prose or (prose and MARK_START not in body) else body
            for rowid, prose, body in cursor.fetchall()
        }

    def known_words(self, words, *, language: str) -> set[str]:
        words = list(words)
        if not words:
            return set()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM wiki_search_word "
                f"WHERE language = %s AND word IN ({', '.join(['%s'] * len(words))})",
                [language, *words],
            )
            return {row[0] for row in cursor.fetchall()}

    def similar_words(self, word: str, *, language: str) -> list[str]:
        """Words sharing the most three-letter pieces with `word` (FTS5 trigram index)."""
        trigrams = sorted({word[i : i + 3] for i in range(len(word) - 2)})
        if not trigrams:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT w.word FROM wiki_search_word_trigram t "
                "JOIN wiki_search_word w ON w.id = t.rowid "
                "WHERE wiki_search_word_trigram MATCH %s AND w.language = %s "
                "ORDER BY t.rank LIMIT 200",
                [" OR ".join(f'"{t}"' for t in trigrams), language],
            )
            return [row[0] for row in cursor.fetchall()]

    def suggest(self, prefix: str, limit: int, *, language: str) -> list[str]:
        titles = titles_starting_with(prefix, limit, language)
        with connection.cursor() as cursor:
            words = TERM_WORD.findall(prefix)
            if len(titles) < limit and words:
                # Titles with words starting so: "dyst" finds "Paroxysmal dystonia" (as written:
                # a prefix is not a word to stem; diacritics are folded).
                match = f'"{language_token(language)}" AND title : ('
                match += " AND ".join(f'"{w}"' for w in words) + "*)"
                cursor.execute(
                    f"SELECT title FROM {TABLE} WHERE {TABLE} MATCH %s "
                    "ORDER BY length(title), title LIMIT %s",
                    [match, limit * 2],
                )
                titles += [row[0] for row in cursor.fetchall() if row[0] not in titles]
        return titles[:limit]
