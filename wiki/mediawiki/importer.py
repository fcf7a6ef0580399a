"""A MediaWiki export imported with its history, onto the write path.

Each page of the article namespace becomes an article; each of its revisions one of our
revisions, in the order of the file, with its original time, author (a named user becomes a
`Contributor`, an IP address an anonymous one shown as the address), summary and minor flag.
Revisions are converted (`wikitext.convert`, in worker processes when there are many) and
appended a batch at a time by `services.article_append_history`. Every revision keeps its key
in the wiki it came from (`Revision.origin`), so the same file imported again adds nothing
and a later dump adds only what is new. Redirects point at their targets once every page of
the run is in. Pages of other namespaces are counted and skipped.
"""

import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from django.db import transaction

from .. import caching
from ..bulk import import_contributors
from ..models import Article, Revision
from ..services import (
    ArticleEdit,
    SourceTooLarge,
    TitleTaken,
    article_append_history,
    article_changed,
)
from ..titles import InvalidTitle, title_to_slug, validate_title
from .dump import DumpError, DumpRevision, PageEnd, PageProblem, PageStart, SiteInfo, read_dump
from .wikitext import Conversion, convert

# Namespace names for the report, where a dump's <siteinfo> gives none (the table sample).
DEFAULT_NAMESPACES = {
    1: "Talk",
    2: "User",
    4: "Project",
    6: "File",
    8: "MediaWiki",
    10: "Template",
    14: "Category",
}


@dataclass
class ImportReport:
    files: int = 0
    pages: int = 0  # pages of the article namespace read
    pages_changed: int = 0  # ... that got at least one new revision
    revisions: int = 0  # revisions added
    revisions_present: int = 0  # revisions already imported before (re-import)
    redirects: int = 0
    broken_redirects: list[tuple[str, str]] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # namespace name -> pages
    problems: list[str] = field(default_factory=list)  # "file, line N: page “T”: why"
    unconverted: dict[str, Counter] = field(default_factory=dict)  # title -> what (latest text)
    counts: Counter = field(default_factory=Counter)  # constructs seen/converted (latest texts)
    started: float = field(default_factory=time.monotonic)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    def rate(self) -> float:
        return self.revisions / max(self.seconds, 1e-6)


def _convert_one(args: tuple[str, str]) -> Conversion:
    text, title = args
    return convert(text, title=title)


@dataclass
class _Page:
    title: str
    line: int
    redirect_element: str | None
    article: Article | None = None
    pending: list[DumpRevision] = field(default_factory=list)
    last: Conversion | None = None  # of the newest revision appended in this run
    changed: bool = False


class MediaWikiImporter:
    """Import export files one after another (`import_file`), then `finish()`."""

    def __init__(
        self,
        *,
        site: str | None = None,
        batch: int = 100,
        jobs: int | None = None,
        progress: Callable[[ImportReport], None] | None = None,
    ):
        self.site_override, self.batch, self.progress = site, batch, progress
        self.jobs = (os.cpu_count() or 1) if jobs is None else jobs
        self.report = ImportReport()
        self.redirects: dict[int, str] = {}  # article id -> target title
        self.pool: ProcessPoolExecutor | None = None
        self.last_progress = time.monotonic()

    # Reading

    def import_file(self, path) -> None:
        self.report.files += 1
        site, page = SiteInfo(), None
        try:
            for item in read_dump(path):
                if isinstance(item, SiteInfo):
                    site = item
                elif isinstance(item, PageStart):
                    page = self._start(path, site, item)
                elif isinstance(item, PageProblem):
                    self._problem(path, item.line, item.title, item.message)
                elif page is not None and isinstance(item, DumpRevision):
                    page.pending.append(item)
                    if len(page.pending) >= self.batch:
                        self._flush(path, site, page)
                elif page is not None and isinstance(item, PageEnd):
                    self._flush(path, site, page)
                    self._end(page)
                    page = None
        except DumpError as exc:
            self.report.problems.append(f"{exc} (the pages before it were imported)")
        self._tell(force=True)

    def _start(self, path, site: SiteInfo, start: PageStart) -> _Page | None:
        if start.namespace != 0:
            name = site.namespaces.get(start.namespace) or DEFAULT_NAMESPACES.get(
                start.namespace, f"namespace {start.namespace}"
            )
            self.report.skipped[name] += 1
            return None
        try:
            title = validate_title(start.title)
        except InvalidTitle as exc:
            self._problem(path, start.line, start.title, f"the title cannot be used here: {exc}")
            return None
        self.report.pages += 1
        return _Page(title=title, line=start.line, redirect_element=start.redirect)

    def _problem(self, path, line: int, title: str, message: str) -> None:
        self.report.problems.append(f"{path}, line {line}: page “{title}”: {message}")

    # Writing

    def _flush(self, path, site: SiteInfo, page: _Page) -> None:
        """Append the page's pending revisions that are not imported yet."""
        key = self.site_override or site.key
        pending, page.pending = page.pending, []
        pending = [r for r in pending if self._usable(path, page, r)]
        origins = {self._origin(key, page, r): r for r in pending}
        present = set(Revision.objects.filter(origin__in=origins).values_list("origin", flat=True))
        self.report.revisions_present += len(present)
        new = [(origin, r) for origin, r in origins.items() if origin not in present]
        if not new:
            return
        conversions = self._convert([r.text for _, r in new], page.title)
        try:
            with transaction.atomic():
                self._append(page, new, conversions)
        except (SourceTooLarge, TitleTaken) as exc:
            self._problem(path, new[0][1].line, page.title, str(exc))
            return
        page.last, page.changed = conversions[-1], True
        self.report.revisions += len(new)
        self._tell()

    def _usable(self, path, page: _Page, revision: DumpRevision) -> bool:
        if revision.model not in ("wikitext", ""):
            self._problem(
                path,
                revision.line,
                page.title,
                f"revision {revision.id}: {revision.model} content is not imported",
            )
            return False
        return True

    @staticmethod
    def _origin(key: str, page: _Page, revision: DumpRevision) -> str:
        if revision.id is not None:
            return f"{key}#{revision.id}"
        return f"{key}#{title_to_slug(page.title)}@{revision.timestamp.isoformat()}"

    def _append(self, page: _Page, new: list, conversions: list[Conversion]) -> None:
        names = {r.author for _, r in new if r.author}
        contributors, created = import_contributors([(name, "") for name in sorted(names)])
        if created:  # names show on other pages too
            caching.bump_generation()
        if page.article is None:
            page.article = Article.objects.by_title(page.title).first() or Article(title=page.title)
        article_append_history(
            article=page.article,
            edits=[
                ArticleEdit(
                    text=conversion.markdown,
                    base_revision=None,
                    summary=revision.comment,
                    minor=revision.minor,
                    categories=conversion.categories,
                    kind=Revision.Kind.IMPORT,
                    at=revision.timestamp,
                    author=contributors.get(revision.author),
                    origin=origin,
                )
                for (origin, revision), conversion in zip(new, conversions, strict=True)
            ],
        )

    def _convert(self, texts: list[str], title: str) -> list[Conversion]:
        """Each text converted once (a revert repeats an older text), in worker processes
        when there is enough to share out."""
        distinct = list(dict.fromkeys(texts))
        work = [(text, title) for text in distinct]
        if self.jobs > 1 and (len(distinct) > 4 or sum(map(len, distinct)) > 200_000):
            done = list(
                self._workers().map(
                    _convert_one, work, chunksize=max(1, len(work) // (2 * self.jobs))
                )
            )
        else:
            done = [_convert_one(args) for args in work]
        by_text = dict(zip(distinct, done, strict=True))
        return [by_text[text] for text in texts]

    def _workers(self) -> ProcessPoolExecutor:
        if self.pool is None:
            context = multiprocessing.get_context(
                "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            )
            self.pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context)
        return self.pool

    def _end(self, page: _Page) -> None:
        if page.article is None and not page.changed:
            page.article = Article.objects.by_title(page.title).first()
        if page.article is None or page.article.pk is None:
            return
        if page.changed:
            self.report.pages_changed += 1
            self.report.unconverted[page.title] = page.last.unconverted
            self.report.counts.update(page.last.counts)
            target = page.last.redirect
            if target:
                self.redirects[page.article.pk] = target
            elif page.article.redirect_to_id:
                self.redirects[page.article.pk] = ""  # no longer a redirect

    def _tell(self, force: bool = False) -> None:
        if self.progress and (force or time.monotonic() - self.last_progress >= 2):
            self.last_progress = time.monotonic()
            self.progress(self.report)

    # The end of the run

    def finish(self) -> ImportReport:
        if self.pool is not None:
            self.pool.shutdown()
            self.pool = None
        self._point_redirects()
        return self.report

    def _point_redirects(self) -> None:
        """Redirect pages point at their targets, now that every page of the run is in."""
        targets = {}
        for pk, target in self.redirects.items():
            title = target.split("#", 1)[0].strip()
            try:
                targets[pk] = title_to_slug(validate_title(title)) if title else ""
            except InvalidTitle:
                targets[pk] = None
        found = dict(
            Article.objects.filter(slug__in={s for s in targets.values() if s}).values_list(
                "slug", "pk"
            )
        )
        for article in Article.objects.filter(pk__in=targets):
            slug = targets[article.pk]
            target_id = found.get(slug) if slug else None
            if slug is None or (slug and (target_id is None or target_id == article.pk)):
                self.report.broken_redirects.append((article.title, self.redirects[article.pk]))
                target_id = None
            if slug:
                self.report.redirects += target_id is not None
            if article.redirect_to_id != target_id:
                Article.objects.filter(pk=article.pk).update(redirect_to_id=target_id)
                article.redirect_to_id = target_id
                article_changed(article, created=True)  # links to it now lead elsewhere
