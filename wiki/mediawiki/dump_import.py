"""A MediaWiki export imported with its history, onto the write path.

Each page of the article namespace becomes an article; each of its revisions one of our
revisions, in the order of the file, with its original time, author (a named user becomes a
`Contributor`, an IP address an anonymous one shown as the address), summary and minor flag.
Revisions are converted (`wikitext.convert`, in worker processes when there are many) and
appended a batch at a time by `appending.article_append_history`. Every revision keeps its key
in the wiki it came from (`Revision.origin`), so the same file imported again adds nothing
and a later dump adds only what is new. Redirects point at their targets once every page of
the run is in. Pages of other namespaces are counted and skipped, except templates: a file's
`Template:` pages are imported first, as our templates (`dump_templates`), and a page's call
of one of them stays a call, expanded when the page is rendered (see docs/importing.md).
"""

import os
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import translation

from .. import caching, interlanguage
from ..appending import article_append_history
from ..bulk import import_contributors, worker_start
from ..composing import Composition, compose
from ..languages import default_language, language_codes
from ..models import Article, Revision
from ..rendering import RenderTooComplex
from ..services import (
    ArticleEdit,
    SourceTooLarge,
    TitleTaken,
    article_changed,
    article_rerender,
)
from ..titles import InvalidTitle, is_template_title, title_to_slug, validate_title
from ..transcluding import stored_template
from ..transclusion.services import record_uses
from .dump import DumpError, DumpRevision, PageEnd, PageProblem, PageStart, SiteInfo, read_dump
from .file_import import file_name
from .template_import import TEMPLATE_NAMESPACE, DumpTemplates
from .wikitext import Conversion, convert, convert_template

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
    templates: int = 0  # pages of the template namespace read (imported as our templates)
    pages_changed: int = 0  # ... that got at least one new revision
    revisions: int = 0  # revisions added
    revisions_present: int = 0  # revisions already imported before (re-import)
    languages: Counter = field(default_factory=Counter)  # language code -> files read in it
    redirects: int = 0
    broken_redirects: list[tuple[str, str]] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # namespace name -> pages
    problems: list[str] = field(default_factory=list)  # "file, line N: page “T”: why"
    notes: list[str] = field(default_factory=list)  # about a whole file (its language)
    unconverted: dict[str, Counter] = field(default_factory=dict)  # title -> what (latest text)
    counts: Counter = field(default_factory=Counter)  # constructs seen/converted (latest texts)
    started: float = field(default_factory=time.monotonic)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    def rate(self) -> float:
        return self.revisions / max(self.seconds, 1e-6)


@dataclass
class _Converted:
    """One revision's text as stored here: converted, and composed (rendered if current)."""

    conversion: Conversion
    composition: Composition | None
    error: str = ""


def stored_markdown(conversion: Conversion) -> str:
    """The source we keep for a converted text: a redirect is `#REDIRECT [[Target]]` alone
    (what MediaWiki shows of the rest of a redirect page, redirect categories and such, is
    nothing)."""
    if conversion.redirect:
        return f"#REDIRECT [[{conversion.redirect}]]\n"
    return conversion.markdown


def _convert_one(job: tuple[str, str, bool, frozenset, str]) -> _Converted:
    """Convert and compose one text (in a worker process when there are many); `names`: the
    dump's templates, whose calls stay calls (expanded when the importer composes again);
    rendered in the page's language (its links' addresses)."""
    text, title, current, names, language = job
    with translation.override(language):
        return _convert_in_language(text, title, current, names)


def _convert_in_language(text: str, title: str, current: bool, names: frozenset) -> _Converted:
    if is_template_title(title):
        conversion = convert_template(text, names, title=title)
    else:
        conversion = convert(text, title=title, templates=names)
    try:
        composition = compose(stored_markdown(conversion), render=current)
    except RenderTooComplex as exc:
        return _Converted(conversion, None, str(exc))
    return _Converted(conversion, composition)


@dataclass
class _Page:
    title: str
    line: int
    article: Article | None = None
    pending: list[DumpRevision] = field(default_factory=list)
    last: Conversion | None = None  # of the newest revision appended in this run
    changed: bool = False


@dataclass
class _Unit:
    """Revisions of one page read and waiting to be written; `ends` the page."""

    path: str
    key: str
    page: _Page
    revisions: list[DumpRevision]
    ends: bool
    new: list[tuple[str, DumpRevision]] = field(default_factory=list)


class MediaWikiImporter(DumpTemplates):
    """Import export files one after another (`import_file`), then `finish()`.

    Revisions are read into a window of up to `batch` revisions (several pages, or part of
    a long history); a full window is converted and composed, then written page by page, in
    the order of the file. With worker processes (`jobs` > 1) the windows are a quarter of
    that and up to `IN_FLIGHT` of them are being converted while this process writes the
    oldest, so the workers and the writer keep both cores busy from the first page to the
    last, and what is held at once stays bounded whatever the dump's size."""

    WINDOW_BYTES = 32 << 20  # texts held at once, whatever `batch` says
    IN_FLIGHT = 4  # windows sent to the workers and not written yet

    def __init__(
        self,
        *,
        site: str | None = None,
        language: str | None = None,
        batch: int = 100,
        jobs: int | None = None,
        progress: Callable[[ImportReport], None] | None = None,
    ):
        self.site_override, self.batch, self.progress = site, batch, progress
        self.language = language  # of every file; None: each file's own (its xml:lang)
        self.jobs = (os.cpu_count() or 1) if jobs is None else jobs
        self.report = ImportReport()
        self.redirects: dict[int, str] = {}  # article id -> target title
        self.pool: ProcessPoolExecutor | None = None
        if self.jobs > 1 and threading.active_count() == 1:
            self._workers()  # now, before a database connection starts any thread
        self.last_progress = time.monotonic()
        self.window: list[_Unit] = []
        self.file_pages: dict[str, str] = {}  # file name -> its description page's newest text
        # Windows being converted, oldest first: (units, wait for its conversions).
        self.in_flight: deque = deque()
        self.sent_origins: set[str] = set()  # of the revisions in them
        self.unrendered: dict[int, Article] = {}  # pages whose history is partly written
        self.window_revisions = self.window_bytes = 0
        pooled = self.jobs > 1
        self.window_limit = max(1, batch // self.IN_FLIGHT) if pooled else batch
        self.window_byte_limit = self.WINDOW_BYTES // (self.IN_FLIGHT if pooled else 1)
        self._start_templates()  # `template_import`

    # Reading

    def import_file(self, path) -> None:
        """A file's templates first (when it has any), then its other pages, all in the
        file's language."""
        self.report.files += 1
        language = self._file_language(path)
        self.report.languages[language] += 1
        with translation.override(language):
            self._import_file(path)

    def _file_language(self, path) -> str:
        """`language` when given, else the dump's `xml:lang` when the site has that language,
        else the default language (a problem reported for a language the site lacks)."""
        if self.language:
            return self.language
        said = ""
        try:
            first = next(iter(read_dump(path)), None)
            said = first.language if isinstance(first, SiteInfo) else ""
        except DumpError:
            pass  # reported when the file is read
        if said and said not in language_codes():
            self.report.notes.append(
                f"{path}: the dump's language is “{said}”, which this site does not have: "
                f"imported as {default_language()} (--language chooses)"
            )
        return said if said in language_codes() else default_language()

    def _import_file(self, path) -> None:
        if self._find_templates(path):
            self.reading_templates, self.templates = True, stored_template  # none cached
            self._read(path)
            self.reading_templates = False
            self._templates_in()
        self._read(path)

    def _read(self, path) -> None:
        site, page, file_page = SiteInfo(), None, None
        try:
            for item in read_dump(path):
                if isinstance(item, SiteInfo):
                    site = item
                elif isinstance(item, PageStart):
                    page = self._start(path, site, item)
                    # A file's description page: what `file_import.import_files` reads of the file.
                    file_page = item.title.partition(":")[2] if item.namespace == 6 else None
                elif file_page and isinstance(item, DumpRevision):
                    self.file_pages[file_name(file_page)] = item.text
                elif isinstance(item, PageProblem):
                    self._problem(path, item.line, item.title, item.message)
                elif page is not None and isinstance(item, DumpRevision):
                    # Cut before a revision, not after: a page's newest revision is always
                    # in the part that ends it.
                    if self._window_full():
                        self._queue(path, site, page, ends=False)
                        self._write_window()
                    page.pending.append(item)
                    self.window_revisions += 1
                    self.window_bytes += len(item.text)
                elif page is not None and isinstance(item, PageEnd):
                    self._queue(path, site, page, ends=True)
                    if self._window_full():
                        self._write_window()
                    page = None
        except DumpError as exc:
            self.report.problems.append(f"{exc} (the pages before it were imported)")
        self._write_window(last=True)
        # A page whose last revisions could not be written (or a file cut short in it)
        # shows the newest text that was.
        for article in self.unrendered.values():
            article_rerender(article, self.templates)
        self.unrendered.clear()
        self._tell(force=True)

    def _window_full(self) -> bool:
        return (
            self.window_revisions >= self.window_limit
            or self.window_bytes >= self.window_byte_limit
        )

    def _queue(self, path, site: SiteInfo, page: _Page, *, ends: bool) -> None:
        revisions, page.pending = page.pending, []
        key = self.site_override or site.key
        self.window.append(_Unit(str(path), key, page, revisions, ends))

    def _start(self, path, site: SiteInfo, start: PageStart) -> _Page | None:
        if self.reading_templates or start.namespace == TEMPLATE_NAMESPACE:
            title = self._template_title(path, start)
            return None if title is None else _Page(title=title, line=start.line)
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
        return _Page(title=title, line=start.line)

    def _problem(self, path, line: int, title: str, message: str) -> None:
        self.report.problems.append(f"{path}, line {line}: page “{title}”: {message}")

    # Writing

    def _write_window(self, *, last: bool = False) -> None:
        """Send the window's new revisions to be converted, and write the oldest windows sent
        before it meanwhile (so the workers convert while this process writes); `last`
        writes them all."""
        units, self.window = self.window, []
        self.window_revisions = self.window_bytes = 0
        self._find_new(units)
        jobs, names = [], frozenset(self.template_names)
        language = translation.get_language()
        for unit in units:
            # Only a page's newest text is rendered, wherever the windows cut its history.
            texts = [r.text for _, r in unit.new]
            final = len(texts) - 1 if unit.ends else -1
            jobs += [
                (text, unit.page.title, i == final, names, language) for i, text in enumerate(texts)
            ]
        self.in_flight.append((units, self._convert(jobs)))
        keep = 0 if last else (self.IN_FLIGHT - 1 if self.jobs > 1 else 1)
        while len(self.in_flight) > keep:
            self._write_units(*self.in_flight.popleft())

    def _write_units(self, units: list["_Unit"], converting) -> None:
        converted = iter(converting())
        for unit in units:
            done = [next(converted) for _ in unit.new]
            if unit.new:
                self._write(unit, done)
                self.sent_origins.difference_update(origin for origin, _ in unit.new)
            if unit.ends:
                self._end(unit.page)

    def _find_new(self, units: list[_Unit]) -> None:
        """Each unit's revisions not imported before, with their origins (one query); those
        of the windows still being converted count as imported before."""
        for unit in units:
            usable = [r for r in unit.revisions if self._usable(unit, r)]
            unit.new = [(self._origin(unit.key, unit.page, r), r) for r in usable]
        origins = [origin for unit in units for origin, _ in unit.new]
        present = set(Revision.objects.filter(origin__in=origins).values_list("origin", flat=True))
        present |= self.sent_origins.intersection(origins)
        self.report.revisions_present += len(present)
        for unit in units:
            unit.new = [(origin, r) for origin, r in unit.new if origin not in present]
            self.sent_origins.update(origin for origin, _ in unit.new)

    def _write(self, unit: _Unit, done: list[_Converted]) -> None:
        page = unit.page
        if failed := next((d.error for d in done if d.error), ""):
            self._problem(unit.path, unit.new[0][1].line, page.title, failed)
            return
        if page.article is None:
            page.article = Article.objects.by_title(page.title).first() or Article(title=page.title)
        current = page.article.updated_at if page.article.latest_revision_id else None
        if current is not None and unit.new[0][1].timestamp < current:
            self._problem(
                unit.path,
                unit.new[0][1].line,
                page.title,
                f"{len(unit.new)} revisions are older than the article's current one "
                f"({current:%Y-%m-%d %H:%M}) and were not imported: import older dumps first",
            )
            return
        last = done[-1]
        if unit.ends:
            composition, failed = self._with_templates(
                page.article, last.conversion, last.composition
            )
            if failed:
                self._problem(unit.path, unit.new[-1][1].line, page.title, failed)
                return
            done[-1] = _Converted(last.conversion, composition)
        try:
            with transaction.atomic():
                self._append(page, unit.new, done)
                record_uses(page.article)
        except (SourceTooLarge, TitleTaken) as exc:
            self._problem(unit.path, unit.new[0][1].line, page.title, str(exc))
            return
        if is_template_title(page.title) and current is not None:
            self.template_ids.append(page.article.pk)  # a template an earlier import brought
        page.last, page.changed = done[-1].conversion, True
        if unit.ends:
            self.unrendered.pop(page.article.pk, None)
        else:  # until the page's next revisions are in
            self.unrendered[page.article.pk] = page.article
        self.report.revisions += len(unit.new)
        self._tell()

    def _usable(self, unit: _Unit, revision: DumpRevision) -> bool:
        if revision.model not in ("wikitext", ""):
            self._problem(
                unit.path,
                revision.line,
                unit.page.title,
                f"revision {revision.id}: {revision.model} content is not imported",
            )
            return False
        return True

    @staticmethod
    def _origin(key: str, page: _Page, revision: DumpRevision) -> str:
        if revision.id is not None:
            return f"{key}#{revision.id}"
        return f"{key}#{title_to_slug(page.title)}@{revision.timestamp.isoformat()}"

    def _append(self, page: _Page, new: list, done: list[_Converted]) -> None:
        names = {r.author for _, r in new if r.author}
        contributors, created = import_contributors([(name, "") for name in sorted(names)])
        if created:  # names show on other pages too
            caching.bump_generation()
        article_append_history(
            article=page.article,
            edits=[
                ArticleEdit(
                    text=d.composition.source,
                    base_revision=None,
                    summary=revision.comment,
                    minor=revision.minor,
                    categories=d.conversion.categories,
                    kind=Revision.Kind.IMPORT,
                    at=revision.timestamp,
                    author=contributors.get(revision.author),
                    origin=origin,
                )
                for (origin, revision), d in zip(new, done, strict=True)
            ],
            compositions=[d.composition for d in done],
        )

    def _convert(self, jobs: list[tuple]) -> Callable[[], list[_Converted]]:
        """Start converting each job once (a revert repeats an older text), in the worker
        processes when there are some; the function returned waits for them."""
        distinct = list(dict.fromkeys(jobs))
        if self.jobs > 1:
            futures = [self._workers().submit(_convert_one, job) for job in distinct]
            results = lambda: [f.result() for f in futures]  # noqa: E731
        else:
            results = lambda: [_convert_one(job) for job in distinct]  # noqa: E731

        def wait() -> list[_Converted]:
            by_job = dict(zip(distinct, results(), strict=True))
            return [by_job[job] for job in jobs]

        return wait

    def _workers(self) -> ProcessPoolExecutor:
        if self.pool is None:
            # Forked while this process runs one thread, the workers start at once; later
            # (PostgreSQL's connection pool runs threads) they would have to start fresh
            # interpreters, each setting up Django again. So the importer starts them all
            # when it is made.
            self.pool = ProcessPoolExecutor(max_workers=self.jobs, **worker_start())
            list(self.pool.map(abs, range(self.jobs)))
        return self.pool

    def _end(self, page: _Page) -> None:
        """A page's last revisions are in: note what its newest text left unconverted and
        whether it redirects (its `<redirect>` element says what that text says)."""
        if not page.changed:
            return  # nothing new: the page stays as an earlier run left it
        self.report.pages_changed += 1
        if page.last.unconverted:  # pages with nothing left out are not held (the report's size)
            self.report.unconverted[page.title] = page.last.unconverted
        else:
            self.report.unconverted.pop(page.title, None)
        self.report.counts.update(page.last.counts)
        if not is_template_title(page.title):
            interlanguage.record(page.article, page.last.interlanguage)
            interlanguage.resolve_links_to(page.article)
        if target := page.last.redirect:
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
        """Redirect pages point at their targets, now that every page of the run is in; a
        target that is not an article (or is the page itself) is reported."""
        slugs = {pk: _slug_of(target) for pk, target in self.redirects.items()}
        found = {
            (language, slug): pk
            for language, slug, pk in Article.objects.filter(
                slug__in=set(slugs.values()) - {None}
            ).values_list("language", "slug", "pk")
        }
        for article in Article.objects.filter(pk__in=slugs):
            wanted = self.redirects[article.pk]
            target_id = found.get((article.language, slugs[article.pk]))
            if target_id == article.pk:
                target_id = None
            if wanted and target_id is None:
                self.report.broken_redirects.append((article.title, wanted))
            self.report.redirects += target_id is not None
            if article.redirect_to_id != target_id:
                Article.objects.filter(pk=article.pk).update(redirect_to_id=target_id)
                article.redirect_to_id = target_id
                article_changed(article, created=True)  # links to it now lead elsewhere


def _slug_of(target: str) -> str | None:
    """The slug a redirect's target names (its #fragment left out); None for none or a title
    that cannot be one."""
    try:
        return title_to_slug(validate_title(target.split("#", 1)[0].strip()))
    except InvalidTitle:
        return None
