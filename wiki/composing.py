"""An article's stored form, composed from its source in one pure step (no database).

The write path and the batch importer both call `compose`: the canonical source split into
the lead and sections, rendered once, with the rows of its sections, the titles it links to
and what the search index holds of it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from .box_templates import box_types
from .infobox_types import resolving
from .infoboxes import box_template_titles, infobox_of, parsed_once
from .rendering import RenderedArticle, RenderedSection, render_article
from .sources import SourceSection, normalize_source, split_source
from .titles import TEMPLATE_PREFIX
from .transcluding import expand


@dataclass(frozen=True)
class SectionRow:
    """The values of one `Section` row."""

    position: int
    heading: str
    level: int
    body: str
    heading_html: str
    anchor: str
    html: str

    FIELDS = ("heading", "level", "body", "heading_html", "anchor", "html")

    def values(self) -> dict:
        return {name: getattr(self, name) for name in self.FIELDS}


@dataclass(frozen=True)
class Composition:
    source: str  # canonical
    lead: str
    parts: list[SourceSection]
    rendered: RenderedArticle
    infobox: dict  # the parsed infobox (`infoboxes.Infobox.as_data`), {} without one
    templates: set[str] = field(default_factory=set)  # titles of the templates it expanded

    @property
    def size(self) -> int:
        return len(self.source.encode())  # `source_size`: the source is canonical already

    def article_fields(self) -> dict:
        """The values of the `Article` row's own stored-form fields."""
        return {
            "lead": self.lead,
            "lead_html": self.rendered.lead_html,
            "notes_html": self.rendered.notes_html,
            "infobox": self.infobox,
            "size": self.size,
        }

    def section_rows(self) -> list[SectionRow]:
        return [
            SectionRow(position, part.heading, part.level, part.body, *rendered)
            for position, (part, rendered) in enumerate(
                zip(self.parts, self.rendered.sections, strict=True), start=1
            )
        ]

    def links_from(self, slug: str) -> set[str]:
        """The titles (as slugs) the article links to, itself left out."""
        return set(self.rendered.links) - {slug}


def compose(
    source: str,
    *,
    render: bool = True,
    templates: Callable[[str], str | None] | None = None,
    template_page: str = "",
) -> Composition:
    """Split and render `source` in its canonical form. Without `render` the HTML is left
    empty: the stored form of a revision that is history from the start (an import's older
    revisions), rendered when someone opens it (`history.views`). With `templates` (a lookup
    of a template's source by name, `transcluding.stored_template`) the template calls of the
    lead and of each section are expanded before rendering; `template_page`: the source is a
    template's own page (its defaults and its parameters' table shown). Infobox blocks render
    with their types as `templates` has them (the shipped types without), and count as uses
    of their templates."""
    source = normalize_source(source)
    lead, parts = split_source(source)
    used: set[str] = set()
    shown_lead, shown_parts = lead, parts
    if templates is not None and render:
        expansions = [
            expand(text, templates, template_page=template_page)
            for text in [lead] + [p.body for p in parts]
        ]
        used = set().union(*(e.used for e in expansions))
        shown_lead = expansions[0].text
        shown_parts = [
            SourceSection(p.heading, p.level, e.text)
            for p, e in zip(parts, expansions[1:], strict=True)
        ]
    find = None
    if templates is not None:  # a template's page: its own box type as this text defines it
        own = template_page
        find = box_types(lambda name: source if own and name == own else templates(name))
    with resolving(find), parsed_once():  # the box rendered is the box stored: one parse
        rendered = (
            render_article(shown_lead, shown_parts)
            if render
            else RenderedArticle("", [RenderedSection("", "", "") for _ in parts], "")
        )
        shown = "\n".join([shown_lead, *(p.body for p in shown_parts)])
        box = None if template_page else infobox_of(shown)
    if templates is not None and render:
        used |= {
            title
            for title in box_template_titles(shown)
            if title != TEMPLATE_PREFIX + template_page
            and templates(title.removeprefix(TEMPLATE_PREFIX)) is not None
        }
    return Composition(
        source=source,
        lead=lead,
        parts=parts,
        rendered=rendered,
        infobox=box.as_data() if box else {},
        templates=used,
    )
