"""Many new articles at once, in batches, for the importer.

The importer sends here the first file of each title that does not exist yet; everything
else (a changed article, a later file of a title) goes through `article_save` one by one.
Composing (`composing.compose`, the write path's own step) is the expensive half and needs no
database, so `prepare` runs in worker processes (started as `worker_start` says, for both
importers). `create_articles` then writes one batch in one transaction with a few bulk INSERTs
(`rows.py`), and records the revisions through the batch recorder of `revisions.py`.
"""

import multiprocessing
import threading
from dataclasses import dataclass

import django
from django.db import connection, transaction
from django.utils import timezone

from . import caching, search, signals
from .appending import categories_named
from .composing import Composition, compose
from .models import Article, Contributor, Credit, Link, MediaUse, Revision, Section
from .revisions import RevisionMeta, new_revision_ids, record_batch
from .rows import create_all, insert_rows
from .titles import title_to_slug, validate_title


@dataclass
class PreparedArticle:
    """A new article composed and ready to write; made without the database."""

    title: str
    composition: Composition
    categories: list[str]
    contributors: list[tuple[str, str]]
    document: search.SearchDocument

    @property
    def slug(self) -> str:
        return title_to_slug(self.title)


def prepare(parsed) -> PreparedArticle:
    """Compose a parsed file (`markdown_import.ParsedFile`) as `article_save` does for a new one."""
    title = validate_title(parsed.title)
    composition = compose(parsed.source)
    document = search.document_of_composition(composition, None, title)
    document.words()  # worked out here, in the worker, and kept
    return PreparedArticle(
        title=title,
        composition=composition,
        categories=list(dict.fromkeys(n.strip() for n in parsed.categories or () if n.strip())),
        contributors=parsed.contributors,
        document=document,
    )


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
    if missing := sorted(set(wanted) - set(found)):
        Contributor.objects.bulk_create(
            [Contributor(name=n, credentials=wanted[n]) for n in missing], ignore_conflicts=True
        )
        # Another writer may have created some of them meanwhile, without these credentials:
        # read them all back before deciding which need their credentials set.
        found = {c.name: c for c in Contributor.objects.filter(name__in=wanted)}
    changed = [c for c in found.values() if wanted[c.name] and c.credentials != wanted[c.name]]
    for contributor in changed:
        contributor.credentials = wanted[contributor.name]
    Contributor.objects.bulk_update(sorted(changed, key=str), ["credentials"])
    return found, bool(changed or missing)


def create_articles(prepared: list[PreparedArticle], *, summary: str, now=None) -> list[Article]:
    """Create every prepared article, each with one revision, in one transaction.

    Titles must be new and distinct (IntegrityError otherwise, and nothing is written)."""
    if not prepared:
        return []
    now = now or timezone.now()
    with transaction.atomic():
        categories, new_categories = categories_named({n for p in prepared for n in p.categories})
        contributors, new_contributors = import_contributors(
            [entry for p in prepared for entry in p.contributors]
        )
        metas = [
            RevisionMeta(
                created_at=now,
                summary=summary,
                kind=Revision.Kind.IMPORT,
                size=p.composition.size,
                size_delta=p.composition.size,
            )
            for p in prepared
        ]
        revision_ids = new_revision_ids(metas)
        articles = _create_rows(prepared, revision_ids, categories, now=now)
        sections = [list(a.prefetched_sections) for a in articles]
        record_batch(articles, sections, metas, revision_ids)
        _link_and_credit(articles, prepared, contributors, revision_ids, now=now)
        if new_categories or new_contributors:  # shown on other pages too
            caching.bump_generation()
        caching.invalidate_articles([(a.language, a.slug) for a in articles], links_changed=True)
        signals.articles_added.send(sender=Article, articles=articles)
    return articles


def _create_rows(prepared, revision_ids, categories, *, now) -> list[Article]:
    """The article rows (each pointing at its revision's metadata, written later in this
    transaction: foreign keys are checked at commit), their sections and categories."""
    articles = [
        Article(
            latest_revision_id=revision_id,
            title=p.title,
            slug=p.slug,
            **p.composition.article_fields(),
            created_at=now,
            updated_at=now,
        )
        for p, revision_id in zip(prepared, revision_ids, strict=True)
    ]
    create_all(articles)
    for article, p in zip(articles, prepared, strict=True):
        article.prefetched_sections = [
            Section(article=article, position=row.position, **row.values())
            for row in p.composition.section_rows()
        ]
        article.prefetch_categories(sorted((categories[n] for n in p.categories), key=str))
    create_all([s for a in articles for s in a.prefetched_sections])
    insert_rows(
        Article.categories.through,
        ["article_id", "category_id"],
        [
            (a.pk, categories[n].pk)
            for a, p in zip(articles, prepared, strict=True)
            for n in p.categories
        ],
    )
    return articles


def _link_and_credit(articles, prepared, contributors, revision_ids, *, now) -> None:
    """Links, imported credits (each from its article's import revision) and search entries
    of the new articles."""
    pairs = list(zip(articles, prepared, strict=True))
    insert_rows(
        Link,
        ["source_id", "target_slug"],
        [(a.pk, target) for a, p in pairs for target in sorted(p.composition.links_from(a.slug))],
    )
    insert_rows(
        MediaUse,
        ["article_id", "media_slug"],
        [(a.pk, slug) for a, p in pairs for slug in sorted(p.composition.rendered.media)],
    )
    since = Credit._meta.get_field("since").get_db_prep_save(now, connection)
    insert_rows(
        Credit,
        ["article_id", "contributor_id", "since", "imported", "revision_id"],
        [
            (a.pk, contributor_id, since, True, revision_id)
            for (a, p), revision_id in zip(pairs, revision_ids, strict=True)
            for contributor_id in dict.fromkeys(contributors[n].pk for n, _ in p.contributors)
        ],
    )
    for article, p in pairs:
        p.document.article_id, p.document.language = article.pk, article.language
    search.index_documents([p.document for p in prepared])


def worker_start() -> dict:
    """How render workers start. A copy of this process (fork) is ready at once, but forking
    is only safe while this process runs a single thread (a thread holding a lock at the fork
    leaves the copy's lock held forever); otherwise each starts a fresh interpreter and sets up
    Django, which costs CPU before its first file (bench/README.md)."""
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return {"mp_context": multiprocessing.get_context("fork")}
    return {"mp_context": multiprocessing.get_context("spawn"), "initializer": django.setup}
