"""Going back in an article's history: revert to (or recover from) an old revision, and undo
one revision's change; each a NEW revision through the core's write path."""

from dataclasses import dataclass

from django.utils.translation import gettext

from ..editorial.revision_hiding import AUTHOR_REMOVED, require_texts, visibility_of
from ..models import Article, Category, Revision
from ..services import ArticleEdit, SaveResult, article_save, three_way_merge
from ..snapshots import load_snapshot, load_snapshots
from ..sources import split_source


def _author(revision: Revision | None) -> str:
    """Who made a revision, in words for an edit summary (public: a hidden name is not said)."""
    if revision is not None and (hidden := visibility_of([revision.pk]).get(revision.pk)):
        if hidden.author:
            return AUTHOR_REMOVED
    if revision is not None and revision.contributor is not None:
        return revision.contributor.display_name
    return "the importer"


def article_restore(*, revision_id: int, user, summary: str = "") -> SaveResult:
    """Save an old revision's text and categories as a NEW revision (revert, or recovery of a
    deleted article with its old id), not through the door: for the admin's recovery and
    callers that checked who asks. Nothing in history is overwritten."""
    article, edit = restore_edit(revision_id=revision_id, user=user, summary=summary)
    return article_save(article=article, edit=edit)


def restore_edit(*, revision_id: int, user, summary: str = "") -> tuple[Article, ArticleEdit]:
    """The article (new again when it was deleted) and the edit that brings back an old
    revision's text and categories; TextHidden when its text is hidden from `user`."""
    require_texts(user, [revision_id])
    snapshot = load_snapshot(revision_id)
    if snapshot is None:
        raise Revision.DoesNotExist(revision_id)
    info = Revision.objects.select_related("contributor").filter(pk=revision_id).first()
    article = Article.objects.filter(pk=snapshot.article_id).first()
    recovering = article is None
    if recovering:
        article = Article(
            pk=snapshot.article_id, title=snapshot.title, protection=snapshot.protection
        )
    names = list(
        Category.objects.filter(pk__in=snapshot.category_ids).values_list("name", flat=True)
    )
    undone = () if recovering else _revisions_after(article, revision_id)
    return article, ArticleEdit(
        text=snapshot.source,
        base_revision=None if recovering else article.latest_revision_id,
        user=user,
        categories=names,
        summary=summary
        or (
            f"Recovered the deleted article from revision {revision_id}"
            if recovering
            else revert_summary(info)
        ),
        kind=Revision.Kind.RECOVER if recovering else Revision.Kind.REVERT,
        undoes=undone,
    )


def revert_summary(info: Revision) -> str:
    """The edit summary a revert to `info` gets unless the editor writes another."""
    return f"Reverted to revision {info.pk} by {_author(info)}"


def _revisions_after(article: Article, revision_id: int) -> tuple[int, ...]:
    """The edits a revert to `revision_id` takes back (their authors are told)."""
    later = Revision.objects.filter(article_id=article.pk, pk__gt=revision_id)
    return tuple(later.values_list("pk", flat=True)[:500])


class UndoRefused(Exception):
    """The revision cannot be undone; the message says why, in the reader's words."""


@dataclass(frozen=True)
class UndoResult:
    """What undoing one revision would make of the article now (nothing saved yet)."""

    article: Article
    text: str
    summary: str


def undo_result(*, revision_id: int) -> UndoResult:
    """The text undoing one revision gives: a three-way merge of (the revision's text -> its
    parent's text) onto the current text; UndoRefused when later edits changed the same
    lines, or when there is nothing to undo."""
    info = Revision.objects.select_related("contributor").filter(pk=revision_id).first()
    if info is None:
        raise Revision.DoesNotExist(revision_id)
    article = Article.objects.filter(pk=info.article_id).first()
    if article is None:
        raise UndoRefused(gettext("The article was deleted; recover it from the admin first."))
    if info.parent_id is None:
        raise UndoRefused(
            gettext(
                "Revision %(id)s created the article, so there is nothing before it to go back to."
            )
            % {"id": revision_id}
        )
    snapshots = load_snapshots([revision_id, info.parent_id])
    if len(snapshots) < 2:
        raise UndoRefused(
            gettext("The text of revision %(id)s or of the one before it is missing.")
            % {"id": revision_id}
        )
    theirs, before = snapshots[revision_id].source, snapshots[info.parent_id].source
    current = article.source
    merged = three_way_merge(theirs, before, current)
    if merged is None:
        touched = _sections_changed_since(theirs, before, current)
        where = f" ({', '.join(touched)})" if touched else ""
        raise UndoRefused(
            f"Revision {revision_id} cannot be undone automatically: later edits changed the "
            f"same part of the article{where}. Edit the article by hand, or revert to an "
            "older revision."
        )
    if merged == current:
        raise UndoRefused(
            gettext("The change made in revision %(id)s is no longer in the text.")
            % {"id": revision_id}
        )
    return UndoResult(
        article=article, text=merged, summary=f"Undid revision {revision_id} by {_author(info)}"
    )


def article_undo(*, revision_id: int, user, summary: str = "") -> SaveResult:
    """Reverse one revision's change alone, keeping every later edit (a NEW revision), not
    through the door (callers that checked who asks); refused with UndoRefused as
    `undo_result` says."""
    article, edit = undo_edit(revision_id=revision_id, user=user, summary=summary)
    return article_save(article=article, edit=edit)


def undo_edit(*, revision_id: int, user, summary: str = "") -> tuple[Article, ArticleEdit]:
    """The article and the edit that reverse one revision's change (UndoRefused as
    `undo_result` says; TextHidden when its text, or the one before, is hidden from `user`)."""
    result = undo_result(revision_id=revision_id)
    parent = Revision.objects.filter(pk=revision_id).values_list("parent_id", flat=True).first()
    require_texts(user, [revision_id] + ([parent] if parent else []))
    return result.article, ArticleEdit(
        text=result.text,
        base_revision=result.article.latest_revision_id,
        user=user,
        summary=summary or result.summary,
        kind=Revision.Kind.UNDO,
        undoes=(revision_id,),
    )


def _sections_changed_since(theirs: str, before: str, current: str) -> list[str]:
    """Headings of the sections the undone revision changed that also differ now."""

    def by_heading(source):
        lead, parts = split_source(source)
        return {"Lead": lead, **{p.heading: p.text for p in parts}}

    old, new, now = by_heading(before), by_heading(theirs), by_heading(current)
    return [h for h in new if old.get(h) != new[h] and now.get(h) != new[h]]
