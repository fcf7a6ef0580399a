"""What watching does when an article is saved, subscribed to the core's save signals in
`WikiConfig.ready`: the editor's "watch this page" choice, and the mail a revision calls for
(`notify.revision_saved`)."""

from .notify import revision_saved
from .watches import unwatch_page, watch_page


def watch_choice(sender, *, article, edit, **kwargs) -> None:
    """The editor's "watch this page" choice, made with the edit (`signals.edit_received`)."""
    if edit.watch is None or edit.user is None or not edit.user.is_authenticated:
        return
    if edit.watch:
        watch_page(user=edit.user, title=article.title)
    else:
        unwatch_page(user=edit.user, title=article.title)


def tell_watchers(sender, *, revision, edit, **kwargs) -> None:
    """Queue the mails the new revision calls for (`signals.article_saved`)."""
    revision_saved(revision=revision, undoes=edit.undoes)
