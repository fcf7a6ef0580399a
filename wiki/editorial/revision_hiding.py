"""Hiding a revision's text, summary or author's name (MediaWiki's RevisionDelete), and
suppressing it, which hides it from administrators too. What is hidden is read here and only
here: every page, feed, API, export and mail that shows a revision asks `visibility_of` or
`shown_to` what its reader may see."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext

from ..caching import invalidate_articles
from ..models import Article, Credit, Revision
from ..permissions import is_administrator, is_suppressor
from .logs import log_action
from .models import LogEntry, RevisionVisibility

# What a reader who may not see a hidden part is shown in its place (MediaWiki's words).
TEXT_REMOVED = "(text removed)"
SUMMARY_REMOVED = "(edit summary removed)"
AUTHOR_REMOVED = "(username removed)"


@dataclass(frozen=True)
class Visibility:
    """What of one revision is hidden; `suppressed`: from administrators too."""

    text: bool = False
    summary: bool = False
    author: bool = False
    suppressed: bool = False

    @property
    def anything(self) -> bool:
        return self.text or self.summary or self.author

    def readable_by(self, user) -> bool:
        """Whether `user` may see the hidden parts: administrators (suppressors, when it is
        suppressed). The fact that a part is hidden is public, as in MediaWiki."""
        if not self.anything:
            return True
        if self.suppressed:
            return is_suppressor(user)
        return is_administrator(user) or is_suppressor(user)

    def describe(self) -> str:
        parts = [name for name in ("text", "summary", "author") if getattr(self, name)]
        hidden = ", ".join(parts) + " hidden" if parts else "nothing hidden"
        return hidden + (", suppressed" if self.suppressed and parts else "")


SHOWN = Visibility()


def _visibility(row: RevisionVisibility) -> Visibility:
    return Visibility(row.text_hidden, row.summary_hidden, row.author_hidden, row.suppressed)


def visibility_of(revision_ids) -> dict[int, Visibility]:
    """What is hidden of each of these revisions that has anything hidden, in one query."""
    ids = [pk for pk in revision_ids if pk is not None]
    if not ids:
        return {}
    rows = RevisionVisibility.objects.filter(revision_id__in=ids)
    return {row.revision_id: _visibility(row) for row in rows}


def can_hide(user) -> bool:
    """Administrators and suppressors change what of a revision is hidden."""
    return is_administrator(user) or is_suppressor(user)


def shown_to(user, revisions) -> list[Revision]:
    """The revisions as `user` may see them: each gets `hidden` (a Visibility), `readable`
    (whether the user may see its hidden parts) and `text_readable`; a hidden summary or
    author the user may not see is blanked on the object. For showing, never for saving.
    Revisions read with `select_related("hiding")` cost no query more."""
    revisions = list(revisions)
    if all(Revision.hiding.is_cached(r) for r in revisions):  # select_related("hiding")
        rows = (getattr(r, "hiding", None) for r in revisions)
        found = {row.revision_id: _visibility(row) for row in rows if row is not None}
    else:
        found = visibility_of([r.pk for r in revisions])
    for rev in revisions:
        rev.hidden = found.get(rev.pk, SHOWN)
        rev.readable = rev.hidden.readable_by(user)
        rev.text_readable = rev.readable or not rev.hidden.text
        if not rev.readable:
            if rev.hidden.summary:
                rev.summary = ""
            if rev.hidden.author:
                rev.contributor = None
                rev.user = None
    return revisions


def versions_shown_to(user, versions) -> list:
    """django-reversion's versions (the admin's history), their revisions' comment (our
    summary) and user masked as `shown_to` masks ours."""
    versions = list(versions)
    found = visibility_of({v.revision_id for v in versions})
    for version in versions:
        hidden = found.get(version.revision_id, SHOWN)
        if not hidden.readable_by(user):
            if hidden.summary:
                version.revision.comment = SUMMARY_REMOVED
            if hidden.author:
                version.revision.user = None
    return versions


def public(revisions) -> list[Revision]:
    """The revisions as anyone may see them: for exports, dumps and mail."""
    return shown_to(None, revisions)


def without_hidden_authors(revisions, user):
    """A queryset of revisions less those whose author `user` may not see: lists by author
    (contributions, a contributor filter) would name the author of a hidden revision."""
    hidden = authors_hidden_from(user)
    return revisions if hidden is None else revisions.exclude(pk__in=hidden)


def authors_hidden_from(user):
    """The ids of the revisions whose author `user` may not see, as a subquery (None: they
    see every author), for lists that count a person's edits."""
    if is_suppressor(user):
        return None
    hidden = RevisionVisibility.objects.filter(author_hidden=True)
    if is_administrator(user):
        hidden = hidden.filter(suppressed=True)
    return hidden.values("revision_id")


def texts_readable(user, revision_ids) -> bool:
    """Whether `user` may read the text of every one of these revisions."""
    found = visibility_of(revision_ids)
    return all(not v.text or v.readable_by(user) for v in found.values())


class TextHidden(PermissionDenied):
    """The text of a revision the reader may not see was asked for (a page, a diff, a revert)."""

    def __init__(self, revision_id: int):
        super().__init__(
            f"The text of revision {revision_id} has been hidden by an administrator; "
            "it is not shown, compared or restored."
        )
        self.revision_id = revision_id


def require_texts(user, revision_ids) -> None:
    """Raise TextHidden unless `user` may read the text of each of these revisions."""
    found = visibility_of(revision_ids)
    for pk in revision_ids:
        if (vis := found.get(pk)) and vis.text and not vis.readable_by(user):
            raise TextHidden(pk)


def _hidden_credits(article_id: int) -> RawSQL:
    """The ids, as a subquery, of the contributors of the article every one of whose
    revisions has its author hidden. Written out: built by the ORM, its nested excludes took
    longer to compile than the query took to run, on every uncached article view."""
    revision, visibility = Revision._meta.db_table, RevisionVisibility._meta.db_table
    return RawSQL(
        f"SELECT r.contributor_id FROM {revision} r JOIN {visibility} v"
        " ON v.revision_id = r.revision_id AND v.author_hidden"
        " WHERE r.article_id = %s AND r.contributor_id IS NOT NULL AND NOT EXISTS ("
        f"SELECT 1 FROM {revision} s WHERE s.article_id = %s"
        " AND s.contributor_id = r.contributor_id AND NOT EXISTS ("
        f"SELECT 1 FROM {visibility} sv WHERE sv.revision_id = s.revision_id"
        " AND sv.author_hidden))",
        (article_id, article_id),
    )


def hidden_credits(article_id: int) -> set[int]:
    """Contributors of the article every one of whose revisions has its author hidden: no
    credits line, page or export names them (the line is the same for every reader)."""
    revisions = Revision.objects.filter(article_id=article_id)
    hidden = revisions.filter(contributor_id__in=_hidden_credits(article_id))
    return set(hidden.values_list("contributor_id", flat=True).distinct())


def shown_credits(article_id: int):
    """The article's credits, less the names `hidden_credits` keeps out (one query)."""
    hidden = _hidden_credits(article_id)
    return Credit.objects.filter(article_id=article_id).exclude(contributor_id__in=hidden)


def shown_credits_of(contributor_id: int):
    """A contributor's credits, less the articles where every revision of theirs has its
    author hidden (their contributor page would tie them to it)."""
    revisions = Revision.objects.filter(contributor_id=contributor_id)
    hidden = RevisionVisibility.objects.filter(author_hidden=True).values("revision_id")
    # From the few hidden revisions, never through all of a busy contributor's edits.
    shown_on_same = revisions.filter(article_id=OuterRef("article_id")).exclude(pk__in=hidden)
    hidden_on = revisions.filter(pk__in=hidden).exclude(Exists(shown_on_same))
    credits = Credit.objects.filter(contributor_id=contributor_id)
    return credits.exclude(article_id__in=hidden_on.values("article_id"))


class HidingRefused(Exception):
    """The change cannot be made; the message says why, in the administrator's words."""


@dataclass(frozen=True)
class VisibilityChange:
    """What an administrator asks of the selected revisions: each part hidden or shown."""

    text: bool
    summary: bool
    author: bool
    suppress: bool = False
    reason: str = ""

    @property
    def visibility(self) -> Visibility:
        hides = self.text or self.summary or self.author
        return Visibility(self.text, self.summary, self.author, self.suppress and hides)


def _check(user, revisions: list[Revision], change: VisibilityChange, found) -> None:
    if not can_hide(user):
        raise PermissionDenied(gettext("Only administrators can hide parts of revisions."))
    if change.suppress and not is_suppressor(user):
        raise PermissionDenied(gettext("Only suppressors can hide revisions from administrators."))
    articles = Article.objects.in_bulk({r.article_id for r in revisions})
    for rev in revisions:
        old = found.get(rev.pk, SHOWN)
        if old.suppressed and not is_suppressor(user):
            raise PermissionDenied(
                gettext("Revision %(id)s is suppressed: only suppressors change it.")
                % {"id": rev.pk}
            )
        article = articles.get(rev.article_id)
        if change.text and not old.text and article is not None and _shown_now(article, rev):
            raise HidingRefused(
                gettext(
                    "Revision %(id)s is the text readers see now: its text cannot be hidden. "
                    "Revert the article to an earlier revision first, then hide this one."
                )
                % {"id": rev.pk}
            )


def _shown_now(article: Article, rev: Revision) -> bool:
    """The article's current revision, or the reviewed one its readers are shown."""
    if rev.pk == article.latest_revision_id:
        return True
    return article.readers_shown_reviewed and rev.pk == article.reviewed_revision_id


def revisions_visibility_change(*, revision_ids, user, change: VisibilityChange) -> int:
    """Hide or show the parts of these revisions as `change` says, log each revision changed
    (the deletion log, or the suppression log only suppressors read; the entry names the
    parts, never their content) and drop the cached pages that showed them. Returns how many
    revisions changed; PermissionDenied or HidingRefused and nothing changes."""
    revisions = list(Revision.objects.filter(pk__in=list(revision_ids)).order_by("pk"))
    found = visibility_of([r.pk for r in revisions])
    _check(user, revisions, change, found)
    wanted = change.visibility
    changed = 0
    with transaction.atomic():
        for rev in revisions:
            old = found.get(rev.pk, SHOWN)
            if old == wanted:
                continue
            if wanted.anything:
                RevisionVisibility.objects.update_or_create(
                    revision=rev,
                    defaults={
                        "text_hidden": wanted.text,
                        "summary_hidden": wanted.summary,
                        "author_hidden": wanted.author,
                        "suppressed": wanted.suppressed,
                        "reason": change.reason[:500],
                        "changed_by": user,
                        "changed_at": timezone.now(),
                    },
                )
            else:
                RevisionVisibility.objects.filter(revision=rev).delete()
            log_action(
                type=LogEntry.Type.SUPPRESS
                if wanted.suppressed or old.suppressed
                else LogEntry.Type.DELETE,
                action="revision",
                performer=user,
                target=rev.title,
                article_id=rev.article_id,
                comment=change.reason,
                revision=rev.pk,
                changes=wanted.describe(),
            )
            changed += 1
        if changed:
            invalidate_articles(
                Article.objects.filter(pk__in={r.article_id for r in revisions}).values_list(
                    "language", "slug"
                )
            )
    return changed


def log_types_hidden_from(user) -> list[str]:
    """Log types `user` may not read: the suppression log is for suppressors alone."""
    return [] if is_suppressor(user) else [LogEntry.Type.SUPPRESS]
