"""What the cache holds about pages, and the one place that drops it.

Anonymous article views are stored whole (HTML, ETag, Last-Modified) under a key made of the
article's slug, one copy per scheme and host (the canonical link and HSTS differ); the
rendered content of every article (`reading.ArticlePage`, what the page shows besides the
skin, for signed-in readers too) under one made of the site generation and the slug.

The cache is never trusted to have forgotten anything. Every stored page carries its stamp:
the article's latest revision and the site generation it was rendered under, both read from
the database before rendering. A hit is replayed only when one indexed query finds the same
stamp, so an edit shows on the next view whatever Redis did meanwhile (down, hung, restarted
with its old data). The generation is a database row; it moves when portals, categories or
contributors change, and when a delete could not reach the cache (a red link that changed
colour is otherwise only dropped from the cache), which retires every page at once.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import translation

from . import front_cache
from .languages import content_language, default_language
from .models import Article, Link, SiteGeneration, readers_see_reviewed, stable_revision_id
from .rendering import article_path
from .titles import is_talk_title, subject_title_of, title_to_slug

GENERATION_MEMO_SECONDS = 1.0
PAGE_TIMEOUT = 24 * 3600
_memo = {"value": None, "at": 0.0}


def _build_id() -> str:
    """Pages depend on site settings and on hashed static file names: part of every key."""
    parts = [settings.SITE_NAME, settings.SITE_SUBTITLE]
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if manifest.exists():
        parts.append(hashlib.md5(manifest.read_bytes()).hexdigest())
    return hashlib.md5("|".join(parts).encode()).hexdigest()[:10]


BUILD_ID = _build_id()


def _remember_generation(value: int | None) -> int:
    value = value or 0  # no row (a test flushed the table): 0 until the next move
    _memo.update(value=value, at=time.monotonic())
    return value


def site_generation() -> int:
    """The current generation, read from the database at most once a second per process (a
    page view reads it exactly, see `page_stamp`)."""
    if _memo["value"] is None or time.monotonic() - _memo["at"] > GENERATION_MEMO_SECONDS:
        row = SiteGeneration.objects.filter(pk=1).values_list("value", flat=True).first()
        _remember_generation(row)
    return _memo["value"]


@dataclass(frozen=True)
class Stamp:
    """What a stored page must still match to be replayed."""

    revision_id: int | None  # the article's latest revision; None: no such article
    generation: int
    reviewed: tuple = ()  # its stable revision and whether readers are shown it


def page_stamp(slug: str, language: str | None = None) -> Stamp:
    """The article's latest revision, its review state and the site generation, now: one
    query, two index lookups (a fraction of a millisecond)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.latest_revision_id, a.reviewed_revision_id, a.checked_revision_id, "
            "a.show_reviewed, "
            f"(SELECT value FROM {SiteGeneration._meta.db_table} WHERE id = 1) "
            f"FROM (SELECT 1) AS one LEFT JOIN {Article._meta.db_table} AS a "
            "ON a.language = %s AND a.slug = %s",
            [language or content_language(), slug],
        )
        revision_id, reviewed_id, checked_id, show_reviewed, generation = cursor.fetchone()
    shown = readers_see_reviewed(show_reviewed) if revision_id is not None else False
    stable = stable_revision_id(reviewed_id, checked_id)
    return Stamp(revision_id, _remember_generation(generation), (stable, shown))


def _digest(name: str) -> str:
    return hashlib.md5(name.encode()).hexdigest()


def _page_name(slug: str, language: str | None) -> str:
    """What keys an article's copies: its slug in the default language (the keys it always
    had), "es:Slug" in another, so a title two languages share never shares a copy."""
    language = language or content_language()
    return slug if language == default_language() else f"{language}:{slug}"


def page_key(slug: str, language: str | None = None) -> str:
    """Where the anonymous pages of an article are kept, one per scheme and host."""
    return f"page:{BUILD_ID}:{_digest(_page_name(slug, language))}"


def article_key(slug: str, language: str | None = None) -> str:
    """Where the rendered content of an article is kept (`reading.ArticlePage`); its red links
    are not in the stamp, so the key holds the generation a failed delete moves."""
    return f"article:{BUILD_ID}:{site_generation()}:{_digest(_page_name(slug, language))}"


def reviewed_article_key(slug: str, language: str | None = None) -> str:
    """Where the content of an article's stable revision is kept (what readers see while
    newer edits await review); dropped with `article_key`."""
    return article_key(slug, language) + ":reviewed"


@dataclass
class CachedPage:
    body: bytes
    headers: list[tuple[str, str]]
    stamp: Stamp

    @property
    def etag(self) -> str:
        return dict(self.headers)["ETag"]


def stored_pages(slug: str, language: str | None = None) -> dict[str, CachedPage]:
    """The article's stored pages by origin ("https://host"); they may be out of date."""
    pages = cache.get(page_key(slug, language))
    return pages if isinstance(pages, dict) else {}


def fresh_page(pages: dict[str, CachedPage], origin: str, stamp: Stamp) -> CachedPage | None:
    """The page stored for this origin, if it was rendered at the current stamp."""
    page = pages.get(origin)
    return page if page is not None and page.stamp == stamp else None


def store_page(
    slug: str,
    origin: str,
    stamp: Stamp,
    body: bytes,
    headers: list[tuple[str, str]],
    pages: dict[str, CachedPage],
    language: str | None = None,
) -> CachedPage:
    """Keep the page rendered at `stamp` (read before rendering) beside the article's other
    fresh pages (`pages`, from the lookup; older ones are left out)."""
    etag = '"' + hashlib.md5(body).hexdigest() + '"'
    page = CachedPage(
        body, [(k, v) for k, v in headers if k.lower() != "etag"] + [("ETag", etag)], stamp
    )
    kept = {o: p for o, p in pages.items() if p.stamp == stamp and o != origin}
    cache.set(page_key(slug, language), {**kept, origin: page}, PAGE_TIMEOUT)
    return page


def _forget(keys: list[str]) -> None:
    """Delete `keys`; when the cache cannot confirm it did (Redis down, hung, or skipped by the
    circuit breaker), move the generation, which retires them and every other page."""
    forget_many = getattr(cache, "forget_many", None)
    if forget_many is None:  # a local-memory cache cannot miss a delete
        cache.delete_many(keys)
    elif not forget_many(keys):
        bump_generation()


def invalidate_article(article, *, links_changed: bool = False, old_slug: str = "") -> None:
    """Forget the article's cached page; when it appeared or vanished, the pages linking to it."""
    language = article.language
    invalidate_articles(
        {(language, article.slug)} | ({(language, old_slug)} if old_slug else set()),
        links_changed=links_changed,
    )


def article_changed(sender, *, article, created=False, deleted=False, old_slug="", **kwargs):
    """Forget what shows a changed article (`signals.article_changed`): its pages and, when it
    appeared, vanished or was renamed, the pages linking to it; a talk page that appeared or
    vanished changes the colour of its subject's Talk tab."""
    invalidate_article(
        article, links_changed=created or deleted or bool(old_slug), old_slug=old_slug
    )
    if is_talk_title(article.title) and (created or deleted):
        invalidate_articles({(article.language, title_to_slug(subject_title_of(article.title)))})


def _pages_named(pages) -> set[tuple[str, str]]:
    """The (language, slug) pairs, checked: a bare slug names no page (the same slug is
    another article in each language), so it is refused rather than guessed."""
    pages = set(pages)
    if bare := [p for p in pages if not (isinstance(p, tuple) and len(p) == 2)]:
        raise TypeError(f"invalidate_articles takes (language, slug) pairs, not {bare[0]!r}")
    return pages


def invalidate_articles(pages, *, links_changed: bool = False) -> None:
    """Forget these articles' cached pages and content (each a (language, slug) pair); with
    `links_changed` (they appeared or vanished), the pages of their language linking to them
    too. Now, and again when the transaction commits, so
    a reader who cached the old page in between is corrected too. (An edit's own page would
    not be replayed anyway: its stamp no longer matches.)"""
    pages = _pages_named(pages)

    def forget():
        # The links are read again at commit: a page that began linking here in between (and
        # was cached with the link red, before this commit) is found then.
        affected = set(pages)
        for language in {language for language, _slug in pages} if links_changed else ():
            targets = [slug for lang, slug in pages if lang == language]
            affected |= set(
                Link.objects.filter(target_slug__in=targets, source__language=language).values_list(
                    "source__language", "source__slug"
                )
            )
        _forget(
            [page_key(slug, language) for language, slug in affected]
            + [article_key(slug, language) for language, slug in affected]
            + [reviewed_article_key(slug, language) for language, slug in affected]
        )
        front_cache.ban_articles(_path_in(language, slug) for language, slug in affected)

    forget()
    transaction.on_commit(forget)


def _path_in(language: str, slug: str) -> str:
    with translation.override(language):
        return article_path(slug)


def _move_generation(*, wait: bool) -> None:
    table = SiteGeneration._meta.db_table
    # Inside a transaction a row another writer has moved is skipped, not waited for: its lock
    # is held until that writer commits, and writers that also wait on each other's new
    # categories would deadlock. The move at our commit happens anyway.
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" and not wait else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET value = value + 1 "
            f"WHERE id IN (SELECT id FROM {table} WHERE id = 1{lock})"
        )
        moved = cursor.rowcount
    front_cache.ban_everything()
    if not moved and not SiteGeneration.objects.filter(pk=1).exists():  # flushed by a test
        SiteGeneration.objects.get_or_create(pk=1, defaults={"value": int(time.time() * 1000)})
    _memo["value"] = None


def bump_generation(**kwargs) -> None:
    """Something every page shows changed (portals, categories, contributor names), or a
    delete was lost: retire every page. Now, and inside a transaction again when it commits,
    so a page cached in between (by a reader who saw the old data) is retired too."""
    atomic = transaction.get_connection().in_atomic_block
    _move_generation(wait=not atomic)
    if atomic:
        transaction.on_commit(lambda: _move_generation(wait=True))
