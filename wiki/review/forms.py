"""Review forms: a contributor's disclosure of competing interests."""

from django import forms
from django.utils.translation import gettext, gettext_lazy

from ..form_fields import MarkdownField
from .disclosures import MAX_STATEMENT, declared_categories

NONE, DECLARE = "none", "declare"


class DisclosureForm(forms.Form):
    """ "None declared", or a statement and the categories it conflicts with."""

    choice = forms.ChoiceField(
        label=gettext_lazy("Your competing interests"),
        choices=[
            (NONE, gettext_lazy("None declared: I have no competing interests")),
            (DECLARE, gettext_lazy("I declare the interests below")),
        ],
        widget=forms.RadioSelect,
    )
    statement = MarkdownField(
        label=gettext_lazy("Your interests"),
        required=False,
        max_length=MAX_STATEMENT,
        help_text=gettext_lazy(
            "Payments, consulting, shares, grants, employment or other ties that a reader "
            "would want to know about, with the companies or bodies named (plain text)."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    conflicts = forms.CharField(
        label=gettext_lazy("Categories they conflict with (optional)"),
        required=False,
        max_length=1000,
        help_text=gettext_lazy(
            "Category names separated by commas, e.g. “Drugs”. A category covers the "
            "categories under it."
        ),
    )

    def clean_conflicts(self):
        categories, missing = declared_categories(self.cleaned_data["conflicts"])
        if missing:
            raise forms.ValidationError(
                gettext("No category is named %(names)s.")
                % {"names": ", ".join(f"“{name}”" for name in missing)}
            )
        return categories

    def clean(self):
        data = super().clean()
        if data.get("choice") == NONE:
            data["statement"], data["conflicts"] = "", []
        elif data.get("choice") == DECLARE and not (data.get("statement") or "").strip():
            self.add_error("statement", "Describe your interests, or choose “None declared”.")
        return data

    @classmethod
    def initial_from(cls, disclosure) -> dict:
        if disclosure is None:
            return {}
        return {
            "choice": NONE if disclosure.none_declared else DECLARE,
            "statement": disclosure.statement,
            "conflicts": ", ".join(c.name for c in disclosure.conflicts.all()),
        }
