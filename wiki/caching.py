"""What the cache holds about articles, and the one place that drops it."""

from django.core.cache import cache

NAVIGATION_KEY = "wiki:navigation"


def invalidate_article(article, *, links_changed: bool = False) -> None:
    """Forget cached data of this article; pages linking to it when it appeared or vanished."""
    cache.delete_many([f"wiki:article:{article.pk}"])


def invalidate_navigation(**kwargs) -> None:
    """A portal changed: the navigation bar on every page changes."""
    cache.delete(NAVIGATION_KEY)


def invalidate_contributor(contributor) -> None:
    """A contributor's name or credentials changed: the articles crediting them change."""
    from .models import Article

    for article in Article.objects.filter(credits__contributor=contributor).only("pk"):
        invalidate_article(article)
