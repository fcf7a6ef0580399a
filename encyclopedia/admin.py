from django.contrib import admin
from markdownx.widgets import AdminMarkdownxWidget

from wiki.form_fields import MarkdownField

from .models import FeaturedArticle, SitePage
from .signin import AdminSignInForm

admin.site.login_form = AdminSignInForm  # throttled like the site's sign-in form

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
