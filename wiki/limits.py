"""Abuse limits of young accounts: how many saves a minute (per account and per client
address), and how many external links one edit may add. Accounts older than
WIKI_YOUNG_ACCOUNT_DAYS and staff are not limited.

Every edit is checked by the edit door (`editing.services.article_edit_submit`), every upload
by its write path; each interface answers `EditLimited` in its own way (a form error keeping
the text, a JSON error, a MediaWiki error, an upload refusal)."""

import datetime as dt
import math
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext

from .permissions import EditRefused

EXTERNAL_LINK = re.compile(r"\bhttps?://[^\s)\]>\"']+", re.IGNORECASE)


class EditLimited(EditRefused):
    """The edit is refused for now; the message says why and what to do. Its code is
    "too_many_links" (400) or "too_many_saves" (429)."""


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or the last hop a trusted proxy added to its header."""
    header = getattr(settings, "SIGNIN_CLIENT_ADDRESS_HEADER", "")
    if header and (forwarded := request.META.get(header, "")):
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def is_young(user) -> bool:
    if not (user and user.is_authenticated) or user.is_staff or user.is_superuser:
        return False
    days = settings.WIKI_YOUNG_ACCOUNT_DAYS
    return user.date_joined > timezone.now() - dt.timedelta(days=days)


def added_external_links(old_text: str, new_text: str) -> list[str]:
    before = set(EXTERNAL_LINK.findall(old_text or ""))
    return [
        url for url in dict.fromkeys(EXTERNAL_LINK.findall(new_text or "")) if url not in before
    ]


def check_write(*, user, address: str, old_text: str = "", new_text: str = "") -> None:
    """Raise EditLimited when a young account's write goes over a limit; count the write.

    `address` is the client's (`client_address(request)`); `old_text` and `new_text` are the
    text before and after the write (for an upload: its description)."""
    if not is_young(user):
        return
    limit = settings.WIKI_YOUNG_ACCOUNT_EXTERNAL_LINKS
    added = added_external_links(old_text, new_text)
    if len(added) > limit:
        raise EditLimited(
            gettext(
                "Your edit adds %(added)s links to other sites; accounts younger than "
                "%(days)s days may add at most %(limit)s in one edit. "
                "Nothing was saved: remove some links, or ask an editor to add them."
            )
            % {"added": len(added), "days": settings.WIKI_YOUNG_ACCOUNT_DAYS, "limit": limit},
            status=400,
            code="too_many_links",
        )
    per_minute = settings.WIKI_SAVES_PER_MINUTE
    keys = [f"saves:user:{user.pk}"]
    if address:
        keys.append(f"saves:address:{address}")
    for key in keys:
        cache.add(key, 0, timeout=60)
        try:
            count = cache.incr(key)
        except ValueError:
            count = 1
        if count is not None and count > per_minute:
            raise EditLimited(
                gettext(
                    "You saved more than %(count)s times in a minute, the most a new account "
                    "may. Nothing was saved: wait a minute and save again."
                )
                % {"count": per_minute},
                status=429,
                code="too_many_saves",
            )


def window_wait(counters: list[tuple[str, int]], window: int) -> int | None:
    """Counters of one act over `window` seconds from its first time (reader reports, PDFs):
    the seconds to wait when one of `counters` (cache key, limit) has reached its limit, else
    None, with the act counted on each. A cache that is down counts nothing, refuses nothing."""
    now = time.time()
    for key, limit in counters:
        count = cache.get(key)
        if count is not None and count >= limit:
            started = cache.get(f"{key}:since") or now
            return max(1, math.ceil(started + window - now))
    for key, _ in counters:
        if cache.add(key, 0, timeout=window):  # the window runs from the first act
            cache.set(f"{key}:since", now, timeout=window)
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            pass
    return None


def in_minutes(seconds: int) -> str:
    """ "3 minutes", "1 minute": a wait as a person reads it (at least a minute)."""
    minutes = max(1, math.ceil(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
