"""Which page calls which template, and the re-renderings a template's change started."""

from django.db import models
from django.utils import timezone


class TemplateUse(models.Model):
    """The page calls `Template:…` by name in its current text (MediaWiki's templatelinks,
    direct calls only: the users of a template through another are found by following
    these rows, `services.pages_using`)."""

    article = models.ForeignKey("wiki.Article", models.CASCADE, related_name="template_uses")
    template_slug = models.CharField(max_length=255, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "template_slug"], name="template_use_unique")
        ]

    def __str__(self):
        return f"{self.article_id} uses {self.template_slug}"


class Rerender(models.Model):
    """The re-rendering of every page using a template, started when the template was saved:
    the pages to do (their ids, in order) and how many are done."""

    template_slug = models.CharField(max_length=255, db_index=True)
    article_ids = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self):
        return f"Re-rendering the users of {self.template_slug}: {self.done} of {self.total}"

    @property
    def finished(self) -> bool:
        return self.finished_at is not None
