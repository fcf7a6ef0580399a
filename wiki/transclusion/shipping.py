"""The templates the encyclopedia ships (the infobox types, `shipped_templates`; the starter
skeletons, `starters.py`), written as pages through the one write path after migrate: once,
when migration 0024 (0025 for the starters) is applied (a new site, or a site upgrading past
it), and after a flush (the database emptied, as a new site's).
Not in the migration itself: the write path needs the finished schema of every table it
touches, which a migration in the middle of the chain does not have. A shipped template an
administrator deleted stays deleted; one that exists is never overwritten."""

from django.conf import settings

from ..models import Article
from ..services import ArticleEdit, article_save
from ..shipped_templates import shipped_sources
from .starters import starters_ship

SUMMARY = "Shipped with the encyclopedia: an infobox type as a template"


def _shippers() -> dict:
    """What each migration ships when it is applied: the infobox types (0024), the starter
    skeletons (0025, `starters.py`)."""
    return {
        ("wiki", "0024_infobox_templates"): write_shipped_templates,
        ("wiki", "0025_starter_templates"): starters_ship,
    }


def ship_templates(plan=None, **kwargs) -> None:
    """post_migrate: `plan` is the migrations just applied (None after a flush). Off with
    WIKI_SHIP_TEMPLATES (the test suite's empty sites)."""
    if not settings.WIKI_SHIP_TEMPLATES:
        return
    applied = {(m.app_label, m.name) for m, backwards in plan or () if not backwards}
    for migration, ship in _shippers().items():
        if plan is None or migration in applied:
            ship()


def write_shipped_templates() -> list[str]:
    """Write the shipped templates that have no page; their titles."""
    written = []
    for title, source in shipped_sources().items():
        if Article.objects.by_title(title).exists():
            continue
        article_save(
            article=Article(title=title),
            edit=ArticleEdit(text=source, base_revision=None, summary=SUMMARY),
        )
        written.append(title)
    return written
