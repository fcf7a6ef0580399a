"""Reader reports in the admin: read and triaged on the site (`/reports`), kept here for the
record and for removing personal details a reporter asks to have removed."""

from django.contrib import admin

from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["pk", "created_at", "title", "section", "kind", "state", "email"]
    list_filter = ["state", "kind", "created_at"]
    search_fields = ["title", "text", "email"]
    readonly_fields = [
        "article",
        "title",
        "revision",
        "section",
        "kind",
        "reporter",
        "created_at",
        "fixed_by",
        "duplicate_of",
        "handled_by",
        "handled_at",
    ]

    def has_add_permission(self, request):
        return False
