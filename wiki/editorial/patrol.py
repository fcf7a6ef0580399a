"""Patrol: an editor marks an edit as looked at; recent changes can hide those and marks the
unpatrolled edits of new accounts."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Revision
from .logs import log_action
from .models import LogEntry, Patrol

NEW_ACCOUNT_AGE = dt.timedelta(days=4)  # MediaWiki's "autoconfirmed" age


def revision_patrol(*, revision: Revision, user) -> bool:
    """Mark `revision` as patrolled; False when it already was."""
    try:
        with transaction.atomic():
            Patrol.objects.create(revision=revision, user=user)
            log_action(
                type=LogEntry.Type.PATROL,
                action="patrol",
                performer=user,
                target=revision.title,
                article_id=revision.article_id,
                revision=revision.pk,
            )
    except IntegrityError:
        return False
    return True


def new_account_since() -> dt.datetime:
    """Accounts that joined after this moment are new."""
    return timezone.now() - NEW_ACCOUNT_AGE
