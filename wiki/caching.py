"""What the cache holds about pages, and the one place that drops it.

Anonymous article views are stored whole (HTML, ETag, Last-Modified) under a key made of the
site generation and the path; the rendered content of every article (`reading.ArticlePage`,
what the page shows besides the skin, for signed-in readers too) under one made of the
generation and the slug. An edit drops the article's keys; creating or deleting an article
drops the keys of the pages that link to it (their red links change colour); a change of
portals, categories or contributors bumps the generation, which retires every page at once.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .rendering import article_path

GENERATION_KEY = "wiki:site-generation"
PAGE_TIMEOUT = 24 * 3600
GENERATION_MEMO_SECONDS = 1.0
_memo = {"value": None, "at": 0.0}


def _build_id() -> str:
    """Pages depend on site settings and on hashed static file names: part of every key."""
    parts = [settings.SITE_NAME, settings.SITE_SUBTITLE]
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if manifest.exists():
        parts.append(hashlib.md5(manifest.read_bytes()).hexdigest())
    return hashlib.md5("|".join(parts).encode()).hexdigest()[:10]


BUILD_ID = _build_id()


def site_generation() -> int:
    """The current generation, read from the shared cache at most once a second per process."""
    now = time.monotonic()
    if _memo["value"] is None or now - _memo["at"] > GENERATION_MEMO_SECONDS:
        value = cache.get(GENERATION_KEY)
        if value is None:
            value = int(time.time() * 1000)
            cache.add(GENERATION_KEY, value, None)
        _memo.update(value=value, at=now)
    return _memo["value"]


def _key(kind: str, name: str) -> str:
    """A cache key retired by a new build or a new site generation."""
    return f"{kind}:{BUILD_ID}:{site_generation()}:{hashlib.md5(name.encode()).hexdigest()}"


def page_key(path: str) -> str:
    """Where the whole anonymous page at `path` is kept."""
    return _key("page", path)


def article_key(slug: str) -> str:
    """Where the rendered content of an article is kept (`reading.ArticlePage`)."""
    return _key("article", slug)


@dataclass
class CachedPage:
    body: bytes
    headers: list[tuple[str, str]]

    @property
    def etag(self) -> str:
        return dict(self.headers)["ETag"]


def get_page(path: str) -> CachedPage | None:
    return cache.get(page_key(path))


def store_page(path: str, body: bytes, headers: list[tuple[str, str]]) -> CachedPage:
    etag = '"' + hashlib.md5(body).hexdigest() + '"'
    page = CachedPage(body, [(k, v) for k, v in headers if k.lower() != "etag"] + [("ETag", etag)])
    cache.set(page_key(path), page, PAGE_TIMEOUT)
    return page


def _article_paths(slugs) -> list[str]:
    return [article_path(slug) for slug in slugs]


def invalidate_article(article, *, links_changed: bool = False, old_slug: str = "") -> None:
    """Forget the article's cached page; when it appeared or vanished, the pages linking to it."""
    invalidate_articles(
        {article.slug} | ({old_slug} if old_slug else set()), links_changed=links_changed
    )


def invalidate_articles(slugs, *, links_changed: bool = False) -> None:
    """Forget these articles' cached pages and content; with `links_changed` (they appeared or
    vanished), the pages linking to them too. Now, and again when the transaction commits, so
    a reader who cached the old page in between is corrected too."""
    from .models import Link

    slugs = set(slugs)

    def forget():
        # The links are read again at commit: a page that began linking here in between (and
        # was cached with the link red, before this commit) is found then.
        affected = set(slugs)
        if links_changed and slugs:
            affected |= set(
                Link.objects.filter(target_slug__in=slugs).values_list("source__slug", flat=True)
            )
        cache.delete_many(
            [page_key(path) for path in _article_paths(affected)]
            + [article_key(slug) for slug in affected]
        )

    forget()
    transaction.on_commit(forget)


def bump_generation(**kwargs) -> None:
    """Something every page shows changed (portals, categories, contributor names). Now, and
    inside a transaction again when it commits, so a page cached in between is retired too."""

    def bump():
        try:
            cache.incr(GENERATION_KEY)  # atomic, and never the value it had
        except ValueError:  # no generation yet
            cache.set(GENERATION_KEY, int(time.time() * 1000), None)
        _memo["value"] = None

    bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump)
