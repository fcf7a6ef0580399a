"""What Crossref and PubMed say has happened to a cited work since it was published: the
retractions, expressions of concern and corrections that update it.

Crossref: `GET /works/{doi}` carries the notices that update a work under `updated-by` (with
Retraction Watch's records since 2025); where an answer has no `updated-by` at all (the API
before it), `GET /works?filter=updates:{doi}` lists the notices whose `update-to` names it.
PubMed: `esummary` (JSON) gives a record's publication types ("Retracted Publication") and its
comments and corrections under `references` (reftype "Retraction in", "Expression of concern
in", "Erratum in"…), a hundred PMIDs a request. The HTTP, the endpoints, the timeout and the
contact address are the cite dialog's (`wiki/editing/citation_lookup.py`).
"""

import re
import time
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, urlencode

from django.conf import settings

from ..citations import YEAR, doi_url, pmid_url
from ..editing.citation_lookup import LookupFailed, eutils_json, service_json

# Crossref's update types (hyphens or underscores, as its schema versions spell them).
CROSSREF_KINDS = {
    "retraction": "retraction",
    "partial_retraction": "retraction",
    "withdrawal": "retraction",
    "removal": "retraction",
    "expression_of_concern": "concern",
    "correction": "correction",
    "corrigendum": "correction",
    "erratum": "correction",
    "addendum": "correction",
    "clarification": "correction",
}
# PubMed's comments and corrections (esummary's reftype, efetch's RefType), letters only.
PUBMED_KINDS = {
    "retractionin": "retraction",
    "partialretractionin": "retraction",
    "retractionandrepublicationin": "retraction",
    "expressionofconcernin": "concern",
    "erratumin": "correction",
    "correctedandrepublishedin": "correction",
}
RETRACTED_TYPE = "retracted publication"
PUBMED_BATCH = 100  # PMIDs one esummary request asks about
MONTHS = {m: n for n, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
SOURCE_DATE = re.compile(r"\b(1[5-9]\d\d|20\d\d)(?:\s+([A-Za-z]{3})[a-z]*(?:\s+(\d{1,2}))?)?")
SOURCE_DOI = re.compile(r"doi:\s*(10\.\d{4,9}/\S+)", re.IGNORECASE)


@dataclass(frozen=True)
class Notice:
    kind: str  # retraction, concern or correction (SourceNotice.Kind)
    notice_date: date | None
    notice_doi: str
    notice_url: str
    label: str
    service: str


class Pacer:
    """At most `per_second` requests a second, across both services (the rate limit)."""

    def __init__(self, per_second: float):
        self.gap = 1 / per_second if per_second > 0 else 0
        self.last = None

    def wait(self) -> None:
        if self.last is not None:
            time.sleep(max(0.0, self.last + self.gap - time.monotonic()))
        self.last = time.monotonic()


def _crossref(path: str, **params) -> dict:
    if settings.CITATION_CONTACT_EMAIL:
        params["mailto"] = settings.CITATION_CONTACT_EMAIL
    query = f"?{urlencode(params)}" if params else ""
    return service_json(
        f"{settings.CITATION_CROSSREF_URL.rstrip('/')}/{path}{query}", service="Crossref"
    )


def crossref_notices(doi: str, pacer: Pacer) -> list[Notice]:
    """The notices Crossref has about `doi` (lowercase); none for a DOI it does not know.
    LookupFailed when it cannot be asked."""
    pacer.wait()
    try:
        work = _crossref(f"works/{quote(doi, safe='/')}").get("message") or {}
    except LookupFailed as failed:
        if failed.status == 404:
            return []
        raise
    if "updated-by" in work:
        updates = work["updated-by"] or []
    else:
        pacer.wait()
        listed = _crossref("works", filter=f"updates:{doi}", rows=50).get("message") or {}
        updates = [
            {**update, "DOI": item.get("DOI", "")}
            for item in listed.get("items") or []
            for update in item.get("update-to") or []
            if str(update.get("DOI", "")).lower() == doi
        ]
    found = []
    for update in updates:
        kind = CROSSREF_KINDS.get(str(update.get("type", "")).lower().replace("-", "_"))
        notice_doi = str(update.get("DOI") or "")
        if kind is None or not notice_doi:
            continue
        found.append(
            Notice(
                kind=kind,
                notice_date=_date_parts(update.get("updated") or {}),
                notice_doi=notice_doi.lower(),
                notice_url=doi_url(notice_doi),
                label=str(update.get("label") or update.get("type")),
                service="crossref",
            )
        )
    return found


def _date_parts(value: dict) -> date | None:
    parts = (value.get("date-parts") or [[]])[0] or []
    try:
        year, month, day = (list(parts) + [1, 1])[:3]
        return date(int(year), int(month or 1), int(day or 1))
    except (TypeError, ValueError):
        return None


def pubmed_notices(pmids: list[str], pacer: Pacer) -> dict[str, list[Notice]]:
    """The notices PubMed has about each of `pmids` (at most PUBMED_BATCH), by PMID; a PMID
    PubMed does not know has none. LookupFailed when it cannot be asked."""
    pacer.wait()
    result = eutils_json("esummary", db="pubmed", id=",".join(pmids)).get("result") or {}
    found = {}
    for pmid in pmids:
        record = result.get(pmid) or {}
        found[pmid] = [] if "error" in record else _record_notices(pmid, record)
    return found


def _record_notices(pmid: str, record: dict) -> list[Notice]:
    notices = []
    for ref in record.get("references") or []:
        kind = PUBMED_KINDS.get(re.sub(r"[^a-z]", "", str(ref.get("reftype", "")).lower()))
        if kind is None:
            continue
        source = str(ref.get("refsource", ""))
        notice_pmid = str(ref.get("pmid") or "").strip()
        doi = SOURCE_DOI.search(source)
        notice_doi = doi.group(1).rstrip(".;,").lower() if doi else ""
        url = pmid_url(notice_pmid) if notice_pmid.isdigit() and notice_pmid != "0" else ""
        url = url or (doi_url(notice_doi) if notice_doi else pmid_url(pmid))
        notices.append(
            Notice(kind, _source_date(source), notice_doi, url, ref.get("reftype", ""), "pubmed")
        )
    types = {str(t).lower() for t in record.get("pubtype") or []}
    if RETRACTED_TYPE in types and not any(n.kind == "retraction" for n in notices):
        # Marked retracted without a linked notice: the record itself says so.
        notices.append(
            Notice("retraction", None, "", pmid_url(pmid), "Retracted Publication", "pubmed")
        )
    return notices


def _source_date(source: str) -> date | None:
    """The date in a PubMed citation ("Lancet. 2010 Feb 6;375(9713):445")."""
    found = SOURCE_DATE.search(source)
    if not found or not YEAR.fullmatch(found.group(1)):
        return None
    month = MONTHS.get((found.group(2) or "").lower(), 1)
    day = int(found.group(3)) if found.group(3) and found.group(2) else 1
    try:
        return date(int(found.group(1)), month, day)
    except ValueError:
        return date(int(found.group(1)), month, 1)
