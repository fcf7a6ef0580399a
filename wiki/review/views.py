"""Disclosure pages: a contributor's current disclosure and its history, for everyone; the
form where a signed-in contributor declares their own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from ..models import Contributor
from .disclosures import (
    REFUSE,
    DisclosureRefused,
    conflict_policy,
    current_disclosure,
    disclosure_declare,
    disclosure_history,
)
from .forms import NONE, DisclosureForm


def disclosure(request, name: str):
    """What the contributor declares now, and every earlier declaration, dated."""
    person = Contributor.objects.by_slug(name).order_by("pk").first()
    if person is None:
        raise Http404(gettext("No contributor has this name."))
    history = list(disclosure_history(person))
    return render(
        request,
        "wiki/disclosure.html",
        {
            "person": person,
            "current": history[0] if history else None,
            "earlier": history[1:],
            "is_self": request.user.is_authenticated and person.user_id == request.user.pk,
        },
    )


@login_required
def disclosure_edit(request):
    """Declare one's own competing interests; each change is kept."""
    person = getattr(request.user, "contributor", None)
    form = DisclosureForm(
        request.POST or None, initial=DisclosureForm.initial_from(current_disclosure(person))
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = disclosure_declare(
                user=request.user,
                none_declared=data["choice"] == NONE,
                statement=data["statement"],
                conflicts=data["conflicts"],
            )
        except DisclosureRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, gettext("Your disclosure was saved."))
            return redirect("wiki:disclosure", name=made.contributor.slug)
    return render(
        request,
        "wiki/disclosure_edit.html",
        {"form": form, "person": person, "refuse": conflict_policy() == REFUSE},
    )
