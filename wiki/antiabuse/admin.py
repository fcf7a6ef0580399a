"""Anti-abuse in the admin: the link blocklist and allowlist and the abuse rules, every change
kept by django-reversion (History on each entry, deleted entries recoverable); each rule's hit
count and log, a trial of a rule on the last edits, and the held edits."""

from django.contrib import admin
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from reversion.admin import VersionAdmin

from .models import CONDITION_FIELDS, AbuseHit, AbuseRule, HeldEdit, LinkPattern
from .trial import LONGEST_TRIAL, rule_trial


@admin.register(LinkPattern)
class LinkPatternAdmin(VersionAdmin):
    list_display = ["pattern", "list", "kind", "enabled", "note", "changed_at"]
    list_filter = ["list", "kind", "enabled"]
    list_editable = ["enabled"]
    search_fields = ["pattern", "note"]
    fields = ["list", "kind", "pattern", "note", "enabled"]


@admin.register(AbuseRule)
class AbuseRuleAdmin(VersionAdmin):
    list_display = ["name", "action", "enabled", "hit_count", "changed_at", "trial_link"]
    list_filter = ["enabled", "action"]
    list_editable = ["enabled"]
    search_fields = ["name", "description"]
    fieldsets = [
        (None, {"fields": ["name", "description", "enabled", "action", "message", "tag"]}),
        (
            "Conditions (every one filled in must hold)",
            {"fields": CONDITION_FIELDS},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(hit_total=Count("hits"))

    @admin.display(description="Hits", ordering="hit_total")
    def hit_count(self, rule):
        url = reverse("admin:wiki_abusehit_changelist") + f"?rule__id__exact={rule.pk}"
        return format_html('<a href="{}">{}</a>', url, rule.hit_total)

    @admin.display(description="Trial")
    def trial_link(self, rule):
        url = reverse("admin:wiki_abuserule_trial", args=[rule.pk])
        return format_html('<a href="{}">test against recent edits</a>', url)

    def get_urls(self):
        trial = self.admin_site.admin_view(self.trial_view)
        return [
            path("<int:rule_id>/trial/", trial, name="wiki_abuserule_trial"),
            *super().get_urls(),
        ]

    def trial_view(self, request, rule_id: int):
        """Which of the last N edits the rule would match; nothing is acted on."""
        rule = get_object_or_404(AbuseRule, pk=rule_id)
        raw = request.GET.get("last", "50")
        last = min(int(raw), LONGEST_TRIAL) if raw.isdigit() and int(raw) > 0 else 50
        looked_at, rows = rule_trial(rule, last=last)
        return TemplateResponse(
            request,
            "admin/wiki/abuserule/trial.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": f"Test “{rule.name}” against recent edits",
                "rule": rule,
                "last": last,
                "longest": LONGEST_TRIAL,
                "looked_at": looked_at,
                "rows": rows,
            },
        )


@admin.register(AbuseHit)
class AbuseHitAdmin(admin.ModelAdmin):
    list_display = ["created_at", "rule", "action", "title", "user", "interface", "matched"]
    list_filter = ["rule", "action", "interface"]
    search_fields = ["title", "matched", "user__username"]
    date_hierarchy = "created_at"
    list_select_related = ["rule", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(HeldEdit)
class HeldEditAdmin(admin.ModelAdmin):
    """The record of held edits; editors decide them on the site's queue page."""

    list_display = ["title", "user", "state", "reason", "created_at", "decided_by"]
    list_filter = ["state", "interface"]
    search_fields = ["title", "user__username", "reason"]
    list_select_related = ["user", "decided_by"]
    readonly_fields = [f.name for f in HeldEdit._meta.fields]

    def has_add_permission(self, request):
        return False
