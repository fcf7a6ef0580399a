"""The lead's prose in the search index, which snippets are made from: the lead column also holds
the infobox and the headings, searchable but not prose. PostgreSQL: a `prose` column; SQLite: a
fourth FTS5 column (an FTS5 table cannot gain one, so it is rebuilt). Existing entries get their
prose from the stored lead HTML.
"""

from django.db import migrations

POSTGRES = ["ALTER TABLE wiki_search_entry ADD COLUMN prose text NOT NULL DEFAULT ''"]
POSTGRES_DROP = ["ALTER TABLE wiki_search_entry DROP COLUMN IF EXISTS prose"]
POSTGRES_FILL = "UPDATE wiki_search_entry SET prose = %s WHERE article_id = %s"


def _fts_with(columns: str, old_columns: str) -> list[str]:
    return [
        f"""CREATE VIRTUAL TABLE wiki_search_fts_new USING fts5(
            {columns}, tokenize = 'porter unicode61 remove_diacritics 2'
        )""",
        f"INSERT INTO wiki_search_fts_new (rowid, {old_columns}) "
        f"SELECT rowid, {old_columns} FROM wiki_search_fts",
        "DROP TABLE wiki_search_fts",
        "ALTER TABLE wiki_search_fts_new RENAME TO wiki_search_fts",
    ]


SQLITE = _fts_with("title, lead, body, prose", "title, lead, body")
SQLITE_DROP = _fts_with("title, lead, body", "title, lead, body")
SQLITE_FILL = "UPDATE wiki_search_fts SET prose = %s WHERE rowid = %s"


def add_prose(apps, schema_editor):
    from wiki.search.documents import prose_of

    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return
    for statement in POSTGRES if vendor == "postgresql" else SQLITE:
        schema_editor.execute(statement)
    fill = POSTGRES_FILL if vendor == "postgresql" else SQLITE_FILL
    Article = apps.get_model("wiki", "Article")
    rows = Article.objects.values_list("pk", "lead_html").order_by("pk").iterator(chunk_size=500)
    with schema_editor.connection.cursor() as cursor:
        batch = []
        for pk, lead_html in rows:
            batch.append([prose_of(lead_html), pk])
            if len(batch) == 500:
                cursor.executemany(fill, batch)
                batch = []
        if batch:
            cursor.executemany(fill, batch)


def drop_prose(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("wiki", "0012_talk_watchlist")]

    operations = [migrations.RunPython(add_prose, drop_prose)]
