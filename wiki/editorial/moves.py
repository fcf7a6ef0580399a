"""Moving (renaming) an article: its history, credits, review state and search entry go with
it (they hang on its id), the move is a revision of its own, and the old title can stay behind
as a redirect."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from ..models import Article, Revision
from ..permissions import EditRefused, require_edit
from ..redirects import redirect_source
from ..services import ArticleEdit, article_delete, article_save
from ..titles import is_talk_title, talk_title_of, title_to_slug, validate_title
from ..watching.watches import watches_moved
from .logs import log_action
from .models import LogEntry


class MoveRefused(Exception):
    """The move cannot be made; the message says why, in the editor's words."""


@dataclass
class MoveResult:
    article: Article
    redirect: Article | None
    over_redirect: bool


def move_summary(old: str, new: str, reason: str) -> str:
    return f"Moved {old} to {new}" + (f": {reason}" if reason else "")


def article_move(
    *, article: Article, new_title: str, user, reason: str = "", leave_redirect: bool = True
) -> MoveResult:
    """Rename `article` to `new_title` (InvalidTitle when the title is not one), leaving a
    redirect at the old title when asked. A title already taken is refused (MoveRefused),
    unless it is a redirect to this article that was never edited (one revision), which the
    move replaces, as MediaWiki does. Refused as an edit is (EditForbidden: the role,
    protection, blocks) when `user` may not edit the article."""
    require_edit(user, article)
    new_title = validate_title(new_title)
    reason = reason.strip()
    # Within the article's language: the title, the redirect left behind and the talk page's
    # are its language's; its translation group stays with it (it hangs on its id).
    with translation.override(article.language), transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        old_title = article.title
        if new_title == old_title:
            raise MoveRefused(gettext("The new title is the article's current title."))
        over_redirect = _clear_target(article, new_title)
        summary = move_summary(old_title, new_title, reason)
        article.title = new_title
        moved = article_save(
            article=article,
            edit=ArticleEdit(
                text=article.source,
                base_revision=article.latest_revision_id,
                user=user,
                summary=summary,
                kind=Revision.Kind.MOVE,
            ),
        ).article
        redirect = None
        if leave_redirect:
            redirect = article_save(
                article=Article(title=old_title),
                edit=ArticleEdit(
                    text=redirect_source(new_title),
                    base_revision=None,
                    user=user,
                    summary=summary,
                ),
            ).article
        log_action(
            type=LogEntry.Type.MOVE,
            action="move_redir" if over_redirect else "move",
            performer=user,
            target=old_title,
            article_id=moved.pk,
            comment=reason,
            to=new_title,
            redirect=leave_redirect,
        )
        if not is_talk_title(old_title):
            _move_talk_page(old_title, new_title, user=user, reason=reason, leave=leave_redirect)
            watches_moved(old_title, new_title)
    return MoveResult(article=moved, redirect=redirect, over_redirect=over_redirect)


def _move_talk_page(old_title: str, new_title: str, *, user, reason: str, leave: bool) -> None:
    """The article's talk page goes with it, when it has one, the mover may edit it (it may be
    protected) and the new talk title is free (or a redirect the move may replace); else it
    stays where it is."""
    talk = Article.objects.by_title(talk_title_of(old_title)).first()
    if talk is None:
        return
    try:
        with transaction.atomic():
            article_move(
                article=talk,
                new_title=talk_title_of(new_title),
                user=user,
                reason=reason,
                leave_redirect=leave,
            )
    except (MoveRefused, EditRefused):
        pass


def _clear_target(article: Article, new_title: str) -> bool:
    """Make room at `new_title`: nothing there (False), or a one-revision redirect to the
    article, deleted (True); anything else refuses the move."""
    taken = (
        Article.objects.select_for_update()
        .filter(slug=title_to_slug(new_title), language=article.language)
        .exclude(pk=article.pk)
        .first()
    )
    if taken is None:
        return False
    single = Revision.objects.filter(article_id=taken.pk).count() <= 1
    if taken.redirect_to_id != article.pk or not single:
        raise MoveRefused(
            (
                gettext(
                    "An article titled “%(title)s” already exists. Choose another title, or ask "
                    "an administrator to delete that page first."
                )
                if taken.redirect_to_id is None
                else gettext(
                    "“%(title)s” is a redirect that has been edited or points elsewhere, so "
                    "the move cannot replace it. Choose another title, or ask an administrator "
                    "to delete that page first."
                )
            )
            % {"title": taken.title}
        )
    article_delete(article=taken, user=None)
    return True
