"""The one module that writes django-reversion's tables (django-reversion 6.4.0, pinned).

`record_revision` records one save: the article and its sections as one reversion revision,
with our `Revision` metadata beside it. `record_batch` records the first revision of many new
articles at once, for the batch importer: the same rows, written by COPY on PostgreSQL, each
object serialized as `reversion.add_to_revision` serializes it
(`tests/test_revisions.py` holds the two recorders to the same rows). Reading revisions back
is `snapshots.py`'s.
"""

import hashlib
import itertools
import json
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields

import reversion
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
from .snapshots import load_snapshot
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
    """Snapshot the saved article and its sections as one revision, with `meta`."""
    # manage_manually: nothing is added by save signals; the article (and its sections, which
    # it follows) is added once, after every change was saved.
    with reversion.create_revision(manage_manually=True, atomic=False):
        reversion.add_to_revision(article)
        reversion.set_user(meta.user)
        reversion.set_comment(meta.summary)
        reversion.set_date_created(meta.created_at)
        reversion.add_meta(Revision, article=article, title=article.title, **meta.fields())
    revision = Revision.objects.filter(article=article).order_by("-pk").first()
    if not meta.sha1:  # a deletion's record: the text as stored, read back
        revision.sha1 = text_digest(load_snapshot(revision.pk).source)
        Revision.objects.filter(pk=revision.pk).update(sha1=revision.sha1)
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


def record_batch(articles, sections, metas: list[RevisionMeta], revision_ids: list[int]) -> None:
    """Record each saved article (with `sections`, its rows) as revision `revision_ids[i]`
    with `metas[i]`: the rows `record_revision` writes, a batch at a time. The articles'
    categories must be prefetched (`prefetch_categories`), as the serializer reads them."""
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
    insert_all(
        [
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
    )


def _source(section) -> SourceSection:
    return SourceSection(section.heading, section.level, section.body)


def text_digest(source: str) -> str:
    """A revision's digest: SHA-1 of its whole source, as MediaWiki's rev_sha1."""
    return hashlib.sha1(source.encode()).hexdigest()  # noqa: S324  (an identity, not a secret)
