"""The Markdown export: a folder of files that `import_markdown` reads back, with every
revision in history files beside them."""

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import yaml
from django.conf import settings
from django.utils import timezone

from ..markdown_import import TITLE_LINE
from ..models import Article, Category
from .exported import ExportedArticle, ExportedRevision, ExportReport, Names, iso_time

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
    if revision.hidden:  # hidden by an administrator: left out of the export
        meta["hidden"] = list(revision.hidden)
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
    category_names, article_titles = Names(Category, "name"), Names(Article, "title")
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
