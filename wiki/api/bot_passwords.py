"""Bot passwords on the profile page (MediaWiki's Special:BotPasswords): make one with a name
and grants (its password is shown once), revoke one. A bot signs in with action=login as
`User@name`; the session may use the Action API only, with only the grants' rights."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.validators import RegexValidator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from ..languages import split_path
from ..permissions import can_delete, can_patrol, can_protect, can_upload, is_editor
from .action.bots import SESSION_KEY
from .models import GRANTS, BotPassword

MAX_ACTIVE_BOT_PASSWORDS = 20
NEW_BOT_PASSWORD_KEY = "api_new_bot_password"  # the new password's text until the page shows it
API_PATH = "/api.php"  # in every language: /es/api.php
# Who may be granted what: only rights the account has.
GRANT_HOLDERS = {
    "basic": lambda user: True,
    "editpage": is_editor,
    "createeditmovepage": is_editor,
    "uploadfile": can_upload,
    "patrol": can_patrol,
    "protect": can_protect,
    "delete": can_delete,
}


def grants_for(user) -> list[tuple[str, str]]:
    return [(key, label) for key, (label, _) in GRANTS.items() if GRANT_HOLDERS[key](user)]


class BotPasswordForm(forms.Form):
    appname = forms.CharField(
        max_length=32,
        label=gettext("Bot name"),
        help_text=gettext("Letters, digits, spaces, - and _. The bot signs in as YourName@name."),
        validators=[RegexValidator(r"^[\w \-]+$", "Use letters, digits, spaces, - and _.")],
    )
    grants = forms.MultipleChoiceField(
        label=gettext("What it may do"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["grants"].choices = grants_for(user)
        self.fields["grants"].initial = ["basic"]

    def clean_appname(self):
        appname = self.cleaned_data["appname"].strip()
        if self.user.bot_passwords.active().filter(appname=appname).exists():
            raise forms.ValidationError(gettext("You already have a bot password with this name."))
        return appname


def bot_passwords_context(request) -> dict:
    """What the profile page shows about the user's bot passwords (a new one only once)."""
    return {
        "bot_passwords": list(request.user.bot_passwords.active()),
        "bot_password_form": BotPasswordForm(prefix="bot", user=request.user),
        "new_bot_password": request.session.pop(NEW_BOT_PASSWORD_KEY, None),
    }


@login_required
@require_POST
def bot_password_create(request):
    form = BotPasswordForm(request.POST, prefix="bot", user=request.user)
    if not form.is_valid():
        errors = " ".join(e for field in form.errors.values() for e in field)
        messages.error(
            request, gettext("The bot password was not made: %(errors)s") % {"errors": errors}
        )
    elif request.user.bot_passwords.active().count() >= MAX_ACTIVE_BOT_PASSWORDS:
        messages.error(
            request,
            gettext("You have %(MAX_ACTIVE_BOT_PASSWORDS)s bot passwords; revoke one.")
            % {"MAX_ACTIVE_BOT_PASSWORDS": MAX_ACTIVE_BOT_PASSWORDS},
        )
    else:
        bot, text = BotPassword.issue(
            user=request.user,
            appname=form.cleaned_data["appname"],
            grants=form.cleaned_data["grants"],
        )
        request.session[NEW_BOT_PASSWORD_KEY] = {
            "login": f"{request.user.get_username()}@{bot.appname}",
            "text": text,
        }
    return redirect("wiki:profile")


@login_required
@require_POST
def bot_password_revoke(request, bot_id: int):
    bot = get_object_or_404(BotPassword.objects.active(), pk=bot_id, user=request.user)
    bot.revoke()
    messages.success(
        request,
        gettext("The bot password “%(appname)s” was revoked: it no longer works.")
        % {"appname": bot.appname},
    )
    return redirect("wiki:profile")


class BotSessionMiddleware:
    """A session signed in with a bot password reaches the Action API only: elsewhere (pages,
    forms, the REST API) it is anonymous, as MediaWiki keeps bot passwords to the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            split_path(request.path_info)[1] != API_PATH
            and request.session.get(SESSION_KEY) is not None
        ):
            request.user = AnonymousUser()
        return self.get_response(request)
