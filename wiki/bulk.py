"""Many new articles at once: the rows `article_save` writes for a new article, in batches.

The importer sends here the first file of each title that does not exist yet; everything
else (a changed article, a later file of a title) goes through `article_save` one by one.
Rendering is the expensive half and needs no database, so `prepare` runs in worker processes.
`create_articles` then writes one batch in one transaction with a few bulk INSERTs:
articles, sections, categories, one django-reversion revision per article with the versions
`reversion.add_to_revision` would store (serialized by Django's serializer, as
django-reversion does), our revision metadata, links, credits and search entries.
tests/test_bulk_import.py checks the rows against the write path's, field by field.
"""

import itertools
import json
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.utils import timezone
from reversion.models import Revision as ReversionRevision
from reversion.models import Version
from reversion.revisions import _get_options as reversion_options

from . import caching, search
from .models import Article, Category, Contributor, Credit, Link, Revision, Section
from .rendering import RenderedArticle, render_article
from .services import section_rows
from .sources import SourceSection, normalize_source, split_source
from .titles import title_to_slug, validate_title


@dataclass
class PreparedArticle:
    """A new article rendered and ready to write; made without the database."""

    title: str
    lead: str
    sections: list[SourceSection]
    rendered: RenderedArticle
    size: int
    categories: list[str]
    contributors: list[tuple[str, str]]
    document: search.SearchDocument

    @property
    def slug(self) -> str:
        return title_to_slug(self.title)


def prepare(parsed) -> PreparedArticle:
    """Split and render a parsed file (`importing.ParsedFile`) as `article_save` would for a
    new article."""
    source = normalize_source(parsed.source)
    title = validate_title(parsed.title)
    lead, sections = split_source(source)
    rendered = render_article(lead, sections)
    document = search.document_from_html(
        None, title, rendered.lead_html, [(h, html) for h, _, html in rendered.sections]
    )
    document.words()  # worked out here, in the worker, and kept
    return PreparedArticle(
        title=title,
        lead=lead,
        sections=sections,
        rendered=rendered,
        size=len(source.encode()),
        categories=list(dict.fromkeys(n.strip() for n in parsed.categories or () if n.strip())),
        contributors=parsed.contributors,
        document=document,
    )


def _categories(names: set[str]) -> tuple[dict[str, Category], bool]:
    """Categories by name, the missing ones created; and whether any was."""
    found = {c.name: c for c in Category.objects.filter(name__in=names)}
    if missing := sorted(names - set(found)):
        # Another writer may be adding the same names: skip those, then read them all back.
        Category.objects.bulk_create([Category(name=n) for n in missing], ignore_conflicts=True)
        found = {c.name: c for c in Category.objects.filter(name__in=names)}
    return found, bool(missing)


def import_contributors(
    entries: list[tuple[str, str]],
) -> tuple[dict[str, Contributor], bool]:
    """Contributors credited by imported files, by name: created when new, credentials
    updated when a file gives different ones (the last it gives wins); and whether any
    contributor was created or changed."""
    wanted: dict[str, str] = {}
    for name, credentials in entries:
        if credentials or name not in wanted:
            wanted[name] = credentials
    found = {c.name: c for c in Contributor.objects.filter(name__in=wanted)}
    changed = [c for c in found.values() if wanted[c.name] and c.credentials != wanted[c.name]]
    for contributor in changed:
        contributor.credentials = wanted[contributor.name]
    Contributor.objects.bulk_update(sorted(changed, key=str), ["credentials"])
    if missing := sorted(set(wanted) - set(found)):
        Contributor.objects.bulk_create(
            [Contributor(name=n, credentials=wanted[n]) for n in missing], ignore_conflicts=True
        )
        found = {c.name: c for c in Contributor.objects.filter(name__in=wanted)}
    return found, bool(changed or missing)


class EachJSONSerializer(JSONSerializer):
    """Django's JSON serializer with the same output, each object's kept apart as
    `reversion.add_to_revision` stores it (a list of one), so one serializer serves a whole
    batch; each object is encoded by one json.dumps call (the C encoder; json.dump to a
    stream runs the pure-Python one). A serializer per object took twice the time."""

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


def _insert_rows(model, columns: list[str], rows: list) -> None:
    """Insert rows of `model` given as values of `columns` (field or attribute names) as the
    database takes them: no model instances to build and convert. PostgreSQL takes them with
    one COPY (a third of the time of an executemany for the snapshots), others with one
    executemany."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY's errors come as Django's (IntegrityError...), as a query's do: the
            # importer catches a title taken meanwhile.
            with connection.wrap_database_errors:
                table = quote(model._meta.db_table)
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            return
        cursor.executemany(
            f"INSERT INTO {quote(model._meta.db_table)} ({names}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            rows,
        )


def _create(objs) -> None:
    """Save new model instances of one model and set their ids: on PostgreSQL with ids taken
    from the table's sequence and one COPY (`bulk_create` took 0.4-0.5 ms an article for the
    sections: psycopg escapes their long texts into arrays in Python); elsewhere `bulk_create`."""
    if not objs:
        return
    model = type(objs[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, len(objs)],
        )
        for obj, (value,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = value
            obj._state.adding, obj._state.db = False, connection.alias
    _insert(objs, with_ids=True)


def _insert(objs, *, with_ids: bool = False) -> None:
    """Insert model instances of one model through `_insert_rows`, their values converted as
    Django's own INSERT converts them. Ids made by the database are not read back; with
    `with_ids` the instances' own ids are written."""
    if not objs:
        return
    fields = [f for f in type(objs[0])._meta.concrete_fields if with_ids or not f.db_returning]
    _insert_rows(
        type(objs[0]),
        [f.attname for f in fields],
        [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objs],
    )


def create_articles(prepared: list[PreparedArticle], *, summary: str, now=None) -> list[Article]:
    """Create every prepared article, each with one revision, in one transaction.

    Titles must be new and distinct (IntegrityError otherwise, and nothing is written)."""
    if not prepared:
        return []
    now = now or timezone.now()
    with transaction.atomic():
        categories, new_categories = _categories({n for p in prepared for n in p.categories})
        contributors, new_contributors = import_contributors(
            [entry for p in prepared for entry in p.contributors]
        )
        revisions = ReversionRevision.objects.bulk_create(
            [ReversionRevision(date_created=now, user=None, comment=summary) for _ in prepared]
        )
        # Each article points at its revision's metadata, written below in this transaction
        # (foreign keys are checked at commit).
        articles = [
            Article(
                latest_revision_id=revision.pk,
                title=p.title,
                slug=p.slug,
                lead=p.lead,
                lead_html=p.rendered.lead_html,
                notes_html=p.rendered.notes_html,
                size=p.size,
                created_at=now,
                updated_at=now,
            )
            for p, revision in zip(prepared, revisions, strict=True)
        ]
        _create(articles)
        sections = [  # of each article
            [
                Section(article=article, position=position, **values)
                for position, values in section_rows(p.sections, p.rendered)
            ]
            for article, p in zip(articles, prepared, strict=True)
        ]
        all_sections = [s for rows in sections for s in rows]
        _create(all_sections)
        _insert_rows(
            Article.categories.through,
            ["article_id", "category_id"],
            [
                (article.pk, categories[name].pk)
                for article, p in zip(articles, prepared, strict=True)
                for name in p.categories
            ],
        )
        # The serializer reads each article's categories from the prefetch cache instead of
        # a query, in the order the related manager gives (Category's default ordering).
        for article, p in zip(articles, prepared, strict=True):
            in_order = Category.objects.all()
            in_order._result_cache = sorted((categories[n] for n in p.categories), key=str)
            in_order._prefetch_done = True
            article._prefetched_objects_cache = {"categories": in_order}
        revision_ids = [revision.pk for revision in revisions]
        article_versions = _versions(articles, revision_ids)
        for article in articles:
            del article._prefetched_objects_cache
        section_versions = iter(
            _versions(
                all_sections,
                [r for rows, r in zip(sections, revision_ids, strict=True) for _ in rows],
            )
        )
        versions = []  # each article's, then its sections', as django-reversion orders them
        for version, rows in zip(article_versions, sections, strict=True):
            versions += [version, *itertools.islice(section_versions, len(rows))]
        _insert_rows(Version, VERSION_COLUMNS, versions)
        _insert(
            [
                Revision(
                    revision=revision,
                    article=article,
                    title=article.title,
                    created_at=now,
                    summary=summary[:500],
                    kind=Revision.Kind.IMPORT,
                    size=article.size,
                    size_delta=article.size,
                )
                for article, revision in zip(articles, revisions, strict=True)
            ]
        )
        _insert_rows(
            Link,
            ["source_id", "target_slug"],
            [
                (article.pk, target)
                for article, p in zip(articles, prepared, strict=True)
                for target in sorted(p.rendered.links - {article.slug})
            ],
        )
        since = Credit._meta.get_field("since").get_db_prep_save(now, connection)
        _insert_rows(
            Credit,
            ["article_id", "contributor_id", "since", "imported"],
            [
                (article.pk, contributor_id, since, True)
                for article, p in zip(articles, prepared, strict=True)
                for contributor_id in dict.fromkeys(contributors[n].pk for n, _ in p.contributors)
            ],
        )
        for article, p in zip(articles, prepared, strict=True):
            p.document.article_id = article.pk
        search.index_documents([p.document for p in prepared])

        if new_categories or new_contributors:  # shown on other pages too
            caching.bump_generation()
        caching.invalidate_articles([a.slug for a in articles], links_changed=True)
    return articles
