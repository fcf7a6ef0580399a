"""A reviewer's mark on a revision, contributors' declared competing interests, and the site
interval the review queue's due dates follow (the review capability's tables)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..models import Article, Category, Contributor, Revision


class Review(models.Model):
    """A mark on one revision at a level: "checked" (any editor: not vandalism) or "medically
    reviewed" (Reviewers only), with an optional note.

    Not a content edit, so no revision is made. Kept as history is: no database constraint to
    the article (its deletion leaves the record), the reviewer's name and credentials as they
    were on the day (the record stays true when the profile or account changes).
    """

    class Level(models.TextChoices):
        # In rank order, lowest first: a higher level includes the lower ones.
        CHECKED = "checked", gettext_lazy("checked")
        REVIEWED = "reviewed", gettext_lazy("medically reviewed")

    article = models.ForeignKey(
        Article, on_delete=models.DO_NOTHING, db_constraint=False, related_name="reviews"
    )
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contributor = models.ForeignKey(
        Contributor, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    reviewer_name = models.CharField(max_length=200)
    reviewer_credentials = models.CharField(max_length=100, blank=True)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.REVIEWED)
    note = models.CharField(max_length=500, blank=True)
    # "Literature reviewed to": the month (its first day) up to which the reviewer checked the
    # published evidence; none when they did not say.
    literature_to = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The reviewer's disclosure on the day (none on file: empty), and the categories of the
    # article it declared a conflict with (names, comma-separated; only a site whose policy
    # is "show" records a review with any).
    disclosure = models.ForeignKey(
        "Disclosure", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    conflicts = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["article", "-revision"], name="review_article_newest")]

    def __str__(self):
        return f"{self.get_level_display()}: r{self.revision_id} by {self.reviewer_name}"

    @property
    def reviewer_display(self) -> str:
        if self.reviewer_credentials:
            return f"{self.reviewer_name}, {self.reviewer_credentials}"
        return self.reviewer_name


class Disclosure(models.Model):
    """A contributor's declaration of competing interests as made on one day: a statement, or
    "none declared", and the categories it conflicts with. A change is a new row: the newest
    is the current one, the others its dated history."""

    contributor = models.ForeignKey(
        Contributor, on_delete=models.CASCADE, related_name="disclosures"
    )
    none_declared = models.BooleanField(default=False)
    statement = models.TextField(blank=True)
    conflicts = models.ManyToManyField(Category, blank=True, related_name="+")
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"disclosure of {self.contributor} on {self.created_at:%Y-%m-%d}"

    @property
    def summary(self) -> str:
        return "None declared" if self.none_declared else self.statement


class QueueInterval(models.Model):
    """One row: the site's review interval (`WIKI_REVIEW_INTERVAL_MONTHS`) that every stored
    due date (`Article.review_due`) was worked out with. When the setting says otherwise, they
    are all worked out again (`services.follow_site_interval`)."""

    months = models.PositiveSmallIntegerField()

    class Meta:
        db_table = "wiki_review_queue_interval"

    def __str__(self):
        return f"review due dates follow {self.months} months"
