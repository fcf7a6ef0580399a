"""The reader's report form and the editor's triage form."""

from django import forms
from django.utils.translation import gettext_lazy

from ..form_fields import MarkdownField
from .models import Report
from .services import MAX_REPLY, MAX_TEXT, ReportDraft, Triage

WHOLE_ARTICLE = ""


class ReportForm(forms.Form):
    """What is wrong, where, and (optionally) where to say it was dealt with. `website` is the
    honeypot: hidden from people, filled by form-filling robots."""

    section = forms.ChoiceField(label=gettext_lazy("Which part of the article?"), required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("What kind of problem?"),
        choices=Report.Kind.choices,
        widget=forms.RadioSelect,
    )
    text = MarkdownField(
        label=gettext_lazy("What is wrong?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Say what is wrong and, if you can, where the right information is published. "
            "Please leave out details about your own health."
        ),
    )
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address (optional)"),
        required=False,
        help_text=gettext_lazy(
            "Only the editors see it: we write once when the report is fixed or declined."
        ),
    )
    website = forms.CharField(required=False, label=gettext_lazy("Leave this field empty"))

    def __init__(self, *args, sections: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(WHOLE_ARTICLE, "Whole article")] + [
            (heading, heading) for heading in sections
        ]
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(gettext_lazy("Say what is wrong, in a few words at least."))
        return text

    def draft(self) -> ReportDraft:
        data = self.cleaned_data
        return ReportDraft(
            section=data["section"], kind=data["kind"], text=data["text"], email=data["email"]
        )

    def visible_fields(self):
        return [field for field in self if field.name != "website"]


class TriageForm(forms.Form):
    """An editor's decision: the state, and what "fixed" and "duplicate" need."""

    state = forms.ChoiceField(
        label=gettext_lazy("State"), choices=Report.State.choices, widget=forms.RadioSelect
    )
    fixed_by = forms.TypedChoiceField(
        label=gettext_lazy("Fixed by revision"), coerce=int, required=False, empty_value=None
    )
    duplicate_of = forms.IntegerField(
        label=gettext_lazy("Duplicate of report number"), required=False, min_value=1
    )
    reply = forms.CharField(
        label=gettext_lazy("Note to the reporter (optional, in the mail)"),
        required=False,
        max_length=MAX_REPLY,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, revisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fixed_by"].choices = [("", "Choose a revision")] + [
            (r.pk, _revision_label(r)) for r in revisions
        ]

    def clean(self):
        data = super().clean()
        if data.get("state") == Report.State.FIXED and not data.get("fixed_by"):
            self.add_error("fixed_by", "Choose the revision that fixed the problem.")
        if data.get("state") == Report.State.DUPLICATE and not data.get("duplicate_of"):
            self.add_error("duplicate_of", "Give the number of the report this one repeats.")
        return data

    def triage(self) -> Triage:
        data = self.cleaned_data
        return Triage(
            state=data["state"],
            fixed_by=data.get("fixed_by") if data["state"] == Report.State.FIXED else None,
            duplicate_of=data.get("duplicate_of")
            if data["state"] == Report.State.DUPLICATE
            else None,
            reply=data.get("reply", ""),
        )


def _revision_label(revision) -> str:
    who = revision.contributor.display_name if revision.contributor else "unknown"
    summary = f": {revision.summary}" if revision.summary else ""
    return f"{revision.pk} — {revision.created_at:%d %b %Y %H:%M}, {who}{summary}"[:200]
