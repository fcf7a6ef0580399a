"""A reader's report of a problem with an article (the reports capability's one table).

Private to editors: a report may hold a reader's e-mail address or personal details, so no
public page, API, feed, export or search reads this table."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..models import Article, Revision


class Report(models.Model):
    """What a reader says is wrong with an article, and what the editors did about it."""

    class Kind(models.TextChoices):
        WRONG = "wrong", gettext_lazy("Wrong information")
        OUTDATED = "outdated", gettext_lazy("Outdated")
        UNCLEAR = "unclear", gettext_lazy("Unclear")
        OTHER = "other", gettext_lazy("Other")

    class State(models.TextChoices):
        NEW = "new", gettext_lazy("New")
        ACCEPTED = "accepted", gettext_lazy("Accepted")
        FIXED = "fixed", gettext_lazy("Fixed")
        DECLINED = "declined", gettext_lazy("Declined")
        DUPLICATE = "duplicate", gettext_lazy("Duplicate")

    # No database constraint, as for revisions: a deleted article's reports stay (with the
    # title it had) and are its reports again when it is undeleted under the same id.
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="reports",
    )
    title = models.CharField(max_length=255, help_text="The article's title when reported.")
    # The revision the reader was shown when they reported (latest, or the reviewed one).
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    section = models.CharField(
        max_length=500, blank=True, help_text="The section's heading; empty: the whole article."
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField()
    email = models.EmailField(blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.NEW)
    fixed_by = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="fixed_reports"
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    reply = models.CharField(
        max_length=1000, blank=True, help_text="The editors' words to the reporter, in the mail."
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "article"], name="report_state_article"),
            # The triage queue is paged by key (wiki/keyset.py), newest first.
            models.Index(fields=["-created_at", "-id"], name="report_newest"),
            models.Index(fields=["article", "-created_at", "-id"], name="report_article_newest"),
        ]

    def __str__(self):
        return f"report {self.pk} on {self.title}"

    def get_absolute_url(self):
        return reverse("wiki:report", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def section_label(self) -> str:
        return self.section or "Whole article"


OPEN_STATES = (Report.State.NEW, Report.State.ACCEPTED)
