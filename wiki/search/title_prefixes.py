"""Title-prefix lookup shared by both engines: a range scan on the lower(title) index."""

from django.db import connection


def titles_starting_with(prefix: str, limit: int, language: str) -> list[str]:
    low = prefix.lower()
    high = low[:-1] + chr(ord(low[-1]) + 1)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title FROM wiki_article WHERE lower(title) >= %s AND lower(title) < %s "
            "AND language = %s ORDER BY lower(title) LIMIT %s",
            [low, high, language, limit],
        )
        return [row[0] for row in cursor.fetchall()]
