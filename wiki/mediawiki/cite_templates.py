"""Citation templates (`{{cite journal}}`, `{{cite book}}`, `{{cite web}}`, `{{citation}}`,
`{{vcite …}}`) in one style, after the AMA manual: authors "Last AB, Last CD, et al.", title,
*container*, year;volume(issue):pages, then DOI, PMID, PMCID and ISBN as links. An ISBN links
to the wiki's own search (`/search?q=ISBN…`)."""

import re
from urllib.parse import quote

from ..citations import CitationError, ama, parse_citation
from .markup import escape_text
from .wikilinks import safe_url

CITATION_NAMES = {"citation", "cite", "vcite", "cite doi", "cite pmid", "cite isbn"}
MAX_AUTHORS = 6  # AMA: up to six authors; more are the first three and "et al."
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
DIGITS = re.compile(r"\d+")
ISBN_CHARS = re.compile(r"[^0-9Xx]")


def sentence(text: str) -> str:
    """`text` ended by a full stop, unless it ends with one already (or ? or !)."""
    bare = text.rstrip("*]")
    return text if bare.endswith((".", "?", "!")) and not text.endswith(")") else text + "."


def identifier_link(kind: str, value: str) -> str:
    """DOI, PMID, PMCID, ISBN or OCLC as the link a reader follows."""
    value = value.strip()
    if kind == "doi":
        value = value.removeprefix("https://doi.org/").removeprefix("doi:")
        if not DOI.match(value):
            return escape_text(f"doi:{value}")
        return f"doi:[{escape_text(value)}](https://doi.org/{quote(value, safe='/:;()._-')})"
    if kind == "pmid" and value.isdigit():
        return f"PMID: [{value}](https://pubmed.ncbi.nlm.nih.gov/{value}/)"
    if kind == "pmc":
        number = value.upper().removeprefix("PMC")
        if number.isdigit():
            return f"PMCID: [PMC{number}](https://www.ncbi.nlm.nih.gov/pmc/articles/PMC{number}/)"
    if kind == "isbn":
        digits = ISBN_CHARS.sub("", value).upper()
        if len(digits) in (10, 13):
            return f"ISBN [{escape_text(value)}](/search?q=ISBN+{digits})"
    if kind == "oclc" and value.isdigit():
        return f"OCLC [{value}](https://www.worldcat.org/oclc/{value})"
    return escape_text(f"{kind.upper()} {value}")


def initials(first: str) -> str:
    """'John Albert' -> 'JA'; 'J. A.' -> 'JA'; 'Jean-Paul' -> 'JP'."""
    letters = [w[0] for w in re.split(r"[\s.\-]+", first) if w and w[0].isalpha()]
    return "".join(letters).upper()


def authors(args) -> list[str]:
    """The authors as 'Last AB', from last/first pairs, author=, authors= or vauthors=."""
    found = []
    for n in range(1, 100):
        suffix = "" if n == 1 else str(n)
        last = args.raw(
            f"last{n}",
            f"surname{n}",
            f"author{n}-last",
            *(["last", "surname", "author-last"] if n == 1 else []),
        )
        author = args.raw(f"author{n}", *(["author"] if n == 1 else []))
        first = args.raw(
            f"first{n}",
            f"given{n}",
            f"author{n}-first",
            *(["first", "given", "author-first"] if n == 1 else []),
        )
        if last:
            found.append(f"{last} {initials(first)}".strip())
        elif author:
            found.append(author)
        elif n > 1 or suffix:
            break
    if not found:
        listed = args.raw("vauthors", "authors", "people")
        found = [a.strip() for a in re.split(r"[;,]", listed) if a.strip()] if listed else []
    return found


def author_list(names: list[str]) -> str:
    names = [n for n in names if n.lower() not in {"et al", "et al."}]
    if len(names) > MAX_AUTHORS:
        names = names[:3] + ["et al"]
    return ", ".join(names)


def year_of(args) -> str:
    date = args.raw("year", "date", "publication-date", "publicationdate")
    found = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", date)
    return found.group(1) if found else date


def linked_title(cv, args, *, italic: bool) -> str:
    """The chapter's title (else the work's), a link to its URL when there is one (then as
    plain text: a link cannot hold links)."""
    name = "chapter" if args.code("chapter") else "title"
    url = args.raw("chapter-url", "chapterurl", "url") if name == "chapter" else args.raw("url")
    if url.startswith(("http://", "https://")) and args.raw(name):
        title = f"[{escape_text(args.raw(name).rstrip('.'))}]({safe_url(url)})"
    else:
        title = _text(cv, args, name)
    if not title:
        return ""
    return f"*{title}*" if italic else title


def _text(cv, args, *names) -> str:
    code = args.code(*names)
    return cv.flat(code).replace("\n    ", " ").strip().rstrip(".") if code is not None else ""


def citation_text(cv, args, kind: str) -> str:
    """One citation in our style."""
    parts = []
    people = author_list(authors(args))
    if people:
        parts.append(sentence(people))
    container = _text(
        cv,
        args,
        "journal",
        "magazine",
        "periodical",
        "work",
        "newspaper",
        "website",
        "encyclopedia",
        "encyclopaedia",
    )
    book = kind in {"book", "encyclopedia", "thesis"} or (not container and args.code("isbn"))
    if args.code("chapter") and args.code("title"):
        parts.append(linked_title(cv, args, italic=False) + ". In:")
        parts.append(f"*{_text(cv, args, 'title')}*.")
    else:
        title = linked_title(cv, args, italic=bool(book and not container))
        if title:
            parts.append(sentence(title))
    parts += _publication(cv, args, container, book)
    parts += _identifiers(args)
    return " ".join(p for p in parts if p.strip(" ."))


def _publication(cv, args, container: str, book: bool) -> list[str]:
    parts = []
    year = year_of(args)
    volume, issue = args.raw("volume"), args.raw("issue", "number")
    pages = args.raw("pages", "page", "pp", "p", "at")
    if container and not book:
        where = f"{year}" + (f";{volume}" if volume else "") + (f"({issue})" if issue else "")
        where += f":{pages}" if pages and (volume or issue) else (f", {pages}" if pages else "")
        parts += [f"*{container}*.", escape_text(where) + "." if where else ""]
    else:
        edition = args.raw("edition")
        if edition:
            parts.append(escape_text(edition if "ed" in edition else f"{edition} ed") + ".")
        publisher = _text(cv, args, "publisher")
        place = args.raw("location", "place")
        imprint = ": ".join(x for x in (escape_text(place), publisher) if x)
        tail = "; ".join(x for x in (imprint, escape_text(year)) if x)
        parts.append(tail + "." if tail else "")
        if pages:
            parts.append(escape_text(f"p. {pages}" if DIGITS.fullmatch(pages) else pages) + ".")
    accessed = args.raw("access-date", "accessdate")
    if accessed:
        parts.append(escape_text(f"Accessed {accessed}") + ".")
    return parts


def _identifiers(args) -> list[str]:
    out = []
    for kind in ("doi", "pmid", "pmc", "isbn", "oclc"):
        value = args.raw(kind, kind.upper())
        if value:
            out.append(identifier_link(kind, value) + ".")
    archive = args.raw("archive-url", "archiveurl")
    if archive.startswith(("http://", "https://")):
        out.append(f"[Archived]({safe_url(archive)}).")
    return out


def citation_template(cv, args, writer, name) -> None:
    """A citation in our syntax (`wiki.citations`) when its fields make one, else its text in
    the same style; written as a marker that the reference it stands in resolves
    (`our_citations`)."""
    kind = name.split(" ", 1)[1] if " " in name else "citation"
    cv.counts["citations"] += 1
    typed = typed_citation(cv, args, kind)
    if typed is not None:
        cv.counts["citations converted"] += 1
        writer.write(f"{MARK}{typed}{MARK}")
        return
    text = citation_text(cv, args, kind)
    if not text:
        return False
    cv.counts["citations converted"] += 1
    writer.write(text)


MARK = "\uf8f0"  # around a typed citation until the reference it is in is written
MARKED = re.compile(f"{MARK}([^{MARK}]*){MARK}")
JOURNAL_KINDS = {"journal", "news", "magazine", "conference", "periodical"}
BOOK_KINDS = {"book", "encyclopedia", "thesis"}


def typed_citation(cv, args, kind: str) -> str | None:
    """`journal | authors: … | title: …` for `cite journal` and the like, when what the
    template gives makes a valid citation of ours; None otherwise."""
    container = _text(cv, args, "journal", "magazine", "periodical", "newspaper", "work")
    if kind in JOURNAL_KINDS or (kind in {"citation", "cite"} and container):
        ours = "journal"
    elif kind in BOOK_KINDS or (not container and (args.raw("isbn") or args.raw("publisher"))):
        ours = "book"
    elif args.raw("url"):
        ours = "web"
    else:
        return None
    fields = {
        "authors": "; ".join(a for a in authors(args) if a.lower() not in {"et al", "et al."}),
        "title": _text(cv, args, "title"),
    }
    if ours == "journal":
        fields.update(journal=container, volume=args.raw("volume"), issue=args.raw("issue"))
    elif ours == "book":
        fields.update(
            chapter=_text(cv, args, "chapter"),
            edition=args.raw("edition"),
            publisher=_text(cv, args, "publisher"),
            place=args.raw("location", "place"),
        )
    else:
        fields["website"] = _text(cv, args, "website", "work", "publisher")
    year = year_of(args)
    fields.update(
        year=year if YEAR_ONLY.fullmatch(year) else "",
        date=args.raw("date") if ours == "web" and not YEAR_ONLY.fullmatch(year) else "",
        pages=args.raw("pages", "page", "pp", "p"),
        url=args.raw("url") if args.raw("url").startswith(("http://", "https://")) else "",
        accessed=args.raw("access-date", "accessdate"),
        doi=args.raw("doi", "DOI"),
        pmid=args.raw("pmid", "PMID"),
        pmcid=args.raw("pmc", "PMC"),
        isbn=args.raw("isbn", "ISBN"),
    )
    line = ours + "".join(
        f" | {name}: {_field_value(value)}" for name, value in fields.items() if value.strip()
    )
    try:
        parse_citation(ours, line.split("|", 1)[1] if "|" in line else "")
    except CitationError:
        return None
    return line


YEAR_ONLY = re.compile(r"1[5-9]\d\d|20\d\d")


def _field_value(value: str) -> str:
    """One line, and no bare "|" (it separates fields), outside links."""
    return " ".join(value.replace("|", "&#124;").split())


def our_citations(text: str, *, whole_reference: bool) -> str:
    """A reference's text with its typed citations resolved: a reference that is one citation
    and nothing else keeps our syntax (editable as such); any other is written out."""
    found = MARKED.fullmatch(text.strip())
    if whole_reference and found:
        return "cite " + found.group(1)

    def written(m):
        kind, _, fields = m.group(1).partition(" | ")
        return ama(parse_citation(kind, fields))

    return MARKED.sub(written, text)
