"""The head tier's own index: with many matches, search ranks only the articles whose title and
lead hold the query. PostgreSQL: a GIN index on the title+lead vector. SQLite: an FTS5 table of
title and lead, filled from the full table (bm25 then reads short position lists).
"""

from django.db import migrations

POSTGRES = [
    "CREATE INDEX wiki_search_entry_head_vector ON wiki_search_entry USING gin (head_vector)",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS wiki_search_entry_head_vector"]

SQLITE = [
    """CREATE VIRTUAL TABLE wiki_search_head USING fts5(
        title, lead, tokenize = 'porter unicode61 remove_diacritics 2'
    )""",
    "INSERT INTO wiki_search_head (rowid, title, lead) SELECT rowid, title, lead FROM wiki_search_fts",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS wiki_search_head"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("wiki", "0003_search_index")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}),
        ),
    ]
