"""Recent changes across the site, filtered as the reader asks (page and feed alike)."""

from urllib.parse import urlencode

from django import forms
from django.db.models import Exists, OuterRef, Q

from ..models import Category, Patrol, Revision


class RecentChangesFilter(forms.Form):
    hideminor = forms.BooleanField(required=False, label="Hide minor edits")
    hidepatrolled = forms.BooleanField(required=False, label="Hide patrolled edits")
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(),
        required=False,
        to_field_name="name",
        empty_label="All categories",
    )
    contributor = forms.CharField(required=False, max_length=200, label="Contributor")

    def __init__(self, data=None):
        super().__init__(data or None)
        self.is_valid()

    def value(self, name):
        return getattr(self, "cleaned_data", {}).get(name)

    def revisions(self):
        """Every edit matching the filters, newest first (by when it was made: an import's
        revisions take their place in the past), with its contributor joined."""
        from ..editorial.patrol import new_account_since

        revisions = (
            Revision.objects.select_related("contributor")
            .annotate(
                patrolled=Exists(Patrol.objects.filter(revision=OuterRef("pk"))),
                by_new_account=Q(user__date_joined__gt=new_account_since()),
            )
            .order_by("-created_at", "-revision_id")
        )
        if self.value("hideminor"):
            revisions = revisions.filter(minor=False)
        if self.value("hidepatrolled"):
            revisions = revisions.filter(patrolled=False)
        if category := self.value("category"):
            revisions = revisions.filter(article__categories=category)
        if name := (self.value("contributor") or "").strip().replace("_", " "):
            revisions = revisions.filter(contributor__name__iexact=name)
        return revisions

    def query_string(self) -> str:
        """The active filters as a query string, for pagination and the feed link."""
        params = {}
        if self.value("hideminor"):
            params["hideminor"] = "1"
        if self.value("hidepatrolled"):
            params["hidepatrolled"] = "1"
        if category := self.value("category"):
            params["category"] = category.name
        if name := self.value("contributor"):
            params["contributor"] = name
        return urlencode(params)
