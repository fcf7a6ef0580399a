"""Recent changes across the site, filtered as the reader asks (page and feed alike), and
the addresses their rows link to (recent changes and the watchlist)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.db.models import OuterRef, Q
from django.urls import reverse_lazy
from django.utils.translation import gettext, gettext_lazy

from ..editorial.models import Patrol
from ..editorial.patrol import new_account_since
from ..editorial.revision_hiding import without_hidden_authors
from ..keyset import has_row
from ..languages import content_language, path_of, path_with_number_of
from ..models import Category, Revision
from ..permissions import by_bot
from ..review.models import Review
from ..review.services import filter_review, with_review_marks
from ..titles import typed_name


class RecentChangesFilter(forms.Form):
    hideminor = forms.BooleanField(required=False, label=gettext_lazy("Hide minor edits"))
    hidepatrolled = forms.BooleanField(required=False, label=gettext_lazy("Hide patrolled edits"))
    # Bots' edits (accounts in the Bots group: MediaWiki's bot flag) are hidden unless asked.
    showbots = forms.BooleanField(required=False, label=gettext_lazy("Show bots"))
    # Typed, with suggestions (wiki.categories.suggest): a <select> of every category would
    # put thousands of options in every page of the list on a large wiki.
    category = forms.CharField(
        required=False,
        max_length=200,
        label=gettext_lazy("Category"),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "data-suggest-url": reverse_lazy("wiki:category_suggest"),
                "data-suggest-pick": "fill",
                "data-suggest-label": gettext_lazy("Suggested categories"),
            }
        ),
    )
    contributor = forms.CharField(required=False, max_length=200, label=gettext_lazy("Contributor"))
    review = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Medical review"),
        choices=[
            ("", gettext_lazy("Reviewed or not")),
            ("reviewed", gettext_lazy("Medically reviewed revisions")),
            ("checked", gettext_lazy("Checked or reviewed revisions")),
            ("pending", gettext_lazy("Awaiting review")),
        ],
    )

    def __init__(self, data=None, *, viewer=None):
        super().__init__(data or None)
        self.viewer = viewer  # whose eyes: a hidden author is not found by name for others
        self.is_valid()

    def clean_category(self) -> Category | None:
        """The category of the typed name, in the reader's language (the list's)."""
        name = typed_name(self.cleaned_data["category"])
        if not name:
            return None
        found = Category.objects.in_language().filter(name=name).first()
        if found is None:
            raise forms.ValidationError(
                gettext("No category is named “%(name)s”."), params={"name": name}
            )
        return found

    def value(self, name):
        return getattr(self, "cleaned_data", {}).get(name)

    def revisions(self):
        """Every edit matching the filters, newest first (by when it was made: an import's
        revisions take their place in the past), with its contributor joined."""
        revisions = with_review_marks(
            Revision.objects.select_related("contributor")
            .annotate(
                patrolled=has_row(Patrol.objects.filter(revision=OuterRef("pk"))),
                by_new_account=Q(user__date_joined__gt=new_account_since()),
                by_bot=by_bot(),
            )
            .order_by("-created_at", "-revision_id")
        )
        revisions = revisions.filter(language=content_language())  # the reader's language's
        revisions = filter_review(revisions, self.value("review") or "")
        if self.value("hideminor"):
            revisions = revisions.filter(minor=False)
        if self.value("hidepatrolled"):
            revisions = revisions.filter(patrolled=False)
        if not self.value("showbots"):
            revisions = revisions.filter(by_bot=False)
        if category := self.value("category"):
            revisions = revisions.filter(article__categories=category)
        if name := (self.value("contributor") or "").strip().replace("_", " "):
            revisions = revisions.filter(contributor__name__iexact=name)
            revisions = without_hidden_authors(revisions, self.viewer)
        return revisions

    def reviews(self, *, newest=None, oldest=None):
        """Review events matching the filters, made between two times (either open), newest
        first: recent changes lists them among the edits."""
        if self.value("review") == "pending":
            return Review.objects.none()
        reviews = Review.objects.select_related("contributor", "revision").order_by(
            "-created_at", "-pk"
        )
        if self.value("review") == "reviewed":
            reviews = reviews.filter(level=Review.Level.REVIEWED)
        if newest is not None:
            reviews = reviews.filter(created_at__lte=newest)
        if oldest is not None:
            reviews = reviews.filter(created_at__gt=oldest)
        if category := self.value("category"):
            reviews = reviews.filter(article__categories=category)
        if name := (self.value("contributor") or "").strip().replace("_", " "):
            reviews = reviews.filter(reviewer_name__iexact=name)
        return reviews

    def query_string(self) -> str:
        """The active filters as a query string, for the feed link."""
        return urlencode(self.query_params())

    def query_params(self) -> dict:
        """The active filters, for the pages' links and the feed link."""
        params = {}
        if self.value("hideminor"):
            params["hideminor"] = "1"
        if self.value("hidepatrolled"):
            params["hidepatrolled"] = "1"
        if self.value("showbots"):
            params["showbots"] = "1"
        if category := self.value("category"):
            params["category"] = category.name
        if name := self.value("contributor"):
            params["contributor"] = name
        if review := self.value("review"):
            params["review"] = review
        return params


@dataclass(frozen=True)
class RowPaths:
    article: str
    history: str
    diff: str
    revision: str


def with_paths(revisions) -> None:
    """Give each revision of a list the addresses its row links to (`rev.paths`), reversed
    once for the list rather than four times a row: the reverses cost the page more than
    its queries did."""
    article, history = path_of("wiki:article"), path_of("wiki:history")
    diff, revision = path_of("wiki:diff"), path_with_number_of("wiki:revision")
    for rev in revisions:
        slug = rev.slug
        rev.paths = RowPaths(article(slug), history(slug), diff(slug), revision(slug, rev.pk))
