"""The link blocklist and allowlist: patterns administrators keep in the admin, with
django-reversion's history of every change."""

import re

import reversion
from django.core.exceptions import ValidationError
from django.db import models

from .link_finding import host_pattern


@reversion.register()
class LinkPattern(models.Model):
    """A domain (`spam.example`, which also covers its subdomains) or a regular expression
    matched against a newly added link (`https://host/path`, the host normalised)."""

    class List(models.TextChoices):
        BLOCK = "block", "Blocklist: refuse edits adding such a link"
        ALLOW = "allow", "Allowlist: such links are never refused and need no captcha"

    class Kind(models.TextChoices):
        DOMAIN = "domain", "Domain (and its subdomains)"
        REGEX = "regex", "Regular expression (case-insensitive, searched in the link)"

    list = models.CharField(max_length=5, choices=List.choices, default=List.BLOCK)
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.DOMAIN)
    pattern = models.CharField(max_length=500)
    note = models.CharField(max_length=500, blank=True, help_text="Why it is listed.")
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["list", "pattern"]
        constraints = [
            models.UniqueConstraint(fields=["list", "kind", "pattern"], name="link_pattern_unique")
        ]

    def __str__(self):
        return f"{self.get_list_display().split(':')[0]}: {self.pattern}"

    def clean(self):
        if self.kind == self.Kind.DOMAIN:
            try:
                self.pattern = host_pattern(self.pattern)
            except ValueError as exc:
                raise ValidationError({"pattern": str(exc)}) from None
        else:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValidationError({"pattern": f"Not a regular expression: {exc}."}) from None
