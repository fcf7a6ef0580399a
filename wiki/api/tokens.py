"""Personal API tokens on the profile page: make one (its text is shown once), revoke one."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from .models import ApiToken

MAX_ACTIVE_TOKENS = 20
NEW_TOKEN_KEY = "api_new_token"  # the session holds a new token's text until the page shows it


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label=gettext("What the token is for"),
        help_text=gettext(
            "For example “reference bot”. The token can write as you: keep it secret."
        ),
    )


def tokens_context(request) -> dict:
    """What the profile page shows about the user's tokens (the new one's text only once)."""
    return {
        "api_tokens": list(request.user.api_tokens.active()),
        "token_form": TokenForm(prefix="token"),
        "new_token": request.session.pop(NEW_TOKEN_KEY, None),
    }


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST, prefix="token")
    if not form.is_valid():
        messages.error(request, gettext("Give the token a name (at most 100 characters)."))
    elif request.user.api_tokens.active().count() >= MAX_ACTIVE_TOKENS:
        messages.error(
            request,
            gettext("You have %(MAX_ACTIVE_TOKENS)s tokens; revoke one first.")
            % {"MAX_ACTIVE_TOKENS": MAX_ACTIVE_TOKENS},
        )
    else:
        token, text = ApiToken.issue(user=request.user, name=form.cleaned_data["name"])
        request.session[NEW_TOKEN_KEY] = {"name": token.name, "text": text}
    return redirect("wiki:profile")


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken.objects.active(), pk=token_id, user=request.user)
    token.revoke()
    messages.success(
        request,
        gettext("The token “%(name)s” was revoked: it no longer works.") % {"name": token.name},
    )
    return redirect("wiki:profile")
