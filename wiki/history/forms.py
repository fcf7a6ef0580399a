"""History forms: a contributor's credit profile, and the confirmation of a revert or undo."""

from django import forms
from django.utils.translation import gettext_lazy

from ..models import MAX_ID, Contributor, Revision


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Contributor
        fields = ["name", "credentials", "bio"]
        labels = {"name": "Display name"}
        help_texts = {
            "name": "How you are credited on articles and named in their history.",
            "bio": "A few words shown on your contributor page (plain text).",
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].replace("_", " ").split())
        if not name:
            raise forms.ValidationError(gettext_lazy("Your display name cannot be empty."))
        return name


class ConfirmChangeForm(forms.Form):
    """The confirmation of a revert or an undo: the summary, and the revision the shown
    changes were computed against (saving is refused once another edit came since)."""

    summary = forms.CharField(
        max_length=Revision.summary.field.max_length,
        required=False,
        label=gettext_lazy("Summary"),
        help_text=gettext_lazy("Say why; it is shown in the history."),
        widget=forms.TextInput(attrs={"size": 60}),
    )
    base = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_ID)
