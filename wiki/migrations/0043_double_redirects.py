"""Double redirects found by an index: `Article.double_redirect`, kept by database triggers
(on insert, and on a change of redirect_to: the row's own mark and the marks of the rows that
redirect to it, which rows loaded with their ids, a target after its redirect, may have),
filled for the redirects already stored."""

from django.db import migrations, models

# The mark of the row NEW: a redirect whose target redirects too.
OWN_MARK = (
    "NEW.redirect_to_id IS NOT NULL AND EXISTS (SELECT 1 FROM wiki_article t"
    " WHERE t.id = NEW.redirect_to_id AND t.redirect_to_id IS NOT NULL)"
)
POSTGRESQL = f"""
CREATE FUNCTION wiki_article_double_redirects() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE wiki_article SET double_redirect = ({OWN_MARK})
        WHERE id = NEW.id AND double_redirect IS DISTINCT FROM ({OWN_MARK});
    UPDATE wiki_article SET double_redirect = (NEW.redirect_to_id IS NOT NULL)
        WHERE redirect_to_id = NEW.id
        AND double_redirect IS DISTINCT FROM (NEW.redirect_to_id IS NOT NULL);
    RETURN NULL;
END
$$;
CREATE TRIGGER article_double_redirects AFTER INSERT OR UPDATE OF redirect_to_id
    ON wiki_article FOR EACH ROW EXECUTE FUNCTION wiki_article_double_redirects();
"""
POSTGRESQL_UNDO = """
DROP TRIGGER IF EXISTS article_double_redirects ON wiki_article;
DROP FUNCTION IF EXISTS wiki_article_double_redirects();
"""
SQLITE = [
    f"""CREATE TRIGGER article_double_redirects_insert AFTER INSERT ON wiki_article
    BEGIN
        UPDATE wiki_article SET double_redirect = ({OWN_MARK}) WHERE id = NEW.id;
        UPDATE wiki_article SET double_redirect = (NEW.redirect_to_id IS NOT NULL)
            WHERE redirect_to_id = NEW.id;
    END""",
    f"""CREATE TRIGGER article_double_redirects_update AFTER UPDATE OF redirect_to_id
    ON wiki_article BEGIN
        UPDATE wiki_article SET double_redirect = ({OWN_MARK}) WHERE id = NEW.id;
        UPDATE wiki_article SET double_redirect = (NEW.redirect_to_id IS NOT NULL)
            WHERE redirect_to_id = NEW.id;
    END""",
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS article_double_redirects_insert",
    "DROP TRIGGER IF EXISTS article_double_redirects_update",
]
FILL = """
UPDATE wiki_article SET double_redirect = TRUE
WHERE redirect_to_id IN (SELECT id FROM wiki_article WHERE redirect_to_id IS NOT NULL)
"""


def run(statements):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        chosen = statements[vendor]
        for statement in [chosen] if isinstance(chosen, str) else chosen:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("wiki", "0042_broken_redirects_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="double_redirect",
            field=models.BooleanField(db_default=False, default=False, editable=False),
        ),
        migrations.RunPython(
            run({"postgresql": [POSTGRESQL, FILL], "sqlite": [*SQLITE, FILL]}),
            run({"postgresql": POSTGRESQL_UNDO, "sqlite": SQLITE_UNDO}),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("double_redirect", True)),
                fields=["title", "id"],
                name="article_double_redirects",
            ),
        ),
    ]
