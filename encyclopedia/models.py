"""Site pages around the encyclopedia (disclaimer, about, license, privacy), edited by admins."""

from django.db import models
from django.urls import reverse
from django.utils import timezone


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
            cls.objects.filter(starts_on__lte=timezone.localdate())
            .select_related("article")
            .first()
        )
