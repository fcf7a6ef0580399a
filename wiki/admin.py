"""Admin: articles with their sections inline, saved through the one write path."""

from contextlib import contextmanager

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from markdownx.widgets import AdminMarkdownxWidget
from reversion.admin import VersionAdmin
from reversion.models import Version

from .models import Article, Category, Contributor, Credit, Portal, Section
from .services import EditConflict, article_delete, article_restore, article_save
from .snapshots import load_snapshot
from .sources import SourceSection, join_source


class SectionInline(admin.StackedInline):
    model = Section
    fields = ["position", "level", "heading", "body"]
    extra = 0
    formfield_overrides = {
        Section._meta.get_field("body").__class__: {"widget": AdminMarkdownxWidget}
    }

    class Media:
        js = ["js/admin-markdownx-inlines.js"]


class CreditInline(admin.TabularInline):
    model = Credit
    fields = ["contributor", "since", "imported"]
    autocomplete_fields = ["contributor"]
    extra = 0


class ArticleAdminForm(forms.ModelForm):
    summary = forms.CharField(
        required=False, max_length=500, help_text="Edit summary shown in the history."
    )

    class Meta:
        model = Article
        fields = ["title", "lead", "categories", "protection", "redirect_to"]
        widgets = {"lead": AdminMarkdownxWidget}


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleAdminForm
    inlines = [SectionInline, CreditInline]
    list_display = ["title", "protection", "size", "updated_at"]
    list_filter = ["protection", "categories", "updated_at"]
    search_fields = ["title"]
    filter_horizontal = ["categories"]
    autocomplete_fields = ["redirect_to"]
    readonly_fields = ["size", "updated_at"]
    history_latest_first = True

    class Media:
        css = {"all": ["css/admin-preview.css"]}

    @contextmanager
    def create_revision(self, request):
        """The write path opens the revision itself, with our metadata; VersionAdmin must not."""
        yield

    def save_model(self, request, obj, form, change):
        """Deferred to save_related, where the sections are known."""

    def save_formset(self, request, form, formset, change):
        if formset.model is Credit:
            formset.save()

    def save_related(self, request, form, formsets, change):
        article = form.instance
        sections = []
        for formset in formsets:
            if formset.model is not Section:
                continue
            # The write path rebuilds the sections; the admin log describes the article change.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            rows = [
                f.cleaned_data
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            for row in sorted(rows, key=lambda r: r.get("position") or 0):
                body = row.get("body") or ""
                if body and not body.startswith("\n"):
                    body = "\n" + body
                if body and not body.endswith("\n"):
                    body += "\n"
                sections.append(SourceSection(row["heading"], row.get("level") or 2, body))
        lead = form.cleaned_data.get("lead") or ""
        if lead and not lead.endswith("\n"):
            lead += "\n"
        source = join_source(lead, sections)
        categories = [c.name for c in form.cleaned_data.get("categories", [])]
        try:
            result = article_save(
                article=article,
                user=request.user,
                source=source,
                base_revision=Article.objects.filter(pk=article.pk)
                .values_list("latest_revision", flat=True)
                .first()
                if article.pk
                else None,
                summary=form.cleaned_data.get("summary") or "Edited in the admin",
                categories=categories,
            )
        except EditConflict:
            self.message_user(request, "Someone saved this article meanwhile.", messages.ERROR)
            raise
        article = result.article
        for formset in formsets:
            if formset.model is Credit:
                formset.instance = article
                self.save_formset(request, form, formset, change)

    def recover_view(self, request, version_id, extra_context=None):
        """Recover a deleted article (with its sections) as a new revision of the write path."""
        version = get_object_or_404(Version.objects.get_deleted(Article), pk=version_id)
        return self._restore(request, version, recovering=True)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Revert to an old version: saved as a new revision, history untouched."""
        version = get_object_or_404(
            Version.objects.get_for_model(Article), pk=version_id, object_id=object_id
        )
        return self._restore(request, version, recovering=False)

    def _restore(self, request, version, *, recovering):
        allowed = (
            self.has_add_permission(request) if recovering else self.has_change_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        snapshot = load_snapshot(version.revision_id)
        if request.method == "POST":
            result = article_restore(revision_id=version.revision_id, user=request.user)
            self.message_user(
                request,
                f"“{result.article}” was {'recovered' if recovering else 'reverted'} "
                f"from revision {version.revision_id}.",
                messages.SUCCESS,
            )
            return redirect("admin:wiki_article_change", result.article.pk)
        return TemplateResponse(
            request,
            "admin/wiki/article/restore_confirm.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": f"{'Recover' if recovering else 'Revert'} “{snapshot.title}”",
                "snapshot": snapshot,
                "version": version,
                "recovering": recovering,
            },
        )

    def delete_model(self, request, obj):
        article_delete(article=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            article_delete(article=article, user=request.user)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    list_display = ["name", "credentials", "user"]
    search_fields = ["name", "credentials", "user__username"]
    autocomplete_fields = ["user"]


@admin.register(Portal)
class PortalAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "in_navigation", "category", "link"]
    list_editable = ["position", "in_navigation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["category"]
    fields = ["name", "slug", "category", "link", "description", "position", "in_navigation"]
