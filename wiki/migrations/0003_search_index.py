"""Search index tables: a weighted tsvector + pg_trgm on PostgreSQL, FTS5 on SQLite.

An existing database gets its articles indexed by `manage.py rebuild_search_index`.
"""

from django.db import migrations

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE TABLE wiki_search_entry (
        article_id integer PRIMARY KEY,
        title text NOT NULL,
        lead text NOT NULL,
        body text NOT NULL,
        title_vector tsvector NOT NULL,
        head_vector tsvector NOT NULL,
        vector tsvector NOT NULL
    )""",
    # Keep rows small: the texts and the whole vector go out of line (TOAST), the title and
    # head vectors that ranking reads stay in the row.
    "ALTER TABLE wiki_search_entry SET (toast_tuple_target = 128)",
    "ALTER TABLE wiki_search_entry ALTER COLUMN title_vector SET STORAGE MAIN, "
    "ALTER COLUMN head_vector SET STORAGE MAIN",
    "CREATE INDEX wiki_search_entry_vector ON wiki_search_entry USING gin (vector)",
    "CREATE INDEX wiki_search_entry_title_vector ON wiki_search_entry USING gin (title_vector)",
    "CREATE INDEX wiki_search_entry_title_trgm ON wiki_search_entry USING gin (title gin_trgm_ops)",
    "CREATE TABLE wiki_search_word (word text PRIMARY KEY)",
    "CREATE INDEX wiki_search_word_trgm ON wiki_search_word USING gin (word gin_trgm_ops)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS wiki_search_entry", "DROP TABLE IF EXISTS wiki_search_word"]

SQLITE = [
    """CREATE VIRTUAL TABLE wiki_search_fts USING fts5(
        title, lead, body, tokenize = 'porter unicode61 remove_diacritics 2'
    )""",
    "CREATE TABLE wiki_search_word (id integer PRIMARY KEY, word text NOT NULL UNIQUE)",
    """CREATE VIRTUAL TABLE wiki_search_word_trigram USING fts5(
        word, content = 'wiki_search_word', content_rowid = 'id', tokenize = 'trigram'
    )""",
    """CREATE TRIGGER wiki_search_word_added AFTER INSERT ON wiki_search_word BEGIN
        INSERT INTO wiki_search_word_trigram (rowid, word) VALUES (new.id, new.word);
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS wiki_search_word_added",
    "DROP TABLE IF EXISTS wiki_search_word_trigram",
    "DROP TABLE IF EXISTS wiki_search_word",
    "DROP TABLE IF EXISTS wiki_search_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("wiki", "0002_editors_group")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}),
        ),
    ]
