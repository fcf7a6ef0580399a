from django.contrib import admin
from markdownx.widgets import AdminMarkdownxWidget

from .models import SitePage


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = {SitePage._meta.get_field("body").__class__: {"widget": AdminMarkdownxWidget}}
