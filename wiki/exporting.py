"""The wiki written out, so a site can leave as easily as it came: a folder of Markdown files
that `import_markdown` reads back, one JSON document, or MediaWiki XML (export schema 0.11).

Articles are read a page at a time by primary key, and each article's revisions in chunks
(their text from `snapshots.load_snapshots`), so an export holds one chunk in memory, never
the wiki. The JSON and XML documents are generators of text pieces, for a file or a
streaming response alike.
"""

import datetime as dt
import hashlib
import ipaddress
import json
import re
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from .importing import TITLE_LINE
from .models import Article, Category, Credit, Revision
from .snapshots import load_snapshots
from .titles import title_to_slug

ARTICLE_CHUNK = 200
REVISION_CHUNK = 100
FORMATS = ("markdown", "json", "mediawiki")
MEDIAWIKI_SCHEMA = "http://www.mediawiki.org/xml/export-0.11/"
# The author written for revisions nobody is named for (made by an importer).
UNNAMED_AUTHOR = "Importer"


class MissingTitles(LookupError):
    """Titles asked for that name no article."""

    def __init__(self, titles: list[str]):
        super().__init__("No article has these titles: " + ", ".join(titles))
        self.titles = titles


@dataclass
class ExportReport:
    articles: int = 0
    revisions: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started


@dataclass(frozen=True)
class CreditEntry:
    name: str
    credentials: str
    imported: bool


@dataclass(frozen=True)
class ExportedRevision:
    id: int
    parent_id: int | None
    timestamp: dt.datetime
    author: str | None  # the contributor's name (an imported IP author's is the address)
    author_id: int | None
    summary: str
    minor: bool
    kind: str
    title: str
    source: str
    category_ids: tuple[int, ...]
    redirect_to_id: int | None
    html: str = ""  # the HTML rendered when it was saved ("" if the snapshot has none)

    @property
    def is_ip(self) -> bool:
        return is_ip_address(self.author)


@dataclass
class ExportedArticle:
    """One article as it is now; its revisions are read when asked for, a chunk at a time."""

    id: int
    title: str
    source: str
    categories: list[str]
    credits: list[CreditEntry]
    redirect_title: str | None
    latest_revision_id: int | None

    def revisions(self, *, history: bool = True) -> Iterator[ExportedRevision]:
        """Oldest first; without `history`, the current revision alone."""
        rows = (
            Revision.objects.filter(article_id=self.id)
            .select_related("contributor", "user")
            .order_by("pk")
        )
        if not history:
            rows = rows.filter(pk=self.latest_revision_id)
        last = 0
        while chunk := list(rows.filter(pk__gt=last)[:REVISION_CHUNK]):
            snapshots = load_snapshots([r.pk for r in chunk])
            for row in chunk:
                snapshot = snapshots.get(row.pk)
                if snapshot is None:  # no stored text: nothing to give the other side
                    continue
                yield ExportedRevision(
                    id=row.pk,
                    parent_id=row.parent_id,
                    timestamp=row.created_at,
                    author=_author(row),
                    author_id=row.contributor_id,
                    summary=row.summary,
                    minor=row.minor,
                    kind=row.kind,
                    title=snapshot.title or row.title,
                    source=snapshot.source,
                    category_ids=tuple(snapshot.category_ids),
                    redirect_to_id=snapshot.redirect_to_id,
                    html=stored_html(snapshot),
                )
            if len(chunk) < REVISION_CHUNK:  # the last chunk: spare the query that finds none
                return
            last = chunk[-1].pk


def stored_html(snapshot) -> str:
    """The whole article's HTML as rendered at save time: the lead, each heading and its
    section, the footnotes. "" when the snapshot holds no HTML for a text that has some."""
    parts = [snapshot.lead_html]
    for section in snapshot.sections:
        level = min(max(section.level, 1), 6)
        parts.append(f"<h{level}>{section.heading_html}</h{level}>{section.html}")
    parts.append(snapshot.notes_html)
    html = "\n".join(p for p in parts if p)
    has_text = snapshot.lead.strip() or any(s.body.strip() for s in snapshot.sections)
    missing = has_text and not (snapshot.lead_html or any(s.html for s in snapshot.sections))
    return "" if missing or not all(s.heading_html for s in snapshot.sections) else html


def _author(row: Revision) -> str | None:
    if row.contributor is not None:
        return row.contributor.name
    if row.user is not None:
        return row.user.get_username()
    return None


def is_ip_address(name: str | None) -> bool:
    """Whether an author's name is an IPv4 or IPv6 address (an anonymous MediaWiki edit)."""
    try:
        ipaddress.ip_address((name or "").strip())
    except ValueError:
        return False
    return True


ARTICLE_PREFETCH = (
    "categories",
    Prefetch(
        "credits", queryset=Credit.objects.select_related("contributor").order_by("since", "pk")
    ),
)


def exported_article(article: Article) -> ExportedArticle:
    """The article's current state (prefetch ARTICLE_PREFETCH when reading many)."""
    source = article.source
    article.forget_sections()  # the rest of its chunk is still to come: hold the text alone
    return ExportedArticle(
        id=article.pk,
        title=article.title,
        source=source,
        categories=sorted(c.name for c in article.categories.all()),
        credits=[
            CreditEntry(c.contributor.name, c.contributor.credentials, c.imported)
            for c in article.credits.all()
        ],
        redirect_title=article.redirect_to.title if article.redirect_to_id else None,
        latest_revision_id=article.latest_revision_id,
    )


def articles_to_export(titles: Iterable[str] | None = None) -> Iterator[ExportedArticle]:
    """The chosen articles in the order given, or every article by id, a page of
    ARTICLE_CHUNK at a time. Titles are checked at once: MissingTitles names any that do not
    exist before anything is written."""
    base = (
        Article.objects.select_related("redirect_to")
        .prefetch_related(*ARTICLE_PREFETCH)
        .order_by("pk")
    )
    if not titles:
        return _every_article(base)
    wanted = list(dict.fromkeys(title_to_slug(t) for t in titles))
    found = dict(base.filter(slug__in=wanted).values_list("slug", "pk"))
    missing = [slug.replace("_", " ") for slug in wanted if slug not in found]
    if missing:
        raise MissingTitles(missing)
    return _chosen_articles(base, [found[slug] for slug in wanted])


def _chosen_articles(base, ids: list[int]) -> Iterator[ExportedArticle]:
    for start in range(0, len(ids), ARTICLE_CHUNK):
        chunk = ids[start : start + ARTICLE_CHUNK]
        by_id = {a.pk: a for a in base.filter(pk__in=chunk)}
        for pk in chunk:
            if pk in by_id:  # deleted meanwhile: nothing to export
                yield exported_article(by_id[pk])


def _every_article(base) -> Iterator[ExportedArticle]:
    last = 0
    while chunk := list(base.filter(pk__gt=last)[:ARTICLE_CHUNK]):
        for article in chunk:
            yield exported_article(article)
        if len(chunk) < ARTICLE_CHUNK:
            return
        last = chunk[-1].pk


def iso_time(moment: dt.datetime) -> str:
    """ISO 8601 in UTC with a Z, as MediaWiki writes times."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Names:
    """Category and article titles by id, fetched once each, for revisions' snapshots."""

    def __init__(self, model, field_name: str):
        self.model, self.field_name, self.known = model, field_name, {}

    def __call__(self, ids) -> list[str]:
        missing = [i for i in ids if i not in self.known]
        if missing:
            self.known.update(
                self.model.objects.filter(pk__in=missing).values_list("pk", self.field_name)
            )
            self.known.update({i: None for i in missing if i not in self.known})
        return [self.known[i] for i in ids if self.known[i] is not None]


# Markdown ---------------------------------------------------------------------------------

WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{n}" for p in ("com", "lpt") for n in "123456789"
}
PLAIN_TITLE = re.compile(r"[A-Z0-9][a-z0-9 ,'()+-]*")
MAX_FILE_BASE = 120


def file_base(title: str) -> str:
    """A file name (without extension) for a title, distinct for distinct titles on any file
    system: a plain title (ASCII, capital first letter only, no marks that a file system
    treats specially) is itself with underscores; any other gets a readable ASCII form and
    `~` with a hash of the exact title, so titles differing only in case, accents or marks
    such as `/`, `?` or `:` never share a file."""
    plain = title.replace(" ", "_")
    if (
        PLAIN_TITLE.fullmatch(title)
        and len(plain) <= MAX_FILE_BASE
        and plain.lower() not in WINDOWS_RESERVED
        and not plain.endswith(".")
    ):
        return plain
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    readable = re.sub(r"[^A-Za-z0-9]+", "_", folded).strip("_")[:MAX_FILE_BASE] or "article"
    digest = hashlib.sha1(title.encode("utf-8")).hexdigest()[:10]
    return f"{readable}~{digest}"


# libyaml's emitter when PyYAML has it: a quarter of the time of the pure-Python one.
YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _front_matter(meta: dict) -> str:
    text = yaml.dump(meta, Dumper=YAML_DUMPER, allow_unicode=True, sort_keys=False)
    return "---\n" + text + "---\n"


def markdown_file(article: ExportedArticle) -> str:
    """The article as a Markdown file that `import_markdown` reads back to the same source,
    categories and credited contributors."""
    meta = {"title": article.title, "categories": article.categories}
    if article.credits:
        meta["contributors"] = [
            {"name": c.name, "credentials": c.credentials} if c.credentials else {"name": c.name}
            for c in article.credits
        ]
    if article.redirect_title:
        meta["redirect"] = article.redirect_title
    body = article.source
    if TITLE_LINE.match(body):  # the importer takes a first "# line" for the title: give it one
        body = f"# {article.title}\n\n{body}"
    return _front_matter(meta) + body


def revision_file(revision: ExportedRevision, *, category_names, article_titles) -> str:
    """One revision as a text file: its facts as front matter, then its Markdown."""
    meta = {
        "revision": revision.id,
        "parent": revision.parent_id,
        "timestamp": iso_time(revision.timestamp),
        "title": revision.title,
        "author": revision.author,
        "ip": revision.is_ip,
        "summary": revision.summary,
        "minor": revision.minor,
        "kind": revision.kind,
        "categories": category_names(revision.category_ids),
    }
    if revision.redirect_to_id and (target := article_titles([revision.redirect_to_id])):
        meta["redirect"] = target[0]
    return _front_matter(meta) + revision.source


def write_markdown_folder(
    articles: Iterable[ExportedArticle], folder: Path, *, history: bool = True
) -> ExportReport:
    """`<folder>/<name>.md` per article (what `import_markdown <folder>` reads) and, with
    history, `<folder>/history/<name>/<revision id>.txt` per revision (not `.md`, so the
    importer does not take old texts for articles)."""
    report = ExportReport()
    folder.mkdir(parents=True, exist_ok=True)
    category_names, article_titles = _Names(Category, "name"), _Names(Article, "title")
    for article in articles:
        base = file_base(article.title)
        (folder / f"{base}.md").write_text(markdown_file(article), encoding="utf-8")
        report.articles += 1
        if not history:
            continue
        revisions_folder = folder / "history" / base
        revisions_folder.mkdir(parents=True, exist_ok=True)
        for revision in article.revisions():
            text = revision_file(
                revision, category_names=category_names, article_titles=article_titles
            )
            (revisions_folder / f"{revision.id:08d}.txt").write_text(text, encoding="utf-8")
            report.revisions += 1
    manifest = {
        "site": settings.SITE_NAME,
        "exported_at": iso_time(timezone.now()),
        "articles": report.articles,
        "revisions": report.revisions,
        "history": "history/<file name>/<revision id>.txt" if history else None,
    }
    (folder / "export.yaml").write_text(
        yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return report


# JSON -------------------------------------------------------------------------------------


def json_document(
    articles: Iterable[ExportedArticle],
    *,
    history: bool = True,
    report: ExportReport | None = None,
) -> Iterator[str]:
    """One JSON document, written a piece at a time: the site, the export time and every
    article with its revisions."""
    report = report if report is not None else ExportReport()
    category_names, article_titles = _Names(Category, "name"), _Names(Article, "title")
    dumps = lambda value: json.dumps(value, ensure_ascii=False)  # noqa: E731
    yield (
        "{"
        f'"site": {dumps({"name": settings.SITE_NAME, "subtitle": settings.SITE_SUBTITLE})}, '
        f'"exported_at": {dumps(iso_time(timezone.now()))}, '
        f'"history": {dumps(history)}, "articles": ['
    )
    for number, article in enumerate(articles):
        head = {
            "id": article.id,
            "title": article.title,
            "categories": article.categories,
            "credits": [
                {"name": c.name, "credentials": c.credentials, "imported": c.imported}
                for c in article.credits
            ],
            "redirect_to": article.redirect_title,
            "source": article.source,
        }
        yield ("," if number else "") + "\n" + dumps(head)[:-1] + ', "revisions": ['
        for index, revision in enumerate(article.revisions(history=history)):
            redirect = article_titles([revision.redirect_to_id]) if revision.redirect_to_id else []
            entry = {
                "id": revision.id,
                "parent": revision.parent_id,
                "timestamp": iso_time(revision.timestamp),
                "author": None if revision.is_ip else revision.author,
                "ip": revision.author if revision.is_ip else None,
                "summary": revision.summary,
                "minor": revision.minor,
                "kind": revision.kind,
                "title": revision.title,
                "categories": category_names(revision.category_ids),
                "redirect_to": redirect[0] if redirect else None,
                "source": revision.source,
            }
            yield ("," if index else "") + "\n" + dumps(entry)
            report.revisions += 1
        yield "]}"
        report.articles += 1
    yield "\n]}\n"


# MediaWiki XML ----------------------------------------------------------------------------

# MediaWiki's standard namespaces; 4 and 5 are named after the site.
NAMESPACES = [
    (-2, "Media"),
    (-1, "Special"),
    (0, ""),
    (1, "Talk"),
    (2, "User"),
    (3, "User talk"),
    (4, None),
    (5, None),
    (6, "File"),
    (7, "File talk"),
    (8, "MediaWiki"),
    (9, "MediaWiki talk"),
    (10, "Template"),
    (11, "Template talk"),
    (12, "Help"),
    (13, "Help talk"),
    (14, "Category"),
    (15, "Category talk"),
]
# Characters XML 1.0 cannot hold at all.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def xml_text(text: str) -> str:
    text = NOT_XML.sub("\ufffd", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attribute(text: str) -> str:
    return xml_text(text).replace('"', "&quot;")


def mediawiki_sha1(text: str) -> str:
    """The SHA-1 of the text's UTF-8 bytes in base 36, 31 digits, as MediaWiki stores it."""
    number = int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16)
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = BASE36[rest] + digits
    return digits.rjust(31, "0")


def revision_wikitext(revision: ExportedRevision, *, category_names, article_titles) -> str:
    """The revision as wikitext (from the HTML stored when it was saved, else its Markdown
    rendered now), with its redirect first and its categories last, where MediaWiki keeps
    them."""
    from .mediawiki.markdown_to_wikitext import html_to_wikitext, markdown_to_wikitext

    parts = []
    if revision.redirect_to_id and (target := article_titles([revision.redirect_to_id])):
        parts.append(f"#REDIRECT [[{target[0]}]]\n")
    if revision.html:
        body = html_to_wikitext(revision.html)
    else:
        body = markdown_to_wikitext(revision.source) if revision.source.strip() else ""
    if body:
        parts.append(body)
    names = category_names(revision.category_ids)
    if names:
        parts.append("".join(f"[[Category:{name}]]\n" for name in names))
    return "\n".join(parts)


def mediawiki_document(
    articles: Iterable[ExportedArticle],
    *,
    history: bool = True,
    base_url: str = "",
    report: ExportReport | None = None,
) -> Iterator[str]:
    """MediaWiki's XML export (schema 0.11), written a piece at a time, with each revision's
    Markdown converted to wikitext."""
    report = report if report is not None else ExportReport()
    category_names, article_titles = _Names(Category, "name"), _Names(Article, "title")
    site = settings.SITE_NAME
    yield (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<mediawiki xmlns="{MEDIAWIKI_SCHEMA}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{MEDIAWIKI_SCHEMA} http://www.mediawiki.org/xml/export-0.11.xsd" '
        'version="0.11" xml:lang="en">\n'
    )
    yield "  <siteinfo>\n"
    yield f"    <sitename>{xml_text(site)}</sitename>\n"
    yield f"    <dbname>{xml_text(re.sub(r'[^a-z0-9]+', '', site.lower()) or 'wiki')}</dbname>\n"
    if base_url:
        yield f"    <base>{xml_text(base_url)}</base>\n"
    yield "    <generator>Encyclopedia export</generator>\n"
    yield "    <case>first-letter</case>\n    <namespaces>\n"
    for key, name in NAMESPACES:
        if name is None:
            name = site if key == 4 else f"{site} talk"
        if name:
            yield f'      <namespace key="{key}" case="first-letter">{xml_text(name)}</namespace>\n'
        else:
            yield f'      <namespace key="{key}" case="first-letter" />\n'
    yield "    </namespaces>\n  </siteinfo>\n"
    for article in articles:
        yield f"  <page>\n    <title>{xml_text(article.title)}</title>\n    <ns>0</ns>\n"
        yield f"    <id>{article.id}</id>\n"
        if article.redirect_title:
            yield f'    <redirect title="{xml_attribute(article.redirect_title)}" />\n'
        for revision in article.revisions(history=history):
            text = revision_wikitext(
                revision,
                category_names=category_names,
                article_titles=article_titles,
            )
            yield _revision_xml(revision, NOT_XML.sub("\ufffd", text))
            report.revisions += 1
        yield "  </page>\n"
        report.articles += 1
    yield "</mediawiki>\n"


def _revision_xml(revision: ExportedRevision, text: str) -> str:
    lines = ["    <revision>", f"      <id>{revision.id}</id>"]
    if revision.parent_id:
        lines.append(f"      <parentid>{revision.parent_id}</parentid>")
    lines.append(f"      <timestamp>{iso_time(revision.timestamp)}</timestamp>")
    if revision.is_ip:
        lines.append(f"      <contributor>\n        <ip>{xml_text(revision.author)}</ip>")
    else:
        name = revision.author or UNNAMED_AUTHOR
        lines.append(f"      <contributor>\n        <username>{xml_text(name)}</username>")
        if revision.author_id:
            lines.append(f"        <id>{revision.author_id}</id>")
    lines.append("      </contributor>")
    if revision.minor:
        lines.append("      <minor />")
    if revision.summary:
        lines.append(f"      <comment>{xml_text(revision.summary)}</comment>")
    lines += [
        f"      <origin>{revision.id}</origin>",
        "      <model>wikitext</model>",
        "      <format>text/x-wiki</format>",
        f'      <text bytes="{len(text.encode("utf-8"))}" xml:space="preserve">'
        f"{xml_text(text)}</text>",
        f"      <sha1>{mediawiki_sha1(text)}</sha1>",
        "    </revision>",
    ]
    return "\n".join(lines) + "\n"
