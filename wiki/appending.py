"""The importers' write path: a history of revisions appended to an article at once.

The rows are those `services.article_save` would write saving the edits one after another,
recorded as one batch (`revisions.record_batch`); only the last text is rendered, linked,
credited and indexed now.
"""

import copy
from collections.abc import Sequence
from dataclasses import replace

from django.conf import settings

from . import caching, signals
from .composing import Composition, compose
from .models import Article, Category, Revision, Section
from .revisions import RevisionMeta, new_revision_ids, record_batch
from .rows import reserve_ids
from .services import (
    ArticleEdit,
    Locked,
    SourceTooLarge,
    add_credits,
    apply_links,
    article_changed,
    in_transaction,
    lock_article,
    store_composition,
)
from .sources import normalize_source


def article_append_history(
    *,
    article: Article,
    edits: Sequence[ArticleEdit],
    compositions: Sequence[Composition] | None = None,
) -> list[int]:
    """Append imported revisions to `article` (new or existing), oldest first, as one
    transaction: each a revision with its own time (`at`), author, summary and origin, the
    last the article's current text. Returns the new revision ids.

    The rows are those `article_save` would write saving the edits one after another (ids of
    section rows included), recorded as one batch (`revisions.record_batch`); only the last
    text is rendered, linked, credited and indexed now: the older ones are history from the
    start, rendered when someone opens them. Whole texts only (no sections, no merging).
    `compositions`, when given, are the edits' texts composed beforehand (`compose`, the last
    one rendered: an importer composes in worker processes).
    """
    if not edits:
        return []
    if compositions is None:
        compositions = [compose(e.text, render=False) for e in edits[:-1]]
        compositions.append(compose(edits[-1].text))
    elif [c.source for c in compositions] != [normalize_source(e.text) for e in edits]:
        raise ValueError("The compositions given are not of the edits' texts.")
    return in_transaction(article, lambda: _append_locked(article, list(edits), list(compositions)))


def _append_locked(article: Article, edits: list[ArticleEdit], compositions) -> list[int]:
    creating = article._state.adding
    before = lock_article(article, now=edits[0].at)
    for composition in compositions:
        if composition.size > settings.WIKI_MAX_SOURCE_BYTES:
            raise SourceTooLarge(size=composition.size, limit=settings.WIKI_MAX_SOURCE_BYTES)
    categories, new_categories = categories_named(
        {n for e in edits for n in e.category_names() or ()}
    )
    metas = _history_metas(edits, compositions, before)
    revision_ids = new_revision_ids(metas)
    metas = [
        replace(meta, parent_id=parent)
        for meta, parent in zip(metas, [before.latest_id, *revision_ids[:-1]], strict=True)
    ]
    live = {} if creating else dict(article.sections.values_list("position", "pk"))
    section_ids = _section_ids(live, [len(c.parts) for c in compositions])
    each_categories = _categories_of_each(article, edits, categories, creating=creating)
    last = compositions[-1]
    article.latest_revision_id = revision_ids[-1]
    store_composition(
        article,
        last,
        each_categories[-1],
        now=edits[-1].at,
        creating=creating,
        section_ids=dict(enumerate(section_ids[-1], start=1)),
    )
    states = [
        _as_of(article, composition, names, edit.at, final=i == len(edits) - 1)
        for i, (composition, names, edit) in enumerate(
            zip(compositions, each_categories, edits, strict=True)
        )
    ]
    sections = [
        [
            Section(pk=pk, article=article, position=row.position, **row.values())
            for pk, row in zip(ids, composition.section_rows(), strict=True)
        ]
        for ids, composition in zip(section_ids, compositions, strict=True)
    ]
    record_batch(states, sections, metas, revision_ids)
    apply_links(article, last, creating=creating)
    add_credits(article, _first_edits(edits, revision_ids))
    signals.text_stored.send(sender=Article, article=article)
    if new_categories:  # listed on other pages too
        caching.bump_generation()
    article_changed(article, created=creating)
    return revision_ids


def _history_metas(edits, compositions, before: Locked) -> list[RevisionMeta]:
    """The metadata of each appended revision (parents are set once their ids exist)."""
    sizes = [before.size, *(c.size for c in compositions)]
    return [
        RevisionMeta(
            contributor=edit.author,
            created_at=edit.at,
            summary=edit.summary,
            minor=edit.minor,
            kind=edit.kind or Revision.Kind.IMPORT,
            size=composition.size,
            size_delta=composition.size - previous,
            origin=edit.origin,
        )
        for edit, composition, previous in zip(edits, compositions, sizes, strict=False)
    ]


def _section_ids(live: dict[int, int], counts: list[int]) -> list[list[int]]:
    """The Section row ids of each revision's sections, as saving the revisions one after
    another gives them: a position keeps its row, a new position gets a new row, positions
    past the end lose theirs (`_apply_sections`)."""
    needed, positions = 0, set(live)
    for count in counts:
        needed += len(set(range(1, count + 1)) - positions)
        positions = set(range(1, count + 1))
    fresh = iter(reserve_ids(Section, needed))
    ids, out = dict(live), []
    for count in counts:
        ids = {p: ids.get(p) or next(fresh) for p in range(1, count + 1)}
        out.append([ids[p] for p in range(1, count + 1)])
    return out


def _categories_of_each(article, edits, categories: dict, *, creating) -> list[list[Category]]:
    """The categories each revision leaves the article in (an edit without any keeps the
    ones before it)."""
    current = [] if creating else list(article.categories.all())
    out = []
    for edit in edits:
        if (names := edit.category_names()) is not None:
            current = [categories[n] for n in names]
        out.append(current)
    return out


def _as_of(article: Article, composition: Composition, categories, at, *, final) -> Article:
    """The article as a revision of its history left it, for its snapshot."""
    state = copy.copy(article)
    for name, value in composition.article_fields().items():
        setattr(state, name, value)
    state.updated_at = at
    if not final:
        state.redirect_to_id = None  # what a redirect was then, its text says
    state.prefetch_categories(sorted(categories, key=str))
    return state


def _first_edits(edits: list[ArticleEdit], revision_ids: list[int]) -> dict:
    """Credits for the named authors of `edits`, each from their first revision. An address
    (an anonymous author) is shown in the history, not credited."""
    wanted = {}
    for edit, revision_id in zip(edits, revision_ids, strict=True):
        author = edit.author
        if author is not None and author.pk not in wanted and not author.is_address:
            wanted[author.pk] = (author, True, edit.at, revision_id)
    return wanted


def categories_named(names: set[str]) -> tuple[dict[str, Category], bool]:
    """Categories by name (of the language being written), the missing ones created; and
    whether any was."""
    found = {c.name: c for c in Category.objects.in_language().filter(name__in=names)}
    if missing := sorted(names - set(found)):
        # Another writer may be adding the same names: skip those, then read them all back.
        Category.objects.bulk_create([Category(name=n) for n in missing], ignore_conflicts=True)
        found = {c.name: c for c in Category.objects.in_language().filter(name__in=names)}
    return found, bool(missing)
