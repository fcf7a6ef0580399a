"""Anti-abuse's tables: the link blocklist and allowlist, abuse rules (each change kept by
django-reversion), the log of their hits, and held edits waiting for an editor."""

import re

import regex
import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy

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


# Abuse rules (AbuseFilter, smaller) and held edits (Moderation) -------------------------------

REGEX_FIELDS = ("added_text_regex", "removed_text_regex", "title_regex")
LONGEST_PATTERN = 500  # characters of a rule's regular expression
CONDITION_FIELDS = (
    *REGEX_FIELDS,
    "min_removed_chars",
    "min_added_links",
    "references_removed",
    "section_blanked",
    "in_category",
    "max_account_age_days",
    "max_edit_count",
    "groups",
    "interfaces",
)


@reversion.register()
class AbuseRule(models.Model):
    """A rule over an edit: every condition filled in must hold (AND); when all do, its action
    is taken. No code is evaluated: the conditions are fields (`rules.rule_matches`)."""

    class Action(models.TextChoices):
        WARN = "warn", "Warn: the editor sees the message and may save the same edit again"
        TAG = "tag", "Tag: save it, tagged in the history and recent changes"
        HOLD = "hold", "Hold: not published; it waits for an editor in the held-edits queue"
        DENY = "deny", "Deny: refuse the edit with the message"

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True, help_text="What the rule is for (editors only).")
    enabled = models.BooleanField(default=False)
    action = models.CharField(max_length=4, choices=Action.choices, default=Action.TAG)
    message = models.CharField(
        max_length=500, blank=True, help_text="Shown to the editor (warn, hold, deny)."
    )
    tag = models.SlugField(max_length=40, blank=True, help_text="The tag a revision gets (tag).")
    added_text_regex = models.CharField(
        "added text matches", max_length=LONGEST_PATTERN, blank=True,
        help_text="A regular expression searched (case-insensitive) in the lines the edit adds.",
    )  # fmt: skip
    removed_text_regex = models.CharField(
        "removed text matches", max_length=LONGEST_PATTERN, blank=True,
        help_text="A regular expression searched (case-insensitive) in the lines it removes.",
    )  # fmt: skip
    title_regex = models.CharField(
        "title matches", max_length=LONGEST_PATTERN, blank=True,
        help_text="A regular expression searched (case-insensitive) in the article's title.",
    )  # fmt: skip
    min_removed_chars = models.PositiveIntegerField(
        "removes at least (characters)", null=True, blank=True
    )
    min_added_links = models.PositiveIntegerField(
        "adds at least (external links)", null=True, blank=True
    )
    references_removed = models.BooleanField("removes a reference", default=False)
    section_blanked = models.BooleanField("blanks a section", default=False)
    in_category = models.CharField("article in category", max_length=255, blank=True)
    max_account_age_days = models.PositiveIntegerField(
        "account at most this many days old", null=True, blank=True
    )
    max_edit_count = models.PositiveIntegerField(
        "account has at most this many edits", null=True, blank=True
    )
    groups = models.CharField(
        max_length=255, blank=True, help_text="Comma-separated group names: the editor is in one."
    )
    interfaces = models.CharField(
        max_length=255, blank=True,
        help_text="Comma-separated: form, section, new, talk, rest, action-api, undo, revert, "
        "admin.",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        for name in REGEX_FIELDS:
            if pattern := getattr(self, name):
                try:
                    regex.compile(pattern)
                except regex.error as exc:
                    errors[name] = f"Not a regular expression: {exc}."
        if not any(getattr(self, name) not in (None, "", False) for name in CONDITION_FIELDS):
            errors["__all__"] = (
                "Give at least one condition: a rule without one matches every edit."
            )
        if self.action == self.Action.TAG and not self.tag:
            errors["tag"] = "A tagging rule needs the tag it gives."
        if errors:
            raise ValidationError(errors)


class AbuseHit(models.Model):
    """An edit a rule matched, and what was done (kept when the article is deleted)."""

    rule = models.ForeignKey(AbuseRule, on_delete=models.CASCADE, related_name="hits")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=255)
    interface = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=4, choices=AbuseRule.Action.choices)
    matched = models.CharField(max_length=500, blank=True, help_text="What matched.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.rule} on {self.title}"


class HeldEdit(models.Model):
    """An edit not published: it waits until an editor approves it (published through the
    edit door, merged with edits made since) or rejects it with a reason."""

    class State(models.TextChoices):
        PENDING = "pending", gettext_lazy("Waiting for review")
        APPROVED = "approved", gettext_lazy("Approved and published")
        REJECTED = "rejected", gettext_lazy("Rejected")

    article = models.ForeignKey(
        "wiki.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=255, help_text="The article's title (a new one too).")
    base_revision = models.IntegerField(null=True, blank=True, help_text="Made from this one.")
    text = models.TextField(help_text="The article's whole new text.")
    summary = models.CharField(max_length=500, blank=True)
    minor = models.BooleanField(default=False)
    categories = models.JSONField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="held_edits"
    )
    interface = models.CharField(max_length=20, blank=True)
    reason = models.CharField(max_length=500, help_text="Why it was held.")
    rule = models.ForeignKey(AbuseRule, null=True, blank=True, on_delete=models.SET_NULL)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    revision_id = models.IntegerField(null=True, blank=True, help_text="What approval saved.")

    class Meta:
        ordering = ["created_at", "pk"]
        # The queue is paged by key (wiki/keyset.py): the pending oldest first, an author's
        # own newest first.
        indexes = [
            models.Index(fields=["state", "created_at", "id"], name="held_edit_state"),
            models.Index(fields=["user", "-created_at", "-id"], name="held_edit_user_newest"),
        ]

    def __str__(self):
        return f"{self.title} by {self.user} ({self.get_state_display().lower()})"
