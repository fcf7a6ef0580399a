"""The importer's side of a dump's templates (`dump_import.MediaWikiImporter` mixes it in).

A file with `Template:` pages is read three times: for their names (cheap: 0.04 s on a 6 MB
file), for them alone, and for the other pages, so a page's calls find their templates
stored and are expanded when it is composed. A template that exists here and was written
here (not brought by an import) is not replaced: the dump's is reported and its calls are
converted as for a template the dump lacks.
"""

import functools

from ..composing import Composition
from ..models import Article, Revision
from ..rendering import RenderTooComplex
from ..services import article_rerender, compose_page
from ..titles import TEMPLATE_PREFIX, InvalidTitle, is_template_title, validate_title
from ..transcluding import stored_template
from ..transclusion.models import TemplateUse
from ..transclusion.services import start_rerender
from .dump import DumpError, PageStart, read_dump
from .dump_templates import CALL_COUNT, dump_template_name
from .wikitext import Conversion

TEMPLATE_NAMESPACE = 10


class DumpTemplates:
    """State: `template_names` (ours, of every file so far), `local_templates` (names kept),
    `template_ids` (templates of earlier imports changed), `templates` (how pages read them),
    `reading_templates` (the templates' reading of a file)."""

    def _start_templates(self) -> None:
        self.template_names: set[str] = set()
        self.local_templates: set[str] = set()
        self.template_ids: list[int] = []
        self.templates = stored_template
        self.reading_templates = False

    def _find_templates(self, path) -> bool:
        """Note the names of the file's templates (less those written here); whether it
        has any to import."""
        found: set[str] = set()
        try:
            for item in read_dump(path):
                if isinstance(item, PageStart) and item.namespace == TEMPLATE_NAMESPACE:
                    found.add(dump_template_name(item.title))
        except DumpError:
            pass  # reported when the file is read
        written_here = (
            Revision.objects.filter(article__title__in=[TEMPLATE_PREFIX + n for n in found])
            .exclude(kind=Revision.Kind.IMPORT)
            .values_list("article__title", flat=True)
        )
        self.local_templates |= {t[len(TEMPLATE_PREFIX) :] for t in written_here}
        self.template_names |= found - self.local_templates
        return bool(found - self.local_templates)

    def _template_title(self, path, start: PageStart) -> str | None:
        """A template page's title here, in the templates' reading of the file (None: passed
        over, or refused and reported)."""
        if not (self.reading_templates and start.namespace == TEMPLATE_NAMESPACE):
            return None
        name = dump_template_name(start.title)
        if name in self.local_templates:
            self._problem(
                path,
                start.line,
                start.title,
                f"“{TEMPLATE_PREFIX}{name}” was written here and is not replaced; "
                "the pages' calls of it are converted as for a template the dump lacks",
            )
            return None
        try:
            title = validate_title(TEMPLATE_PREFIX + name)
        except InvalidTitle as exc:
            self._problem(path, start.line, start.title, f"the title cannot be used here: {exc}")
            return None
        self.report.templates += 1
        return title

    def _templates_in(self) -> None:
        """The file's templates are in: template redirects point at their targets, each
        template's page shows the templates it uses, the users of a template an earlier
        import brought are re-rendered (queued), and pages read templates through a cache."""
        self._point_redirects()
        self.redirects.clear()
        new = Article.objects.in_language().filter(
            title__in=[TEMPLATE_PREFIX + n for n in self.template_names]
        )
        for article in new.exclude(redirect_to__isnull=False).order_by("pk"):
            article_rerender(article)
        for slug in Article.objects.filter(pk__in=self.template_ids).values_list("slug", flat=True):
            if TemplateUse.objects.filter(template_slug=slug).exists():
                start_rerender(slug)
        self.template_ids.clear()
        self.templates = functools.cache(stored_template)

    def _with_templates(
        self, article: Article, conversion: Conversion, composition: Composition
    ) -> tuple[Composition, str]:
        """The current text composed again with its templates expanded, when it calls the
        dump's templates or is one (workers compose without the database); what failed."""
        if not (is_template_title(article.title) or conversion.counts[CALL_COUNT]):
            return composition, ""
        try:
            return compose_page(article, composition.source, self.templates), ""
        except RenderTooComplex as exc:
            return composition, str(exc)
