"""MediaWiki XML exports read as a stream: Special:Export and dumpBackup.php output, schema
versions 0.3 to 0.11, plain, gzip or bzip2.

`read_dump(path)` yields `SiteInfo`, then for each page a `PageStart`, its `DumpRevision`s in
the order of the file and a `PageEnd`. Only the revision being read is held in memory, so
memory does not grow with a page's history or the dump's size (bench/README.md). The
parser is expat, which knows the line and column of every element: a page that cannot be
used is a `PageProblem` naming its title and line, and the reading goes on; a file that is
not well-formed XML stops with `DumpError` at the position where it breaks, after everything
before it was yielded.
"""

import bz2
import gzip
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.parsers import expat

CHUNK = 1 << 20


class DumpError(Exception):
    """The file cannot be read on from here (not XML, or not well-formed)."""

    def __init__(self, path, message: str, line: int | None = None, column: int | None = None):
        where = f", line {line}" + (f", column {column}" if column is not None else "")
        super().__init__(f"{path}{where if line else ''}: {message}")
        self.path, self.line, self.column = str(path), line, column


@dataclass
class SiteInfo:
    sitename: str = ""
    dbname: str = ""
    base: str = ""
    language: str = ""  # the root element's xml:lang: the wiki's content language
    namespaces: dict[int, str] = field(default_factory=dict)  # key -> prefix ("" for articles)

    @property
    def key(self) -> str:
        """What names this wiki in our revisions' origins (a re-import recognises its own)."""
        return self.dbname or self.base.split("//", 1)[-1].split("/", 1)[0] or "mediawiki"

    def namespace_of(self, title: str) -> int:
        """The namespace a title without <ns> (schema 0.3 to 0.5) is in, by its prefix."""
        prefix, colon, _ = title.partition(":")
        if colon:
            for key, name in self.namespaces.items():
                if key and name.casefold() == prefix.strip().casefold():
                    return key
        return 0


@dataclass
class PageStart:
    title: str
    namespace: int
    id: int | None
    line: int


@dataclass
class DumpRevision:
    id: int | None
    parent_id: int | None
    timestamp: datetime
    username: str  # "" when anonymous or hidden
    ip: str
    minor: bool
    comment: str
    model: str
    text: str
    line: int

    @property
    def author(self) -> str:
        return self.username or self.ip


@dataclass
class PageEnd:
    title: str


@dataclass
class PageProblem:
    """A page, or one revision of it, that cannot be imported, and why."""

    title: str
    line: int
    message: str


def open_dump(path):
    """The file as bytes, decompressed by what its first bytes say it is."""
    path = Path(path)
    with path.open("rb") as probe:
        magic = probe.read(3)
    if magic[:2] == b"\x1f\x8b":
        return gzip.open(path, "rb")
    if magic == b"BZh":
        return bz2.open(path, "rb")
    return path.open("rb")


def parse_timestamp(value: str) -> datetime:
    """MediaWiki's ISO 8601 UTC timestamp (2004-04-16T12:00:00Z)."""
    return datetime.strptime(value.strip(), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _int(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() else None


class _Reader:
    """expat callbacks building pages and revisions; finished items wait in `ready`."""

    # Elements whose text we keep, by the element they are in.
    TEXT_OF = {
        "page": {"title", "ns", "id"},
        "revision": {"id", "parentid", "timestamp", "comment", "model", "text"},
        "contributor": {"username", "ip"},
        "siteinfo": {"sitename", "dbname", "base"},
        "namespaces": {"namespace"},
    }

    def __init__(self):
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.characters
        self.ready: list = []
        self.stack: list[str] = []
        self.site = SiteInfo()
        self.site_sent = False
        self.page: dict = {}
        self.revision: dict = {}
        self.text: list[str] | None = None
        self.namespace_key = 0

    def start(self, name, attrs):
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(name)
        keep = self.TEXT_OF.get(parent, ())
        self.text = [] if name in keep else None
        if name == "mediawiki":
            self.site.language = (attrs.get("xml:lang") or "").strip().lower()
        elif name == "page":
            self.send_site()
            self.page = {"line": self.parser.CurrentLineNumber, "sent": False}
        elif name == "revision":
            self.start_page()
            self.revision = {"line": self.parser.CurrentLineNumber, "minor": False}
        elif name == "minor" and parent == "revision":
            self.revision["minor"] = True
        elif name == "namespace":
            self.namespace_key = int(attrs.get("key", "0") or 0)

    def characters(self, data):
        if self.text is not None:
            self.text.append(data)

    def end(self, name):
        self.stack.pop()
        parent = self.stack[-1] if self.stack else ""
        value = "".join(self.text) if self.text is not None else ""
        self.text = None
        if parent == "page" and name in self.TEXT_OF["page"]:
            self.page[name] = value
        elif parent == "revision" and name in self.TEXT_OF["revision"]:
            self.revision[name] = value
        elif parent == "contributor" and name in self.TEXT_OF["contributor"]:
            self.revision[name] = value  # (its <id> is the user's, not the revision's)
        elif parent == "siteinfo" and name in self.TEXT_OF["siteinfo"]:
            setattr(self.site, name, value.strip())
        elif name == "namespace":
            self.site.namespaces[self.namespace_key] = value.strip()
        elif name == "revision":
            self.finish_revision()
        elif name == "page":
            self.start_page()  # a page without revisions still starts and ends
            self.ready.append(PageEnd(self.page.get("title", "")))
        elif name == "siteinfo":
            self.send_site()

    def send_site(self):
        if not self.site_sent:
            self.site_sent = True
            self.ready.append(self.site)

    def start_page(self):
        if self.page.get("sent"):
            return
        self.page["sent"] = True
        title = self.page.get("title", "").strip()
        ns = _int(self.page.get("ns", ""))
        self.ready.append(
            PageStart(
                title=title,
                namespace=self.site.namespace_of(title) if ns is None else ns,
                id=_int(self.page.get("id", "")),
                line=self.page["line"],
            )
        )

    def finish_revision(self):
        r, title = self.revision, self.page.get("title", "").strip()
        try:
            timestamp = parse_timestamp(r.get("timestamp", ""))
        except ValueError:
            self.ready.append(
                PageProblem(
                    title,
                    r["line"],
                    f"a revision has no valid timestamp ({r.get('timestamp', '')!r})",
                )
            )
            return
        self.ready.append(
            DumpRevision(
                id=_int(r.get("id", "")),
                parent_id=_int(r.get("parentid", "")),
                timestamp=timestamp,
                username=r.get("username", "").strip(),
                ip=r.get("ip", "").strip(),
                minor=r["minor"],
                comment=r.get("comment", ""),
                model=r.get("model", "wikitext").strip() or "wikitext",
                text=r.get("text", ""),
                line=r["line"],
            )
        )


def read_dump(path) -> Iterator[SiteInfo | PageStart | DumpRevision | PageEnd | PageProblem]:
    """The items of one export file, in order (see the module's docstring)."""
    reader = _Reader()
    try:
        stream = open_dump(path)
    except OSError as exc:
        raise DumpError(path, exc.strerror or str(exc)) from exc
    with stream:
        while True:
            try:
                chunk = stream.read(CHUNK)
                reader.parser.Parse(chunk, not chunk)
            except expat.ExpatError as exc:
                yield from reader.ready
                raise DumpError(
                    path, expat.errors.messages[exc.code], exc.lineno, exc.offset
                ) from exc
            except (OSError, EOFError) as exc:  # a truncated or corrupt .gz/.bz2
                yield from reader.ready
                raise DumpError(
                    path, f"cannot be decompressed ({exc})", reader.parser.CurrentLineNumber
                ) from exc
            yield from reader.ready
            reader.ready.clear()
            if not chunk:
                break
    if not reader.site_sent and not reader.stack:
        raise DumpError(path, "no MediaWiki export in this file")
