"""The forms of the editorial tools: each validates what the reader typed, in their words."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..models import Article
from ..titles import InvalidTitle, validate_title
from .protection import EXPIRY_CHOICES

EXPIRY_FIELD_CHOICES = [(label, label) for label, _ in EXPIRY_CHOICES]


def expiry_from(label: str):
    """The moment an expiry chosen by its label ends (None: indefinite)."""
    delta = dict(EXPIRY_CHOICES)[label]
    return None if delta is None else timezone.now() + delta


class ReasonForm(forms.Form):
    reason = forms.CharField(required=False, max_length=400, label=gettext_lazy("Reason"))


class MoveForm(ReasonForm):
    new_title = forms.CharField(max_length=300, label=gettext_lazy("New title"))
    leave_redirect = forms.BooleanField(
        required=False, initial=True, label=gettext_lazy("Leave a redirect behind")
    )
    field_order = ["new_title", "reason", "leave_redirect"]

    def clean_new_title(self):
        try:
            return validate_title(self.cleaned_data["new_title"])
        except InvalidTitle as exc:
            raise forms.ValidationError(str(exc)) from None


class ProtectForm(ReasonForm):
    level = forms.ChoiceField(
        choices=Article.Protection.choices, label=gettext_lazy("Who may edit"), required=False
    )
    expiry = forms.ChoiceField(
        choices=EXPIRY_FIELD_CHOICES, initial="indefinite", label=gettext_lazy("Expires")
    )
    field_order = ["level", "expiry", "reason"]


class BlockForm(forms.Form):
    expiry = forms.ChoiceField(
        choices=EXPIRY_FIELD_CHOICES, initial="1 day", label=gettext_lazy("Expires")
    )
    reason = forms.CharField(max_length=400, label=gettext_lazy("Reason"))
    page = forms.CharField(
        required=False,
        max_length=300,
        label=gettext_lazy("Only this page"),
        help_text=gettext_lazy(
            "Leave empty to block every edit; give a title to block edits of that page only."
        ),
    )

    def clean_page(self):
        title = self.cleaned_data["page"].strip()
        if not title:
            return None
        article = Article.objects.by_title(title).first()
        if article is None:
            raise forms.ValidationError(f"No article is titled “{title}”.")
        return article


def account_named(name: str):
    """The account a /block/<name> URL names, or None."""
    return get_user_model().objects.filter(username__iexact=name.replace("_", " ")).first() or (
        get_user_model().objects.filter(username__iexact=name).first()
    )


class RevisionVisibilityForm(forms.Form):
    """What of the selected revisions to hide (MediaWiki's Special:RevisionDelete)."""

    ids = forms.TypedMultipleChoiceField(coerce=int, widget=forms.MultipleHiddenInput)
    text = forms.BooleanField(required=False, label=gettext_lazy("Hide the revision's text"))
    summary = forms.BooleanField(required=False, label=gettext_lazy("Hide the edit summary"))
    author = forms.BooleanField(required=False, label=gettext_lazy("Hide the editor's username"))
    suppress = forms.BooleanField(
        required=False,
        label=gettext_lazy("Suppress: hide these from administrators too"),
        help_text=gettext_lazy(
            "Only suppressors will see them, and the change goes to the suppression log."
        ),
    )
    reason = forms.CharField(required=True, max_length=400, label=gettext_lazy("Reason"))

    def __init__(self, *args, revision_ids=(), may_suppress=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(pk, pk) for pk in revision_ids]
        if not may_suppress:
            del self.fields["suppress"]
