"""The one module that writes django-reversion's tables (django-reversion 6.4.0, pinned).

`record_revision` records one save: the article and its sections as one reversion revision,
with our `Revision` metadata beside it. `record_batch` records the first revision of many new
articles at once, for the batch importer, and serves `record_revision` too: the rows
`reversion.add_to_revision` writes, written by COPY on PostgreSQL, each object serialized as
it serializes it (`tests/test_revisions.py` holds them to django-reversion's own rows).
Reading revisions back is `snapshots.py`'s.
"""

import hashlib
import itertools
import json
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import DEFAULT_DB_ALIAS
from reversion.models import Revision as ReversionRevision
from reversion.models import Version

# django-reversion's registration options of a model (fields, format, object id field): a
# private function, used here alone; tests/test_revisions.py fails if it changes.
from reversion.revisions import _get_options as reversion_options

from .models import Revision
from .rows import insert_all, insert_rows
from .sources import SourceSection, join_source


@dataclass(frozen=True, kw_only=True)
class RevisionMeta:
    """Our metadata of one revision (see `models.Revision`)."""

    user: object = None
    contributor: object = None
    created_at: object
    summary: str = ""
    minor: bool = False
    kind: str
    size: int
    size_delta: int
    section: int | None = None
    section_heading: str = ""
    parent_id: int | None = None
    origin: str = ""  # an imported revision's key in the wiki it came from
    sha1: str = ""  # `text_digest` of the text saved; "" reads it back from the snapshot
    tags: str = ""  # change tags the edit door gave (anti-abuse rules), comma-separated

    def fields(self) -> dict:
        """The `Revision` field values (no copies: `asdict` would deep-copy the user)."""
        values = {f.name: getattr(self, f.name) for f in dataclass_fields(self)}
        values["summary"] = self.summary[:500]
        values["section_heading"] = self.section_heading[:500]
        return values


def record_revision(article, meta: RevisionMeta) -> Revision:
    """Snapshot the saved article and its sections as one revision, with `meta`: the rows
    `reversion.add_to_revision` writes (tests/test_revisions.py compares them with its own),
    written as `record_batch` writes a batch's, without django-reversion's read-backs (is
    each object still there, which revision was made). The sections are those the write
    path has just stored (`Article.remember_sections`), else read."""
    [revision_id] = new_revision_ids([meta])
    sections = sorted(article.sections.all(), key=lambda s: s.position)
    article.hold_categories()
    [revision] = record_batch([article], [sections], [meta], [revision_id])
    type(article).objects.filter(pk=article.pk).update(latest_revision=revision)
    article.latest_revision = revision
    return revision


class EachJSONSerializer(JSONSerializer):
    """Django's JSON serializer with the same output, each object's kept apart as
    `reversion.add_to_revision` stores it (a list of one), so one serializer serves a whole
    batch; each object is encoded by one json.dumps call (the C encoder)."""

    def start_serialization(self):
        self._init_options()
        self.each = []

    def end_serialization(self):
        pass

    def end_object(self, obj):
        self.each.append(f"[{json.dumps(self.get_dump_object(obj), **self.json_kwargs)}]")
        self._current = None

    def getvalue(self):
        return self.each


def serialize_each(objs) -> list[str]:
    """Instances of one model, each as `reversion.add_to_revision` serializes it."""
    if not objs:
        return []
    options = reversion_options(type(objs[0]))
    kwargs = {
        "fields": options.fields,
        "use_natural_foreign_keys": options.use_natural_foreign_keys,
    }
    if options.format == "json":
        return EachJSONSerializer().serialize(objs, **kwargs)
    return [serializers.serialize(options.format, [obj], **kwargs) for obj in objs]


VERSION_COLUMNS = [
    "revision_id",
    "content_type_id",
    "object_id",
    "db",
    "format",
    "serialized_data",
    "object_repr",
]


def _versions(objs, revision_ids: list[int]) -> list[tuple]:
    """What `reversion.add_to_revision` stores for each of `objs` (of one model) in the
    revision of the same place in `revision_ids`, as VERSION_COLUMNS values."""
    if not objs:
        return []
    options = reversion_options(type(objs[0]))
    content_type_id = ContentType.objects.get_for_model(type(objs[0])).pk  # cached by Django
    return [
        (
            revision_id,
            content_type_id,
            str(getattr(obj, options.object_id_field)),
            DEFAULT_DB_ALIAS,
            options.format,
            data,
            str(obj),
        )
        for obj, revision_id, data in zip(objs, revision_ids, serialize_each(objs), strict=True)
    ]


def new_revision_ids(metas: list[RevisionMeta]) -> list[int]:
    """django-reversion revisions for a batch (made before its articles, which point at them)."""
    made = ReversionRevision.objects.bulk_create(
        [
            ReversionRevision(date_created=m.created_at, user=m.user, comment=m.summary)
            for m in metas
        ]
    )
    return [r.pk for r in made]


def record_batch(
    articles, sections, metas: list[RevisionMeta], revision_ids: list[int]
) -> list[Revision]:
    """Record each saved article (with `sections`, its rows) as revision `revision_ids[i]`
    with `metas[i]`, as `reversion.add_to_revision` would; our `Revision` of each returned.
    A batch's articles have their categories prefetched (`prefetch_categories`): the
    serializer reads them (one query an article otherwise)."""
    article_versions = _versions(articles, revision_ids)
    section_versions = iter(
        _versions(
            [s for rows in sections for s in rows],
            [r for rows, r in zip(sections, revision_ids, strict=True) for _ in rows],
        )
    )
    versions = []  # each article's, then its sections', as django-reversion orders them
    for version, rows in zip(article_versions, sections, strict=True):
        versions += [version, *itertools.islice(section_versions, len(rows))]
    insert_rows(Version, VERSION_COLUMNS, versions)
    revisions = [
        Revision(
            revision_id=revision_id,
            article=article,
            title=article.title,
            **{
                **meta.fields(),
                "sha1": text_digest(join_source(article.lead, [_source(s) for s in rows])),
            },
        )
        for article, rows, meta, revision_id in zip(
            articles, sections, metas, revision_ids, strict=True
        )
    ]
    insert_all(revisions)
    return revisions


def _source(section) -> SourceSection:
    return SourceSection(section.heading, section.level, section.body)


def text_digest(source: str) -> str:
    """A revision's digest: SHA-1 of its whole source, as MediaWiki's rev_sha1."""
    return hashlib.sha1(source.encode()).hexdigest()  # noqa: S324  (an identity, not a secret)
