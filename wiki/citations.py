"""References: the citation syntax editors type, rendered in one style (AMA, as medical
journals use), and the identifiers (DOI, PMID, PMCID, ISBN) linked wherever a reference has
them.

A footnote whose text starts with `cite journal`, `cite book` or `cite web` is a citation,
its fields separated by `|`:

    [^smith]: cite journal | authors: Smith J, Roe A | title: Sleep and migraine |
        journal: Headache | year: 2020 | volume: 60 | issue: 3 | pages: 45-67 |
        doi: 10.1111/head.13700 | pmid: 31234567

(continuation lines are indented). Values may hold inline Markdown. Problems (an unknown field,
a malformed DOI) are form errors when an editor saves (`citation_problems`), and show as a
marked error in the reference when text with them reaches the renderer another way.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings

KINDS = ("journal", "book", "web")
COMMON_FIELDS = (
    "authors",
    "title",
    "year",
    "date",
    "url",
    "accessed",
    "doi",
    "pmid",
    "pmcid",
    "isbn",
    "note",
)
FIELDS = {
    "journal": COMMON_FIELDS + ("journal", "volume", "issue", "pages"),
    "book": COMMON_FIELDS + ("chapter", "editors", "edition", "publisher", "place", "pages"),
    "web": COMMON_FIELDS + ("website", "publisher"),
}
# Other names an editor may type for a field (MediaWiki's, mostly).
ALIASES = {
    "author": "authors",
    "vauthors": "authors",
    "editor": "editors",
    "access-date": "accessed",
    "accessdate": "accessed",
    "pmc": "pmcid",
    "location": "place",
    "site": "website",
    "work": "website",
    "page": "pages",
    "number": "issue",
}
REQUIRED = {"journal": ("title", "journal"), "book": ("title",), "web": ("title", "url")}
MAX_AUTHORS = 6  # AMA: up to six authors are listed; more are the first three and "et al"

DOI = re.compile(r"10\.\d{4,9}/[^\s\"<>]+")
PMID = re.compile(r"[1-9]\d{0,8}")
PMCID = re.compile(r"(?:PMC)?(\d{1,9})", re.IGNORECASE)
YEAR = re.compile(r"1[5-9]\d\d|20\d\d")
ISBN_NOISE = re.compile(r"[\s-]")

CITE_START = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*cite[ \t]+(\S+)[ \t]*(\|.*)?$", re.IGNORECASE)
CONTINUATION = re.compile(r"^(?:[ ]{4}|\t)[ \t]*(.*)$")


class CitationError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass
class Citation:
    kind: str
    fields: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.fields.get(name, "")


def parse_citation(kind: str, text: str) -> Citation:
    """`kind` and the `| name: value | …` text of a citation; CitationError with every
    problem found."""
    kind = kind.lower()
    problems = []
    if kind not in KINDS:
        raise CitationError(
            [f"“cite {kind}” is not a citation type: use cite journal, cite book or cite web."]
        )
    citation = Citation(kind)
    for part in split_fields(text):
        if not part.strip():
            continue
        name, sep, value = _split_field(part)
        if not sep:
            problems.append(f"“{part.strip()[:60]}” is not a field: write “name: value”.")
            continue
        name = ALIASES.get(name, name)
        if name not in FIELDS[kind]:
            problems.append(
                f"“{name}” is not a field of cite {kind} (its fields: {', '.join(FIELDS[kind])})."
            )
        elif name in citation.fields:
            problems.append(f"“{name}” is given twice in a cite {kind}.")
        elif value:
            citation.fields[name] = value
    problems += [
        f"A cite {kind} needs a {name}." for name in REQUIRED[kind] if name not in citation.fields
    ]
    problems += _malformed(citation)
    if problems:
        raise CitationError(problems)
    return citation


def split_fields(text: str) -> list[str]:
    """`text` split at each "|" that is not inside brackets or parentheses (a wiki link's
    label, a Markdown link)."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in "[(":
            depth += 1
        elif c in "])":
            depth = max(depth - 1, 0)
        elif c == "|" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _split_field(part: str) -> tuple[str, str, str]:
    """'name: value' or 'name = value' (the first of either separates)."""
    found = re.match(r"\s*([A-Za-z][A-Za-z0-9 _-]*?)\s*([:=])\s*(.*)$", part, re.DOTALL)
    if not found:
        return "", "", ""
    name = found.group(1).lower().replace("_", "-").replace(" ", "-")
    return name, found.group(2), " ".join(found.group(3).split())


def _malformed(citation: Citation) -> list[str]:
    problems = []
    if (doi := citation.get("doi")) and not DOI.fullmatch(bare_doi(doi)):
        problems.append(f"“{doi}” is not a DOI (they look like 10.1000/xyz123).")
    if (pmid := citation.get("pmid")) and not PMID.fullmatch(pmid):
        problems.append(f"“{pmid}” is not a PMID (a number of up to nine digits).")
    if (pmcid := citation.get("pmcid")) and not PMCID.fullmatch(pmcid):
        problems.append(f"“{pmcid}” is not a PMCID (PMC followed by digits).")
    if (isbn := citation.get("isbn")) and not valid_isbn(isbn):
        problems.append(f"“{isbn}” is not a valid ISBN (10 or 13 digits, with its check digit).")
    if (year := citation.get("year")) and not YEAR.fullmatch(year):
        problems.append(f"“{year}” is not a year (four digits, e.g. 2021).")
    if (url := citation.get("url")) and not url.startswith(("https://", "http://")):
        problems.append(f"“{url}” is not a web address (it starts with https://).")
    return problems


def bare_doi(value: str) -> str:
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if value.lower().startswith(prefix):
            return value[len(prefix) :].strip()
    return value.strip()


def valid_isbn(value: str) -> bool:
    digits = ISBN_NOISE.sub("", value).upper()
    if len(digits) == 10 and digits[:9].isdigit() and (digits[9].isdigit() or digits[9] == "X"):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if len(digits) == 13 and digits.isdigit():
        total = sum((3 if i % 2 else 1) * int(c) for i, c in enumerate(digits))
        return total % 10 == 0
    return False


# Links -------------------------------------------------------------------------------------


def doi_url(doi: str) -> str:
    return "https://doi.org/" + quote(bare_doi(doi), safe="/:;()._-")


def pmid_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def pmcid_url(number: str) -> str:
    return f"https://www.ncbi.nlm.nih.gov/pmc/articles/PMC{number}/"


def isbn_url(isbn: str) -> str:
    return settings.WIKI_ISBN_URL.format(isbn=ISBN_NOISE.sub("", isbn).upper())


# Identifiers in any reference's text (bare, as editors and imports write them).
IDENTIFIER = re.compile(
    r"(?P<doi>\b(?:doi:?\s*|https?://(?:dx\.)?doi\.org/)(?P<doi_value>10\.\d{4,9}/[^\s\"<>]+))"
    r"|(?P<pmid>\bPMID:?\s*(?P<pmid_value>[1-9]\d{0,8})\b)"
    r"|(?P<pmcid>\b(?:PMCID:?\s*)?PMC(?P<pmcid_value>\d{1,9})\b)"
    r"|(?P<isbn>\bISBN(?:-1[03])?:?\s*(?P<isbn_value>(?:97[89][-\s]?)?(?:\d[-\s]?){9}[\dXx])\b)",
    re.IGNORECASE,
)
TRAILING = ".,;:)]"


def identifier_links(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, label, url) of each identifier in `text`."""
    found = []
    for m in IDENTIFIER.finditer(text):
        start, end = m.span()
        if m.group("doi"):
            value = m.group("doi_value")
            stripped = value.rstrip(TRAILING)
            if value.count("(") < value.count(")"):  # a DOI inside parentheses
                stripped = stripped.rstrip(")")
            end -= len(value) - len(stripped)
            found.append((start, end, text[start:end], doi_url(stripped)))
        elif m.group("pmid"):
            found.append((start, end, m.group(0), pmid_url(m.group("pmid_value"))))
        elif m.group("pmcid"):
            found.append((start, end, m.group(0), pmcid_url(m.group("pmcid_value"))))
        elif valid_isbn(m.group("isbn_value")):
            found.append((start, end, m.group(0), isbn_url(m.group("isbn_value"))))
    return found


# AMA style ---------------------------------------------------------------------------------


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    return text if text.rstrip("*_").endswith((".", "?", "!")) else text + "."


def author_list(names: str) -> str:
    """Names separated by semicolons (or commas, when there is no semicolon)."""
    people = [n.strip() for n in names.split(";" if ";" in names else ",") if n.strip()]
    people = [n for n in people if n.lower().rstrip(".") != "et al"]
    if len(people) > MAX_AUTHORS:
        people = people[:3] + ["et al"]
    return ", ".join(people)


def _link(label: str, url: str) -> str:
    return f"[{label}]({quote(url, safe=':/?#@!$&*+,;=%~-._')})"


def ama(citation: Citation) -> str:
    """The citation as Markdown, in AMA style (11th edition, simplified)."""
    get = citation.get
    parts = []
    if get("authors"):
        parts.append(_sentence(author_list(get("authors"))))
    year = get("year") or (YEAR.search(get("date")).group(0) if YEAR.search(get("date")) else "")
    if citation.kind == "journal":
        parts.append(_sentence(_titled(get("title"), get("url"))))
        where = year + (f";{get('volume')}" if get("volume") else "")
        where += f"({get('issue')})" if get("issue") else ""
        where += f":{get('pages')}" if get("pages") else ""
        parts.append(f"*{get('journal').rstrip('.')}*.")
        parts.append(_sentence(where))
    elif citation.kind == "book":
        if get("chapter"):
            parts.append(_sentence(_titled(get("chapter"), get("url"))))
            editors = f"{author_list(get('editors'))}, eds. " if get("editors") else ""
            parts.append(f"In: {editors}*{get('title').rstrip('.')}*.")
        else:
            parts.append(f"*{_titled(get('title'), get('url')).rstrip('.')}*.")
        if get("edition"):
            edition = get("edition")
            parts.append(_sentence(edition if "ed" in edition else f"{edition} ed"))
        imprint = ": ".join(x for x in (get("place"), get("publisher")) if x)
        tail = "; ".join(x for x in (imprint, year) if x)
        if get("pages"):
            tail += f":{get('pages')}"
        parts.append(_sentence(tail))
    else:
        parts.append(_sentence(get("title")))
        if get("website") or get("publisher"):
            parts.append(_sentence(get("website") or get("publisher")))
        if get("date") or year:
            parts.append(_sentence(f"Published {get('date') or year}"))
    if get("accessed"):
        parts.append(_sentence(f"Accessed {get('accessed')}"))
    if citation.kind == "web":
        parts.append(_link(get("url"), get("url")))
    parts += _identifier_parts(citation)
    if get("note"):
        parts.append(_sentence(get("note")))
    return " ".join(p for p in parts if p.strip(" .*"))


def _titled(title: str, url: str) -> str:
    return _link(title.rstrip("."), url) if url else title


def _identifier_parts(citation: Citation) -> list[str]:
    parts = []
    if doi := citation.get("doi"):
        parts.append(f"doi:{_link(bare_doi(doi), doi_url(doi))}")
    if pmid := citation.get("pmid"):
        parts.append(f"PMID: {_link(pmid, pmid_url(pmid))}")
    if pmcid := citation.get("pmcid"):
        number = PMCID.fullmatch(pmcid).group(1)
        parts.append(f"PMCID: {_link('PMC' + number, pmcid_url(number))}")
    if isbn := citation.get("isbn"):
        parts.append(f"ISBN {_link(isbn, isbn_url(isbn))}")
    return [p + "." for p in parts]


# The source ---------------------------------------------------------------------------------


@dataclass
class CitationLines:
    """One citation in a source: its footnote name, kind, fields text and line span."""

    name: str
    kind: str
    text: str
    first: int
    last: int  # inclusive


def citations_in(lines: list[str]):
    """The citations among `lines` (a footnote line `[^name]: cite …` and its indented
    continuation lines)."""
    i = 0
    while i < len(lines):
        start = CITE_START.match(lines[i])
        if not start:
            i += 1
            continue
        text, last = start.group(3) or "", i
        while last + 1 < len(lines) and (more := CONTINUATION.match(lines[last + 1])):
            if not more.group(1).strip():
                break
            text += " " + more.group(1)
            last += 1
        yield CitationLines(start.group(1), start.group(2), text, i, last)
        i = last + 1


def render_citation_lines(lines: list[str]) -> list[str]:
    """`lines` with each citation written out in AMA style (a footnote definition of one
    line); a citation with problems shows them, marked, instead."""
    found = list(citations_in(lines))
    if not found:
        return lines
    out, at = [], 0
    for cite in found:
        out += lines[at : cite.first]
        try:
            text = ama(parse_citation(cite.kind, cite.text))
        except CitationError as error:
            text = (
                '<span class="citation-error">Citation error: '
                + _html_escape(" ".join(error.problems))
                + "</span>"
            )
        out.append(f"[^{cite.name}]: {text}")
        at = cite.last + 1
    return out + lines[at:]


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def citation_problems(source: str) -> list[str]:
    """Every problem of every citation in `source`, each naming its footnote: what the edit
    form shows before anything is saved."""
    problems = []
    for cite in citations_in(source.split("\n")):
        try:
            parse_citation(cite.kind, cite.text)
        except CitationError as error:
            problems += [f"Reference [^{cite.name}]: {p}" for p in error.problems]
    return problems
