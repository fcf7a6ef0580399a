"""The page of an edit conflict, shown by the edit form and the admin alike."""

import difflib

from django import forms
from django.shortcuts import render

from ..editorial.revision_hiding import shown_to
from ..models import Revision
from ..services import EditConflict
from .forms import EditForm


def conflict_page(request, article, conflict: EditConflict, form):
    """Overlapping edits: nothing is saved; show both texts and their diff, keep the editor's."""
    diff = difflib.HtmlDiff(wrapcolumn=70).make_table(
        conflict.current_source.splitlines(),
        conflict.your_source.splitlines(),
        fromdesc="Current text",
        todesc="Your text",
        context=True,
        numlines=2,
    )
    resolve_form = EditForm(
        initial={
            "text": conflict.your_source,
            "summary": form.cleaned_data.get("summary", ""),
            "minor": form.cleaned_data.get("minor", False),
            "base_revision": conflict.latest_revision_id,
            "watch": form.cleaned_data.get("watch", True),
            "categories": form.cleaned_data.get("categories")
            or ", ".join(article.categories.values_list("name", flat=True)),
        }
    )
    # Side by side with the current text: a plain textarea, no preview pane.
    resolve_form.fields["text"].widget = forms.Textarea(
        attrs={"rows": 24, "spellcheck": "true", "class": "conflict-text"}
    )
    latest = next(
        iter(
            shown_to(
                request.user,
                Revision.objects.select_related("contributor").filter(
                    pk=conflict.latest_revision_id
                ),
            )
        ),
        None,
    )
    return render(
        request,
        "wiki/conflict.html",
        {
            "article": article,
            "form": resolve_form,
            "current_source": conflict.current_source,
            "latest": latest,
            "diff_table": diff,
        },
        status=409,
    )
