from django.contrib import admin
from django.db.models import Sum
from markdownx.widgets import AdminMarkdownxWidget

from wiki.form_fields import MarkdownField

from .models import FeaturedArticle, Promotion, PromotionDay, SitePage
from .signin import AdminSignInForm

admin.site.login_form = AdminSignInForm  # throttled like the site's sign-in form
admin.site.index_template = "admin/encyclopedia_index.html"  # the backup warning, site health

# Markdown typed in the admin: its editor, and LF line endings whatever the browser sends.
MARKDOWN = {"form_class": MarkdownField, "widget": AdminMarkdownxWidget}


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = {SitePage._meta.get_field("body").__class__: MARKDOWN}


@admin.register(FeaturedArticle)
class FeaturedArticleAdmin(admin.ModelAdmin):
    list_display = ["article", "starts_on"]
    autocomplete_fields = ["article"]
    fields = ["article", "starts_on", "blurb"]
    formfield_overrides = {FeaturedArticle._meta.get_field("blurb").__class__: MARKDOWN}


class PromotionDayInline(admin.TabularInline):
    """The counts, read only: impressions and clicks per day, nothing about who."""

    model = PromotionDay
    fields = ["day", "impressions", "clicks"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Promotion)
class PromotionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "starts_on", "ends_on", "on_main_page", "impressions", "clicks"]
    list_filter = ["on_main_page"]
    search_fields = ["text", "link"]
    filter_horizontal = ["categories", "excluded_categories"]
    formfield_overrides = {Promotion._meta.get_field("link").__class__: {"assume_scheme": "https"}}
    fieldsets = [
        (
            None,
            {
                "description": "Shown labelled “Advertisement” between an article's credits and "
                "the disclaimer, once PROMOTIONS_ENABLED is on. Impression counts reach this "
                "page within a few minutes.",
                "fields": ["text", "link", "image", "image_alt"],
            },
        ),
        ("When", {"fields": ["starts_on", "ends_on"]}),
        ("Where", {"fields": ["categories", "excluded_categories", "on_main_page"]}),
    ]
    inlines = [PromotionDayInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(shown=Sum("days__impressions"), clicked=Sum("days__clicks"))
        )

    @admin.display(ordering="shown")
    def impressions(self, obj):
        return obj.shown or 0

    @admin.display(ordering="clicked")
    def clicks(self, obj):
        return obj.clicked or 0
