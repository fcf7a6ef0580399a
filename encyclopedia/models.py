"""Site pages around the encyclopedia (disclaimer, about, license, privacy), edited by admins."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from wiki.languages import content_language


class SitePage(models.Model):
    slug = models.SlugField(max_length=50, unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown.")
    html = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        from wiki.rendering import render_markdown

        self.html = render_markdown(self.body)
        if (fields := kwargs.get("update_fields")) is not None and "body" in fields:
            kwargs["update_fields"] = {*fields, "html"}  # e.g. update_or_create(defaults=…)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("encyclopedia:page", args=[self.slug])


class FeaturedArticle(models.Model):
    """The article the main page shows off, chosen by an admin; the newest started one wins."""

    article = models.ForeignKey("wiki.Article", on_delete=models.CASCADE, related_name="+")
    blurb = models.TextField(
        blank=True, help_text="Markdown shown on the main page; empty uses the article's lead."
    )
    blurb_html = models.TextField(blank=True, editable=False)
    starts_on = models.DateField(
        default=timezone.localdate, help_text="Shown from this day until a newer one starts."
    )

    class Meta:
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return f"{self.article} (from {self.starts_on:%d %b %Y})"

    def save(self, *args, **kwargs):
        from wiki.rendering import render_markdown

        self.blurb_html = render_markdown(self.blurb)
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        return (
            cls.objects.filter(
                starts_on__lte=timezone.localdate(), article__language=content_language()
            )
            .select_related("article")
            .first()
        )


class Promotion(models.Model):
    """A house advertisement an administrator runs between the page's credits and the
    disclaimer, always labelled as such (`encyclopedia/promotions.py` chooses and counts)."""

    text = models.CharField(max_length=300, help_text="Plain text, shown as written.")
    link = models.URLField(help_text="Where a click leads (through our own counting address).")
    image = models.ImageField(
        upload_to="promotions/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
        help_text="Optional; stored and served by this site. Its loads are the impressions.",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(
        "image alt text", max_length=200, blank=True, help_text="Required with an image."
    )
    starts_on = models.DateField(default=timezone.localdate, help_text="First day shown.")
    ends_on = models.DateField(null=True, blank=True, help_text="Last day shown; empty: no end.")
    categories = models.ManyToManyField(
        "wiki.Category",
        blank=True,
        related_name="+",
        help_text="Only on articles in one of these categories; none chosen: any article.",
    )
    excluded_categories = models.ManyToManyField(
        "wiki.Category",
        blank=True,
        related_name="+",
        help_text="Never on articles in any of these categories.",
    )
    on_main_page = models.BooleanField(default=False, help_text="Also shown on the main page.")
    # Whether pages were last retired with it running: the scheduled job compares this with
    # the dates to retire cached pages when a promotion starts or ends.
    live = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.text if len(self.text) <= 60 else f"{self.text[:59]}…"

    def clean(self):
        if self.image and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": "Describe the image for readers who cannot see it."}
            )
        if self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The last day comes after the first."})

    def running_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class PromotionDay(models.Model):
    """Aggregate counts of one promotion on one day: nothing about who saw or clicked it."""

    promotion = models.ForeignKey(Promotion, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    impressions = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["promotion", "day"], name="one_count_a_promotion_day")
        ]

    def __str__(self):
        return f"{self.promotion} on {self.day:%d %b %Y}"
