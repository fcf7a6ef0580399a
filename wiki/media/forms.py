from django import forms
from django.utils.translation import gettext_lazy

from ..form_fields import MarkdownField
from .models import MediaFile
from .services import MediaEdit


class MediaForm(forms.ModelForm):
    """The fields of a media page, as the upload form and the edit form ask for them."""

    categories = forms.CharField(
        required=False,
        max_length=1000,
        help_text=gettext_lazy("Comma-separated, e.g. “Radiology, Lungs”."),
    )
    summary = forms.CharField(
        required=False, max_length=500, label=gettext_lazy("Summary of the change")
    )

    class Meta:
        model = MediaFile
        fields = ["alt", "description", "author", "source_url", "license", "rationale", "date"]
        field_classes = {"description": MarkdownField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "rationale": forms.Textarea(attrs={"rows": 3}),
            "date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["categories"] = ", ".join(
                self.instance.categories.values_list("name", flat=True)
            )

    def clean(self):
        data = super().clean()
        if data.get("license") == MediaFile.License.FAIR_USE and not data.get("rationale"):
            self.add_error("rationale", "Fair use needs a rationale: why this image may be used.")
        return data

    def media_edit(self) -> MediaEdit:
        data = self.cleaned_data
        return MediaEdit(
            **{
                name: data.get(name) or ("" if name != "date" else None)
                for name in self.Meta.fields
            },
            categories=[c.strip() for c in data.get("categories", "").split(",") if c.strip()],
            summary=data.get("summary", ""),
        )


class UploadForm(MediaForm):
    file = forms.FileField(help_text=gettext_lazy("A PNG, JPEG, GIF or WebP image."))
    name = forms.CharField(
        max_length=240,
        required=False,
        help_text=gettext_lazy("The file's name here; empty: the uploaded one."),
    )

    field_order = ["file", "name", "alt", "description", "author", "source_url", "license"]


class NewVersionForm(forms.Form):
    file = forms.FileField(help_text=gettext_lazy("A PNG, JPEG, GIF or WebP image."))
    summary = forms.CharField(required=False, max_length=500)
