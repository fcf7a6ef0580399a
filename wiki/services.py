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

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from merge3 import Merge3

from . import interlanguage, redirects, signals, translations
from .composing import Composition, SectionRow, compose
from .models import Article, Category, Contributor, Credit, Link, MediaUse, Revision, Section
from .revisions import RevisionMeta, record_revision, text_digest
from .snapshots import load_snapshot
from .sources import normalize_newlines, replace_section, split_source
from .titles import is_template_title, validate_title
from .transcluding import stored_template, template_name


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
    tags: Sequence[str] = ()  # change tags the revision carries (the edit door's abuse rules)

    def __post_init__(self):
        # Whoever built the edit, no parser past this point sees a CR (browsers send CRLF).
        object.__setattr__(self, "text", normalize_newlines(self.text))

    def category_names(self) -> list[str] | None:
        if self.categories is None:
            return None
        return list(dict.fromkeys(n.strip() for n in self.categories if n.strip()))


@dataclass
class Locked:
    """The article as it was when its row was locked."""

    source: str = ""
    latest_id: int | None = None
    size: int = 0
    old_slug: str = ""  # when the title changes
    protection_changed: bool = False
    settings_changed: bool = True  # title or redirect changed, or the article is new


def _resolve_source(*, article, before: Locked, edit: ArticleEdit) -> tuple[str, bool]:
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
    # The caller read them under its lock (`lock_article`): no second read.
    existing = {} if creating else {s.position: s for s in article.ordered_sections}
    to_create, to_update, replaced, kept = [], [], [], []
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
        else:
            kept.append(section)
    if gone := [*existing.values(), *replaced]:
        Section.objects.filter(pk__in=[s.pk for s in gone]).delete()
    if to_update:
        Section.objects.bulk_update(to_update, list(SectionRow.FIELDS))
    if to_create:
        Section.objects.bulk_create(to_create)
    if all(s.pk is not None for s in to_create):  # a database that returns the new ids
        article.remember_sections([*kept, *to_update, *to_create])
    else:
        article.forget_sections()


def apply_links(article: Article, composition: Composition, *, creating: bool) -> None:
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
    add_credits(article, wanted)


def _new_credits(article: Article, contributors) -> bool:
    """Whether any of `contributors` is not yet credited on the article."""
    wanted = {c.pk for c in contributors if c is not None}
    if not wanted or article.pk is None:
        return bool(wanted)
    have = article.credits.filter(contributor_id__in=wanted).count()
    return have < len(wanted)


def add_credits(article: Article, wanted: dict) -> None:
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
    edit goes through the door (`editing.services.article_edit_submit`); importers and
    recovery call this.

    Raises EditConflict, TitleTaken, SourceTooLarge, IndexError (no such section) or
    InvalidTitle; returns a result whose `revision` is None when nothing changed.
    """
    now = edit.at or timezone.now()
    # Within the article's language: its links, redirect, templates and categories resolve
    # among its language's pages, and its stored HTML links to them (wiki/languages.py).
    with translation.override(article.language):
        return in_transaction(article, lambda: _save_locked(article, edit, now=now))


def in_transaction(article: Article, write):
    """Run `write` in one transaction; a title created meanwhile is TitleTaken."""
    creating = article._state.adding
    try:
        with transaction.atomic():
            return write()
    except IntegrityError as exc:
        if creating and Article.objects.by_title(article.title).exists():
            raise TitleTaken(article.title) from exc
        raise


def lock_article(article: Article, *, now) -> Locked:
    article.title = validate_title(article.title)
    if article._state.adding:
        before = Locked()
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
    article.checked_revision_id = locked.checked_revision_id
    article.forget_sections()
    return Locked(
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
    objs = [Category.objects.get_or_create(name=n, language=article.language)[0] for n in names]
    changed = creating or {c.pk for c in objs} != set(
        article.categories.values_list("pk", flat=True)
    )
    return objs, changed


def _save_locked(article: Article, edit: ArticleEdit, *, now) -> SaveResult:
    creating = article._state.adding
    before = lock_article(article, now=now)
    for text_filter in signals.edit_text_filters:
        edit = text_filter(article=article, edit=edit, now=now)
    signals.edit_received.send(sender=Article, article=article, edit=edit)
    source, merged = _resolve_source(article=article, before=before, edit=edit)
    composition = compose_page(article, source)
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
    store_composition(article, composition, categories, now=now, creating=creating)
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
            sha1=text_digest(composition.source),  # as `load_snapshot` will read it
            tags=", ".join(edit.tags),
        ),
    )
    apply_links(article, composition, creating=creating)
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
        interlanguage.resolve_links_to(article)  # an imported `[[es:Title]]` naming it
    if article.redirect_to_id and article.translation_group_id:
        translations.article_left(article)  # merged into another: its group goes with it
    article_changed(article, created=creating, old_slug=before.old_slug)
    signals.article_saved.send(sender=Article, article=article, revision=revision, edit=edit)
    return SaveResult(article=article, revision=revision, merged=merged)


def compose_page(article: Article, source: str, templates=stored_template) -> Composition:
    """The article's composition with its template calls expanded from the stored templates
    (or those `templates` finds: a batch reads each once)."""
    own = template_name(article.title) if is_template_title(article.title) else ""
    return compose(source, templates=templates, template_page=own)


def article_rerender(article: Article, templates=stored_template) -> bool:
    """Render the article's current text again with today's templates (one of them changed):
    its stored HTML and links refreshed, its cached pages dropped; not a revision, the history
    is as it was. False when the article is gone."""
    with translation.override(article.language), transaction.atomic():
        locked = Article.objects.select_for_update().filter(pk=article.pk).first()
        if locked is None:
            return False
        composition = compose_page(locked, locked.source, templates)
        store_composition(locked, composition, None, now=locked.updated_at, creating=False)
        apply_links(locked, composition, creating=False)
        signals.text_stored.send(sender=Article, article=locked)
        article_changed(locked)
    return True


def _point_redirect(article: Article, source: str, old_source: str) -> None:
    """A source with a redirect line points the article at its target; one that lost its line
    is an ordinary page again. Others keep their `redirect_to` (an importer sets it)."""
    said = redirects.redirect_line(source)
    if said is not None or redirects.redirect_line(old_source) is not None:
        article.redirect_to_id = redirects.resolve_target(article, said)


_NO_TEXT_KINDS = {Revision.Kind.MOVE, Revision.Kind.PROTECT}


def store_composition(
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
        translations.group_tidy(article.translation_group_id)  # a group of one is none
        article_changed(article, deleted=True)
