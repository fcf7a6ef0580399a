"""Hints on sources, as medical editors expect and never a refusal: a reference's publication
type (PubMed's), its age, and flags for a primary study and for a source older than
CITATION_OLD_SOURCE_YEARS (Wikipedia's medical sourcing guideline asks for recent secondary
sources). The cite dialog shows them for the reference it fills; the editor's Sources panel for
every reference of the text being edited."""

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings

from ..citations import YEAR, CitationError, citations_in, parse_citation
from .citation_lookup import LookupFailed, reference_lookup

# PubMed publication types that summarize other studies, and those that report one.
SECONDARY = {
    "review",
    "systematic review",
    "meta-analysis",
    "practice guideline",
    "guideline",
    "consensus development conference",
}
PRIMARY = {
    "randomized controlled trial",
    "clinical trial",
    "clinical trial, phase i",
    "clinical trial, phase ii",
    "clinical trial, phase iii",
    "clinical trial, phase iv",
    "controlled clinical trial",
    "case reports",
    "observational study",
    "comparative study",
    "multicenter study",
    "twin study",
    "validation study",
}
# A type every journal article has: it says nothing an editor can use.
UNTELLING = {"journal article"}
# Why the panel stops looking up the rest of the references, by the failure's status.
STOPPED = {
    429: "Type unknown: not looked up, as the look-up limit was reached; check again in a minute.",
    502: "Type unknown: not looked up, as a service did not answer; check again later.",
}
MARK = re.compile(r"\[\^([^\]\s]+)\](?!:)")


def source_hints(types: list[str], year: str, *, today: date | None = None) -> dict:
    """The publication types worth showing, the age in years (None without a year), whether
    the source is a primary study or old, and the hints in words."""
    today = today or date.today()
    lowered = {t.lower() for t in types}
    found = YEAR.search(year or "")
    age = max(0, today.year - int(found.group(0))) if found else None
    primary = bool(lowered & PRIMARY) and not lowered & SECONDARY
    limit = settings.CITATION_OLD_SOURCE_YEARS
    old = age is not None and age > limit
    messages = []
    if primary:
        messages.append(
            "A primary study: medical articles should rest on reviews, systematic reviews and "
            "guidelines where they exist."
        )
    if old:
        messages.append(
            f"Published {age} years ago: look for a source from the last {limit} years."
        )
    shown = [t for t in types if t.lower() not in UNTELLING]
    return {"types": shown, "age": age, "primary": primary, "old": old, "messages": messages}


@dataclass
class Source:
    """One reference of the text, as the Sources panel lists it."""

    name: str
    kind: str
    title: str
    year: str
    hints: dict
    note: str = ""  # why the type is unknown, or why the reference cannot be read


def sources_of(text: str, *, saved_source: str = "", user=None) -> list[Source]:
    """Every reference defined in `text`, and those its marks use that `saved_source` (the
    article, when one section is edited) defines, with the hints on each. A reference with a
    PMID, PMCID or DOI is looked up for its publication types (from the cache, else from
    PubMed within `user`'s look-up limit); a failed look-up leaves its type unknown."""
    lines = text.split("\n")
    found = list(citations_in(lines))
    defined = {cite.name for cite in found}
    wanted = set(MARK.findall(text)) - defined
    found += [c for c in citations_in(saved_source.split("\n")) if c.name in wanted]
    sources, stopped = [], ""  # after the limit or an unreachable service: no more look-ups
    for cite in found:
        try:
            fields = parse_citation(cite.kind, cite.text).fields
        except CitationError:
            unread = "Cannot be read: the preview shows what to correct."
            sources.append(Source(cite.name, cite.kind, "", "", source_hints([], ""), unread))
            continue
        types, note = [], ""
        identifier = _identifier(fields)
        if identifier and not stopped:
            try:
                looked_up = reference_lookup(identifier, user=user)
                types = looked_up.publication_types
                fields.setdefault("year", looked_up.fields.get("year", ""))
            except LookupFailed as failed:
                note = f"Type unknown: {failed}"
                stopped = STOPPED.get(failed.status, "")
        elif identifier:
            note = stopped
        elif cite.kind == "journal":
            note = "Type unknown: add its PMID or DOI to see PubMed's publication type."
        hints = source_hints(types, fields.get("year", ""))
        title = fields.get("chapter") or fields.get("title", "")
        sources.append(Source(cite.name, cite.kind, title, fields.get("year", ""), hints, note))
    return sources


def _identifier(fields: dict) -> str:
    """What PubMed's types can be looked up by: the PMID, else the PMCID, else the DOI."""
    if pmid := fields.get("pmid"):
        return f"pmid:{pmid}"
    if pmcid := fields.get("pmcid"):
        return pmcid if pmcid.upper().startswith("PMC") else f"PMC{pmcid}"
    return fields.get("doi", "")
