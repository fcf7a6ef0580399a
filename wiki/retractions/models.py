"""The retractions capability's tables: what each article cites, when each cited work was last
checked, and what was found about it."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..models import Article


class Scheme(models.TextChoices):
    DOI = "doi", "DOI"
    PMID = "pmid", "PMID"


class CitedWork(models.Model):
    """A DOI or PMID in one reference of an article's current text (DOIs lowercased, as they
    compare). Kept by a save subscriber; the check job catches up articles it missed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="cited_works")
    reference = models.CharField(max_length=200)  # the footnote's name: one paper
    scheme = models.CharField(max_length=4, choices=Scheme.choices)
    identifier = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "reference", "scheme", "identifier"], name="cited_work_once"
            )
        ]
        indexes = [models.Index(fields=["scheme", "identifier"], name="cited_work_identifier")]

    def __str__(self):
        return f"{self.scheme}:{self.identifier} in {self.article_id}"


class CitationIndex(models.Model):
    """Which revision of an article its `CitedWork` rows were taken from."""

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="citation_index"
    )
    revision_id = models.BigIntegerField(null=True)

    def __str__(self):
        return f"citations of {self.article_id} at r{self.revision_id}"


class SourceCheck(models.Model):
    """When a cited work was last checked (successfully) against its service."""

    scheme = models.CharField(max_length=4, choices=Scheme.choices)
    identifier = models.CharField(max_length=255)
    checked_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "identifier"], name="source_check_once")
        ]

    def __str__(self):
        return f"{self.scheme}:{self.identifier} checked {self.checked_at:%Y-%m-%d}"


class SourceNotice(models.Model):
    """A finding: a notice that retracts, raises concern about, or corrects a cited work."""

    class Kind(models.TextChoices):
        RETRACTION = "retraction", gettext_lazy("Retraction")
        CONCERN = "concern", gettext_lazy("Expression of concern")
        CORRECTION = "correction", gettext_lazy("Correction")

    scheme = models.CharField(max_length=4, choices=Scheme.choices)
    identifier = models.CharField(max_length=255)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    notice_date = models.DateField(null=True, blank=True)
    notice_doi = models.CharField(max_length=255, blank=True)
    notice_url = models.CharField(max_length=500)
    label = models.CharField(max_length=200, blank=True)  # the service's own words
    service = models.CharField(max_length=20)  # crossref or pubmed
    found_at = models.DateTimeField(default=timezone.now)
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["identifier", "-notice_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "identifier", "kind", "notice_url"], name="source_notice_once"
            )
        ]
        indexes = [models.Index(fields=["scheme", "identifier"], name="source_notice_identifier")]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.scheme}:{self.identifier}"
