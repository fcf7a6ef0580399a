"""Deleting a page and undeleting it: the deletion is the last revision of its history (its
text kept, its size 0), and undeleting saves that text again as a new revision, with every
revision before it back in the history (they stay in the database, keyed by the article's id).
The deletion log entry keeps the page's language and its translations, so an undeleted page is
in its language again and back in its translation group."""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from ..history.services import article_restore
from ..models import Article, Revision
from ..revisions import RevisionMeta, record_revision
from ..services import SaveResult, article_delete, contributor_for
from ..translations import TranslationRefused, translation_link
from .logs import log_action
from .models import LogEntry
from .revision_hiding import visibility_of


class UndeleteRefused(Exception):
    """The page cannot be undeleted; the message says why."""


def page_delete(*, article: Article, user, reason: str = "") -> LogEntry:
    """Delete `article` with a reason, recorded in its history, recent changes and the
    deletion log. Who may delete is the caller's to check (`permissions.can_delete`)."""
    reason = reason.strip()
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        article_id, title = article.pk, article.title  # delete() forgets the id
        revisions = Revision.objects.filter(article_id=article.pk).count()
        translations = (
            list(
                Article.objects.filter(translation_group_id=article.translation_group_id)
                .exclude(pk=article.pk)
                .values_list("pk", flat=True)
            )
            if article.translation_group_id
            else None
        )
        record_revision(
            article,
            RevisionMeta(
                user=user if user is not None and user.is_authenticated else None,
                contributor=contributor_for(user),
                created_at=timezone.now(),
                summary="Deleted the page" + (f": {reason}" if reason else ""),
                kind=Revision.Kind.DELETE,
                size=0,
                size_delta=-article.size,
                parent_id=article.latest_revision_id,
            ),
        )
        article_delete(article=article, user=user)
        return log_action(
            type=LogEntry.Type.DELETE,
            action="delete",
            performer=user,
            target=title,
            article_id=article_id,
            comment=reason,
            revisions=revisions,
            language=article.language,
            translations=translations,
        )


def page_undelete(*, article_id: int, user, reason: str = "") -> SaveResult:
    """Bring a deleted article back with its whole history, as a new revision, in its language
    and its translation group (`_rejoin`)."""
    reason = reason.strip()
    deletion = LogEntry.objects.filter(
        type=LogEntry.Type.DELETE, action="delete", article_id=article_id
    ).first()
    params = deletion.params if deletion is not None else {}
    language = params.get("language") or translation.get_language()
    with translation.override(language), transaction.atomic():
        if Article.objects.filter(pk=article_id).exists():
            raise UndeleteRefused(gettext("This page is not deleted."))
        last = Revision.objects.filter(article_id=article_id).first()
        if last is None:
            raise UndeleteRefused(gettext("Nothing of this page is left to undelete."))
        if Article.objects.by_title(last.title).exists():
            raise UndeleteRefused(
                gettext(
                    "A new page titled “%(title)s” was created since the deletion. Move or "
                    "delete it first, then undelete."
                )
                % {"title": last.title}
            )
        _refuse_a_hidden_text(last)
        result = article_restore(
            revision_id=last.pk,
            user=user,
            summary="Undeleted the page" + (f": {reason}" if reason else ""),
        )
        restored = Revision.objects.filter(article_id=article_id).exclude(kind=Revision.Kind.DELETE)
        log_action(
            type=LogEntry.Type.DELETE,
            action="restore",
            performer=user,
            target=result.article.title,
            article_id=article_id,
            comment=reason,
            revisions=restored.count() - 1,  # the undeletion itself is not one restored
        )
        _rejoin(result.article, params.get("translations") or [], user=user)
    return result


def _rejoin(article: Article, former: list[int], *, user) -> None:
    """Back into the group of the translations it had when deleted (a group of two went with
    the deletion: linked to the one left), unless that group has an article of its language
    now (that editors' choice stands): linked to the first of them still there."""
    other = Article.objects.filter(pk__in=former).order_by("pk").first()
    if other is None:
        return
    try:
        translation_link(article, other, performer=user)
    except TranslationRefused:
        pass


def _refuse_a_hidden_text(last: Revision) -> None:
    """Undeleting shows the text the page had when it was deleted: not when an administrator
    has since hidden it (as MediaWiki refuses to restore a top revision partly deleted)."""
    hidden = visibility_of([last.pk, last.parent_id])
    if any(v.text for v in hidden.values()):
        raise UndeleteRefused(
            gettext(
                "The text this page had when it was deleted is hidden: undeleting would show it "
                "again. Show that revision's text again first, or create the page anew."
            )
        )
