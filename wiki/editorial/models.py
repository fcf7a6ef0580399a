"""The editorial capability's tables: patrol marks, the public logs, blocks and what of a
revision is hidden."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..models import Article, Revision


class Patrol(models.Model):
    """An edit an editor looked at and found in order (MediaWiki's patrolled mark)."""

    revision = models.OneToOneField(
        Revision, primary_key=True, on_delete=models.CASCADE, related_name="patrol"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"r{self.revision_id} patrolled"


class LogEntry(models.Model):
    """One editorial action for the public logs: a move, deletion, protection, block, review,
    rights change, upload, import or translation link, with who did it, to what, and why."""

    class Type(models.TextChoices):
        MOVE = "move", gettext_lazy("Move log")
        DELETE = "delete", gettext_lazy("Deletion log")
        PROTECT = "protect", gettext_lazy("Protection log")
        BLOCK = "block", gettext_lazy("Block log")
        REVIEW = "review", gettext_lazy("Review log")
        RIGHTS = "rights", gettext_lazy("User rights log")
        UPLOAD = "upload", gettext_lazy("Upload log")
        IMPORT = "import", gettext_lazy("Import log")
        PATROL = "patrol", gettext_lazy("Patrol log")
        SUPPRESS = "suppress", gettext_lazy("Suppression log")
        TRANSLATE = "translate", gettext_lazy("Translation log")

    type = models.CharField(max_length=10, choices=Type.choices)
    action = models.CharField(max_length=20, help_text="What was done, e.g. move, restore.")
    performer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    performer_name = models.CharField(max_length=150, blank=True)
    # The page or account acted on, as a title ("User:Name" for an account), kept as text:
    # the page may be deleted or moved since.
    target = models.CharField(max_length=300, db_index=True)
    article_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    comment = models.CharField(max_length=500, blank=True)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        # The log is paged by key (wiki/keyset.py): newest first, whole or by type or performer.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="log_newest"),
            models.Index(fields=["type", "-created_at", "-id"], name="log_type_newest"),
            models.Index(fields=["performer", "-created_at", "-id"], name="log_performer_newest"),
        ]
        verbose_name_plural = "log entries"

    def __str__(self):
        return f"{self.type}/{self.action} {self.target}"


class Block(models.Model):
    """An account kept from editing (one page or all of them) until an expiry, or lifted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: indefinite.")
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="blocks",
        help_text="Only this page; empty: every page.",
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"block of {self.user}"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.lifted_at is None and (self.expires_at is None or self.expires_at > now)


class RevisionVisibility(models.Model):
    """What of a revision is hidden (MediaWiki's RevisionDelete): its text, its summary, its
    author's name; suppressed, from administrators too. No row: nothing is hidden. Read only
    through `revision_hiding`."""

    revision = models.OneToOneField(
        Revision, primary_key=True, on_delete=models.CASCADE, related_name="hiding"
    )
    text_hidden = models.BooleanField(default=False)
    summary_hidden = models.BooleanField(default=False)
    author_hidden = models.BooleanField(default=False)
    suppressed = models.BooleanField(default=False)
    reason = models.CharField(max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "revision visibilities"
        permissions = [("suppress_revision", "Can hide revisions from administrators too")]

    def __str__(self):
        return f"r{self.revision_id} visibility"
