"""Purging the front caches (Varnish, see deploy/varnish/) when our page cache is invalidated.

Every invalidation that `wiki.caching` makes reaches the caches in FRONT_CACHES as a BAN of the
article's URLs (with any query string), or of every article URL when the site generation
moves. A ban is sent at once (the caller is committing or has committed: `caching` calls this
now and again at commit, as it forgets its own pages), with a short timeout; a ban that does
not get through is retried from a background thread, with backoff, and never makes a save fail
or wait longer than that timeout.
"""

import logging
import re
import threading
import time
import urllib.error
import urllib.request
from collections import deque

from django.conf import settings

logger = logging.getLogger(__name__)

TIMEOUT = 0.5  # seconds one ban may take before it is left to the retry thread
RETRY_DELAYS = (0.2, 0.5, 1, 2, 5, 10, 30, 60)  # then every 60 s, until it gets through
MAX_PENDING = 10_000  # bans waiting for a cache that is down; past this, one ban of everything
EVERYTHING = "^/wiki/"

_pending: deque = deque()  # (cache URL, pattern, attempt, not before)
_lock = threading.Lock()
_wake = threading.Event()
_thread: threading.Thread | None = None


def caches() -> list[str]:
    return list(getattr(settings, "FRONT_CACHES", []) or [])


def article_pattern(path: str) -> str:
    """The ban pattern of one article's URLs: its path, with or without a query string."""
    return "^" + re.escape(path) + r"(\?.*)?$"


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
                _queue(cache, pattern, attempt=0)


def _send(cache: str, pattern: str) -> bool:
    request = urllib.request.Request(cache, method="BAN", headers={"X-Ban-Url": pattern})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            return answer.status == 200
    except (OSError, urllib.error.URLError, ValueError) as exc:
        logger.warning("Front cache %s did not take a ban (%s); retrying", cache, exc)
        return False


def _queue(cache: str, pattern: str, *, attempt: int) -> None:
    delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)]
    with _lock:
        if len(_pending) >= MAX_PENDING:  # a long outage: one ban of everything will do
            _pending.clear()
            pattern = EVERYTHING
        _pending.append((cache, pattern, attempt, time.monotonic() + delay))
        _start_thread()
    _wake.set()


def _start_thread() -> None:
    global _thread
    if _thread is None or not _thread.is_alive():
        _thread = threading.Thread(target=_retry_forever, name="front-cache-bans", daemon=True)
        _thread.start()


def _retry_forever() -> None:
    while True:
        _wake.wait(timeout=1.0)
        _wake.clear()
        retry_due()


def retry_due() -> int:
    """Send the queued bans whose time has come; how many are still waiting."""
    now = time.monotonic()
    with _lock:
        due = [item for item in _pending if item[3] <= now]
        for item in due:
            _pending.remove(item)
    for cache, pattern, attempt, _ in due:
        if not _send(cache, pattern):
            _queue(cache, pattern, attempt=attempt + 1)
        else:
            logger.warning("Front cache %s took a delayed ban again", cache)
    with _lock:
        return len(_pending)


def pending() -> int:
    with _lock:
        return len(_pending)
