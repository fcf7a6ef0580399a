"""Blocking an account from editing, everywhere or on one page, until an expiry or for good.
An expired block blocks nothing (`active_blocks`): no job has to lift it."""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext

from ..models import Article
from .logs import log_action, user_target
from .models import Block, LogEntry
from .protection import until_words


def active_blocks(user):
    now = timezone.now()
    return Block.objects.filter(user=user, lifted_at=None).filter(
        Q(expires_at=None) | Q(expires_at__gt=now)
    )


def block_on(user, article: Article | None) -> Block | None:
    """The block that keeps `user` from editing `article` (None: a new page), if any. Read
    once per request and kept on the user object; who set it and on which page are read only
    when a block is found (most editors have none: the joined query cost a millisecond)."""
    if user is None or not user.is_authenticated:
        return None
    blocks = getattr(user, "_wiki_active_blocks", None)
    if blocks is None:
        blocks = list(active_blocks(user))
        user._wiki_active_blocks = blocks
    article_id = article.pk if article is not None else None
    for block in blocks:
        if block.article_id is None or block.article_id == article_id:
            if block.is_active:
                return block
    return None


def block_refusal(block: Block) -> str:
    """Why a blocked editor may not edit, and until when."""
    words = {
        "title": block.article.title if block.article_id else "",
        "by": block.by.get_username() if block.by else gettext("an administrator"),
        "reason": block.reason,
    }
    if block.expires_at is not None:
        words["until"] = formats.date_format(timezone.localtime(block.expires_at), "j F Y, H:i")
    if block.article_id and block.expires_at is None:
        said = gettext(
            "You are blocked from editing “%(title)s” with no end date, by %(by)s. "
            "Reason: %(reason)s"
        )
    elif block.article_id:
        said = gettext(
            "You are blocked from editing “%(title)s” until %(until)s, by %(by)s. "
            "Reason: %(reason)s"
        )
    elif block.expires_at is None:
        said = gettext(
            "You are blocked from editing with no end date, by %(by)s. Reason: %(reason)s"
        )
    else:
        said = gettext(
            "You are blocked from editing until %(until)s, by %(by)s. Reason: %(reason)s"
        )
    return said % words


def block_hold(user, article: Article | None) -> tuple[str, str] | None:
    """The hold a block puts on `user` editing `article` (None: every page), for the edit door
    and the tools (`permissions.add_edit_hold`)."""
    block = block_on(user, article)
    return ("blocked", block_refusal(block)) if block is not None else None


def user_block(
    *, user, by, reason: str, expires_at: dt.datetime | None, article: Article | None = None
) -> Block:
    """Block `user` (who may is the caller's to check: `permissions.can_block`)."""
    with transaction.atomic():
        block = Block.objects.create(
            user=user, by=by, reason=reason.strip(), expires_at=expires_at, article=article
        )
        log_action(
            type=LogEntry.Type.BLOCK,
            action="block",
            performer=by,
            target=user_target(user),
            comment=block.reason,
            scope=f"“{article.title}”" if article else "every page",
            until=until_words(expires_at),
            expiry=expires_at.isoformat() if expires_at else None,  # for the Action API
        )
    return block


def user_unblock(*, block: Block, by, reason: str = "") -> None:
    with transaction.atomic():
        Block.objects.filter(pk=block.pk).update(lifted_at=timezone.now())
        log_action(
            type=LogEntry.Type.BLOCK,
            action="unblock",
            performer=by,
            target=user_target(block.user),
            comment=reason.strip(),
        )
