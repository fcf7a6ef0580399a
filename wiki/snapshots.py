"""Old revisions read back from django-reversion's stored JSON.

We read the serialized fields ourselves instead of deserializing into model instances: a
field added since the snapshot was taken gets its default, a renamed field is found under
its old name (RENAMED_FIELDS), a removed field is ignored. So history keeps displaying,
diffing and reverting after migrations (the failure reported in django-reversion #859,
#826, #613 is deserialization of snapshots into a changed model).
"""

import json
from dataclasses import dataclass, field

from reversion.models import Version

from .composing import compose
from .sources import SourceSection, join_source
from .titles import is_template_title
from .transcluding import stored_template, template_calls, template_name

# new field name -> old names it had in earlier snapshots, per model.
RENAMED_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "wiki.article": {},
    "wiki.section": {},
}


def _field(fields: dict, model: str, name: str, default):
    if name in fields:
        return fields[name]
    for old in RENAMED_FIELDS.get(model, {}).get(name, ()):
        if old in fields:
            return fields[old]
    return default


@dataclass
class SectionSnapshot:
    position: int
    heading: str
    level: int
    body: str
    heading_html: str = ""
    anchor: str = ""
    html: str = ""


@dataclass
class ArticleSnapshot:
    revision_id: int
    article_id: int
    title: str
    lead: str
    lead_html: str
    notes_html: str
    category_ids: list[int]
    protection: str
    sections: list[SectionSnapshot] = field(default_factory=list)
    redirect_to_id: int | None = None

    @property
    def source(self) -> str:
        return join_source(
            self.lead, [SourceSection(s.heading, s.level, s.body) for s in self.sections]
        )


def _parse(version) -> tuple[str, dict]:
    [obj] = json.loads(version.serialized_data)
    return obj["model"], obj["fields"]


def load_snapshots(revision_ids) -> dict[int, ArticleSnapshot]:
    """Snapshots of several revisions in one query, keyed by revision id."""
    versions = (
        Version.objects.filter(revision_id__in=list(revision_ids))
        .select_related("content_type")
        .only("revision_id", "object_id", "serialized_data", "format", "content_type")
    )
    articles: dict[int, ArticleSnapshot] = {}
    sections: dict[int, list[SectionSnapshot]] = {}
    for version in versions:
        model, fields = _parse(version)
        if model == "wiki.article":
            g = lambda name, default, f=fields, m=model: _field(f, m, name, default)  # noqa: E731
            articles[version.revision_id] = ArticleSnapshot(
                revision_id=version.revision_id,
                article_id=int(version.object_id),
                title=g("title", ""),
                lead=g("lead", ""),
                lead_html=g("lead_html", ""),
                notes_html=g("notes_html", ""),
                category_ids=list(g("categories", [])),
                protection=g("protection", ""),
                redirect_to_id=g("redirect_to", None),
            )
        elif model == "wiki.section":
            g = lambda name, default, f=fields, m=model: _field(f, m, name, default)  # noqa: E731
            sections.setdefault(version.revision_id, []).append(
                SectionSnapshot(
                    position=int(g("position", 0)),
                    heading=g("heading", ""),
                    level=int(g("level", 2)),
                    body=g("body", ""),
                    heading_html=g("heading_html", ""),
                    anchor=g("anchor", ""),
                    html=g("html", ""),
                )
            )
    for revision_id, snapshot in articles.items():
        snapshot.sections = sorted(sections.get(revision_id, []), key=lambda s: s.position)
    return articles


def load_snapshot(revision_id: int) -> ArticleSnapshot | None:
    return load_snapshots([revision_id]).get(revision_id)


def fill_rendering(snapshot) -> bool:
    """Snapshots stored before the rendered HTML was kept (or with it under an unknown name)
    are rendered from their Markdown, so every old revision still displays; their template
    calls with today's templates. True when it rendered the snapshot now."""
    has_text = snapshot.lead or any(s.body for s in snapshot.sections)
    has_html = snapshot.lead_html or any(s.html for s in snapshot.sections)
    if not has_text or (has_html and all(s.heading_html for s in snapshot.sections)):
        return False
    rendered = compose(
        snapshot.source,
        templates=stored_template,
        template_page=template_name(snapshot.title) if is_template_title(snapshot.title) else "",
    ).rendered
    snapshot.lead_html, snapshot.notes_html = rendered.lead_html, rendered.notes_html
    for section, (heading_html, anchor, html) in zip(
        snapshot.sections, rendered.sections, strict=True
    ):
        section.heading_html, section.anchor, section.html = heading_html, anchor, html
    return True


def template_note(snapshot, *, rendered_now: bool) -> str:
    """What an old revision's page says of its templates: "saved" (shown as they were when
    the revision was saved), "today" (rendered now, with today's templates) or "" (none)."""
    if "{{" not in snapshot.source or not template_calls(snapshot.source):
        return ""
    return "today" if rendered_now else "saved"
