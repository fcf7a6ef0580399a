"""The templates the encyclopedia ships (the infobox types, `shipped_templates`), written as
pages through the one write path after migrate: once, when migration 0024 is applied (a new
site, or a site upgrading past it), and after a flush (the database emptied, as a new site's).
Not in the migration itself: the write path needs the finished schema of every table it
touches, which a migration in the middle of the chain does not have. A shipped template an
administrator deleted stays deleted; one that exists is never overwritten."""

from django.conf import settings

from ..models import Article
from ..services import ArticleEdit, article_save
from ..shipped_templates import shipped_sources

MIGRATION = ("wiki", "0024_infobox_templates")
SUMMARY = "Shipped with the encyclopedia: an infobox type as a template"


def ship_templates(plan=None, **kwargs) -> None:
    """post_migrate: `plan` is the migrations just applied (None after a flush). Off with
    WIKI_SHIP_TEMPLATES (the test suite's empty sites)."""
    if not settings.WIKI_SHIP_TEMPLATES:
        return
    if plan is not None and not any(
        (migration.app_label, migration.name) == MIGRATION and not backwards
        for migration, backwards in plan
    ):
        return
    write_shipped_templates()


def write_shipped_templates() -> list[str]:
    """Write the shipped templates that have no page; their titles."""
    written = []
    for title, source in shipped_sources().items():
        if Article.objects.filter(title=title).exists():
            continue
        article_save(
            article=Article(title=title),
            edit=ArticleEdit(text=source, base_revision=None, summary=SUMMARY),
        )
        written.append(title)
    return written
