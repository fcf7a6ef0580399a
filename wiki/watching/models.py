"""Watches, reader preferences and the queue of notification mails."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy


class Watch(models.Model):
    """A user watches a page and its talk page (both by the article's slug, so a page not yet
    written can be watched). `notified_at` is set when a mail went out and cleared when the
    user visits the page: one mail per page until then, as MediaWiki does."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    slug = models.CharField(max_length=255, db_index=True, help_text="The article's slug.")
    created_at = models.DateTimeField(default=timezone.now)
    visited_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slug"]
        constraints = [models.UniqueConstraint(fields=["user", "slug"], name="watch_unique")]

    def __str__(self):
        return f"{self.user} watches {self.slug}"

    @property
    def title(self) -> str:
        return self.slug.replace("_", " ")


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class Preferences(models.Model):
    """What a signed-in reader chose: which mails they get, their time zone, and whether
    editing a page watches it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wiki_preferences"
    )
    notify_watched = models.BooleanField(
        "e-mail me when a page on my watchlist changes", default=True
    )
    notify_replies = models.BooleanField(
        "e-mail me when someone replies on a talk page where I wrote", default=True
    )
    notify_reverts = models.BooleanField("e-mail me when my edit is reverted", default=True)
    watch_edits = models.BooleanField("add pages I edit or create to my watchlist", default=True)
    time_zone = models.CharField(max_length=64, blank=True, default="")
    editor_mode = models.CharField(
        "open the editor in",
        max_length=10,
        blank=True,
        default="",
        choices=[
            ("", gettext_lazy("the mode I last used")),
            ("visual", gettext_lazy("visual mode")),
            ("source", gettext_lazy("source mode")),
        ],
    )
    # The mode the editor was last saved in; the Edit tab opens in it when editor_mode is "".
    last_editor_mode = models.CharField(max_length=10, blank=True, default="")
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "preferences"

    def __str__(self):
        return f"preferences of {self.user}"


class PendingMail(models.Model):
    """A notification waiting to be sent; kept, with its last error, until it is (`mail`)."""

    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The revision the mail tells of: what of it was hidden since is left out when it is sent.
    revision_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"mail to {self.to}: {self.subject}"
