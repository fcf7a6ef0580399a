"""Signing in and out (action=login, clientlogin, logout) and the tokens that guard them:
a login token per session, a CSRF token per signed-in session."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model, login, logout
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.module_loading import import_string

from ...second_factor import (
    has_second_factor,
    matching_device,
    required_for,
    sign_in_with_code,
    slowed_down,
    wait_for_code,
    waiting_user,
)
from ..models import BotPassword
from .bots import remember_bot_password
from .params import Failure, Params

EMPTY_TOKEN = "+\\"
User = get_user_model()


def csrf_token(request) -> str:
    """Bound to the signed-in session: a new session (sign-in) is a new token."""
    if not request.user.is_authenticated or not request.session.session_key:
        return EMPTY_TOKEN
    key = f"{request.user.pk}:{request.session.session_key}"
    return salted_hmac("wiki.api.action.csrf", key).hexdigest() + EMPTY_TOKEN


def login_token(request) -> str:
    token = request.session.get("api_login_token")
    if token is None:
        token = request.session["api_login_token"] = secrets.token_hex(16) + EMPTY_TOKEN
    return token


def check_token(request, sent: str | None, expected: str, name: str = "token") -> None:
    if not sent:
        raise Failure("missingparam", f'The "{name}" parameter must be set.')
    if expected == EMPTY_TOKEN and sent == EMPTY_TOKEN and request.user.is_authenticated:
        raise Failure("badtoken", "Invalid CSRF token.")
    if not constant_time_compare(sent, expected):
        raise Failure("badtoken", "Invalid CSRF token.")


def account_name(username: str) -> str:
    """MediaWiki's user names begin with a capital (clients send "Edna" for "edna"): the
    account's own name when one differs from `username` only in its first letter's case."""
    if not username or User.objects.filter(username=username).exists():
        return username
    other = username[0].swapcase() + username[1:]
    return other if User.objects.filter(username=other).exists() else username


def wiki_name(user) -> str:
    """The account's name as MediaWiki writes user names: with a capital first letter."""
    name = user.get_username()
    return name[:1].upper() + name[1:]


def signed_in_user(request, username: str, password: str):
    """(user, "") when the password is right, else (None, why): the site's sign-in form
    (settings.API_SIGNIN_FORM) decides, so its throttle holds here too."""
    username = account_name(username)
    form_class = import_string(
        getattr(settings, "API_SIGNIN_FORM", "django.contrib.auth.forms.AuthenticationForm")
    )
    form = form_class(request, data={"username": username, "password": password})
    if form.is_valid():
        return form.get_user(), ""
    return None, getattr(form, "throttled", "") or (
        "Incorrect username or password entered. Please try again."
    )


def _login_token_matches(request, sent: str | None) -> bool:
    expected = request.session.get("api_login_token")
    return bool(sent and expected and constant_time_compare(sent, expected))


def bot_password_user(name: str, password: str):
    """(user, bot password) for `User@appname` and a bot password of that user's, else
    (None, None)."""
    username, _, appname = name.rpartition("@")
    bot = (
        BotPassword.objects.active()
        .select_related("user")
        .filter(user__username=account_name(username), appname=appname)
        .first()
    )
    if bot is None or not bot.matches(password):
        return None, None
    return bot.user, bot


def action_login(request, p: Params) -> dict:
    """The account's password, or a bot password as `User@appname` (MediaWiki's bot
    passwords: the session may then do only what its grants allow)."""
    if not _login_token_matches(request, p.get("lgtoken")):
        return {"login": {"result": "NeedToken", "token": login_token(request)}}
    name, password = p.get("lgname", ""), p.get("lgpassword", "")
    bot = None
    if "@" in name:
        user, bot = bot_password_user(name, password)  # no second step, as on MediaWiki
        reason = "" if user else "Incorrect username or password entered. Please try again."
    else:
        user, reason = signed_in_user(request, name, password)
        reason = reason or _second_step_refusal(user)
    if user is None or reason:
        return {"login": {"result": "Failed", "reason": reason}}
    login(request, user)
    remember_bot_password(request, bot)
    return {"login": {"result": "Success", "lguserid": user.pk, "lgusername": wiki_name(user)}}


def _second_step_refusal(user) -> str:
    """Why action=login refuses this account's password alone ("" when it does not)."""
    if has_second_factor(user):
        return (
            "This account signs in in two steps: use action=clientlogin, which asks for the "
            "code, or a bot password (User@app) made on your profile page."
        )
    if required_for(user):
        return "Your role requires two-step sign-in: set it up on the site first."
    return ""


def _code_wanted(failed: bool = False, wait: bool = False) -> dict:
    """MediaWiki's clientlogin "UI" answer that asks for the authenticator's code (as its
    OATHAuth extension does); the client sends it back with logincontinue=1."""
    if wait:
        message = "Wrong codes were sent just now: wait a few seconds, then send the newest."
    elif failed:
        message = "That code was not right. Type the newest one your authenticator app shows."
    else:
        message = "Type the code your authenticator app shows, or one of your backup codes."
    return {
        "status": "UI",
        "message": message,
        "messagecode": "oathauth-login-failed" if failed else "oathauth-auth-ui",
        "requests": [
            {
                "id": "TOTPAuthenticationRequest",
                "metadata": {},
                "required": "required",
                "provider": "Two-step sign-in",
                "account": "",
                "fields": {
                    "OATHToken": {
                        "type": "string",
                        "label": "Code",
                        "help": "The six-digit code from your authenticator app.",
                    }
                },
            }
        ],
    }


def _clientlogin_continued(request, p: Params) -> dict:
    user = waiting_user(request)
    if user is None:
        message = "No sign-in is waiting for a code: start again."
        fail = {
            "status": "FAIL",
            "message": message,
            "messagecode": "authmanager-authn-not-in-progress",
        }
        return {"clientlogin": fail}
    if slowed_down(user):
        return {"clientlogin": _code_wanted(failed=True, wait=True)}
    device = matching_device(user, p.get("OATHToken", ""))
    if device is None:
        return {"clientlogin": _code_wanted(failed=True)}
    sign_in_with_code(request, user, device)
    remember_bot_password(request, None)
    return {"clientlogin": {"status": "PASS", "username": wiki_name(user)}}


def action_clientlogin(request, p: Params) -> dict:
    if not _login_token_matches(request, p.get("logintoken")):
        raise Failure("badtoken", "Invalid login token.")
    if p.flag("logincontinue"):
        return _clientlogin_continued(request, p)
    user, reason = signed_in_user(request, p.get("username", ""), p.get("password", ""))
    if user is None:
        code = "wrongpassword" if reason.startswith("Incorrect") else "login-throttled"
        return {"clientlogin": {"status": "FAIL", "message": reason, "messagecode": code}}
    if has_second_factor(user):
        wait_for_code(request, user)
        return {"clientlogin": _code_wanted()}
    if reason := _second_step_refusal(user):
        return {
            "clientlogin": {
                "status": "FAIL",
                "message": reason,
                "messagecode": "oathauth-must-enable",
            }
        }
    login(request, user)
    remember_bot_password(request, None)
    return {"clientlogin": {"status": "PASS", "username": wiki_name(user)}}


def action_logout(request, p: Params) -> dict:
    check_token(request, p.get("token"), csrf_token(request))
    logout(request)
    return {}
