"""Protecting an article from edits by all but administrators, until an expiry or for good.
An expired protection protects nothing (`Article.is_protected`): no job has to lift it."""

import datetime as dt

from django.db import transaction
from django.utils import formats, timezone, translation

from ..models import Article
from ..permissions import require_protect
from ..services import ArticleEdit, SaveResult, article_save
from .logs import log_action
from .models import LogEntry

# The expiries offered, as MediaWiki offers them; "" is indefinite.
EXPIRY_CHOICES = [
    ("1 day", dt.timedelta(days=1)),
    ("1 week", dt.timedelta(weeks=1)),
    ("1 month", dt.timedelta(days=31)),
    ("3 months", dt.timedelta(days=92)),
    ("1 year", dt.timedelta(days=365)),
    ("indefinite", None),
]


def until_words(expires: dt.datetime | None) -> str:
    if expires is None:
        return "indefinitely"
    local = timezone.localtime(expires)
    return f"until {formats.date_format(local, 'j F Y, H:i')}"


def article_protect(
    *, article: Article, user, level: str, expires: dt.datetime | None, reason: str = ""
) -> SaveResult:
    """Set the article's protection (Article.Protection; "" lifts it) until `expires` (None:
    indefinite), as a null revision of its history and a protection-log entry; refused
    (EditForbidden) unless `user` is an administrator who is not blocked."""
    require_protect(user)
    reason = reason.strip()
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        was_protected = article.is_protected
        article.protection = level
        article.protection_expires = expires if level else None
        with translation.override(None):  # stored in the history and the log: as written
            label = str(Article.Protection(level).label)
        if level:
            summary = f"Protected {article.title} ({label}, {until_words(expires)})"
        else:
            summary = f"Removed the protection of {article.title}"
        if reason:
            summary += f": {reason}"
        result = article_save(
            article=article,
            edit=ArticleEdit(
                text=article.source,
                base_revision=article.latest_revision_id,
                user=user,
                summary=summary,
            ),
        )
        if not result.unchanged:
            log_action(
                type=LogEntry.Type.PROTECT,
                action=("modify" if was_protected else "protect") if level else "unprotect",
                performer=user,
                target=article.title,
                article_id=article.pk,
                comment=reason,
                level=label,
                until=until_words(expires),
            )
    return result
