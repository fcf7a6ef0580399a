"""Search per language: every index entry and word has its article's language, and each
language's words are stemmed as that language's, diacritics folded.

PostgreSQL: the `unaccent` extension (contrib, like pg_trgm) and, for each Snowball stemmer
PostgreSQL ships and for `simple` (languages without one), a configuration `folded_<name>`
that folds diacritics before stemming; the entries get a `language` column, taken from their
article's `wiki_article.language`, and their vectors are made again with their language's
configuration; the word list is keyed by (language, word) and filled again from the entries.

SQLite: an FTS5 table cannot gain columns, so both index tables are made again, with an
indexed `language` column (the language's own word, `language_token`) and `stemmed_*` columns
(every language's words but English's stemmed in Python: FTS5's porter stems English), from
the entries and their articles' language; the word list and its trigram index likewise.

Entries whose article is gone are dropped (no search showed them).
"""

import re

from django.db import migrations

# PostgreSQL 15's Snowball configurations (`pg_ts_config`), each with its `<name>_stem`.
SNOWBALL = (
    "arabic armenian basque catalan danish dutch english finnish french german greek hindi "
    "hungarian indonesian irish italian lithuanian nepali norwegian portuguese romanian russian "
    "serbian spanish swedish tamil turkish yiddish"
).split()
WORD = re.compile(r"[^\W\d_]{3,40}")  # wiki.search.constants.WORD: the words kept for spelling
BATCH = 500


def _configurations():
    yield "CREATE EXTENSION IF NOT EXISTS unaccent"
    for name, dictionary in [(name, f"{name}_stem") for name in SNOWBALL] + [("simple", "simple")]:
        yield f"CREATE TEXT SEARCH CONFIGURATION folded_{name} (COPY = pg_catalog.{name})"
        yield (
            f"ALTER TEXT SEARCH CONFIGURATION folded_{name} "
            f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {dictionary}"
        )


POSTGRES_ENTRIES = [
    "ALTER TABLE wiki_search_entry ADD COLUMN language text",
    "UPDATE wiki_search_entry e SET language = a.language FROM wiki_article a "
    "WHERE a.id = e.article_id",
    "DELETE FROM wiki_search_entry WHERE language IS NULL",
    "ALTER TABLE wiki_search_entry ALTER COLUMN language SET NOT NULL",
    "TRUNCATE wiki_search_word",
    "ALTER TABLE wiki_search_word ADD COLUMN language text NOT NULL",
    "ALTER TABLE wiki_search_word DROP CONSTRAINT wiki_search_word_pkey",
    "ALTER TABLE wiki_search_word ADD PRIMARY KEY (language, word)",
]
POSTGRES_VECTORS = """
    UPDATE wiki_search_entry e SET title_vector = v.t, head_vector = v.t || v.l,
        vector = v.t || v.l || v.b
    FROM (
        SELECT article_id, setweight(to_tsvector(%(config)s::regconfig, title), 'A') t,
            setweight(to_tsvector(%(config)s::regconfig, lead), 'B') l,
            setweight(to_tsvector(%(config)s::regconfig, body), 'C') b
        FROM wiki_search_entry WHERE {where}
    ) v
    WHERE v.article_id = e.article_id
"""
POSTGRES_BACK = [
    "ALTER TABLE wiki_search_entry DROP COLUMN language",
    "DELETE FROM wiki_search_word w USING wiki_search_word o "
    "WHERE o.word = w.word AND o.language < w.language",
    "ALTER TABLE wiki_search_word DROP CONSTRAINT wiki_search_word_pkey",
    "ALTER TABLE wiki_search_word DROP COLUMN language",
    "ALTER TABLE wiki_search_word ADD PRIMARY KEY (word)",
    *(f"DROP TEXT SEARCH CONFIGURATION folded_{name}" for name in [*SNOWBALL, "simple"]),
]

FTS = "tokenize = 'porter unicode61 remove_diacritics 2'"
SQLITE_WORDS = [
    "DROP TRIGGER wiki_search_word_added",
    "DROP TABLE wiki_search_word_trigram",
    "ALTER TABLE wiki_search_word RENAME TO wiki_search_word_old",
    "{table}",
    """CREATE VIRTUAL TABLE wiki_search_word_trigram USING fts5(
        word, content = 'wiki_search_word', content_rowid = 'id', tokenize = 'trigram'
    )""",
    """CREATE TRIGGER wiki_search_word_added AFTER INSERT ON wiki_search_word BEGIN
        INSERT INTO wiki_search_word_trigram (rowid, word) VALUES (new.id, new.word);
    END""",
]
WORDS_BY_LANGUAGE = """CREATE TABLE wiki_search_word (
    id integer PRIMARY KEY, language text NOT NULL, word text NOT NULL, UNIQUE (language, word)
)"""
WORDS_ALONE = "CREATE TABLE wiki_search_word (id integer PRIMARY KEY, word text NOT NULL UNIQUE)"


def _batches(cursor, select: str):
    """The rows of `select` (its first column a key, `%s` where it goes on from), in batches."""
    after = 0
    while rows := _fetch(cursor, select, after):
        yield rows
        after = rows[-1][0]


def _fetch(cursor, select, after):
    cursor.execute(select, [after, BATCH])
    return cursor.fetchall()


def _words(rows) -> list[tuple[str, str]]:
    """(language, word) of each entry row (key, language, title, lead, body)."""
    return sorted(
        {(row[1], word) for row in rows for word in WORD.findall(" ".join(row[2:5]).lower())}
    )


def postgres_forward(schema_editor):
    from wiki.search.stemming import postgres_config

    for statement in [*_configurations(), *POSTGRES_ENTRIES]:
        schema_editor.execute(statement)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT language FROM wiki_search_entry")
        for (language,) in cursor.fetchall():
            cursor.execute(
                POSTGRES_VECTORS.format(where="language = %(language)s"),
                {"config": postgres_config(language), "language": language},
            )
        select = (
            "SELECT article_id, language, title, lead, body FROM wiki_search_entry "
            "WHERE article_id > %s ORDER BY article_id LIMIT %s"
        )
        for rows in _batches(cursor, select):
            cursor.executemany(
                "INSERT INTO wiki_search_word (language, word) VALUES (%s, %s) "
                "ON CONFLICT DO NOTHING",
                _words(rows),
            )


def postgres_back(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(POSTGRES_VECTORS.format(where="true"), {"config": "english"})
    for statement in POSTGRES_BACK:
        schema_editor.execute(statement)


def sqlite_forward(schema_editor):
    from wiki.search.backends.sqlite import language_token, stemmed_parts

    schema_editor.execute(
        "CREATE VIRTUAL TABLE wiki_search_fts_new USING fts5(title, lead, body, prose, "
        f"stemmed_title, stemmed_lead, stemmed_body, language, {FTS})"
    )
    for statement in SQLITE_WORDS:
        schema_editor.execute(statement.format(table=WORDS_BY_LANGUAGE))
    select = (
        "SELECT f.rowid, a.language, f.title, f.lead, f.body, f.prose FROM wiki_search_fts f "
        "JOIN wiki_article a ON a.id = f.rowid WHERE f.rowid > %s ORDER BY f.rowid LIMIT %s"
    )
    with schema_editor.connection.cursor() as cursor:
        for rows in _batches(cursor, select):
            entries = []
            for rowid, language, title, lead, body, prose in rows:
                stemmed = stemmed_parts(language, (title, lead, body))
                entries.append([rowid, title, lead, body, prose, *stemmed, language_token(language)])
            cursor.executemany(
                "INSERT INTO wiki_search_fts_new (rowid, title, lead, body, prose, stemmed_title, "
                "stemmed_lead, stemmed_body, language) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                entries,
            )
            cursor.executemany(
                "INSERT OR IGNORE INTO wiki_search_word (language, word) VALUES (%s, %s)",
                _words(rows),
            )
    for statement in [
        "DROP TABLE wiki_search_word_old",
        "DROP TABLE wiki_search_fts",
        "ALTER TABLE wiki_search_fts_new RENAME TO wiki_search_fts",
        "DROP TABLE wiki_search_head",
        "CREATE VIRTUAL TABLE wiki_search_head USING fts5(title, lead, stemmed_title, "
        f"stemmed_lead, language, {FTS})",
        "INSERT INTO wiki_search_head (rowid, title, lead, stemmed_title, stemmed_lead, language) "
        "SELECT rowid, title, lead, stemmed_title, stemmed_lead, language FROM wiki_search_fts",
    ]:
        schema_editor.execute(statement)


def sqlite_back(schema_editor):
    for statement in [
        *(s.format(table=WORDS_ALONE) for s in SQLITE_WORDS),
        "INSERT OR IGNORE INTO wiki_search_word (word) "
        "SELECT word FROM wiki_search_word_old ORDER BY id",
        "DROP TABLE wiki_search_word_old",
        f"CREATE VIRTUAL TABLE wiki_search_fts_old USING fts5(title, lead, body, prose, {FTS})",
        "INSERT INTO wiki_search_fts_old (rowid, title, lead, body, prose) "
        "SELECT rowid, title, lead, body, prose FROM wiki_search_fts",
        "DROP TABLE wiki_search_fts",
        "ALTER TABLE wiki_search_fts_old RENAME TO wiki_search_fts",
        "DROP TABLE wiki_search_head",
        f"CREATE VIRTUAL TABLE wiki_search_head USING fts5(title, lead, {FTS})",
        "INSERT INTO wiki_search_head (rowid, title, lead) "
        "SELECT rowid, title, lead FROM wiki_search_fts",
    ]:
        schema_editor.execute(statement)


def _by_vendor(postgres, sqlite):
    def run(apps, schema_editor):
        step = {"postgresql": postgres, "sqlite": sqlite}.get(schema_editor.connection.vendor)
        if step:
            step(schema_editor)

    return run


class Migration(migrations.Migration):
    dependencies = [("wiki", "0033_article_title_index")]

    operations = [
        migrations.RunPython(
            _by_vendor(postgres_forward, sqlite_forward), _by_vendor(postgres_back, sqlite_back)
        ),
    ]
