"""The watch star, the watchlist and its editing page, and the reader's preferences."""

import zoneinfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import CharField, Value
from django.db.models.functions import Concat
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from ..article_urls import article_from_url
from ..editorial.revision_hiding import shown_to
from ..history.filters import RecentChangesFilter, with_paths
from ..keyset import RECENT_FIRST, keyset_page
from ..models import Article, Contributor
from ..services import contributor_for
from ..titles import TALK_PREFIX, InvalidTitle, subject_title_of, title_to_slug, validate_title
from .models import Preferences, Watch
from .notify import preferences_for
from .watches import unwatch_page, watch_page

WATCHLIST_PAGE_SIZE = 50


def watched_revisions(user, filters: RecentChangesFilter):
    """Recent changes as the filters ask, and a query of the ids of the pages the user
    watches and of their talk pages: the list is kept to those pages by reading it split by
    page (`keyset.first_rows`), each page's edits from its own index, since one query may
    walk every newer edit of the wiki to reach a busy page's (its edits all made before the
    rest). The pages are found in the database from the watches (a talk page's title is
    `talk_title_of`'s, in SQL), not from a list of every title sent back to it."""
    watched = Watch.objects.filter(user=user)
    talk_slugs = watched.exclude(slug__startswith=TALK_PREFIX).values(
        talk=Concat(Value(TALK_PREFIX), "slug", output_field=CharField())
    )
    subjects, talks = (
        Article.objects.in_language().filter(slug__in=slugs).order_by().values_list("pk", flat=True)
        for slugs in (watched.values("slug"), talk_slugs)
    )
    return filters.revisions(), subjects.union(talks, all=True)


def _back(request, fallback: str) -> str:
    wanted = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return fallback


# A title no article has may be watched too (it is watched for when it is written).
@require_POST
@article_from_url(missing_ok=True, sign_in="wiki:article")
def watch(request, article: Article | None, slug: str):
    """The star: watch the page (and its talk page), or stop with `unwatch`."""
    try:
        title = validate_title(slug)
    except InvalidTitle as exc:
        return render(request, "400.html", {"exception": str(exc)}, status=400)
    if request.POST.get("unwatch"):
        unwatch_page(user=request.user, title=title)
        messages.info(
            request,
            gettext("“%(title)s” and its talk page were removed from your watchlist.")
            % {"title": title},
        )
    else:
        watch_page(user=request.user, title=title)
        messages.success(
            request,
            gettext("“%(title)s” and its talk page are on your watchlist.") % {"title": title},
        )
    return redirect(_back(request, reverse("wiki:article", args=[title_to_slug(title)])))


@login_required
def watchlist(request):
    filters = RecentChangesFilter(request.GET, viewer=request.user)
    revisions, articles = watched_revisions(request.user, filters)
    page = keyset_page(
        revisions,
        RECENT_FIRST,
        request.GET,
        size=WATCHLIST_PAGE_SIZE,
        extra=filters.query_params(),
        split=("article_id", articles),  # each watched page's edits from its own index
    )
    page.items = shown_to(request.user, page.items)
    with_paths(page.items)
    subjects = {rev.pk: title_to_slug(subject_title_of(rev.title)) for rev in page}
    visits = dict(  # of the pages on this page, not of every page watched
        Watch.objects.filter(user=request.user, slug__in=set(subjects.values())).values_list(
            "slug", "visited_at"
        )
    )
    for rev in page:
        seen = visits.get(subjects[rev.pk])
        # One's own change is never news to oneself, however the watch and the save interleave.
        mine = rev.user_id is not None and rev.user_id == request.user.pk
        rev.since_last_visit = not mine and (seen is None or rev.created_at > seen)
    return render(
        request,
        "wiki/watchlist.html",
        {
            "page": page,
            "filters": filters,
            "extra_query": filters.query_string(),
            "watch_count": Watch.objects.filter(user=request.user).count(),
            "feed_token": _preferences_saved(request.user).feed_token,
        },
    )


def _preferences_saved(user) -> Preferences:
    prefs = preferences_for(user)
    if prefs.pk is None:
        prefs, _ = Preferences.objects.get_or_create(user=user)
    return prefs


class AddWatchForm(forms.Form):
    titles = forms.CharField(
        label=gettext("Add pages"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext("One title a line."),
    )

    def clean_titles(self):
        titles = []
        for line in self.cleaned_data["titles"].splitlines():
            if line.strip():
                try:
                    titles.append(validate_title(line))
                except InvalidTitle as exc:
                    raise forms.ValidationError(f"“{line.strip()}”: {exc}") from None
        return titles


@login_required
def edit_watchlist(request):
    """Every watched page, with boxes to remove some and a field to add titles."""
    watches = Watch.objects.filter(user=request.user)
    form = AddWatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        removed = request.POST.getlist("remove")
        if removed:
            watches.filter(slug__in=removed).delete()
        for title in form.cleaned_data["titles"]:
            watch_page(user=request.user, title=title)
        messages.success(
            request,
            gettext("Your watchlist was updated: %(removed)s removed, %(added)s added.")
            % {"removed": len(removed), "added": len(form.cleaned_data["titles"])},
        )
        return redirect("wiki:edit_watchlist")
    return render(
        request,
        "wiki/watchlist_edit.html",
        {"watches": watches, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _time_zones() -> list[tuple[str, str]]:
    return [("", "The site's time (UTC)")] + [
        (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
    ]


class PreferencesForm(forms.ModelForm):
    display_name = forms.CharField(
        max_length=200, required=False, help_text=gettext("Shown in page credits and signatures.")
    )
    credentials = forms.CharField(
        max_length=100, required=False, help_text=gettext("Shown after your name, e.g. “MD”.")
    )
    bio = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    time_zone = forms.ChoiceField(
        required=False, help_text=gettext("Dates are shown in this zone.")
    )

    class Meta:
        model = Preferences
        fields = [
            "notify_watched",
            "notify_replies",
            "notify_reverts",
            "watch_edits",
            "editor_mode",
            "time_zone",
        ]

    def __init__(self, *args, contributor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = _time_zones()
        self.contributor = contributor
        if contributor is not None:
            for name in ("credentials", "bio"):
                self.fields[name].initial = getattr(contributor, name)
            self.fields["display_name"].initial = contributor.name
        self.order_fields(["display_name", "credentials", "bio", "time_zone"])

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if name and self.contributor is not None:
            self.contributor.name = name
            try:
                self.contributor.clean()
                self.contributor.validate_unique()
            except forms.ValidationError as exc:
                raise forms.ValidationError(exc.messages) from None
        return name


@login_required
def preferences(request):
    prefs = preferences_for(request.user)
    try:
        contributor = request.user.contributor
    except Contributor.DoesNotExist:
        contributor = None
    form = PreferencesForm(request.POST or None, instance=prefs, contributor=contributor)
    if request.method == "POST" and form.is_valid():
        form.save()
        data = form.cleaned_data
        if data["display_name"] or data["credentials"] or data["bio"] or contributor:
            contributor = contributor or contributor_for(request.user)
            contributor.name = data["display_name"] or contributor.name
            contributor.credentials = data["credentials"]
            contributor.bio = data["bio"]
            contributor.save()
        # The time zone middleware of the site reads it from there (no query per request).
        request.session["wiki_time_zone"] = form.cleaned_data["time_zone"]
        messages.success(request, gettext("Your preferences were saved."))
        return redirect("wiki:preferences")
    return render(
        request,
        "wiki/preferences.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
