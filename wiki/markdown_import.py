"""Markdown files (optional YAML front matter) into articles.

A file whose title is new is rendered (in worker processes when there are many) and created
with others in a batch by `bulk.create_articles`; a file for an existing article goes through
the write path, `article_save`, which adds a revision only when the text changed.
"""

import os
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import IntegrityError, connection, connections

from . import bulk, caching
from .bulk import worker_start
from .models import Article, Revision
from .services import ArticleEdit, article_save
from .sources import normalize_newlines
from .titles import validate_title

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)
TITLE_LINE = re.compile(r"\A\s*#[ \t]+(.+?)[ \t]*#*[ \t]*\n")


class ImportFileError(ValueError):
    pass


@dataclass
class ParsedFile:
    title: str
    source: str
    categories: list[str] | None
    contributors: list[tuple[str, str]] = field(default_factory=list)
    redirect: str | None = None  # a title; "" for none; None: as it is


def _contributor(entry) -> tuple[str, str]:
    if isinstance(entry, dict):
        name, credentials = (
            str(entry.get("name", "")).strip(),
            str(entry.get("credentials", "") or ""),
        )
    else:
        name, _, credentials = str(entry).partition(",")
    if not name.strip():
        raise ImportFileError("a contributor has no name")
    return name.strip(), credentials.strip()


def parse_markdown_file(text: str) -> ParsedFile:
    text = normalize_newlines(text).lstrip("\ufeff")
    meta = {}
    if match := FRONT_MATTER.match(text):
        try:
            meta = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as exc:
            raise ImportFileError(f"front matter is not valid YAML ({exc.problem})") from exc
        if not isinstance(meta, dict):
            raise ImportFileError("front matter must be a mapping of keys to values")
        text = text[match.end() :]
    title = meta.get("title")
    if title_match := TITLE_LINE.match(text):
        title = title or title_match.group(1)
        text = text[title_match.end() :].lstrip("\n")
    if not title:
        raise ImportFileError("no title: add `title:` front matter or a first line `# Title`")
    try:
        title = validate_title(str(title))
    except ValueError as exc:
        raise ImportFileError(str(exc)) from exc
    categories = meta.get("categories")
    if isinstance(categories, str):
        categories = [c.strip() for c in categories.split(",")]
    contributors = [_contributor(c) for c in meta.get("contributors") or []]
    redirect = meta.get("redirect")
    return ParsedFile(
        title,
        text,
        [str(c) for c in categories] if categories is not None else None,
        contributors,
        redirect=None if "redirect" not in meta else str(redirect or "").strip(),
    )


def import_file(parsed: ParsedFile, *, user=None, summary: str = "Imported") -> Revision | None:
    """Create or update the article; returns the new revision, or None when nothing changed."""
    article = Article.objects.by_title(parsed.title).first() or Article(title=parsed.title)
    contributors, changed = bulk.import_contributors(parsed.contributors)
    if changed:  # names and credentials show on other articles' pages too
        caching.bump_generation()
    credits = [contributors[name] for name, _ in parsed.contributors]
    result = article_save(
        article=article,
        edit=ArticleEdit(
            text=parsed.source,
            base_revision=article.latest_revision_id,
            user=user,
            summary=summary,
            categories=parsed.categories,
            kind=Revision.Kind.IMPORT,
            imported_credits=credits,
        ),
    )
    return result.revision


def markdown_paths(paths) -> list[Path]:
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.md") if p.is_file()))
        else:
            found.append(path)
    return found


@dataclass
class Loaded:
    """One file read, parsed and (for a possibly new article) rendered; or why it failed."""

    path: str
    parsed: ParsedFile | None = None
    prepared: bulk.PreparedArticle | None = None
    error: str = ""


def load_files(paths: list[str]) -> list[Loaded]:
    """Read, parse and render files; runs in worker processes and needs no database."""
    loaded = []
    for path in paths:
        try:
            parsed = parse_markdown_file(Path(path).read_text(encoding="utf-8"))
            loaded.append(Loaded(path, parsed, bulk.prepare(parsed)))
        except (OSError, UnicodeDecodeError, ImportFileError) as exc:
            loaded.append(Loaded(path, error=str(exc)))
    return loaded


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def done(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.failed)


def default_jobs(file_count: int) -> int:
    """Worker processes for rendering: one per CPU for big imports, none for small ones
    (one that cannot be forked sets up Django again before its first file)."""
    return (os.cpu_count() or 1) if file_count >= 200 else 0


def default_writers() -> int:
    """Threads writing batches: two on PostgreSQL, whose server works on one batch while
    Python builds the next; one on SQLite, which has a single writer anyway."""
    return 2 if connection.vendor == "postgresql" else 1


def import_paths(
    files: list[Path],
    *,
    summary: str = "Imported",
    jobs: int = 0,
    writers: int = 1,
    batch_size: int = 250,
    progress: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import files in batches: `jobs` worker processes render while `writers` threads write.

    Writer threads commit on their own connections, so inside a transaction (whose rollback
    could not undo their work) the batches are written by this thread alone."""
    if connection.in_atomic_block:
        writers = 1
    names = [str(f) for f in files]
    batches = [names[i : i + batch_size] for i in range(0, len(names), batch_size)]
    writer = _Writer(summary, writers, order={name: i for i, name in enumerate(names)})
    if jobs < 1:
        for batch in batches:
            writer.add(load_files(batch))
            if progress:
                progress(writer.report)
        return writer.finish()
    chunk = max(1, batch_size // (4 * jobs))
    with ProcessPoolExecutor(max_workers=jobs, **worker_start()) as pool:

        def submit(batch):
            return [
                pool.submit(load_files, batch[i : i + chunk]) for i in range(0, len(batch), chunk)
            ]

        pending = submit(batches[0]) if batches else []
        for number in range(len(batches)):
            loaded = [item for future in pending for item in future.result()]
            # The workers render the next batch while this one is written.
            pending = submit(batches[number + 1]) if number + 1 < len(batches) else []
            writer.add(loaded)
            if progress:
                progress(writer.report)
    return writer.finish()


class _Writer:
    """Writes loaded batches. The first file of each new title goes to `bulk.create_articles`,
    a batch at a time, on `threads` threads (each with its own database connection and
    transaction); files for titles that exist or came earlier in the import go through the
    write path at the end, in file order, so the last file of a title is its current text."""

    def __init__(self, summary: str, threads: int, order: dict[str, int]):
        self.summary, self.threads, self.order = summary, max(1, threads), order
        self.report = ImportReport()
        self.seen: set[str] = set()
        self.later: list[Loaded] = []
        self.redirects: list[Loaded] = []
        self.pool = ThreadPoolExecutor(self.threads) if self.threads > 1 else None
        self.running: list = []

    def add(self, loaded: list[Loaded]) -> None:
        self.report.failed += [(item.path, item.error) for item in loaded if item.error]
        good = [item for item in loaded if not item.error]
        self.redirects += [item for item in good if item.parsed.redirect is not None]
        existing = set(
            Article.objects.by_slugs({item.prepared.slug for item in good}).values_list(
                "slug", flat=True
            )
        )
        new = []
        for item in good:
            if item.prepared.slug in existing or item.prepared.slug in self.seen:
                self.later.append(item)
            else:
                self.seen.add(item.prepared.slug)
                new.append(item)
        if self.pool is None:
            self.report.created += self._create(new)
            return
        if len(self.running) >= self.threads:
            self.report.created += self.running.pop(0).result()
        self.running.append(self.pool.submit(self._create_in_thread, new))

    def _create(self, new: list[Loaded]) -> int:
        try:
            bulk.create_articles([item.prepared for item in new], summary=self.summary)
        except IntegrityError:
            self.later += new  # a title was created meanwhile: the write path sorts it out
            return 0
        return len(new)

    def _create_in_thread(self, new: list[Loaded]) -> int:
        try:
            return self._create(new)
        finally:
            connections.close_all()  # this thread's connection

    def finish(self) -> ImportReport:
        if self.pool is not None:
            for future in self.running:
                self.report.created += future.result()
            self.pool.shutdown()
        for item in sorted(self.later, key=lambda item: self.order[item.path]):
            revision = import_file(item.parsed, summary=self.summary)
            if revision is None:
                self.report.unchanged += 1
            elif revision.parent_id is None:
                self.report.created += 1
            else:
                self.report.updated += 1
        for item in self.redirects:  # once every title of the import exists
            if error := set_redirect(item.parsed, summary=self.summary):
                self.report.failed.append((item.path, error))
        return self.report


def set_redirect(parsed: ParsedFile, *, summary: str) -> str:
    """Make the imported article redirect where its `redirect:` front matter says (a revision
    records it, as one made in the admin does); returns what went wrong, if anything."""
    article = Article.objects.by_title(parsed.title).first()
    target = Article.objects.by_title(parsed.redirect).first() if parsed.redirect else None
    if article is None:
        return ""
    if parsed.redirect and target is None:
        return f"the redirect target “{parsed.redirect}” is not an article"
    if article.redirect_to_id == (target.pk if target else None):
        return ""
    article.redirect_to = target
    article_save(
        article=article,
        edit=ArticleEdit(
            text=article.source,
            base_revision=article.latest_revision_id,
            summary=summary,
            kind=Revision.Kind.IMPORT,
        ),
    )
    return ""
