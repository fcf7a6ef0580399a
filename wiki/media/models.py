"""Media files as content: their pages and the versions and edits of each."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..languages import content_language
from ..models import Category, Contributor
from ..rendering import render_markdown


class MediaFile(models.Model):
    """An image as content: its page (`/wiki/File:<name>`) with who made it, under what license,
    its description and alt text; its versions and edits are `MediaRevision`s (`wiki.media`)."""

    class License(models.TextChoices):
        CC_BY = "cc-by-4.0", "CC BY 4.0"
        CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
        CC_BY_3 = "cc-by-3.0", "CC BY 3.0"
        CC_BY_SA_3 = "cc-by-sa-3.0", "CC BY-SA 3.0"
        CC0 = "cc0", gettext_lazy("CC0 (public domain dedication)")
        PUBLIC_DOMAIN = "public-domain", gettext_lazy("Public domain")
        FAIR_USE = "fair-use", gettext_lazy("Fair use (with rationale)")
        PERMISSION = "permission", gettext_lazy("All rights reserved, used with permission")

    name = models.CharField(max_length=240, unique=True, help_text="e.g. “Chest X-ray.png”.")
    slug = models.CharField(max_length=240, unique=True, editable=False)
    description = models.TextField(blank=True, help_text="Markdown: what the image shows.")
    # The language its description and alt text are written in; the file itself, its name and
    # its page are shared by every language (a Spanish article shows the same File:).
    language = models.CharField(max_length=12, default=content_language)
    description_html = models.TextField(blank=True, editable=False)
    alt = models.CharField(
        "alt text", max_length=500, help_text="What the image shows, for readers who cannot see it."
    )
    author = models.CharField(max_length=300)
    source_url = models.URLField("source", max_length=500, blank=True)
    license = models.CharField(max_length=20, choices=License.choices)
    rationale = models.TextField(
        "fair use rationale", blank=True, help_text="Required for fair use: why it may be used."
    )
    date = models.DateField(null=True, blank=True, help_text="When the image was made.")
    categories = models.ManyToManyField(Category, blank=True, related_name="media")
    # The current version's file (re-encoded, without metadata) and what it is.
    file = models.CharField(max_length=300, editable=False)
    sha256 = models.CharField(max_length=64, db_index=True, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    format = models.CharField(max_length=10, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "media file"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.name.replace(" ", "_")
        self.description_html = render_markdown(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("wiki:media", args=[self.slug])

    @property
    def credit(self) -> str:
        """The credit line: "Photo: Author, CC BY-SA 4.0"."""
        return f"Image: {self.author}, {self.get_license_display()}"


class MediaRevision(models.Model):
    """One change of a media page: its upload, a new version of the file, or an edit of its
    description; with everything the page said then."""

    class Kind(models.TextChoices):
        UPLOAD = "upload", gettext_lazy("Uploaded")
        VERSION = "version", gettext_lazy("New version")
        EDIT = "edit", gettext_lazy("Description edited")

    media = models.ForeignKey(MediaFile, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contributor = models.ForeignKey(
        Contributor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    summary = models.CharField(max_length=500, blank=True)
    fields = models.JSONField(default=dict, help_text="The page's fields after this change.")
    file = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.media}"
