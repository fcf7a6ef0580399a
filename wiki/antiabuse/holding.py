"""Held edits (as MediaWiki's Moderation): an edit the door does not publish, kept whole for an
editor to approve or reject (`moderation.py`). Held when WIKI_HOLD_NEW_ACCOUNT_EDITS is on
and the account is young (`limits.is_young`), or when an abuse rule says "hold"."""

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ..limits import is_young
from ..models import Article
from ..permissions import EditRefused
from ..services import ArticleEdit
from ..snapshots import load_snapshot
from ..sources import replace_section
from .models import AbuseRule, HeldEdit

NEW_ACCOUNT_REASON = "Edits of new accounts are reviewed before they are published."


class EditHeld(EditRefused):
    """The edit was not published: it waits for an editor (code "moderation-edit-queued",
    202). Each interface says so and keeps the text; `held` is the stored edit."""

    def __init__(self, held: HeldEdit):
        self.held = held
        super().__init__(
            "Your edit is waiting for review by an editor. It is not published yet; it will "
            f"be once an editor approves it. ({held.reason})",
            status=202,
            code="moderation-edit-queued",
        )

    @property
    def details(self) -> dict:
        return {"held_edit": self.held.pk}


def holds_new_accounts(user) -> bool:
    return settings.WIKI_HOLD_NEW_ACCOUNT_EDITS and is_young(user)


def whole_text(article: Article, edit: ArticleEdit) -> str:
    """The article's whole text as the edit makes it from its base revision (a section's
    edit put into the text it was made from)."""
    if edit.section is None:
        return edit.text
    base = None
    if edit.base_revision and edit.base_revision != article.latest_revision_id:
        base = load_snapshot(edit.base_revision)
    source = base.source if base is not None else article.source
    return replace_section(source, edit.section, edit.text)


def edit_hold(
    *, article: Article, edit: ArticleEdit, interface: str, reason: str, rule: AbuseRule | None
) -> EditHeld:
    """Store the edit as held; answer the refusal the door raises (nothing is published)."""
    creating = article._state.adding
    held = HeldEdit.objects.create(
        article=None if creating else article,
        title=article.title,
        base_revision=None if creating else (edit.base_revision or article.latest_revision_id),
        text=whole_text(article, edit),
        summary=edit.summary[:500],
        minor=edit.minor,
        categories=edit.category_names(),
        user=edit.user,
        interface=interface,
        reason=reason[:500],
        rule=rule,
    )
    return EditHeld(held)


def pending_held_titles(user) -> list[str]:
    """The titles of `user`'s edits waiting for review, one per edit: asked on every article
    view of a signed-in reader, so kept in the cache until one of their held edits changes."""
    if not (user and user.is_authenticated):
        return []
    key = f"held-pending:{user.pk}"
    titles = cache.get(key)
    if titles is None:
        pending = HeldEdit.objects.filter(user=user, state=HeldEdit.State.PENDING)
        titles = list(pending.values_list("title", flat=True))
        cache.set(key, titles, 3600)
    return titles


@receiver([post_save, post_delete], sender=HeldEdit)
def _forget_pending(sender, instance, **kwargs) -> None:
    cache.delete(f"held-pending:{instance.user_id}")
