from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy
from markdownx.widgets import MarkdownxWidget

from ..form_fields import MarkdownField
from ..services import ArticleEdit
from ..sources import source_size
from ..titles import InvalidTitle, validate_title


class EditForm(forms.Form):
    """The whole source or one section, with summary and minor flag."""

    text = MarkdownField(
        required=False,
        widget=MarkdownxWidget(attrs={"rows": 22, "spellcheck": "true"}),
    )
    summary = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("Briefly describe your changes")}
        ),
    )
    minor = forms.BooleanField(required=False, label=gettext_lazy("This is a minor edit"))
    categories = forms.CharField(
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Comma-separated, e.g. “Disease Index, Neurology”."),
    )
    watch = forms.BooleanField(required=False, label=gettext_lazy("Watch this page"))
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, with_categories: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_categories:
            del self.fields["categories"]

    def clean_text(self):
        text = self.cleaned_data["text"]
        # Measured as the save measures it; a section's text alone can only be under the
        # article's size, and the save refuses the rest (SourceTooLarge, a form error too).
        size, limit = source_size(text), settings.WIKI_MAX_SOURCE_BYTES
        if size > limit:
            raise forms.ValidationError(
                f"The text is {size:,} bytes; the limit is {limit:,} bytes. Split the article "
                "or shorten it."
            )
        # Its citations, infobox and template calls are checked at the edit door (every
        # interface's save meets them), which the views answer as errors of this field.
        return text

    def article_edit(self, *, user, section: int | None = None) -> ArticleEdit:
        """The edit this form asks for."""
        return ArticleEdit(
            text=self.cleaned_data["text"],
            base_revision=self.cleaned_data["base_revision"],
            user=user,
            section=section,
            summary=self.cleaned_data["summary"] or self.default_summary,
            minor=self.cleaned_data["minor"],
            categories=self.category_names(),
            watch=self.cleaned_data["watch"],
        )

    default_summary = ""

    def category_names(self) -> list[str] | None:
        if "categories" not in self.fields:
            return None
        return [c.strip() for c in self.cleaned_data.get("categories", "").split(",") if c.strip()]


class NewArticleForm(EditForm):
    title = forms.CharField(max_length=300)

    field_order = ["title", "text", "summary", "categories"]
    default_summary = "Created the article"

    def clean_title(self):
        try:
            return validate_title(self.cleaned_data["title"])
        except InvalidTitle as exc:
            raise forms.ValidationError(str(exc)) from None
