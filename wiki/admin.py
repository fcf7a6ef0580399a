"""Admin: articles with their sections inline, saved through the one write path."""

from contextlib import contextmanager

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection, models
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from markdownx.widgets import AdminMarkdownxWidget
from reversion.admin import VersionAdmin
from reversion.models import Version

from .editing.conflicts import conflict_page
from .editing.services import EditRequest, article_edit_submit
from .editorial.deletion import page_delete
from .editorial.logs import log_action, readable_logs, user_target
from .editorial.models import Block, LogEntry
from .editorial.moves import MoveRefused, article_move
from .editorial.revision_hiding import require_texts, versions_shown_to
from .form_fields import MarkdownField
from .history.services import restore_edit
from .limits import client_address
from .media.models import MediaFile
from .media.services import PAGE_FIELDS, MediaEdit, media_update
from .models import Article, Category, Contributor, Credit, Portal, Section
from .permissions import EditRefused, require_edit
from .rendering import RenderTooComplex
from .review import admin as review_admin  # noqa: F401 (registers disclosures)
from .review.models import Review
from .review.services import (
    default_interval,
    forget_overdue_count,
    refresh_review_queue,
    set_show_reviewed,
)
from .services import ArticleEdit, EditConflict, SourceTooLarge, article_save
from .snapshots import load_snapshot
from .sources import SourceSection, join_source
from .validation import source_problems
from .watching.models import PendingMail


class GrowingListPaginator(Paginator):
    """Pages of an admin list whose table grows with the wiki, at a cost that does not.

    Django's changelist counts every row of the list (`COUNT(*)`, reading the whole table or
    every match of a search) and offers its last page (`OFFSET` past every row before it). Here
    an unfiltered list on PostgreSQL shows the planner's row estimate (`pg_class.reltuples`,
    kept by autovacuum) and a filtered or searched one is counted up to COUNT_UP_TO rows; only
    the first PAGES_UP_TO pages are offered. Later rows are reached by a filter, a search or
    the other sort order."""

    COUNT_UP_TO = 10_000
    PAGES_UP_TO = 100

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if connection.vendor == "postgresql" and not rows.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [rows.model._meta.db_table],
                )
                estimate = cursor.fetchone()[0]
            if estimate >= self.COUNT_UP_TO:  # -1 when never analysed: then counted
                return estimate
        return rows.order_by()[: self.COUNT_UP_TO].count()

    @cached_property
    def num_pages(self) -> int:
        return min(super().num_pages, self.PAGES_UP_TO)


class GrowingChangeList(ChangeList):
    """Without a full count Django says "N results (Show all)" over every list, filtered or
    not; an unfiltered list is all there is, so it says nothing there."""

    def get_results(self, request):
        super().get_results(request)
        if not self.query and not self.has_active_filters:
            self.full_result_count = self.result_count


class GrowingList:
    """The admin list of a table that grows with the wiki: no full counts (the paginator above,
    and no "N total" beside a search's count)."""

    paginator = GrowingListPaginator
    show_full_result_count = False

    def get_changelist(self, request, **kwargs):
        return GrowingChangeList


class GrowingListAdmin(GrowingList, admin.ModelAdmin):
    pass


class AdminConflict(Exception):
    """An admin save overlapped someone else's; carries what the conflict page hands back."""

    def __init__(self, conflict: EditConflict, *, summary: str, categories: str):
        super().__init__("Edit conflict in the admin")
        self.conflict = conflict
        self.cleaned_data = {"summary": summary, "minor": False, "categories": categories}


class AdminMoveRefused(Exception):
    """The admin's new title cannot be moved to (the save is rolled back whole)."""


class SectionForm(forms.ModelForm):
    """A section as typed: its body is kept as it is, not stripped (stripping made every save
    look like a change of every section)."""

    body = MarkdownField(required=False, widget=AdminMarkdownxWidget)

    class Meta:
        model = Section
        fields = ["position", "level", "heading", "body"]

    def clean_body(self):
        return _checked(self.cleaned_data["body"])


def _checked(text: str) -> str:
    """The text, when its citations and infobox are right (a form error saying what is not)."""
    if problems := source_problems(text or ""):
        raise forms.ValidationError(problems)
    return text


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionForm
    extra = 0

    class Media:
        js = ["js/admin-markdownx-inlines.js"]


class CreditInline(admin.TabularInline):
    model = Credit
    fields = ["contributor", "since", "imported"]
    autocomplete_fields = ["contributor"]
    extra = 0


class ArticleAdminForm(forms.ModelForm):
    lead = MarkdownField(
        required=False,
        widget=AdminMarkdownxWidget,
        help_text="Markdown before the first heading.",
    )
    summary = forms.CharField(
        required=False, max_length=500, help_text="Edit summary shown in the history."
    )
    # The revision the form was opened at: someone else's save since then is merged, or shown
    # as a conflict, never overwritten.
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Article
        fields = ["title", "lead", "categories", "protection", "redirect_to", "show_reviewed"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["base_revision"].initial = self.instance.latest_revision_id

    def clean_lead(self):
        return _checked(self.cleaned_data["lead"])

    def clean_base_revision(self):
        base = self.cleaned_data["base_revision"]
        if self.instance.pk and self.instance.latest_revision_id and base is None:
            raise forms.ValidationError(
                "This form does not say which revision it was opened at; reload the page."
            )
        return base


class KindFilter(admin.SimpleListFilter):
    """Articles or their talk pages (talk pages are Article rows titled "Talk:…")."""

    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("article", "Articles"), ("talk", "Talk pages")]

    def queryset(self, request, queryset):
        if self.value() == "article":
            return queryset.not_talk_pages()
        if self.value() == "talk":
            return queryset.talk_pages()
        return queryset


class RedirectFilter(admin.SimpleListFilter):
    title = "redirect"
    parameter_name = "redirect"

    def lookups(self, request, model_admin):
        return [("yes", "Redirects"), ("no", "Not redirects")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.redirects()
        if self.value() == "no":
            return queryset.not_redirects()
        return queryset


@admin.register(Article)
class ArticleAdmin(GrowingList, VersionAdmin):
    form = ArticleAdminForm
    inlines = [SectionInline, CreditInline]
    list_display = ["title", "protection", "show_reviewed", "size", "updated_at"]
    list_filter = [
        KindFilter,
        RedirectFilter,
        "protection",
        "show_reviewed",
        "categories",
        "updated_at",
    ]
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

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A save that overlaps someone else's is rolled back whole (the admin log entry too)
        and answered with the conflict page, which shows both texts and keeps the admin's."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except AdminConflict as refused:
            conflict = refused.conflict
            return conflict_page(request, conflict.article, conflict, refused)
        except (SourceTooLarge, RenderTooComplex, AdminMoveRefused, EditRefused) as refused:
            said = str(refused)  # all rolled back; a link refusal says so itself
            said += "" if "Nothing was saved" in said else " Nothing was saved."
            return render(request, "400.html", {"exception": said}, status=400)

    def save_model(self, request, obj, form, change):
        """Deferred to save_related, where the sections are known."""

    def save_formset(self, request, form, formset, change):
        if formset.model is Credit:
            formset.save()

    def save_related(self, request, form, formsets, change):
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
                sections.append(
                    SourceSection(row["heading"], row.get("level") or 2, row.get("body") or "")
                )
        summary = form.cleaned_data.get("summary") or ""
        categories = [c.name for c in form.cleaned_data.get("categories", [])]
        require_edit(request.user, form.instance)
        if change:  # the form put its new lead on the instance: the door needs the saved one
            stored = Article.objects.filter(pk=form.instance.pk).values_list("lead", flat=True)
            form.instance.lead = stored.first() or ""
        base_revision = form.cleaned_data.get("base_revision")
        if change and "title" in form.changed_data:
            base_revision = self._move(request, form.instance, summary, base_revision)
        try:
            if change and "show_reviewed" in form.changed_data:  # a setting, not content
                set_show_reviewed(form.instance, form.cleaned_data["show_reviewed"])
            edit = ArticleEdit(
                text=join_source(form.cleaned_data.get("lead") or "", sections),
                base_revision=base_revision,
                user=request.user,
                summary=summary,
                categories=categories,
            )
            result = article_edit_submit(
                article=form.instance,
                request=EditRequest(edit=edit, address=client_address(request), interface="admin"),
            )
        except EditConflict as conflict:
            raise AdminConflict(
                conflict, summary=summary, categories=", ".join(categories)
            ) from conflict
        if result.merged:
            self.message_user(
                request,
                "Someone else saved this article after you opened it. Your changes did not "
                "overlap with theirs, so both were merged and saved.",
                messages.WARNING,
            )
        elif result.unchanged:
            self.message_user(request, "You made no changes to the text, so no revision was made.")
        for formset in formsets:
            if formset.model is Credit:
                formset.instance = result.article
                self.save_formset(request, form, formset, change)

    def _move(self, request, article, reason: str, base_revision):
        """A new title is a move (history with it, a redirect left behind), as from the
        site's Move tab; the content save then starts from the move's revision."""
        new_title = article.title
        current = Article.objects.get(pk=article.pk)
        article.title = current.title
        try:
            moved = article_move(
                article=current, new_title=new_title, user=request.user, reason=reason
            ).article
        except MoveRefused as refused:
            raise AdminMoveRefused(str(refused)) from refused
        article.title = moved.title
        if base_revision == current.latest_revision_id:
            base_revision = moved.latest_revision_id
        article.latest_revision_id = moved.latest_revision_id
        return base_revision

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

    def _reversion_order_version_queryset(self, request, queryset):
        """The history and recovery lists, hidden summaries and authors masked (reversion 5)."""
        return versions_shown_to(
            request.user, super()._reversion_order_version_queryset(request, queryset)
        )

    def _restore(self, request, version, *, recovering):
        allowed = (
            self.has_add_permission(request) if recovering else self.has_change_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        require_texts(request.user, [version.revision_id])  # a hidden text: 403
        snapshot = load_snapshot(version.revision_id)
        if request.method == "POST":
            article, edit = restore_edit(revision_id=version.revision_id, user=request.user)
            if recovering:  # admin recovery of a deleted article: the lower-level write path
                result = article_save(article=article, edit=edit)
            else:
                door = EditRequest(edit=edit, address=client_address(request), interface="revert")
                result = article_edit_submit(article=article, request=door)
            if recovering:
                log_action(
                    type=LogEntry.Type.DELETE,
                    action="restore",
                    performer=request.user,
                    target=result.article.title,
                    article_id=result.article.pk,
                    comment="Recovered in the admin",
                    revisions=result.article.revisions.count() - 1,
                )
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
        page_delete(article=obj, user=request.user, reason="Deleted in the admin")

    def delete_queryset(self, request, queryset):
        for article in queryset:
            page_delete(article=article, user=request.user, reason="Deleted in the admin")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "review_interval_months"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "review_interval_months":
            field.label = "Review interval (months)"
            field.help_text = (
                "How often its articles are due for another medical review. Empty: the site's "
                f"default ({default_interval()} months). An article in several categories "
                "takes the shortest."
            )
        return field

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "review_interval_months" in form.changed_data:  # its articles' next reviews move
            refresh_review_queue(obj.articles.filter(reviewed_revision__isnull=False))
        forget_overdue_count()  # the reviewers' count of overdue articles may have changed

    def delete_model(self, request, obj):
        members = list(obj.articles.filter(reviewed_revision__isnull=False).values_list("pk"))
        super().delete_model(request, obj)
        refresh_review_queue(Article.objects.filter(pk__in=[pk for (pk,) in members]))
        forget_overdue_count()

    def delete_queryset(self, request, queryset):
        for category in queryset:
            self.delete_model(request, category)


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
    formfield_overrides = {models.TextField: {"form_class": MarkdownField}}


@admin.register(Review)
class ReviewAdmin(GrowingListAdmin):
    """The record of reviews and checks: read here, made from a diff or a revision on the site."""

    list_display = ["created_at", "article_title", "revision_id", "level", "reviewer_name", "note"]
    list_filter = ["level", "created_at"]
    search_fields = ["reviewer_name", "revision__title", "note"]
    readonly_fields = [f.name for f in Review._meta.fields]

    @admin.display(description="article")
    def article_title(self, review):
        return review.revision.title

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RightsLoggedUserAdmin(UserAdmin):
    """Django's user admin; a change of an account's groups is a user-rights log entry."""

    def save_related(self, request, form, formsets, change):
        before = set(form.instance.groups.values_list("name", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.groups.values_list("name", flat=True))
        if before != after:
            log_action(
                type=LogEntry.Type.RIGHTS,
                action="rights",
                performer=request.user,
                target=user_target(form.instance),
                old=", ".join(sorted(before)) or "(none)",
                new=", ".join(sorted(after)) or "(none)",
            )


@admin.register(LogEntry)
class LogEntryAdmin(GrowingListAdmin):
    list_display = ["created_at", "type", "action", "performer_name", "target", "comment"]
    list_filter = ["type"]
    search_fields = ["target", "performer_name", "comment"]

    def get_queryset(self, request):
        return readable_logs(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    """Blocks made on the site (/block/<name>), listed for administrators."""

    list_display = ["user", "article", "expires_at", "lifted_at", "by", "reason"]
    readonly_fields = ["user", "by", "article", "created_at", "expires_at", "lifted_at", "reason"]

    def has_add_permission(self, request):
        return False


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, RightsLoggedUserAdmin)


@admin.register(MediaFile)
class MediaFileAdmin(GrowingListAdmin):
    """Media pages: their fields edited here go through the same path as on the site (a
    history entry each); new files are uploaded at /upload, which asks for the same fields."""

    list_display = ["name", "author", "license", "width", "height", "updated_at"]
    list_filter = ["license", "categories"]
    search_fields = ["name", "author", "description"]
    filter_horizontal = ["categories"]
    fields = ["name", "alt", "description", "author", "source_url", "license", "rationale", "date"]
    fields += ["categories", "width", "height", "format", "sha256"]
    readonly_fields = ["name", "width", "height", "format", "sha256"]
    formfield_overrides = {models.TextField: {"form_class": MarkdownField}}

    def has_add_permission(self, request):
        return False  # uploads are made at /upload (the admin's index links there)

    def save_model(self, request, obj, form, change):
        """Deferred to save_related, where the categories are known."""

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        edit = MediaEdit(
            **{name: data.get(name) for name in PAGE_FIELDS},
            categories=[c.name for c in data.get("categories", [])],
            summary="Edited in the admin",
        )
        for name in ("description", "source_url", "rationale"):
            setattr(edit, name, getattr(edit, name) or "")
        media_update(media=form.instance, edit=edit, user=request.user)


@admin.register(PendingMail)
class PendingMailAdmin(GrowingListAdmin):
    """The notification queue: what waits, what went out, and the mail server's last word."""

    list_display = ["subject", "to", "created_at", "attempts", "sent_at", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["to", "subject"]
    readonly_fields = ["to", "subject", "body", "created_at", "attempts", "last_error", "sent_at"]

    def has_add_permission(self, request):
        return False


# Each capability that keeps its own admin registers it in its package.
from .antiabuse import admin as antiabuse_admin  # noqa: E402, F401
from .reports import admin as reports_admin  # noqa: E402, F401
