"""The sitemap files on PostgreSQL: an index of the articles readers' lists show.

A sitemap file lists the content pages (`ArticleQuerySet.content_pages`: no talk, help or
template pages, no redirects) among 10,000 ids, with each one's slug and time of change.
Telling a redirect apart reads the start of its lead, so each file read 10,000 rows' leads
(23 ms, and as much again for its Last-Modified, at 1,000,000 articles: `make bench-large`).
This partial index holds those pages alone, by language and id, with their slug and time of
change: both statements read it alone (an index-only scan, 3 ms). Its condition is
`content_pages`' own, as the ORM writes it; PostgreSQL uses the index only where a query's
conditions match it, and tests/test_sitemap_schema.py checks that the sitemap's plan does.
SQLite has no such index (its REGEXP is a function only Django's connections know).
"""

from django.db import migrations

CONTENT_PAGES = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS article_content_pages ON wiki_article "
    "(language, id) INCLUDE (slug, updated_at) WHERE redirect_to_id IS NULL "
    "AND NOT (slug::text LIKE 'Talk:%%') AND NOT (UPPER(LEFT(lead, 9)) = '#REDIRECT') "
    "AND NOT (slug::text ~ '^(Help|Template):')"
)


def index_content_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CONTENT_PAGES)


def drop_content_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS article_content_pages")


class Migration(migrations.Migration):
    atomic = False  # CONCURRENTLY: readers and writers go on while it is built

    dependencies = [("wiki", "0038_list_indexes")]

    operations = [migrations.RunPython(index_content_pages, drop_content_pages)]
