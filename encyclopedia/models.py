"""Site pages around the encyclopedia (disclaimer, about, license, privacy), edited by admins."""

from django.db import models
from django.urls import reverse


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
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("encyclopedia:page", args=[self.slug])
