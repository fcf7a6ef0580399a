"""What the core's write path announces. The capabilities' side effects of a save (talk
signatures, watch choices, mail to watchers, the search index) and the purge of cached pages
subscribe here, from `WikiConfig.ready`; the write path imports none of them."""

from django.dispatch import Signal

edit_text_filters: list = []  # each f(article=, edit=, now=) -> ArticleEdit, before the save
edit_received = Signal()  # article, edit: an edit reached the save (even one changing nothing)
article_saved = Signal()  # article, revision, edit: a revision was recorded (in its transaction)
# article: its current text was stored (a save, an import's history), in the transaction
text_stored = Signal()
article_deleting = Signal()  # article: about to be deleted, in the transaction
# articles: many new articles at once (an import's batch, `bulk.create_articles`), in the
# transaction; each one's text is stored without `text_stored`
articles_added = Signal()
# article, created, deleted, old_slug: what shows it (its pages, and when it appeared,
# vanished or was renamed, the pages linking to it) is out of date
article_changed = Signal()
# action ("link" or "unlink"), article, others (the articles it was linked to or taken from),
# performer (None: an import, the system): a translation group changed (`wiki.translations`)
translations_changed = Signal()


def add_edit_text_filter(text_filter) -> None:
    """Have `text_filter` rewrite each edit before it is saved (talk signs "~~~~")."""
    if text_filter not in edit_text_filters:
        edit_text_filters.append(text_filter)
