"""PostgreSQL backend: a stored, weighted tsvector (title A, lead and headings B, body C) with a
GIN index, `websearch_to_tsquery` for reader syntax, `ts_rank`, `ts_headline` for the page of
hits shown (from the lead's prose, column `prose` of migration 0013), and pg_trgm for titles and
words that are close to what was typed.

Tables and indexes are created by migration 0003; the entry is keyed by article and kept out of
the Article model, so revision snapshots hold no search data. Since migration 0034 an entry and
a word have a language: an entry's vectors are made with its language's configuration
(`stemming.postgres_config`: the language's stemmer behind `unaccent`), and every query reads
only the reader's language's entries, with that configuration.

Ranking reads vectors, so with many matches (`rank_all_up_to`) only the head tier is ranked:
the articles whose title and lead hold the query, found through the GIN index of the title+lead
vector (migration 0004). The rest follow in article order.

The set that is ranked is bounded whatever the size of the wiki. A GIN index answers with a
bitmap of every row holding the query, built whole before `LIMIT` stops reading, so a tier is
read only when the planner estimates (`EXPLAIN`, from the vectors' statistics; a fraction of a
millisecond) at most `rank_tier_up_to` articles in it; a process keeps each estimate for
`estimates_kept_for` seconds (statistics change only at ANALYZE), so a repeated search does not
ask the planner again. A frequent word's head tier is skipped
for the title tiers (titles holding any query word, then every query word: lists 10–25 times
shorter); when even those are estimated larger, the titles holding every word are listed in
article order, read through the primary key and stopping at the page's last row. The reader
sees titles holding the query first, then the other matches in article order, and "more than
1,000" as the count. bench/README.md ("At a million articles") has the figures.
"""

import re
import time

from django.db import connection, transaction

from ..constants import MARK_END, MARK_START
from ..stemming import postgres_config
from ..title_prefixes import titles_starting_with
from .base import Found, SearchBackend

TERM_WORD = re.compile(r"\w+")
LEXEME = re.compile(r"'(?:[^']|'')*'")  # a quoted lexeme in a tsquery's text
# A tsquery that is only words joined by AND ('a' & 'b' & 'a'): its repeated words change
# nothing it finds, but the planner multiplies each word's share again (`tremor tremor`
# estimated at a share squared slipped under the ranking bound: 240 ms at 1,000,000).
WORDS_AND = re.compile(r"'(?:[^']|'')*'(?: & '(?:[^']|'')*')*")
# A tsquery's tokens: a quoted lexeme, a phrase operator (<-> or <N>), any other operator.
QUERY_TOKEN = re.compile(r"'(?:[^']|'')*'(?::[*A-D]+)?|<(?:-|\d+)>|[&|!()]")
PHRASE_STEP = re.compile(r"<(-|\d+)>")
HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


INDEX_ENTRY = """
    INSERT INTO wiki_search_entry
        (article_id, language, title, lead, body, prose, title_vector, head_vector, vector)
    SELECT %(id)s, %(language)s, %(title)s, %(lead)s, %(body)s, %(prose)s, t, t || l, t || l || b
    FROM setweight(to_tsvector(%(config)s::regconfig, %(title)s), 'A') t,
         setweight(to_tsvector(%(config)s::regconfig, %(lead)s), 'B') l,
         setweight(to_tsvector(%(config)s::regconfig, %(body)s), 'C') b
    ON CONFLICT (article_id) DO UPDATE SET
        language = EXCLUDED.language, title = EXCLUDED.title, lead = EXCLUDED.lead,
        body = EXCLUDED.body,
        prose = EXCLUDED.prose, title_vector = EXCLUDED.title_vector,
        head_vector = EXCLUDED.head_vector, vector = EXCLUDED.vector
"""

# The entries, the query, and any of its words (`any_word`).
_TERMS = (
    "wiki_search_entry e, CAST(%(tsquery)s AS tsquery) query, CAST(%(some)s AS tsquery) any_word"
)
IN_LANGUAGE = "e.language = %(language)s"  # every query's: the reader's language's entries


# The planner's estimates this process asked for: (database, condition, tsquery, language) ->
# (when it is asked again, monotonic seconds; the estimated rows).
_estimates: dict[tuple, tuple[float, int]] = {}
MAX_ESTIMATES = 10_000  # entries kept; past it the dict starts again (a bound on memory)


def forget_estimates() -> None:
    """Drop the estimates this process kept: the next searches ask the planner again."""
    _estimates.clear()


def _entry(document) -> dict:
    return {
        "id": document.article_id,
        "language": document.language,
        "config": postgres_config(document.language),
        "title": document.title,
        "lead": document.lead,
        "body": document.body,
        "prose": document.prose,
    }


def compounds_alone(tsquery: str) -> str:
    """`'drug-induc' <-> 'drug' <-> 'induc' & 'anemia'` → `'drug-induc' & 'anemia'`: a
    hyphenated word, which the parser makes a lexeme of its own followed by its parts, asked
    for by that lexeme alone, where it stands as a word (not inside a quoted phrase).

    A document holds the compound only where the parts follow it, so the same articles match;
    but a phrase is checked on each candidate's vector (its positions), and the planner
    estimates it far too low (11 articles for "drug-induced anemia" at 1,000,000, against
    1,576: a tier the bound would skip was read three times over, the search's tail). The
    compound alone is an AND of words: answered by the index and estimated right."""
    tokens = list(QUERY_TOKEN.finditer(tsquery))
    cuts = []  # (start, end) of the parts to take out
    for i, token in enumerate(tokens):
        text = token.group()
        if not text.startswith("'") or "-" not in text:
            continue
        if i and PHRASE_STEP.fullmatch(tokens[i - 1].group()):
            continue  # inside a phrase: its distances would change
        pieces, reach, j = text.count("-") + 1, 0, i + 1
        while j + 1 < len(tokens) and (step := PHRASE_STEP.fullmatch(tokens[j].group())):
            distance = 1 if step.group(1) == "-" else int(step.group(1))
            if reach + distance > pieces or not tokens[j + 1].group().startswith("'"):
                break
            reach, j = reach + distance, j + 2
        if j == i + 1 or (j < len(tokens) and PHRASE_STEP.fullmatch(tokens[j].group())):
            continue  # no parts, or a phrase goes on after them
        cuts.append((token.end(), tokens[j - 1].end()))
    for start, end in reversed(cuts):
        tsquery = tsquery[:start] + tsquery[end:]
    return tsquery


def _page(rows, offset: int, limit: int) -> list[int]:
    rows.sort(key=lambda row: (not row[1], -row[2], row[0]))
    return [row[0] for row in rows[offset : offset + limit]]


class PostgresSearchBackend(SearchBackend):
    vendor = "postgresql"
    rank_all_up_to = 300
    # A tier whose index lists are estimated to hold more articles than this is not read (its
    # bitmap's cost grows with the wiki); 20 × count_up_to keeps it at a few milliseconds.
    rank_tier_up_to = 20_000
    # How long a tier's estimate is reused in this process: the planner's statistics move only
    # when ANALYZE runs (autovacuum's, after about a tenth of the table changed), so a minute
    # old is as good as new, and a repeated or paged search skips one planning per tier.
    estimates_kept_for = 60.0

    def index_many(self, documents) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(INDEX_ENTRY, [_entry(d) for d in documents])
            words = {}
            for document in documents:
                words.setdefault(document.language, set()).update(document.words())
            # Sorted, so two saves adding the same new words cannot deadlock.
            for language in sorted(words):
                cursor.execute(
                    "INSERT INTO wiki_search_word (language, word) "
                    "SELECT %s, unnest(%s::text[]) ON CONFLICT DO NOTHING",
                    [language, sorted(words[language])],
                )

    def remove(self, article_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM wiki_search_entry WHERE article_id = %s", [article_id])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE wiki_search_entry, wiki_search_word")

    def search(self, query: str, *, language: str, offset: int, limit: int) -> Found:
        params = {
            "q": query,
            "language": language,
            "config": postgres_config(language),
            "limit": limit,
            "offset": offset,
            "most": self.count_up_to,
        }
        with transaction.atomic(), connection.cursor() as cursor:
            # `@@` on a row reads its whole vector; the GIN index answers without reading any,
            # but the planner, not knowing that cost, picks a sequential scan for common words.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                "SELECT websearch_to_tsquery(%(config)s::regconfig, %(q)s)::text", params
            )
            params["shown"] = cursor.fetchone()[0]  # what the headlines mark
            params["tsquery"] = compounds_alone(params["shown"])  # what is searched
            if not params["tsquery"]:  # only stop words or punctuation
                return Found([], 0)
            if WORDS_AND.fullmatch(params["tsquery"]):  # each word once (WORDS_AND)
                params["tsquery"] = " & ".join(dict.fromkeys(LEXEME.findall(params["tsquery"])))
            # Any query word (a word left out too: the query itself still excludes it).
            params["some"] = " | ".join(LEXEME.findall(params["tsquery"]))
            # The head tier: articles whose title and lead hold the query, found through the GIN
            # index of the small title+lead vector (kept in the row), titles holding every word
            # first. A word left out (`!`) must be absent from the body too, which costs reading
            # the whole vector; only then is it read.
            excludes = "!" in LEXEME.sub("", params["tsquery"])
            head_ids, head_total = self._head_tier(cursor, params, excludes)
            total = self._total(cursor, params, head_total)
            if not total or offset >= total:
                return Found([], total)
            ids = self._ranked_ids(cursor, params, total, head_ids, head_total)
            snippets = self._headlines(cursor, ids, params)
        return Found([(article_id, snippets.get(article_id, "")) for article_id in ids], total)

    def _total(self, cursor, params, head_total: int) -> int:
        """How many entries match, counted up to count_up_to (no count when the head tier alone
        reaches it, or when far more are estimated: counting would read their whole bitmap)."""
        if head_total >= self.count_up_to:
            return self.count_up_to
        if self._estimated(cursor, "e.vector @@ query", params) > self.rank_tier_up_to:
            return self.count_up_to
        cursor.execute(
            f"""
            SELECT count(*) FROM (
                SELECT 1 FROM wiki_search_entry e
                WHERE e.vector @@ %(tsquery)s::tsquery AND {IN_LANGUAGE}
                LIMIT %(most)s
            ) matches
            """,
            params,
        )
        return cursor.fetchone()[0]

    def _ranked_ids(self, cursor, params, total: int, head_ids, head_total: int) -> list[int]:
        """The page of ids: every match ranked when few, else the head tier then the rest."""
        if total <= self.rank_all_up_to:
            # Few matches: titles holding every word, then the weighted rank of the whole vector.
            cursor.execute(
                f"""
                SELECT e.article_id FROM wiki_search_entry e, CAST(%(tsquery)s AS tsquery) query
                WHERE e.vector @@ query AND {IN_LANGUAGE}
                ORDER BY e.title_vector @@ query DESC, ts_rank(e.vector, query) DESC, e.article_id
                LIMIT %(limit)s OFFSET %(offset)s
                """,
                params,
            )
            return [row[0] for row in cursor.fetchall()]
        # Many matches: the head tier, ranked; after it the articles that hold the query in
        # their body only, in article order. (Ranking them would read every vector; their
        # title+lead rank was next to nothing, so they came in this order before.)
        ids = head_ids
        if len(ids) < params["limit"]:
            where = "NOT e.head_vector @@ query AND e.vector @@ query"
            ids += self._in_order(cursor, where, params, head_total, len(ids))
        return ids

    def _headlines(self, cursor, ids: list[int], params) -> dict[int, str]:
        """Headlines for the page shown only (ts_headline re-parses the text): from the lead's
        prose, or from the body when only the body holds a query word (the infobox and the
        headings are searched, not quoted)."""
        headline = """
            SELECT article_id, ts_headline(%s::regconfig, {column}, %s::tsquery, %s)
            FROM wiki_search_entry WHERE article_id = ANY(%s)
        """
        terms = [params["config"], params["shown"], HEADLINE_OPTIONS]
        cursor.execute(headline.format(column="prose"), [*terms, ids])
        found = dict(cursor.fetchall())
        if wanted := [i for i in ids if MARK_START not in found.get(i, "")]:
            cursor.execute(headline.format(column="body"), [*terms, wanted])
            for article_id, body in cursor.fetchall():
                if MARK_START in body or not found.get(article_id):
                    found[article_id] = body
        return found

    def _head_tier(self, cursor, params, excludes: bool) -> tuple[list[int], int]:
        """One page of the head tier and how many articles it holds (count_up_to when more).

        Up to MAX_OFFSET articles are all ranked: titles holding every word first, then
        `ts_rank` of the title+lead vector. A larger tier is not ranked whole (reading every
        vector of it grows with the wiki; bench/README.md has the figures): its articles whose
        title holds a query word (or, when those are too many as well, every query word) come
        first, ranked so; then the others in article order."""
        also = "AND e.vector @@ query" if excludes else ""
        if self._estimated(cursor, "e.head_vector @@ query", params) <= self.rank_tier_up_to:
            rows = self._ranked_rows(cursor, f"e.head_vector @@ query {also}", params)
            if len(rows) < self.count_up_to:
                return _page(rows, params["offset"], params["limit"]), len(rows)
        # A title's words are in the head vector too, so the head condition is checked on the
        # rows the title index finds (IS TRUE keeps the planner from also reading the head
        # index).
        in_head = f"(e.head_vector @@ query) IS TRUE {also}"
        for titled in ("e.title_vector @@ any_word", "e.title_vector @@ query"):
            if self._estimated(cursor, titled, params) > self.rank_tier_up_to:
                continue
            rows = self._ranked_rows(cursor, f"{titled} AND {in_head}", params)
            if len(rows) < self.count_up_to:
                break
        else:  # more such titles than are ever shown: they alone, in article order
            where = f"{titled} AND {in_head}"
            return self._in_order(cursor, where, params, 0, 0), self.count_up_to
        ids = _page(rows, params["offset"], params["limit"])
        if len(ids) < params["limit"]:
            where = f"e.head_vector @@ query AND NOT {titled} {also}"
            ids += self._in_order(cursor, where, params, len(rows), len(ids))
        return ids, self.count_up_to

    def _estimated(self, cursor, where: str, params) -> int:
        """How many entries the planner expects to match `where` (an index condition): the size
        of the bitmap its index scan would build. Kept per process for `estimates_kept_for`
        seconds, by database, condition, query and language (`any_word` is the query's words)."""
        key = (connection.settings_dict["NAME"], where, params["tsquery"], params["language"])
        now = time.monotonic()
        if (kept := _estimates.get(key)) and kept[0] > now:
            return kept[1]
        cursor.execute(
            f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {_TERMS} WHERE {where}",
            params,
        )
        rows = cursor.fetchone()[0][0]["Plan"]["Plan Rows"]  # psycopg decodes the json
        if len(_estimates) >= MAX_ESTIMATES:
            _estimates.clear()
        _estimates[key] = (now + self.estimates_kept_for, rows)
        return rows

    def _ranked_rows(self, cursor, where: str, params) -> list[tuple[int, bool, float]]:
        """(article, title holds every word, rank of title+lead) of up to count_up_to
        articles."""
        cursor.execute(
            f"""
            SELECT e.article_id, e.title_vector @@ query, ts_rank(e.head_vector, query)
            FROM {_TERMS} WHERE {IN_LANGUAGE} AND {where}
            LIMIT %(most)s
            """,
            params,
        )
        return cursor.fetchall()

    def _in_order(self, cursor, where: str, params, before: int, shown: int) -> list[int]:
        """The articles matching `where` in article order, for the rest of the page; `before`
        articles came ahead of them, `shown` of those are on this page."""
        cursor.execute(
            f"""
            SELECT e.article_id FROM {_TERMS} WHERE {IN_LANGUAGE} AND {where}
            ORDER BY e.article_id LIMIT %(rest_limit)s OFFSET %(rest_offset)s
            """,
            {
                **params,
                "rest_limit": params["limit"] - shown,
                "rest_offset": max(0, params["offset"] - before),
            },
        )
        return [row[0] for row in cursor.fetchall()]

    def known_words(self, words, *, language: str) -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM wiki_search_word WHERE language = %s AND word = ANY(%s)",
                [language, list(words)],
            )
            return {row[0] for row in cursor.fetchall()}

    def similar_words(self, word: str, *, language: str) -> list[str]:
        """Words whose trigrams are most like those of `word` (pg_trgm's GIN index)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM wiki_search_word WHERE word %% %s AND language = %s "
                "ORDER BY similarity(word, %s) DESC, word LIMIT 50",
                [word, language, word],
            )
            return [row[0] for row in cursor.fetchall()]

    def suggest(self, prefix: str, limit: int, *, language: str) -> list[str]:
        low = prefix.lower()
        titles = titles_starting_with(prefix, limit, language)
        with connection.cursor() as cursor:
            words = TERM_WORD.findall(prefix)
            if len(titles) < limit and words:
                # Titles with words starting so: "dyst" finds "Paroxysmal dystonia".
                terms = " & ".join(f"'{w}'" for w in words[:-1])
                terms += (" & " if terms else "") + f"'{words[-1]}':*"
                cursor.execute(
                    """
                    SELECT e.title FROM wiki_search_entry e
                    WHERE e.title_vector @@ to_tsquery(%s::regconfig, %s) AND e.language = %s
                    ORDER BY length(e.title), e.title LIMIT %s
                    """,
                    [postgres_config(language), terms, language, limit * 2],
                )
                titles += [row[0] for row in cursor.fetchall() if row[0] not in titles]
            if len(titles) < limit and len(low) >= 4:
                # Typo tolerance: titles holding a word close to what was typed ("dystona").
                cursor.execute(
                    """
                    SELECT e.title FROM wiki_search_entry e
                    WHERE %s <%% e.title AND e.language = %s
                    ORDER BY word_similarity(%s, e.title) DESC, length(e.title) LIMIT %s
                    """,
                    [low, language, low, limit * 2],
                )
                titles += [row[0] for row in cursor.fetchall() if row[0] not in titles]
        return titles[:limit]
