"""The link blocklist and allowlist in the admin: every change kept by django-reversion
(History on each entry, deleted entries recoverable)."""

from django.contrib import admin
from reversion.admin import VersionAdmin

from .models import LinkPattern


@admin.register(LinkPattern)
class LinkPatternAdmin(VersionAdmin):
    list_display = ["pattern", "list", "kind", "enabled", "note", "changed_at"]
    list_filter = ["list", "kind", "enabled"]
    list_editable = ["enabled"]
    search_fields = ["pattern", "note"]
    fields = ["list", "kind", "pattern", "note", "enabled"]
