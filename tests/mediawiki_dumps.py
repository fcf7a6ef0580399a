"""MediaWiki XML exports written by our tests, as each schema version writes them.

What changed between versions, as far as an importer sees: <ns> in <page> from 0.6 (before,
the namespace is the title's prefix); <redirect/> from 0.5, with a title attribute from 0.6
(before, only the text says "#REDIRECT"); <parentid> from 0.7; <sha1> from 0.6; <model> and
<format> from 0.8. The namespace URI carries the version.
"""

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

VERSIONS = ["0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "0.10", "0.11"]


@dataclass
class Rev:
    id: int
    timestamp: str  # 2004-04-16T12:00:00Z
    text: str
    user: str = ""  # a user name, or...
    ip: str = ""  # ...an address
    comment: str = ""
    minor: bool = False


@dataclass
class Page:
    title: str
    revisions: list[Rev]
    ns: int = 0
    id: int = 1
    redirect: str | None = None  # the <redirect> element's target, where the version has it
    extra: str = ""  # raw XML put inside <page>, before the revisions


@dataclass
class Site:
    dbname: str = "testwiki"
    sitename: str = "Test Wiki"
    language: str = "en"  # the root element's xml:lang
    namespaces: dict[int, str] = field(
        default_factory=lambda: {0: "", 1: "Talk", 2: "User", 10: "Template", 14: "Category"}
    )


def _after(version: str, than: str) -> bool:
    return tuple(map(int, version.split("."))) >= tuple(map(int, than.split(".")))


def _revision(version: str, rev: Rev, parent: int | None) -> str:
    who = (
        f"<username>{escape(rev.user)}</username><id>{abs(hash(rev.user)) % 9000 + 1}</id>"
        if rev.user
        else f"<ip>{escape(rev.ip)}</ip>"
    )
    parts = [f"<id>{rev.id}</id>"]
    if parent is not None and _after(version, "0.7"):
        parts.append(f"<parentid>{parent}</parentid>")
    parts += [f"<timestamp>{rev.timestamp}</timestamp>", f"<contributor>{who}</contributor>"]
    if rev.minor:
        parts.append("<minor/>")
    if rev.comment:
        parts.append(f"<comment>{escape(rev.comment)}</comment>")
    if _after(version, "0.8"):
        parts += ["<model>wikitext</model>", "<format>text/x-wiki</format>"]
    parts.append(f'<text xml:space="preserve">{escape(rev.text)}</text>')
    if _after(version, "0.6"):
        parts.append("<sha1>phoiac9h4m842xq45sp7s6u21eteeq1</sha1>")
    return "<revision>" + "".join(parts) + "</revision>"


def _page(version: str, page: Page) -> str:
    parts = [f"<title>{escape(page.title)}</title>"]
    if _after(version, "0.6"):
        parts.append(f"<ns>{page.ns}</ns>")
    parts.append(f"<id>{page.id}</id>")
    if page.redirect is not None and _after(version, "0.5"):
        parts.append(
            f"<redirect title={quoteattr(page.redirect)}/>"
            if _after(version, "0.6")
            else "<redirect/>"
        )
    parts.append(page.extra)
    parent = None
    for rev in page.revisions:
        parts.append(_revision(version, rev, parent))
        parent = rev.id
    return "<page>" + "".join(parts) + "</page>"


def dump(pages: list[Page], *, version: str = "0.11", site: Site | None = None) -> str:
    """The export text of `pages`, as MediaWiki writes schema `version`."""
    site = site or Site()
    namespaces = "".join(
        f'<namespace key="{key}" case="first-letter">{escape(name)}</namespace>'
        for key, name in site.namespaces.items()
    )
    dbname = f"<dbname>{site.dbname}</dbname>" if _after(version, "0.5") else ""
    return (
        f'<mediawiki xmlns="http://www.mediawiki.org/xml/export-{version}/" version="{version}" '
        f'xml:lang="{site.language}">\n'
        f"<siteinfo><sitename>{escape(site.sitename)}</sitename>{dbname}"
        f"<base>http://test.example.org/wiki/Main_Page</base>"
        f"<generator>MediaWiki 1.39.0</generator><case>first-letter</case>"
        f"<namespaces>{namespaces}</namespaces></siteinfo>\n"
        + "\n".join(_page(version, page) for page in pages)
        + "\n</mediawiki>\n"
    )
