"""The retractions capability's door: which works each article cites, checking them against
the services, and what readers and editors are shown of the findings.

What an article cites is read from its stored HTML, where every reference is an item of the
footnote list and each DOI and PMID in it a link (`wiki.citations`): the same reading serves
the index kept on each save and the marks put on a page when it is assembled, so the marks
follow the revision shown. A finding that changes retires the pages of the articles citing it
(`caching.invalidate_articles`).
"""

import html as html_module
import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import unquote

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.html import escape

from .. import caching
from ..models import Article
from .models import CitationIndex, CitedWork, Scheme, SourceCheck, SourceNotice
from .notices import PUBMED_BATCH, LookupFailed, Notice, Pacer, crossref_notices, pubmed_notices

logger = logging.getLogger(__name__)

Kind = SourceNotice.Kind
# The most serious first: a reference shows the first kind it has.
SEVERITY = [Kind.RETRACTION, Kind.CONCERN, Kind.CORRECTION]
FOOTNOTE_ITEM = re.compile(r'<li id="(?:user-content-)?fn:([^"]{1,200})">')
DOI_LINK = re.compile(r'href="https://doi\.org/([^"]+)"')
PMID_LINK = re.compile(r'href="https://pubmed\.ncbi\.nlm\.nih\.gov/(\d{1,9})/"')
INDEX_CATCH_UP = 500  # articles a check indexes when their index is missing or old


# What an article cites ----------------------------------------------------------------------


@dataclass
class CitedReference:
    name: str  # the footnote's name
    at: int  # where a mark goes: the start of the reference's text
    works: set[tuple[str, str]] = field(default_factory=set)  # (scheme, identifier)


def references_in(html: str) -> list[CitedReference]:
    """The references of the footnote list in `html` with their DOIs and PMIDs; one pass."""
    items = list(FOOTNOTE_ITEM.finditer(html))
    found = []
    for n, item in enumerate(items):
        end = items[n + 1].start() if n + 1 < len(items) else html.find("</ol>", item.end())
        text = html[item.end() : end if end != -1 else len(html)]
        at = item.end() + (4 if html.startswith("\n<p>", item.end()) else 0)
        works = {(Scheme.DOI.value, _doi(m.group(1))) for m in DOI_LINK.finditer(text)}
        works |= {(Scheme.PMID.value, m.group(1)) for m in PMID_LINK.finditer(text)}
        works.discard((Scheme.DOI.value, ""))
        if works:
            found.append(CitedReference(html_module.unescape(item.group(1)), at, works))
    return found


def _doi(linked: str) -> str:
    return unquote(html_module.unescape(linked)).strip().lower()[:255]


def article_html(article: Article) -> str:
    """The article's stored HTML, the list of references wherever it sits."""
    htmls = article.sections_html()  # a save's instance holds what it wrote
    return "\n".join([article.lead_html, *htmls]) + ("\n" + article.notes_html)


def index_citations(article: Article) -> None:
    """Record the works the article's current text cites (on each save, in its transaction)."""
    wanted = {
        (ref.name[:200], scheme, identifier)
        for ref in references_in(article_html(article))
        for scheme, identifier in ref.works
    }
    rows = CitedWork.objects.filter(article=article)
    have = set(rows.values_list("reference", "scheme", "identifier"))
    if have != wanted:
        rows.delete()
        CitedWork.objects.bulk_create(
            CitedWork(article=article, reference=r, scheme=s, identifier=i) for r, s, i in wanted
        )
    # One statement (an upsert), not update_or_create's savepoint, read and write.
    CitationIndex.objects.bulk_create(
        [CitationIndex(article=article, revision_id=article.latest_revision_id)],
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=["revision_id"],
    )


def catch_up_index(limit: int = INDEX_CATCH_UP) -> int:
    """Index the articles whose index is missing or older than their text (content imported
    before this capability, or by a path that does not announce it); how many."""
    indexed = CitationIndex.objects.filter(
        article=OuterRef("pk"), revision_id=OuterRef("latest_revision_id")
    )
    stale = Article.objects.filter(latest_revision_id__isnull=False).exclude(Exists(indexed))
    count = 0
    for article in stale.order_by("pk")[:limit]:
        with transaction.atomic():
            index_citations(article)
        count += 1
    return count


# Checking ------------------------------------------------------------------------------------


@dataclass
class CheckReport:
    checked: int = 0
    changed: list[tuple[str, str]] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)
    pages_retired: int = 0


def works_due(*, limit: int | None = None, everything: bool = False) -> list[tuple[str, str]]:
    """Cited works never checked or last checked longer ago than CITATION_CHECK_INTERVAL_DAYS,
    never checked first, then the longest waiting (chosen and ordered by the database)."""
    last_checked = SourceCheck.objects.filter(
        scheme=OuterRef("scheme"), identifier=OuterRef("identifier")
    ).values("checked_at")[:1]
    works = CitedWork.objects.values("scheme", "identifier").annotate(last=Subquery(last_checked))
    if not everything:
        due_before = timezone.now() - timedelta(days=settings.CITATION_CHECK_INTERVAL_DAYS)
        works = works.filter(Q(last__isnull=True) | Q(last__lt=due_before))
    works = works.order_by(F("last").asc(nulls_first=True), "scheme", "identifier").distinct()
    if limit is not None:
        works = works[:limit]
    return [(w["scheme"], w["identifier"]) for w in works]


def check_cited_works(*, limit: int | None = None, everything: bool = False) -> CheckReport:
    """Ask Crossref about each cited DOI due for a check, and PubMed about each PMID, at most
    CITATION_CHECK_REQUESTS_PER_SECOND; store what they say and retire the pages it changes.
    A service that cannot be reached is logged and left for the next run: the findings it gave
    before stay as they were."""
    catch_up_index()
    if limit is None:
        limit = settings.CITATION_CHECK_BATCH
    due = works_due(limit=limit, everything=everything)
    pacer = Pacer(settings.CITATION_CHECK_REQUESTS_PER_SECOND)
    report = CheckReport()
    dois = [i for s, i in due if s == Scheme.DOI]
    pmids = [i for s, i in due if s == Scheme.PMID]
    for n, doi in enumerate(dois):
        try:
            notices = crossref_notices(doi, pacer)
        except LookupFailed as failed:
            _unreachable(report, "Crossref", failed, len(dois) - n)
            break
        _record(report, Scheme.DOI, doi, notices)
    for start in range(0, len(pmids), PUBMED_BATCH):
        batch = pmids[start : start + PUBMED_BATCH]
        try:
            found = pubmed_notices(batch, pacer)
        except LookupFailed as failed:
            _unreachable(report, "PubMed", failed, len(pmids) - start)
            break
        for pmid in batch:
            _record(report, Scheme.PMID, pmid, found.get(pmid, []))
    if report.changed:
        pages = set(articles_citing_works(report.changed).values_list("language", "slug"))
        caching.invalidate_articles(pages)
        report.pages_retired = len(pages)
    return report


def _unreachable(report: CheckReport, service: str, failed: LookupFailed, waiting: int) -> None:
    report.unreachable.append(service)
    logger.warning(
        "Checking cited sources: %s could not be asked (%s); %d cited works wait for the next "
        "run, and what was found about them before is kept.",
        service,
        failed,
        waiting,
    )


def _record(report: CheckReport, scheme: str, identifier: str, notices: list[Notice]) -> None:
    """Store the notices found about one work; note it when they differ from those before."""
    now = timezone.now()
    wanted = {(n.kind, n.notice_url): n for n in notices}
    with transaction.atomic():
        stored = SourceNotice.objects.filter(scheme=scheme, identifier=identifier)
        have = {(n.kind, n.notice_url): n for n in stored}
        gone = [n.pk for key, n in have.items() if key not in wanted]
        SourceNotice.objects.filter(pk__in=gone).delete()
        changed = bool(gone)
        for key, notice in wanted.items():
            values = {
                "notice_date": notice.notice_date,
                "notice_doi": notice.notice_doi[:255],
                "label": str(notice.label)[:200],
                "service": notice.service,
                "checked_at": now,
            }
            if key in have:
                old = have[key]
                changed |= (old.notice_date, old.notice_doi) != (
                    notice.notice_date,
                    notice.notice_doi,
                )
                SourceNotice.objects.filter(pk=old.pk).update(**values)
            else:
                changed = True
                SourceNotice.objects.create(
                    scheme=scheme,
                    identifier=identifier,
                    kind=notice.kind,
                    notice_url=notice.notice_url[:500],
                    found_at=now,
                    **values,
                )
        SourceCheck.objects.update_or_create(
            scheme=scheme, identifier=identifier, defaults={"checked_at": now}
        )
    report.checked += 1
    if changed:
        report.changed.append((scheme, identifier))


def articles_citing_works(works):
    """The articles whose current text cites any of `works` ((scheme, identifier) pairs)."""
    match = Q(pk__in=[])
    for scheme, identifier in works:
        match |= Q(scheme=scheme, identifier=identifier)
    return Article.objects.filter(
        pk__in=CitedWork.objects.filter(match).values("article_id")
    ).distinct()


# What readers see ----------------------------------------------------------------------------

MARK_WORDS = {
    Kind.RETRACTION: ("Retracted in {year}", "Retracted"),
    Kind.CONCERN: ("Expression of concern, {year}", "Expression of concern"),
    Kind.CORRECTION: ("Corrected in {year}", "Corrected"),
}


def notice_words(notice: SourceNotice) -> str:
    """ "Retracted in 2023", "Expression of concern, 2020", "Corrected in 2021"."""
    dated, undated = MARK_WORDS[notice.kind]
    return dated.format(year=notice.notice_date.year) if notice.notice_date else undated


def _notices_about(works) -> dict[tuple[str, str], list[SourceNotice]]:
    dois = [i for s, i in works if s == Scheme.DOI]
    pmids = [i for s, i in works if s == Scheme.PMID]
    found = {}
    if not works:
        return found
    about = SourceNotice.objects.filter(
        Q(scheme=Scheme.DOI, identifier__in=dois) | Q(scheme=Scheme.PMID, identifier__in=pmids)
    )
    for notice in about:
        found.setdefault((notice.scheme, notice.identifier), []).append(notice)
    return found


def most_serious(notices: list[SourceNotice]) -> SourceNotice | None:
    """The notice a reference shows: the most serious kind, the latest of it."""
    if not notices:
        return None
    return min(
        notices,
        key=lambda n: (
            SEVERITY.index(n.kind),
            -(n.notice_date.toordinal() if n.notice_date else 0),
        ),
    )


def mark_source_notices(html: str) -> tuple[str, "CitedNotices"]:
    """`html` with each reference that a retraction, expression of concern or correction
    updates marked, linked to the notice, and how many references each kind marks (the note
    under the title): one pass over the HTML and one query, made when a page is assembled and
    cached with it."""
    counts = CitedNotices()
    references = references_in(html)
    if not references:
        return html, counts
    notices = _notices_about({w for ref in references for w in ref.works})
    if not notices:
        return html, counts
    parts, last = [], 0
    for ref in references:
        shown = most_serious([n for w in sorted(ref.works) for n in notices.get(w, [])])
        if shown is None:
            continue
        parts += [html[last : ref.at], _mark(shown)]
        last = ref.at
        setattr(counts, shown.kind, getattr(counts, shown.kind) + 1)
    return "".join(parts) + html[last:], counts


def _mark(notice: SourceNotice) -> str:
    return (
        f'<span class="source-notice source-notice--{notice.kind}">'
        f'<a href="{escape(notice.notice_url)}">{escape(notice_words(notice))}</a></span> '
    )


# What editors see ----------------------------------------------------------------------------


@dataclass
class CitedNotices:
    """How many of a page's references (papers) each kind of notice touches; a reference
    counts once, under its most serious kind."""

    retraction: int = 0
    concern: int = 0
    correction: int = 0

    def __bool__(self) -> bool:
        return bool(self.retraction or self.concern or self.correction)

    @property
    def phrases(self) -> list[str]:
        said = []
        if self.retraction:
            said.append(f"{self.retraction} retracted paper{'s' if self.retraction > 1 else ''}")
        if self.concern:
            plural = "s" if self.concern > 1 else ""
            said.append(f"{self.concern} paper{plural} with an expression of concern")
        if self.correction:
            said.append(f"{self.correction} corrected paper{'s' if self.correction > 1 else ''}")
        return said


QUEUES = {
    "serious": ("Retracted or under concern", [Kind.RETRACTION, Kind.CONCERN]),
    "corrected": ("Corrected", [Kind.CORRECTION]),
}


def articles_citing_notices(kinds):
    """Articles whose current text cites a work with a notice of one of `kinds`, by title."""
    flagged = CitedWork.objects.filter(article_id=OuterRef("pk")).filter(
        Exists(
            SourceNotice.objects.filter(
                scheme=OuterRef("scheme"), identifier=OuterRef("identifier"), kind__in=kinds
            )
        )
    )
    return Article.objects.filter(Exists(flagged)).order_by("title", "pk")


@dataclass
class FlaggedReference:
    reference: str
    scheme: str
    identifier: str
    notice: SourceNotice


def flagged_references(article_ids, kinds) -> dict[int, list[FlaggedReference]]:
    """For each of these articles, its references that notices of `kinds` touch (two
    queries), each with its notices."""
    cited = list(
        CitedWork.objects.filter(article_id__in=list(article_ids))
        .filter(
            Exists(
                SourceNotice.objects.filter(
                    scheme=OuterRef("scheme"), identifier=OuterRef("identifier"), kind__in=kinds
                )
            )
        )
        .order_by("article_id", "reference", "scheme")
    )
    notices = _notices_about({(c.scheme, c.identifier) for c in cited})
    found = {}
    for work in cited:
        for notice in notices.get((work.scheme, work.identifier), []):
            if notice.kind in kinds:
                found.setdefault(work.article_id, []).append(
                    FlaggedReference(work.reference, work.scheme, work.identifier, notice)
                )
    return found
