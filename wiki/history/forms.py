"""A contributor's own credit profile: the name and credentials shown on articles."""

from django import forms

from ..models import Contributor


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
            raise forms.ValidationError("Your display name cannot be empty.")
        return name
