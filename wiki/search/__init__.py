"""Full-text search: one interface, one engine per database vendor."""


def index_article(article) -> None:
    """Bring the article's search entry in step with its current text (same transaction)."""


def remove_article(article) -> None:
    """Drop the article's search entry."""
