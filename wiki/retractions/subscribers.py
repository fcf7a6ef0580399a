"""The index of cited works kept in step with the articles, subscribed to the core's signals
in `WikiConfig.ready` (the write path does not import this capability)."""

from .services import index_citations


def index_stored(sender, *, article, **kwargs) -> None:
    """An article's text was stored (`signals.text_stored`): record what it cites, same
    transaction."""
    index_citations(article)
