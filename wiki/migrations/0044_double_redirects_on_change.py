"""The double-redirect marks' trigger (0043) runs on an update only when `redirect_to`
changes. An `UPDATE OF redirect_to_id` trigger fires whenever the column is in the UPDATE's
SET list, whatever its value, and a model's save sets every column: it ran its two UPDATEs on
every save of every article."""

from importlib import import_module

from django.db import migrations

first = import_module("wiki.migrations.0043_double_redirects")

POSTGRESQL = """
DROP TRIGGER IF EXISTS article_double_redirects ON wiki_article;
CREATE TRIGGER article_double_redirects_insert AFTER INSERT ON wiki_article
    FOR EACH ROW EXECUTE FUNCTION wiki_article_double_redirects();
CREATE TRIGGER article_double_redirects_update AFTER UPDATE OF redirect_to_id ON wiki_article
    FOR EACH ROW WHEN (OLD.redirect_to_id IS DISTINCT FROM NEW.redirect_to_id)
    EXECUTE FUNCTION wiki_article_double_redirects();
"""
POSTGRESQL_UNDO = """
DROP TRIGGER IF EXISTS article_double_redirects_update ON wiki_article;
DROP TRIGGER IF EXISTS article_double_redirects_insert ON wiki_article;
CREATE TRIGGER article_double_redirects AFTER INSERT OR UPDATE OF redirect_to_id
    ON wiki_article FOR EACH ROW EXECUTE FUNCTION wiki_article_double_redirects();
"""
_INSERT, _UPDATE = first.SQLITE
SQLITE = [
    "DROP TRIGGER IF EXISTS article_double_redirects_update",
    _UPDATE.replace(
        "ON wiki_article BEGIN",
        "ON wiki_article WHEN OLD.redirect_to_id IS NOT NEW.redirect_to_id BEGIN",
    ),
]
SQLITE_UNDO = ["DROP TRIGGER IF EXISTS article_double_redirects_update", _UPDATE]
assert SQLITE[1] != _UPDATE  # the WHEN went in


class Migration(migrations.Migration):
    dependencies = [
        ("wiki", "0043_double_redirects"),
    ]

    operations = [
        migrations.RunPython(
            first.run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            first.run({"postgresql": POSTGRESQL_UNDO, "sqlite": SQLITE_UNDO}),
        ),
    ]
