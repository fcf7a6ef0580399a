"""Reader reports: anyone may report a problem with an article; editors triage the reports.

A report passes the anti-abuse checks first (`report_file`): a field only robots fill (the
honeypot) and a throttle per client address and per article, counted in the shared cache.
Editors move a report through its states (`report_triage`); a reporter who left an address
is told by mail, through the task queue, when it is fixed or declined. Reports are private:
only these services and the editors' pages read them.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from ..keyset import Counted, counted
from ..limits import in_minutes, window_wait
from ..models import Article, Revision
from ..permissions import is_editor
from ..review.services import shows_reviewed_revision
from ..watching.mail import queue_mail
from ..watching.notify import changes_url
from .models import OPEN_STATES, Report

MAX_TEXT = 5000
MAX_REPLY = 1000
OPEN_COUNT_KEY = "reports:open-count"
OPEN_COUNT_SECONDS = 15 * 60
FIX_CHOICES = 20  # the recent revisions an editor picks the fixing one from


class ReportThrottled(Exception):
    """Too many reports from this address or about this article for now (429)."""

    def __init__(self, message: str, *, seconds: int):
        super().__init__(message)
        self.seconds = seconds


class TriageRefused(Exception):
    """Why this change of a report's state cannot be made (the message is for the editor)."""


@dataclass(frozen=True)
class ReportDraft:
    """What the reader typed: the section's heading ("" for the whole article), the kind, the
    text and an optional e-mail address."""

    section: str
    kind: str
    text: str
    email: str = ""


def report_sections(article: Article) -> list[str]:
    """The headings a reader may point at, in the article's order."""
    return list(article.sections.order_by("position").values_list("heading", flat=True))


def _counters(article: Article, address: str) -> list[tuple[str, int]]:
    counters = [(f"reports:article:{article.pk}", settings.WIKI_REPORTS_PER_ARTICLE)]
    if address:
        counters.append((f"reports:address:{address}", settings.WIKI_REPORTS_PER_ADDRESS))
    return counters


def _throttle(article: Article, address: str) -> None:
    """Count this report; ReportThrottled when the address or the article is over its limit
    within WIKI_REPORTS_WINDOW_SECONDS."""
    wait = window_wait(_counters(article, address), settings.WIKI_REPORTS_WINDOW_SECONDS)
    if wait is not None:
        raise ReportThrottled(
            "Too many reports were sent from your address or about this article just now. "
            f"Nothing was sent: please try again in {in_minutes(wait)}.",
            seconds=wait,
        )


def report_file(
    *, article: Article, draft: ReportDraft, user, address: str, trap: str = ""
) -> Report | None:
    """File a reader's report about `article`. A filled honeypot (`trap`, a field people never
    see) files nothing and returns None, saying nothing to the robot; ReportThrottled when the
    address or the article has sent too many (editors are not throttled)."""
    if trap.strip():
        return None
    if not is_editor(user):
        _throttle(article, address)
    shown = article.latest_revision_id
    if shows_reviewed_revision(article, user) and article.reviewed_revision_id:
        shown = article.reviewed_revision_id
    report = Report.objects.create(
        article=article,
        title=article.title,
        revision_id=shown,
        section=draft.section,
        kind=draft.kind,
        text=draft.text[:MAX_TEXT],
        email=draft.email,
        reporter=user if user and user.is_authenticated else None,
    )
    forget_open_count()
    return report


def reports_queue(*, state: str = "open", article: Article | None = None):
    """Reports for the triage page, newest first: the open ones (new and accepted), one state,
    or every report (`state="all"`)."""
    reports = Report.objects.select_related("article", "fixed_by", "duplicate_of")
    if state == "open":
        reports = reports.filter(state__in=OPEN_STATES)
    elif state in Report.State.values:
        reports = reports.filter(state=state)
    if article is not None:
        reports = reports.filter(article=article)
    return reports.order_by("-created_at", "-pk")


def state_counts() -> dict[str, Counted]:
    """How many reports are in each state, and open, counted up to `keyset.MOST_COUNTED`
    (each state read from its index, never every report)."""
    found = {state: counted(Report.objects.filter(state=state)) for state in Report.State.values}
    found["open"] = Counted.sum(found[state] for state in OPEN_STATES)
    return found


def open_report_counts(article_ids) -> dict[int, int]:
    """Open reports per article, for the review queue: {article id: count}, none for zero."""
    rows = (
        Report.objects.filter(article_id__in=list(article_ids), state__in=OPEN_STATES)
        .values_list("article_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def open_count() -> Counted:
    """How many reports are open (the editors' header), counted up to `keyset.MOST_COUNTED`:
    cached until a report is filed or triaged."""
    count = cache.get(OPEN_COUNT_KEY)
    if count is None:
        count = counted(Report.objects.filter(state__in=OPEN_STATES))
        cache.set(OPEN_COUNT_KEY, count, OPEN_COUNT_SECONDS)
    return count


def forget_open_count() -> None:
    cache.delete(OPEN_COUNT_KEY)
    transaction.on_commit(lambda: cache.delete(OPEN_COUNT_KEY))


def fix_choices(report: Report):
    """The article's recent revisions, newest first: the one that fixed the report is among
    them (and the one already chosen, if older)."""
    if report.article_id is None:
        return []
    revisions = list(
        Revision.objects.filter(article_id=report.article_id)
        .exclude(kind=Revision.Kind.DELETE)
        .select_related("contributor")
        .order_by("-pk")[:FIX_CHOICES]
    )
    if report.fixed_by_id and report.fixed_by_id not in {r.pk for r in revisions}:
        revisions.append(report.fixed_by)
    return revisions


@dataclass(frozen=True)
class Triage:
    """An editor's decision on a report: the new state, the revision that fixed it (for
    "fixed"), the report it repeats (for "duplicate"), and words for the reporter."""

    state: str
    fixed_by: int | None = None
    duplicate_of: int | None = None
    reply: str = ""


def _check(report: Report, triage: Triage) -> tuple[Revision | None, Report | None]:
    """The fixing revision and the original report the triage names; TriageRefused if wrong."""
    if triage.state not in Report.State.values:
        raise TriageRefused(gettext("Choose one of the states."))
    if len(triage.reply) > MAX_REPLY:
        raise TriageRefused(
            gettext("A note to the reporter has at most %(count)s characters.")
            % {"count": MAX_REPLY}
        )
    fixed_by = original = None
    if triage.state == Report.State.FIXED:
        fixed_by = Revision.objects.filter(
            pk=triage.fixed_by or 0, article_id=report.article_id
        ).first()
        if fixed_by is None:
            raise TriageRefused(
                gettext("Choose the revision of this article that fixed the problem.")
            )
    if triage.state == Report.State.DUPLICATE:
        original = Report.objects.filter(pk=triage.duplicate_of or 0).first()
        if original is None or original.pk == report.pk:
            raise TriageRefused(gettext("Give the number of another report this one repeats."))
        if original.duplicate_of_id == report.pk:
            raise TriageRefused(
                gettext("Report %(id)s is already a duplicate of this one.") % {"id": original.pk}
            )
    return fixed_by, original


def report_triage(*, report: Report, user, triage: Triage) -> Report:
    """Move `report` to a new state (editors only). Marked fixed or declined (from another
    state), its reporter, if they left an address, is mailed after the commit."""
    if not is_editor(user):
        raise PermissionDenied(gettext("Only editors can triage reader reports."))
    triage = Triage(triage.state, triage.fixed_by, triage.duplicate_of, triage.reply.strip())
    fixed_by, original = _check(report, triage)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        was = report.state
        report.state = triage.state
        report.fixed_by = fixed_by
        report.duplicate_of = original
        report.reply = triage.reply
        report.handled_by = user
        report.handled_at = timezone.now()
        report.save()
        if report.email and triage.state != was and triage.state in ("fixed", "declined"):
            _tell_reporter(report)
        forget_open_count()
    return report


def _absolute(path: str) -> str:
    return settings.WIKI_SITE_URL.rstrip("/") + path


def _tell_reporter(report: Report) -> None:
    """Queue the mail to the reporter (sent by the task queue once the triage commits)."""
    fixed = report.state == Report.State.FIXED
    where = report.section or "the whole article"
    with translation.override(None):  # the mail is written in English, whoever triaged it
        kind = str(report.get_kind_display()).lower()
    lines = [
        f"On {report.created_at:%d %B %Y} you reported a problem with “{report.title}” "
        f"({kind}, {where}):",
        "",
        *(f"> {line}" for line in report.text.splitlines()[:10]),
        "",
    ]
    if fixed:
        lines += [
            "Thank you: an editor has corrected the article.",
            f"See the correction: {changes_url(report.fixed_by)}",
        ]
    else:
        lines.append("An editor looked into it and decided not to change the article.")
    if report.reply:
        lines += ["", f"The editor's note: {report.reply}"]
    if article := Article.objects.filter(pk=report.article_id).first():
        lines += ["", f"The article: {_absolute(reverse('wiki:article', args=[article.slug]))}"]
    lines += ["", "You get this mail because you gave your address with the report."]
    queue_mail(
        to=report.email,
        subject=f"Your report about “{report.title}”: {'fixed' if fixed else 'declined'}",
        body="\n".join(lines) + "\n",
    )
