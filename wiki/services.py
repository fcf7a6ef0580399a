"""The core's write path: every change of an article's content is one revision.

A person's edit reaches it through the edit door (`editing.services.article_edit_submit`),
which checks who asks; importers and the admin's recovery of a deleted article call
`article_save` by name (as moves and protection do, after their own checks). `article_save`
locks the article row, merges against the revision the editor started from when someone saved
in between, composes the new source (`composing.compose`), updates sections, categories, links
and credits, and records the revision (`revisions.record_revision`), all in one transaction.
What follows a save elsewhere (the search index, cached pages, signatures, watchers' mail) is
announced through `signals`, never imported here.
"""

import copy
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from merge3 import Merge3

from . import caching, redirects, signals
from .composing import Composition, SectionRow, compose
from .models import Article, Category, Contributor, Credit, Link, MediaUse, Revision, Section
from .revisions import RevisionMeta, new_revision_ids, record_batch, record_revision
from .rows import reserve_ids
from .snapshots import load_snapshot, load_snapshots
from .sources import normalize_newlines, normalize_source, replace_section, split_source
from .titles import validate_title


class EditConflict(Exception):
    """Someone saved since the editor's base revision and the changes overlap."""

    def __init__(self, *, article, current_source: str, your_source: str, latest_revision_id):
        super().__init__("Edit conflict")
        self.article = article
        self.current_source = current_source
        self.your_source = your_source
        self.latest_revision_id = latest_revision_id


class TitleTaken(Exception):
    """An article with this title was created meanwhile."""


class SourceTooLarge(Exception):
    """The article would be larger than an article may be (a section edit can make it so)."""

    def __init__(self, *, size: int, limit: int):
        super().__init__(
            f"With this change the article would be {size:,} bytes; the limit is {limit:,} "
            "bytes. Nothing was saved. Shorten the text or split the article."
        )
        self.size, self.limit = size, limit


@dataclass
class SaveResult:
    article: Article
    revision: Revision | None
    merged: bool = False  # a concurrent edit was merged in automatically

    @property
    def unchanged(self) -> bool:
        return self.revision is None


def contributor_for(user) -> Contributor | None:
    """The user's credit profile, created on their first edit."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.contributor
    except Contributor.DoesNotExist:
        pass
    return Contributor.objects.create(name=contributor_name_for(user), user=user)


def contributor_name_for(user) -> str:
    """The name a new contributor profile gets: the user's full name, else the username."""
    name = user.get_full_name().strip() or user.get_username()
    if Contributor.objects.by_slug(name.replace(" ", "_")).exists():
        name = f"{name} ({user.get_username()})"
    return name


def three_way_merge(base: str, mine: str, theirs: str) -> str | None:
    """diff3 merge of whole sources; None when the changes overlap."""
    merger = Merge3(
        base.splitlines(keepends=True),
        mine.splitlines(keepends=True),
        theirs.splitlines(keepends=True),
    )
    if any(region[0] == "conflict" for region in merger.merge_regions()):
        return None
    return "".join(merger.merge_lines())


@dataclass(frozen=True, kw_only=True)
class ArticleEdit:
    """One change of an article's content, as the editor, the admin, revert, undo or an
    importer asks for it: built once, applied by `article_save`."""

    text: str  # the whole source, or the text of `section` alone
    base_revision: int | None  # the revision the editor started from
    user: object = None  # who made it (None: the importer)
    section: int | None = None  # 0 = the lead, 1 = the first heading...
    summary: str = ""
    minor: bool = False
    categories: Sequence[str] | None = None  # None: as they are
    kind: str | None = None  # Revision.Kind; by default CREATE or EDIT
    imported_credits: Sequence[Contributor] = ()
    at: dt.datetime | None = None  # when it happened (an import's original time); default now
    author: Contributor | None = None  # who made it, when not a user here (an import's author)
    origin: str = ""  # an imported revision's key in the wiki it came from (`Revision.origin`)
    undoes: Sequence[int] = ()  # revisions whose change this edit takes back (revert, undo)
    watch: bool | None = None  # the editor watches the page (True) or stops (False); None: as is

    def __post_init__(self):
        # Whoever built the edit, no parser past this point sees a CR (browsers send CRLF).
        object.__setattr__(self, "text", normalize_newlines(self.text))

    def category_names(self) -> list[str] | None:
        if self.categories is None:
            return None
        return list(dict.fromkeys(n.strip() for n in self.categories if n.strip()))


@dataclass
class _Before:
    """The article as it was when its row was locked."""

    source: str = ""
    latest_id: int | None = None
    size: int = 0
    old_slug: str = ""  # when the title changes
    protection_changed: bool = False
    settings_changed: bool = True  # title or redirect changed, or the article is new


def _resolve_source(*, article, before: _Before, edit: ArticleEdit) -> tuple[str, bool]:
    """The full new source and whether a concurrent edit was merged in."""
    text, section = normalize_newlines(edit.text), edit.section
    if article._state.adding or before.latest_id == edit.base_revision:
        return (
            replace_section(before.source, section, text) if section is not None else text
        ), False
    base_snapshot = load_snapshot(edit.base_revision) if edit.base_revision else None
    base = base_snapshot.source if base_snapshot else ""
    mine = replace_section(base, section, text) if section is not None else text
    merged = three_way_merge(base, mine, before.source)
    if merged is None:
        raise EditConflict(
            article=article,
            current_source=before.source,
            your_source=mine,
            latest_revision_id=before.latest_id,
        )
    return merged, True


def _apply_sections(
    article: Article, composition: Composition, *, creating: bool, ids: dict | None = None
) -> None:
    """Bring the article's Section rows in line with the new source; with `ids`, the row of
    each position has that id (a row with another id at the position is replaced)."""
    existing = {} if creating else {s.position: s for s in article.sections.all()}
    to_create, to_update, replaced = [], [], []
    for row in composition.section_rows():
        values = row.values()
        section = existing.pop(row.position, None)
        if section is not None and ids is not None and section.pk != ids[row.position]:
            replaced.append(section)
            section = None
        if section is None:
            pk = ids[row.position] if ids is not None else None
            to_create.append(Section(pk=pk, article=article, position=row.position, **values))
        elif any(getattr(section, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(section, k, v)
            to_update.append(section)
    if gone := [*existing.values(), *replaced]:
        Section.objects.filter(pk__in=[s.pk for s in gone]).delete()
    if to_update:
        Section.objects.bulk_update(to_update, list(SectionRow.FIELDS))
    if to_create:
        Section.objects.bulk_create(to_create)
    article.forget_sections()


def _apply_links(article: Article, composition: Composition, *, creating: bool) -> None:
    """The links table and the file usage, as the new text has them."""
    targets = composition.links_from(article.slug)
    current = (
        set() if creating else set(article.outgoing_links.values_list("target_slug", flat=True))
    )
    if current - targets:
        article.outgoing_links.filter(target_slug__in=current - targets).delete()
    Link.objects.bulk_create([Link(source=article, target_slug=t) for t in targets - current])
    shown = set(composition.rendered.media)
    current = set() if creating else set(article.media_uses.values_list("media_slug", flat=True))
    if current - shown:
        article.media_uses.filter(media_slug__in=current - shown).delete()
    MediaUse.objects.bulk_create([MediaUse(article=article, media_slug=m) for m in shown - current])


def _apply_credits(article: Article, when, *, revision_id, editor=None, imported=()) -> None:
    """Credit the editor and any imported contributors not yet credited on the article, from
    the revision that brings them (its history row names them)."""
    wanted = {c.pk: (c, True, when, revision_id) for c in imported if c is not None}
    if editor is not None:
        wanted[editor.pk] = (editor, False, when, revision_id)
    _add_credits(article, wanted)


def _new_credits(article: Article, contributors) -> bool:
    """Whether any of `contributors` is not yet credited on the article."""
    wanted = {c.pk for c in contributors if c is not None}
    if not wanted or article.pk is None:
        return bool(wanted)
    have = article.credits.filter(contributor_id__in=wanted).count()
    return have < len(wanted)


def _add_credits(article: Article, wanted: dict) -> None:
    """Credit each (contributor, imported, since, revision id) of `wanted` not yet credited on
    the article."""
    if not wanted:
        return
    have = set(
        article.credits.filter(contributor_id__in=wanted).values_list("contributor_id", flat=True)
    )
    Credit.objects.bulk_create(
        [
            Credit(
                article=article,
                contributor=c,
                since=since,
                imported=is_imported,
                revision_id=revision_id,
            )
            for pk, (c, is_imported, since, revision_id) in wanted.items()
            if pk not in have
        ]
    )


def article_save(*, article: Article, edit: ArticleEdit) -> SaveResult:
    """Apply `edit` to `article` as one revision, checking nothing about who asks: a person's
    edit goes through the door (`article_edit_submit`); importers and recovery call this.

    Raises EditConflict, TitleTaken, SourceTooLarge, IndexError (no such section) or
    InvalidTitle; returns a result whose `revision` is None when nothing changed.
    """
    now = edit.at or timezone.now()
    return _in_transaction(article, lambda: _save_locked(article, edit, now=now))


def _in_transaction(article: Article, write):
    """Run `write` in one transaction; a title created meanwhile is TitleTaken."""
    creating = article._state.adding
    try:
        with transaction.atomic():
            return write()
    except IntegrityError as exc:
        if creating and Article.objects.by_title(article.title).exists():
            raise TitleTaken(article.title) from exc
        raise


def _lock(article: Article, *, now) -> _Before:
    article.title = validate_title(article.title)
    if article._state.adding:
        before = _Before()
        if article.pk and (last := Revision.objects.filter(article_id=article.pk).first()):
            before.latest_id, before.size = last.pk, last.size  # recovering a deleted article
        else:
            article.created_at = now  # the first revision's time, as dateModified's floor
        return before
    locked = Article.objects.select_for_update().get(pk=article.pk)
    article.lead, article.latest_revision_id = locked.lead, locked.latest_revision_id
    # Not the edit's to change: a review made since the article was read stays.
    article.reviewed_revision_id, article.show_reviewed = (
        locked.reviewed_revision_id,
        locked.show_reviewed,
    )
    article.forget_sections()
    return _Before(
        source=article.source,
        latest_id=locked.latest_revision_id,
        size=locked.size,
        old_slug=locked.slug if locked.title != article.title else "",
        protection_changed=(article.protection, article.protection_expires)
        != (locked.protection, locked.protection_expires),
        settings_changed=(article.title, article.redirect_to_id)
        != (locked.title, locked.redirect_to_id)
        or locked.latest_revision_id is None,  # restored from a snapshot: record it
    )


def _categories(article: Article, names: list[str] | None, *, creating: bool):
    """The categories the edit gives (created when new) and whether they differ from now's."""
    if names is None:
        return None, False
    objs = [Category.objects.get_or_create(name=n)[0] for n in names]
    changed = creating or {c.pk for c in objs} != set(
        article.categories.values_list("pk", flat=True)
    )
    return objs, changed


def _save_locked(article: Article, edit: ArticleEdit, *, now) -> SaveResult:
    creating = article._state.adding
    before = _lock(article, now=now)
    for text_filter in signals.edit_text_filters:
        edit = text_filter(article=article, edit=edit, now=now)
    signals.edit_received.send(sender=Article, article=article, edit=edit)
    source, merged = _resolve_source(article=article, before=before, edit=edit)
    composition = compose(source)
    if composition.size > settings.WIKI_MAX_SOURCE_BYTES:
        raise SourceTooLarge(size=composition.size, limit=settings.WIKI_MAX_SOURCE_BYTES)
    _point_redirect(article, composition.source, before.source)
    categories, categories_changed = _categories(article, edit.category_names(), creating=creating)
    kind = edit.kind or (Revision.Kind.CREATE if creating else Revision.Kind.EDIT)
    summary = edit.summary
    if composition.source == before.source and not (categories_changed or before.settings_changed):
        if before.protection_changed:
            # The text is as it was: a null revision that says what changed, as MediaWiki does.
            kind = Revision.Kind.PROTECT
            summary = summary or f"Protection set to “{article.get_protection_display()}”"
        elif _new_credits(article, edit.imported_credits):
            # An import crediting new names to an unchanged text: a null revision records it,
            # so every credited name has its row in the history.
            summary = summary or "Credits imported"
        else:
            return SaveResult(article=article, revision=None)
    author = edit.user if edit.user is not None and edit.user.is_authenticated else None
    contributor = contributor_for(author) or edit.author
    _store(article, composition, categories, now=now, creating=creating)
    revision = record_revision(
        article,
        RevisionMeta(
            user=author,
            contributor=contributor,
            created_at=now,
            summary=summary,
            minor=edit.minor and not creating,
            kind=kind,
            size=composition.size,
            size_delta=composition.size - before.size,
            section=edit.section,
            section_heading=_edited_heading(edit),
            parent_id=before.latest_id,
            origin=edit.origin,
        ),
    )
    _apply_links(article, composition, creating=creating)
    _apply_credits(
        article,
        now,
        revision_id=revision.pk,
        # A move or a protection changes no text: its performer is in the history, not credited.
        editor=contributor if author and kind not in _NO_TEXT_KINDS else None,
        imported=[*edit.imported_credits, edit.author],
    )
    signals.text_stored.send(sender=Article, article=article)
    if creating or before.old_slug:
        redirects.point_waiting_redirects(article)
    article_changed(article, created=creating, old_slug=before.old_slug)
    signals.article_saved.send(sender=Article, article=article, revision=revision, edit=edit)
    return SaveResult(article=article, revision=revision, merged=merged)


def _point_redirect(article: Article, source: str, old_source: str) -> None:
    """A source with a redirect line points the article at its target; one that lost its line
    is an ordinary page again. Others keep their `redirect_to` (an importer sets it)."""
    said = redirects.redirect_line(source)
    if said is not None or redirects.redirect_line(old_source) is not None:
        article.redirect_to_id = redirects.resolve_target(article, said)


_NO_TEXT_KINDS = {Revision.Kind.MOVE, Revision.Kind.PROTECT}


def _store(
    article: Article, composition: Composition, categories, *, now, creating, section_ids=None
) -> None:
    """Write the article row, its sections and categories as the composition has them."""
    for name, value in composition.article_fields().items():
        setattr(article, name, value)
    article.updated_at = now
    article.save()
    _apply_sections(article, composition, creating=creating, ids=section_ids)
    if categories is not None:
        article.categories.set(categories)


def _edited_heading(edit: ArticleEdit) -> str:
    """The heading of the section an edit of one section typed, for the history."""
    if edit.section is None or edit.section < 1:
        return ""
    typed = split_source(edit.text)[1]
    return typed[0].heading if typed else ""


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
    return _in_transaction(
        article, lambda: _append_locked(article, list(edits), list(compositions))
    )


def _append_locked(article: Article, edits: list[ArticleEdit], compositions) -> list[int]:
    creating = article._state.adding
    before = _lock(article, now=edits[0].at)
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
    _store(
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
    _apply_links(article, last, creating=creating)
    _add_credits(article, _first_edits(edits, revision_ids))
    signals.text_stored.send(sender=Article, article=article)
    if new_categories:  # listed on other pages too
        caching.bump_generation()
    article_changed(article, created=creating)
    return revision_ids


def _history_metas(edits, compositions, before: _Before) -> list[RevisionMeta]:
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
    """Categories by name, the missing ones created; and whether any was."""
    found = {c.name: c for c in Category.objects.filter(name__in=names)}
    if missing := sorted(names - set(found)):
        # Another writer may be adding the same names: skip those, then read them all back.
        Category.objects.bulk_create([Category(name=n) for n in missing], ignore_conflicts=True)
        found = {c.name: c for c in Category.objects.filter(name__in=names)}
    return found, bool(missing)


def article_changed(
    article: Article, *, created: bool = False, deleted: bool = False, old_slug: str = ""
) -> None:
    """Announce that what shows this article is out of date (`signals.article_changed`: the
    cached pages drop it) and, when it appeared, vanished or was renamed, the pages linking
    to it."""
    signals.article_changed.send(
        sender=Article, article=article, created=created, deleted=deleted, old_slug=old_slug
    )


def article_delete(*, article: Article, user) -> None:
    """Delete an article; its history stays and the admin can recover it."""
    with transaction.atomic():
        signals.article_deleting.send(sender=Article, article=article)
        article.delete()
        article_changed(article, deleted=True)


def _author(revision: Revision | None) -> str:
    """Who made a revision, in words for an edit summary."""
    if revision is not None and revision.contributor is not None:
        return revision.contributor.display_name
    return "the importer"


def article_restore(*, revision_id: int, user, summary: str = "") -> SaveResult:
    """Save an old revision's text and categories as a NEW revision (revert, or recovery of a
    deleted article with its old id), not through the door: for the admin's recovery and
    callers that checked who asks. Nothing in history is overwritten."""
    article, edit = restore_edit(revision_id=revision_id, user=user, summary=summary)
    return article_save(article=article, edit=edit)


def restore_edit(*, revision_id: int, user, summary: str = "") -> tuple[Article, ArticleEdit]:
    """The article (new again when it was deleted) and the edit that brings back an old
    revision's text and categories."""
    snapshot = load_snapshot(revision_id)
    if snapshot is None:
        raise Revision.DoesNotExist(revision_id)
    info = Revision.objects.select_related("contributor").filter(pk=revision_id).first()
    article = Article.objects.filter(pk=snapshot.article_id).first()
    recovering = article is None
    if recovering:
        article = Article(
            pk=snapshot.article_id, title=snapshot.title, protection=snapshot.protection
        )
    names = list(
        Category.objects.filter(pk__in=snapshot.category_ids).values_list("name", flat=True)
    )
    undone = () if recovering else _revisions_after(article, revision_id)
    return article, ArticleEdit(
        text=snapshot.source,
        base_revision=None if recovering else article.latest_revision_id,
        user=user,
        categories=names,
        summary=summary
        or (
            f"Recovered the deleted article from revision {revision_id}"
            if recovering
            else revert_summary(info)
        ),
        kind=Revision.Kind.RECOVER if recovering else Revision.Kind.REVERT,
        undoes=undone,
    )


def revert_summary(info: Revision) -> str:
    """The edit summary a revert to `info` gets unless the editor writes another."""
    return f"Reverted to revision {info.pk} by {_author(info)}"


def _revisions_after(article: Article, revision_id: int) -> tuple[int, ...]:
    """The edits a revert to `revision_id` takes back (their authors are told)."""
    later = Revision.objects.filter(article_id=article.pk, pk__gt=revision_id)
    return tuple(later.values_list("pk", flat=True)[:500])


class UndoRefused(Exception):
    """The revision cannot be undone; the message says why, in the reader's words."""


@dataclass(frozen=True)
class UndoResult:
    """What undoing one revision would make of the article now (nothing saved yet)."""

    article: Article
    text: str
    summary: str


def undo_result(*, revision_id: int) -> UndoResult:
    """The text undoing one revision gives: a three-way merge of (the revision's text -> its
    parent's text) onto the current text; UndoRefused when later edits changed the same
    lines, or when there is nothing to undo."""
    info = Revision.objects.select_related("contributor").filter(pk=revision_id).first()
    if info is None:
        raise Revision.DoesNotExist(revision_id)
    article = Article.objects.filter(pk=info.article_id).first()
    if article is None:
        raise UndoRefused("The article was deleted; recover it from the admin first.")
    if info.parent_id is None:
        raise UndoRefused(
            f"Revision {revision_id} created the article, so there is nothing before it to go "
            "back to."
        )
    snapshots = load_snapshots([revision_id, info.parent_id])
    if len(snapshots) < 2:
        raise UndoRefused(f"The text of revision {revision_id} or of the one before it is missing.")
    theirs, before = snapshots[revision_id].source, snapshots[info.parent_id].source
    current = article.source
    merged = three_way_merge(theirs, before, current)
    if merged is None:
        touched = _sections_changed_since(theirs, before, current)
        where = f" ({', '.join(touched)})" if touched else ""
        raise UndoRefused(
            f"Revision {revision_id} cannot be undone automatically: later edits changed the "
            f"same part of the article{where}. Edit the article by hand, or revert to an "
            "older revision."
        )
    if merged == current:
        raise UndoRefused(f"The change made in revision {revision_id} is no longer in the text.")
    return UndoResult(
        article=article, text=merged, summary=f"Undid revision {revision_id} by {_author(info)}"
    )


def article_undo(*, revision_id: int, user, summary: str = "") -> SaveResult:
    """Reverse one revision's change alone, keeping every later edit (a NEW revision), not
    through the door (callers that checked who asks); refused with UndoRefused as
    `undo_result` says."""
    article, edit = undo_edit(revision_id=revision_id, user=user, summary=summary)
    return article_save(article=article, edit=edit)


def undo_edit(*, revision_id: int, user, summary: str = "") -> tuple[Article, ArticleEdit]:
    """The article and the edit that reverse one revision's change (UndoRefused as
    `undo_result` says)."""
    result = undo_result(revision_id=revision_id)
    return result.article, ArticleEdit(
        text=result.text,
        base_revision=result.article.latest_revision_id,
        user=user,
        summary=summary or result.summary,
        kind=Revision.Kind.UNDO,
        undoes=(revision_id,),
    )


def _sections_changed_since(theirs: str, before: str, current: str) -> list[str]:
    """Headings of the sections the undone revision changed that also differ now."""

    def by_heading(source):
        lead, parts = split_source(source)
        return {"Lead": lead, **{p.heading: p.text for p in parts}}

    old, new, now = by_heading(before), by_heading(theirs), by_heading(current)
    return [h for h in new if old.get(h) != new[h] and now.get(h) != new[h]]
