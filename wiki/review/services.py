"""Medical review: a reviewer marks a revision "medically reviewed", any editor may mark one
"checked" (not vandalism); readers see who reviewed the page and when, how much it has changed
since, and (as `WIKI_STABLE_LEVEL` says) the newest revision of at least that level.

A review is not a content edit: it makes no revision and goes around the write path's text
handling, but like an edit it locks the article row, and it retires the article's cached
pages (the badge, and the revision readers see, are part of them). Reviews come in cycles: an
article falls due for another some months after its last (see "Review cycles" below).
"""

import calendar
import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateTimeField,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from .. import caching
from ..editorial.logs import log_action
from ..editorial.models import LogEntry
from ..keyset import Counted, counted, has_row
from ..models import Article, Category, Revision
from ..permissions import hold_on, is_editor, is_reviewer
from ..reading import reviewed_article_page
from ..services import contributor_for
from .disclosures import (
    REFUSE,
    conflict_policy,
    conflict_refusal,
    conflicts_with,
    current_disclosure,
)
from .models import QueueInterval, Review

logger = logging.getLogger(__name__)

MAX_NOTE = 500


class ReviewRefused(Exception):
    """Why this user may not mark this revision (the message is for them); `status` 403 when
    they may not set that level, 400 when the request itself is wrong."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


Level = Review.Level


def review_level(value) -> Level:
    """A level from a form or an API ("checked" or "reviewed"); ReviewRefused for others."""
    try:
        return Level(str(value or Level.REVIEWED).strip().lower())
    except ValueError:
        raise ReviewRefused(gettext("A review level is “checked” or “reviewed”.")) from None


def may_mark(user, level: str) -> bool:
    """Any editor (or reviewer) may mark a revision checked; only Reviewers may mark it
    medically reviewed."""
    return is_reviewer(user) or (level == Level.CHECKED and is_editor(user))


def _check_request(*, revision: Revision, user, level: str, note: str, literature_to) -> None:
    if not may_mark(user, level):
        if level == Level.REVIEWED:
            message = gettext(
                "Only members of the Reviewers group can mark revisions as medically reviewed."
            )
        else:
            message = gettext("Only editors can mark revisions as checked.")
        raise ReviewRefused(message, status=403)
    if held := hold_on(user):  # a blocked account marks nothing, as it edits nothing
        raise ReviewRefused(held, status=403)
    if len(note) > MAX_NOTE:
        raise ReviewRefused(
            gettext("A review note has at most %(count)s characters.") % {"count": MAX_NOTE}
        )
    if revision.kind == Revision.Kind.DELETE:
        raise ReviewRefused(
            gettext("This revision records the deletion of the page: it has no text.")
        )
    if literature_to is not None:
        if level != Level.REVIEWED:
            raise ReviewRefused(gettext("“Literature reviewed to” belongs to a medical review."))
        if literature_to > timezone.localdate().replace(day=1):
            raise ReviewRefused(
                gettext("The literature cannot be reviewed to a month still to come.")
            )


def mark_reviewed(
    *,
    revision: Revision,
    user,
    level: str = Level.REVIEWED,
    note: str = "",
    literature_to: date | None = None,
) -> Review:
    """Record that `user` marked `revision` at `level`: "reviewed" (medically; Reviewers only,
    with the month the literature was reviewed to, optional, not after this month) or
    "checked" (any editor). The article's reviewed and checked revisions move forward to it
    when it is newer than theirs."""
    level = review_level(level)
    note = " ".join((note or "").split())
    if literature_to is not None:
        literature_to = literature_to.replace(day=1)
    _check_request(
        revision=revision, user=user, level=level, note=note, literature_to=literature_to
    )
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(pk=revision.article_id).first()
        if article is None:
            raise ReviewRefused(gettext("This article no longer exists."))
        if level == Level.CHECKED and Review.objects.filter(revision=revision).exists():
            raise ReviewRefused(gettext("This revision is already checked or medically reviewed."))
        person = contributor_for(user)
        disclosure = current_disclosure(person)
        # A check says 'not vandalism', not 'medically sound': conflicts bear on reviews only.
        conflicts = conflicts_with(disclosure, article) if level == Level.REVIEWED else []
        if conflicts and conflict_policy() == REFUSE:
            raise ReviewRefused(conflict_refusal(conflicts))
        review = Review.objects.create(
            article=article,
            revision=revision,
            reviewer=user,
            contributor=person,
            reviewer_name=person.name if person else user.get_username(),
            reviewer_credentials=person.credentials if person else "",
            level=level,
            note=note,
            literature_to=literature_to,
            created_at=timezone.now(),
            disclosure=disclosure,
            conflicts=", ".join(c.name for c in conflicts)[:500],
        )
        log_action(
            type=LogEntry.Type.REVIEW,
            action="review" if level == Level.REVIEWED else "check",
            performer=user,
            target=article.title,
            article_id=article.pk,
            comment=note,
            revision=revision.pk,
        )
        _move_forward(article, revision, level)
        caching.invalidate_article(article)
        if level == Level.REVIEWED:
            forget_queue_counts()
    return review


def _move_forward(article: Article, revision: Revision, level: str) -> None:
    """The article's newest checked (and, for a medical review, reviewed) revision."""
    changes = {}
    if article.checked_revision_id is None or revision.pk > article.checked_revision_id:
        changes["checked_revision"] = revision
    if level == Level.REVIEWED and (
        article.reviewed_revision_id is None or revision.pk > article.reviewed_revision_id
    ):
        changes["reviewed_revision"] = revision
    if changes:
        Article.objects.filter(pk=article.pk).update(**changes)
        for name, value in changes.items():
            setattr(article, name, value)
    if level == Level.REVIEWED:  # the review's time sets when the next one is due
        refresh_review_queue(Article.objects.filter(pk=article.pk))


@dataclass
class ReviewState:
    """What an article page says about review: the last review of the newest reviewed
    revision, and how many edits were made after it."""

    review: Review | None
    edits_since: int

    @property
    def is_current(self) -> bool:
        return self.review is not None and self.edits_since == 0


def review_state(article: Article) -> ReviewState:
    if article.reviewed_revision_id is None:
        return ReviewState(None, 0)
    review = (
        Review.objects.filter(revision_id=article.reviewed_revision_id, level=Level.REVIEWED)
        .select_related("contributor")
        .order_by("-created_at", "-pk")
        .first()
    )
    edits_since = Revision.objects.filter(
        article_id=article.pk, pk__gt=article.reviewed_revision_id
    ).count()
    return ReviewState(review, edits_since)


def shown_check(article: Article, revision_id: int | None) -> Review | None:
    """The newest "checked" mark of the revision shown, when it has one and no medical review
    (a page then says "Checked", never "Medically reviewed")."""
    if revision_id is None or article.checked_revision_id is None:
        return None
    if revision_id == article.reviewed_revision_id:
        return None
    marks = Review.objects.filter(revision_id=revision_id).select_related("contributor")
    if marks.filter(level=Level.REVIEWED).exists():
        return None
    return marks.order_by("-created_at", "-pk").first()


def edits_after(article: Article, revision_id: int) -> int:
    """How many revisions of the article were made after this one."""
    return Revision.objects.filter(article_id=article.pk, pk__gt=revision_id).count()


def readers_shown_reviewed(article: Article) -> bool:
    """Whether readers (not editors) are shown the stable revision (reviewed, or checked as
    `WIKI_STABLE_LEVEL` allows) instead of the latest (`Article.readers_shown_reviewed`)."""
    return article.readers_shown_reviewed


def shows_reviewed_revision(article: Article, user) -> bool:
    """Whether this user is shown the reviewed revision: a reader, not an editor."""
    return readers_shown_reviewed(article) and not is_editor(user)


def readers_page(article: Article):
    """The page readers are shown when it is the stable revision's, else None (they see the
    latest, `reading.article_page`)."""
    if not readers_shown_reviewed(article):
        return None
    return reviewed_article_page(article)


def reviewed_revision_ids(revision_ids) -> set[int]:
    """Those of `revision_ids` that a reviewer marked."""
    return set(
        Review.objects.filter(revision_id__in=list(revision_ids), level=Level.REVIEWED).values_list(
            "revision_id", flat=True
        )
    )


QUEUES = {
    "changed": "Changed since their last review",
    "never": "Never reviewed",
    "overdue": "Review overdue",
}


def review_queue(kind: str, *, category=None):
    """Articles waiting for a reviewer, the longest waiting first: `changed` (edited since
    their last review; waiting since the first edit after it), `never` (never reviewed;
    waiting since they were created) or `overdue` (due for another review, `overdue`).
    Redirects are left out."""
    if kind == "overdue":
        return overdue(category=category)
    articles = Article.objects.filter(redirect_to__isnull=True)
    if category is not None:
        articles = articles.filter(categories=category)
    if kind == "never":
        return articles.filter(reviewed_revision__isnull=True).order_by("created_at", "pk")
    return articles.filter(review_waiting_since__isnull=False).order_by(
        "review_waiting_since", "pk"
    )


def queue_size() -> Counted:
    """Articles waiting for review, never reviewed or changed since: the count in the header
    for reviewers."""
    return Counted.sum(queue_count(kind) for kind in ("never", "changed"))


def queue_count(kind: str) -> Counted:
    """How many articles of the whole wiki wait in the queue `kind`, counted up to
    `keyset.MOST_COUNTED` (a query of up to 1,000 rows), then kept in the cache until an
    article's place in it may have changed (`forget_queue_counts`) or QUEUE_COUNT_SECONDS
    pass: every page a reviewer opens shows the counts in its header."""
    key = QUEUE_COUNT_KEYS[kind]
    count = cache.get(key)
    if count is None:
        count = counted(review_queue(kind))
        cache.set(key, count, QUEUE_COUNT_SECONDS)
    return count


def forget_queue_counts(*kinds: str) -> None:
    """Drop the cached counts of the queues `kinds` (all without), now and when the
    transaction commits (a page counting between the two would otherwise keep the old
    number)."""
    keys = [QUEUE_COUNT_KEYS[kind] for kind in kinds or QUEUE_COUNT_KEYS]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def forget_overdue_count() -> None:
    """The overdue count dropped (a review, a category's interval)."""
    forget_queue_counts("overdue")


def _first_unreviewed_edit():
    """When the first edit after the article's last reviewed revision was made."""
    return Subquery(
        Revision.objects.filter(article_id=OuterRef("pk"), pk__gt=OuterRef("reviewed_revision_id"))
        .values("article_id")
        .annotate(first=Min("created_at"))
        .values("first")
    )


def refresh_review_queue(articles) -> int:
    """Store the places of `articles` (a queryset) in the review queues, from their revisions,
    reviews and categories: one UPDATE. The write path's saves, reviews and a category's
    interval call it; `manage.py refresh_review_queue` for all, after the site's
    WIKI_REVIEW_INTERVAL_MONTHS changed."""
    return articles.update(
        review_waiting_since=_first_unreviewed_edit(),
        review_due=AddMonths(_last_reviewed(), _interval()),
    )


# Articles an UPDATE when every place is worked out again: each holds its rows' locks only
# that long, so saves go on meanwhile.
REFRESH_BATCH = 10_000


def refresh_whole_review_queue() -> int:
    """Every reviewed article's places worked out again (in batches of REFRESH_BATCH) with the
    site's interval, which is then recorded as the one the due dates follow."""
    months = default_interval()
    reviewed = Article.objects.filter(reviewed_revision__isnull=False).order_by("pk")
    done, after = 0, 0
    while ids := list(reviewed.filter(pk__gt=after).values_list("pk", flat=True)[:REFRESH_BATCH]):
        done += refresh_review_queue(Article.objects.filter(pk__in=ids))
        after = ids[-1]
    QueueInterval.objects.update_or_create(pk=1, defaults={"months": months})
    forget_overdue_count()
    return done


def follow_site_interval(**kwargs) -> int | None:
    """The due dates made to follow the site's interval, when they were worked out with another
    (or with one not recorded): how many articles were refreshed, None when none needed to be.
    After every migrate, and every few minutes by a scheduled job (`tasks.SCHEDULED`), so that
    changing WIKI_REVIEW_INTERVAL_MONTHS and restarting is all an operator does."""
    if (migrated := kwargs.get("apps")) is not None:  # after a migrate: its models' state
        try:
            migrated.get_model("wiki", "QueueInterval")
        except LookupError:
            return None  # migrated back to before its table
    if QueueInterval.objects.filter(months=default_interval()).exists():
        return None
    done = refresh_whole_review_queue()
    logger.info("Review due dates follow %s months now: %s articles", default_interval(), done)
    return done


def queue_stored(sender, article, **kwargs) -> None:
    """After a save (`signals.text_stored`): a reviewed article's places in the queues (the
    edit may be the first since its review; its categories may have changed), and the counts
    of the queues a save can add to or take from (a new article, an edit after a review, a
    page made a redirect)."""
    if article.reviewed_revision_id is not None:
        refresh_review_queue(Article.objects.filter(pk=article.pk))
    forget_queue_counts("never", "changed")


def queue_added(sender, articles, **kwargs) -> None:
    """Many new articles at once (`signals.articles_added`): all wait for a first review."""
    forget_queue_counts("never")


def queue_leaving(sender, article, **kwargs) -> None:
    """An article is being deleted (`signals.article_deleting`): it leaves its queue."""
    forget_queue_counts()


# An edit awaits review when made after its article's last reviewed revision, or when the
# article was never reviewed. A subquery, not a join: the revisions of a deleted article
# (no article row) stay in the lists.
_ARTICLE_REVIEWED = Subquery(
    Article.objects.filter(pk=OuterRef("article_id")).values("reviewed_revision_id")[:1]
)
PENDING = Q(article_reviewed__isnull=True) | Q(pk__gt=F("article_reviewed"))


def with_review_marks(revisions):
    """Revisions annotated with `is_reviewed` (a reviewer marked it medically reviewed),
    `is_checked` (marked at least checked), `review_level` (the highest: "reviewed",
    "checked" or None) and `is_pending` (made after its article's last reviewed revision, or
    its article was never reviewed)."""
    marks = Review.objects.filter(revision_id=OuterRef("pk"))
    return revisions.annotate(
        is_reviewed=has_row(marks.filter(level=Level.REVIEWED)),
        is_checked=has_row(marks),
        review_level=Case(
            When(is_reviewed=True, then=Value(Level.REVIEWED.value)),
            When(is_checked=True, then=Value(Level.CHECKED.value)),
            default=None,
            output_field=CharField(),
        ),
        article_reviewed=_ARTICLE_REVIEWED,
        is_pending=Case(When(PENDING, then=True), default=False, output_field=BooleanField()),
    )


def filter_review(revisions, wanted: str):
    """Recent changes' review filter: `reviewed` (medically), `checked` (at least checked),
    `pending` (awaiting medical review); on revisions `with_review_marks`."""
    if wanted == "reviewed":
        return revisions.filter(is_reviewed=True)
    if wanted == "checked":
        return revisions.filter(is_checked=True)
    if wanted == "pending":
        return revisions.filter(is_pending=True)
    return revisions


def set_show_reviewed(article: Article, value: bool | None) -> None:
    """The article's setting: readers see its last reviewed revision always (True), never
    (False) or as the site's default says (None). A setting, not content: no revision is made;
    its cached pages are retired."""
    Article.objects.filter(pk=article.pk).update(show_reviewed=value)
    article.show_reviewed = value
    caching.invalidate_article(article)


# Review cycles. An article is due for another medical review some months after its last one.
#
# The interval is the shortest of its categories' (`Category.review_interval_months`), else the
# site's `WIKI_REVIEW_INTERVAL_MONTHS`. An article never reviewed is never "overdue": it waits in
# the "never reviewed" list. Months are calendar months; the database adds them itself, so the
# overdue list is filtered and ordered by its due date in SQL (PostgreSQL keeps the 31st at the
# month's last day, SQLite carries it into the next month: a day's difference at most).

OVERDUE_COUNT_KEY = "review:overdue-count"
QUEUE_COUNT_KEYS = {
    "never": "review:never-count",
    "changed": "review:changed-count",
    "overdue": OVERDUE_COUNT_KEY,
}
# The counts are kept this long at most: articles also fall due as time passes.
QUEUE_COUNT_SECONDS = 15 * 60


class AddMonths(Func):
    """A moment plus a number of calendar months, in SQL."""

    output_field = DateTimeField()

    def _parts(self, compiler):
        moment, moment_params = compiler.compile(self.source_expressions[0])
        months, months_params = compiler.compile(self.source_expressions[1])
        return moment, months, (*moment_params, *months_params)

    def as_sqlite(self, compiler, connection, **extra):
        moment, months, params = self._parts(compiler)
        return f"datetime({moment}, '+' || ({months}) || ' months')", params

    def as_postgresql(self, compiler, connection, **extra):
        moment, months, params = self._parts(compiler)
        return f"({moment} + make_interval(months => ({months})::integer))", params


def add_months(moment: datetime, months: int) -> datetime:
    """`moment` that many calendar months later; a day the month lacks becomes its last."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(
        year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1])
    )


def default_interval() -> int:
    return settings.WIKI_REVIEW_INTERVAL_MONTHS


def interval_months(article: Article) -> int:
    """Months between this article's reviews: the shortest its categories set, else the site's."""
    own = [c.review_interval_months for c in article.categories.all() if c.review_interval_months]
    return min(own, default=default_interval())


def next_review_due(article: Article, last_reviewed: datetime | None) -> datetime | None:
    """When the article is due for another review; None when it was never reviewed."""
    if last_reviewed is None:
        return None
    return add_months(last_reviewed, interval_months(article))


def _last_reviewed():
    """When the article's reviewed revision was last reviewed (what its page says)."""
    return Subquery(
        Review.objects.filter(revision_id=OuterRef("reviewed_revision_id"), level=Level.REVIEWED)
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )


def _interval():
    shortest = (
        Category.objects.filter(articles=OuterRef("pk"), review_interval_months__isnull=False)
        .order_by("review_interval_months")
        .values("review_interval_months")[:1]
    )
    return Coalesce(Subquery(shortest), Value(default_interval()), output_field=IntegerField())


def overdue(*, category: Category | None = None):
    """Reviewed articles past their next review's due date (`review_due`, stored), the longest
    overdue first; annotated with `last_reviewed` and `interval` (worked out for the rows
    shown). Redirects are left out."""
    articles = Article.objects.filter(redirect_to__isnull=True, review_due__lte=timezone.now())
    if category is not None:
        articles = articles.filter(categories=category)
    return articles.annotate(last_reviewed=_last_reviewed(), interval=_interval()).order_by(
        "review_due", "pk"
    )


def overdue_count() -> Counted:
    """How many articles are overdue for review (reviewers' header; `queue_count`)."""
    return queue_count("overdue")


def literature_month(text: str) -> date | None:
    """A "Literature reviewed to" month from a form ("2026-03"), as its first day; None when
    empty. ValueError when it is not a month."""
    text = (text or "").strip()
    if not text:
        return None
    year, _, month = text.partition("-")
    if not (year.isdigit() and month.isdigit() and len(year) == 4):
        raise ValueError(text)
    return date(int(year), int(month), 1)
