"""Purging the front caches (Varnish, see deploy/varnish/) when our page cache is invalidated.

Every invalidation that `wiki.caching` makes reaches the caches in FRONT_CACHES as a BAN of the
article's URLs (with any query string, and its summary for page previews), or of every article
URL when the site generation moves. A ban is sent at once (the caller is committing or has
committed: `caching` calls this now and again at commit, as it forgets its own pages), with a
short timeout; a ban that does not get through becomes a job on the task queue (`wiki.tasks`),
tried again with backoff, and never makes a save fail or wait longer than that timeout.
"""

import logging
import re
import time
import urllib.error
import urllib.request

from django.conf import settings

from . import tasks

logger = logging.getLogger(__name__)

TIMEOUT = 0.5  # seconds one ban may take before it is left to the queue
QUICK_RETRIES = (0.5, 1, 2, 4)  # waits within the job (a restarting cache); then `tasks.BACKOFF`
EVERYTHING = "^(/[a-z]{2,3}(-[a-z]+)?)?/wiki/"  # every language's articles (/es/wiki/…)
JOB = "wiki.front_cache.retry_ban"


def caches() -> list[str]:
    return list(getattr(settings, "FRONT_CACHES", []) or [])


def article_pattern(path: str) -> str:
    """The ban pattern of one article's URLs: its path and its summary's (page previews),
    with or without a query string."""
    return "^" + re.escape(path) + r"(/summary)?(\?.*)?$"


def ban_articles(paths) -> None:
    """Ban these article paths (as `reverse` writes them) from every front cache."""
    if caches():
        _ban([article_pattern(p) for p in sorted(set(paths))])


def ban_everything() -> None:
    if caches():
        _ban([EVERYTHING])


def _ban(patterns: list[str]) -> None:
    for cache in caches():
        for pattern in patterns:
            if not _send(cache, pattern):
                tasks.job_enqueue(JOB, cache, pattern, inline=False)


def _send(cache: str, pattern: str) -> bool:
    request = urllib.request.Request(cache, method="BAN", headers={"X-Ban-Url": pattern})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            return answer.status == 200
    except (OSError, urllib.error.URLError, ValueError) as exc:
        logger.warning("Front cache %s did not take a ban (%s); retrying", cache, exc)
        return False


def retry_ban(cache: str, pattern: str, attempt: int = 0) -> None:
    """The queue's job for a ban a cache did not take: a few quick tries, then again later
    with growing waits; a failed job (in the admin) when the waits are used up."""
    for wait in QUICK_RETRIES:
        time.sleep(wait)
        if _send(cache, pattern):
            logger.warning("Front cache %s took a delayed ban again", cache)
            return
    if not tasks.job_retry_later(JOB, cache, pattern, attempt + 1, attempt=attempt):
        raise RuntimeError(f"Front cache {cache} refused a ban of {pattern} for good")
