"""Disclosures in the admin: administrators read every contributor's declarations, each
change a dated row; they are made on the site, by the contributor, and never edited here."""

from django.contrib import admin

from .models import Disclosure


@admin.register(Disclosure)
class DisclosureAdmin(admin.ModelAdmin):
    list_display = ["created_at", "contributor", "none_declared", "statement", "conflict_names"]
    list_filter = ["none_declared", "created_at"]
    search_fields = ["contributor__name", "statement"]
    readonly_fields = [
        "contributor",
        "none_declared",
        "statement",
        "conflicts",
        "declared_by",
        "created_at",
    ]

    @admin.display(description="conflicts with")
    def conflict_names(self, disclosure):
        return ", ".join(c.name for c in disclosure.conflicts.all())

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contributor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
