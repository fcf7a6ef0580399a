"""References filled from an identifier: a DOI (Crossref), a PMID or PMCID (NCBI
E-utilities), an ISBN (Open Library) or a web page's `citation_*` meta tags and JSON-LD.

The look-up runs on the server, so the editor's browser never talks to a third party. Each
service has a base URL and a contact address in the settings (Crossref's polite pool and NCBI
ask for one), a timeout, and answers are cached. A web address an editor pastes is fetched
only over http(s), never from a private or loopback address unless a setting allows it.
"""

import hashlib
import http.client
import ipaddress
import json
import re
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote, urlencode, urlsplit

import lxml.html
from django.conf import settings
from django.core.cache import cache

from ..citations import (
    DOI,
    PMCID,
    PMID,
    YEAR,
    CitationError,
    bare_doi,
    citations_in,
    parse_citation,
    valid_isbn,
)

CACHE_PREFIX = "citation-lookup:"
USER_AGENT = "Encyclopedia citation look-up"


class LookupFailed(Exception):
    """Why no reference was found, in words an editor can act on (they type it by hand)."""

    def __init__(self, message: str, *, status: int = 502):
        super().__init__(message)
        self.status = status


@dataclass
class FoundReference:
    kind: str  # journal, book or web: the kinds of wiki/citations.py
    fields: dict[str, str]
    publication_types: list[str] = field(default_factory=list)


# Identifiers ---------------------------------------------------------------------------------


def identifier_kind(raw: str) -> tuple[str, str]:
    """(kind, value) of what an editor pasted: doi, pmid, pmcid, isbn or url."""
    text = raw.strip()
    lowered = text.lower()
    bare = bare_doi(text)
    if DOI.fullmatch(bare):
        return "doi", bare
    if lowered.startswith(("http://", "https://")):
        return "url", text
    for prefix in ("pmid:", "pmid"):
        if lowered.startswith(prefix):
            text = text[len(prefix) :].strip()
            break
    if lowered.startswith("pmc") and PMCID.fullmatch(text):
        return "pmcid", "PMC" + PMCID.fullmatch(text).group(1)
    if PMID.fullmatch(text):
        return "pmid", text
    isbn = re.sub(r"^isbn(?:-1[03])?:?\s*", "", text, flags=re.IGNORECASE)
    if valid_isbn(isbn):
        return "isbn", re.sub(r"[\s-]", "", isbn).upper()
    raise LookupFailed(
        "That is not a DOI, PMID, PMCID, ISBN or web address we can look up.", status=400
    )


def reference_lookup(raw: str, *, user=None) -> FoundReference:
    """The reference an identifier names, from the cache or its service. A look-up that
    reaches a service counts against `user`'s CITATION_LOOKUPS_PER_MINUTE (LookupFailed with
    status 429 past it); an answer from the cache costs nothing."""
    kind, value = identifier_kind(raw)
    key = CACHE_PREFIX + kind + ":" + hashlib.sha256(value.encode()).hexdigest()
    if (cached := cache.get(key)) is not None:
        return FoundReference(**cached)
    if user is not None:
        _count_lookup(user)
    found = LOOKUPS[kind](value)
    cache.set(key, found.__dict__, settings.CITATION_CACHE_SECONDS)
    return found


def _count_lookup(user) -> None:
    """Count one look-up of `user` in this minute; LookupFailed (429) past the limit."""
    limit = settings.CITATION_LOOKUPS_PER_MINUTE
    key = f"{CACHE_PREFIX}count:{user.pk}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        count = 1
    if count is not None and count > limit:
        raise LookupFailed(
            f"You looked up {limit} reference{'' if limit == 1 else 's'} in the last minute, "
            "the most the site allows. "
            "Wait a minute before the next look-up.",
            status=429,
        )


# Fetching -----------------------------------------------------------------------------------


class _GuardedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to an address a pasted web address could have been."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_public_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def check_public_url(url: str) -> None:
    """LookupFailed unless `url` is http(s) to a public address (CITATION_ALLOW_PRIVATE_URLS
    lifts the second rule, for tests and intranets)."""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        port = None
    if parts.scheme not in ("http", "https") or not parts.hostname or not port:
        raise LookupFailed("Only http and https web addresses can be looked up.", status=400)
    if settings.CITATION_ALLOW_PRIVATE_URLS:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, port)}
    except (OSError, UnicodeError) as error:
        raise LookupFailed(f"{parts.hostname} could not be found.", status=502) from error
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global or ip.is_multicast:
            raise LookupFailed(
                "That web address is on a private network; it cannot be looked up.", status=400
            )


def _fetch(url: str, *, service: str, limit: int = 2_000_000, guarded: bool = False) -> bytes:
    """The body at `url`, at most `limit` bytes; LookupFailed saying the identifier is unknown
    (404) or the service could not be reached."""
    request = urllib.request.Request(url, headers={"User-Agent": _user_agent()})
    opener = (
        urllib.request.build_opener(_GuardedRedirects) if guarded else urllib.request.build_opener()
    )
    try:
        with opener.open(request, timeout=settings.CITATION_TIMEOUT_SECONDS) as response:
            body = response.read(limit + 1)
    except urllib.error.HTTPError as error:
        if error.code in (400, 404, 410):
            raise LookupFailed(f"{service} does not know that identifier.", status=404) from error
        raise LookupFailed(f"{service} answered with an error ({error.code}).") from error
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        raise LookupFailed(
            f"{service} could not be reached just now; type the reference's fields by hand."
        ) from error
    if len(body) > limit:
        raise LookupFailed(f"{service} sent more than we read ({limit} bytes).")
    return body


def service_json(url: str, *, service: str):
    try:
        return json.loads(_fetch(url, service=service))
    except ValueError as error:
        raise LookupFailed(f"{service} sent an answer we cannot read.") from error


def _user_agent() -> str:
    email = settings.CITATION_CONTACT_EMAIL
    return f"{USER_AGENT} (mailto:{email})" if email else USER_AGENT


# Services -----------------------------------------------------------------------------------


def crossref_lookup(doi: str) -> FoundReference:
    """A DOI's work from Crossref's REST API (`/works/{doi}`)."""
    query = f"?{urlencode({'mailto': settings.CITATION_CONTACT_EMAIL})}"
    url = f"{settings.CITATION_CROSSREF_URL.rstrip('/')}/works/{quote(doi, safe='/')}"
    work = service_json(
        url + (query if settings.CITATION_CONTACT_EMAIL else ""), service="Crossref"
    )
    work = work.get("message") or {}
    authors = [
        _initials_name(a.get("family", ""), a.get("given", "")) or a.get("name", "")
        for a in work.get("author", [])
    ]
    parts = (work.get("published") or work.get("issued") or {}).get("date-parts") or [[None]]
    year = str(parts[0][0] or "")
    fields = {"authors": ", ".join(a for a in authors if a), "title": _first(work, "title")}
    fields |= {"year": year, "doi": work.get("DOI", doi)}
    if work.get("type") in ("book", "monograph", "edited-book", "reference-book"):
        kind = "book"
        fields |= {"publisher": work.get("publisher", ""), "isbn": _first(work, "ISBN")}
    elif work.get("type") == "book-chapter":
        kind = "book"
        fields |= {"chapter": fields["title"], "title": _first(work, "container-title")}
        fields |= {"publisher": work.get("publisher", ""), "pages": work.get("page", "")}
    else:
        kind = "journal"
        journal = _first(work, "short-container-title") or _first(work, "container-title")
        fields |= {"journal": journal, "volume": work.get("volume", "")}
        fields |= {"issue": work.get("issue", ""), "pages": work.get("page", "")}
    found = FoundReference(kind, _clean(fields))
    if kind == "journal":
        _add_pubmed_record(found)
    return found


def _add_pubmed_record(found: FoundReference) -> None:
    """The PMID, PMCID and publication types PubMed has for a DOI Crossref gave, when it has
    them: a reference is whole without them, so a failure here is silent."""
    try:
        search = eutils_json("esearch", db="pubmed", term=f"{found.fields['doi']}[doi]")
        ids = (search.get("esearchresult") or {}).get("idlist") or []
        if len(ids) != 1:
            return
        record = pubmed_lookup(ids[0])
    except LookupFailed:
        return
    found.fields |= {k: v for k, v in record.fields.items() if k in ("pmid", "pmcid")}
    found.publication_types = record.publication_types


def eutils_json(tool: str, **params) -> dict:
    params |= {"retmode": "json", "tool": "encyclopedia"}
    if settings.CITATION_CONTACT_EMAIL:
        params["email"] = settings.CITATION_CONTACT_EMAIL
    url = f"{settings.CITATION_EUTILS_URL.rstrip('/')}/{tool}.fcgi?{urlencode(params)}"
    return service_json(url, service="PubMed")


def _summary(db: str, uid: str) -> dict:
    result = eutils_json("esummary", db=db, id=uid).get("result") or {}
    record = result.get(uid) or {}
    if not record or "error" in record:
        raise LookupFailed("PubMed does not know that identifier.", status=404)
    return record


def pubmed_lookup(pmid: str) -> FoundReference:
    """A PMID's summary from E-utilities (esummary, db=pubmed), with its publication types."""
    found = _from_summary(_summary("pubmed", pmid))
    found.fields["pmid"] = pmid
    return found


def pmc_lookup(pmcid: str) -> FoundReference:
    """A PMCID's summary (esummary, db=pmc); through its PMID when it has one, for the
    publication types PubMed gives."""
    record = _summary("pmc", pmcid.removeprefix("PMC"))
    pmid = _article_id(record, "pmid")
    found = pubmed_lookup(pmid) if pmid and pmid != "0" else _from_summary(record)
    found.fields["pmcid"] = pmcid
    return found


def _from_summary(record: dict) -> FoundReference:
    year = YEAR.search(record.get("pubdate", "") or record.get("sortpubdate", ""))
    people = record.get("authors", [])
    authors = [a["name"] for a in people if a.get("authtype", "Author") == "Author"]
    fields = {
        "authors": ", ".join(authors),
        "title": record.get("title", "").rstrip("."),
        "journal": record.get("source", ""),
        "year": year.group(0) if year else "",
        "volume": record.get("volume", ""),
        "issue": record.get("issue", ""),
        "pages": record.get("pages", ""),
        "doi": _article_id(record, "doi"),
        "pmcid": _article_id(record, "pmc") or _article_id(record, "pmcid"),
    }
    if fields["pmcid"] and not fields["pmcid"].upper().startswith("PMC"):
        fields["pmcid"] = ""  # db=pmc gives "pmc-id: …;" forms we do not trust
    return FoundReference("journal", _clean(fields), list(record.get("pubtype", [])))


def _article_id(record: dict, kind: str) -> str:
    for found in record.get("articleids", []):
        if found.get("idtype") == kind:
            return str(found.get("value", ""))
    return ""


def openlibrary_lookup(isbn: str) -> FoundReference:
    """An ISBN's edition from Open Library's Books API (`/api/books?jscmd=data`)."""
    params = urlencode({"bibkeys": f"ISBN:{isbn}", "format": "json", "jscmd": "data"})
    url = f"{settings.CITATION_OPENLIBRARY_URL.rstrip('/')}/api/books?{params}"
    book = service_json(url, service="Open Library").get(f"ISBN:{isbn}")
    if not book:
        raise LookupFailed("Open Library does not know that ISBN.", status=404)
    year = YEAR.search(book.get("publish_date", ""))
    fields = {
        "authors": _names(book, "authors"),
        "title": book.get("title", "") + (f": {book['subtitle']}" if book.get("subtitle") else ""),
        "publisher": _names(book, "publishers"),
        "place": _names(book, "publish_places"),
        "year": year.group(0) if year else "",
        "isbn": isbn,
    }
    return FoundReference("book", _clean(fields))


def web_page_lookup(url: str) -> FoundReference:
    """A web page's reference from its `citation_*` meta tags (as Google Scholar reads
    them), else its JSON-LD, else its title."""
    check_public_url(url)
    limit = settings.CITATION_MAX_PAGE_BYTES
    body = _fetch(url, service="That web page", limit=limit, guarded=True)
    try:
        page = lxml.html.fromstring(body)
    except (ValueError, lxml.etree.ParserError) as error:
        raise LookupFailed("That web page is not one we can read.") from error
    meta = {}
    for tag in page.iter("meta"):
        name = (tag.get("name") or tag.get("property") or "").lower()
        if name and tag.get("content"):
            meta.setdefault(name, []).append(tag.get("content").strip())
    linked = _json_ld(page)
    today = date.today()
    fields = {
        "authors": ", ".join(meta.get("citation_author", [])) or linked.get("authors", ""),
        "title": _first(meta, "citation_title")
        or linked.get("title")
        or _first(meta, "og:title")
        or (page.findtext(".//title") or "").strip(),
        "year": _year(_first(meta, "citation_publication_date") or _first(meta, "citation_date"))
        or _year(linked.get("date", "")),
        "doi": _first(meta, "citation_doi").removeprefix("doi:"),
        "pmid": _first(meta, "citation_pmid"),
        "url": url,
        "accessed": f"{today.day} {today:%B %Y}",
    }
    if journal := _first(meta, "citation_journal_title"):
        kind = "journal"
        span = (_first(meta, "citation_firstpage"), _first(meta, "citation_lastpage"))
        pages = "-".join(p for p in span if p)
        fields |= {"journal": journal, "volume": _first(meta, "citation_volume")}
        fields |= {"issue": _first(meta, "citation_issue"), "pages": pages}
    else:
        kind = "web"
        fields["website"] = _first(meta, "og:site_name") or linked.get("publisher", "")
    if not fields["title"]:
        raise LookupFailed("That web page has no title we can read.", status=404)
    return FoundReference(kind, _clean(fields))


def _json_ld(page) -> dict:
    """Title, authors, date and publisher from the page's first JSON-LD item that has a name."""
    for script in page.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for item in data if isinstance(data, list) else data.get("@graph", [data]):
            if not isinstance(item, dict) or not (item.get("headline") or item.get("name")):
                continue
            people = item.get("author") or []
            people = people if isinstance(people, list) else [people]
            publisher = item.get("publisher") or {}
            return {
                "title": item.get("headline") or item.get("name"),
                "authors": ", ".join(
                    p.get("name", "") if isinstance(p, dict) else str(p) for p in people
                ),
                "date": item.get("datePublished", ""),
                "publisher": publisher.get("name", "") if isinstance(publisher, dict) else "",
            }
    return {}


LOOKUPS = {
    "doi": crossref_lookup,
    "pmid": pubmed_lookup,
    "pmcid": pmc_lookup,
    "isbn": openlibrary_lookup,
    "url": web_page_lookup,
}


def _first(values: dict, name: str) -> str:
    """The first of a list-valued field (Crossref's titles, a page's repeated meta tags)."""
    return (values.get(name) or [""])[0]


def _names(record: dict, key: str) -> str:
    return ", ".join(item.get("name", "") for item in record.get(key, []))


def _initials_name(family: str, given: str) -> str:
    """AMA's author form: family name and initials ("Smith JA")."""
    initials = "".join(part[0] for part in re.split(r"[\s.-]+", given) if part)
    return f"{family} {initials}".strip()


def _year(text: str) -> str:
    found = YEAR.search(text or "")
    return found.group(0) if found else ""


def _clean(fields: dict[str, str]) -> dict[str, str]:
    """Fields with a value, each on one line."""
    tidy = {k: " ".join(str(v).split()) for k, v in fields.items()}
    return {k: v for k, v in tidy.items() if v}


def cited_already(source: str, fields: dict[str, str]) -> str:
    """The name of a reference in `source` with the same DOI or PMID, else ""."""
    wanted = {
        ("doi", fields.get("doi", "").lower()),
        ("pmid", fields.get("pmid", "")),
    } - {("doi", ""), ("pmid", "")}
    for cite in citations_in(source.split("\n")):
        try:
            citation = parse_citation(cite.kind, cite.text)
        except CitationError:
            continue
        have = {("doi", bare_doi(citation.get("doi")).lower()), ("pmid", citation.get("pmid"))}
        if wanted & have:
            return cite.name
    return ""
