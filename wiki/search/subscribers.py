"""The search index kept in step with the articles, subscribed to the core's signals in
`WikiConfig.ready` (the write path does not import the search)."""

from . import index_article, remove_article


def index_stored(sender, *, article, **kwargs) -> None:
    """An article's text was stored (`signals.text_stored`): index it, same transaction."""
    index_article(article)


def unindex_deleting(sender, *, article, **kwargs) -> None:
    """An article is being deleted (`signals.article_deleting`): drop its entry."""
    remove_article(article)
