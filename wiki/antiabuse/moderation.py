"""What an editor does with a held edit: approve it (published through the edit door as its
author's, merged with the edits made since its base revision) or reject it with a reason."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ..editing.services import EditRequest, article_edit_submit
from ..limits import is_young
from ..models import Article
from ..permissions import EditForbidden, can_patrol
from ..services import ArticleEdit, SaveResult
from .models import HeldEdit


class NotPending(Exception):
    """The held edit was decided already (by another editor, say)."""


def may_moderate(user) -> bool:
    """Editors not blocked, whose own edits are not those of a young account."""
    return can_patrol(user) and not is_young(user)


def _decidable(held: HeldEdit, editor) -> HeldEdit:
    if not may_moderate(editor):
        raise EditForbidden(
            gettext("Only established editors review held edits."), code="forbidden"
        )
    if held.user_id == editor.pk:
        raise EditForbidden(gettext("Another editor reviews your own held edit."), code="forbidden")
    locked = HeldEdit.objects.select_for_update().get(pk=held.pk)
    if locked.state != HeldEdit.State.PENDING:
        raise NotPending(f"This edit was {locked.get_state_display().lower()} already.")
    return locked


def held_edit_approve(*, held: HeldEdit, editor, address: str = "") -> SaveResult:
    """Publish the held edit through the edit door. Raises what the door raises (an
    `EditConflict` when edits made since overlap it: nothing is published, it stays held)."""
    with transaction.atomic():
        held = _decidable(held, editor)
        article = held.article or Article.objects.by_title(held.title).first()
        result = article_edit_submit(
            article=article or Article(title=held.title),
            request=EditRequest(
                edit=ArticleEdit(
                    text=held.text,
                    base_revision=held.base_revision,
                    user=held.user,
                    summary=held.summary,
                    minor=held.minor,
                    categories=held.categories,
                ),
                address=address,
                interface="moderation",
                approved_by=editor,
            ),
        )
        held.state = HeldEdit.State.APPROVED
        held.decided_by, held.decided_at = editor, timezone.now()
        held.article = result.article
        held.revision_id = result.revision.pk if result.revision else None
        held.save()
    return result


def held_edit_reject(*, held: HeldEdit, editor, reason: str) -> HeldEdit:
    """Reject the held edit with the reason its author is shown; nothing is published."""
    reason = reason.strip()
    if not reason:
        raise ValueError(gettext("Say why the edit is rejected: its author is shown the reason."))
    with transaction.atomic():
        held = _decidable(held, editor)
        held.state = HeldEdit.State.REJECTED
        held.decided_by, held.decided_at = editor, timezone.now()
        held.decision_reason = reason[:2000]
        held.save()
    return held
