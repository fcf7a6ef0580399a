"""Two-step sign-in on the site and the admin (wiki/second_factor.py holds who has it and the
sign-in waiting for its code): the sign-in form's second page, the page where an account sets
it up (a QR code and its key for an authenticator app, then ten single-use backup codes) or
turns it off, and the middleware that holds a session to it.

The admin signs in with its own form; a session signed in there by a password alone is sent
to the code page before it sees anything, as is any session of an account that set the second
step up since. Accounts whose role requires it (settings.TWO_FACTOR_REQUIRED_FOR) can open
nothing but the set-up page until they have done it."""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from wiki.languages import split_path
from wiki.second_factor import (
    has_second_factor,
    matching_device,
    required_for,
    sign_in_with_code,
    slowed_down,
    wait_for_code,
    waiting_user,
)

from . import signin

BACKUP_CODES = 10
# Where a session held to its second step may still go: the sign-in pages, the set-up page,
# signing out, files; the APIs answer for themselves (wiki/api/action/login.py).
OPEN_PATHS = ("/accounts/login/", "/accounts/logout/", "/accounts/two-step", "/static/", "/media/")
API_PATHS = ("/api.php", "/api/")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext("Code"),
        max_length=20,
        help_text=gettext(
            "The six digits your authenticator app shows now, or one of your backup codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if allowed else "/"


def _with_next(name: str, target: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': target})}"


class SignInView(LoginView):
    """The password first; an account with a second step is then asked for its code."""

    authentication_form = signin.SignInForm

    def form_valid(self, form):
        user = form.get_user()
        if not has_second_factor(user):
            return super().form_valid(form)
        wait_for_code(self.request, user)
        return redirect(_with_next("login_code", self.get_redirect_url() or "/"))


@sensitive_post_parameters("code")
@never_cache
def sign_in_code(request):
    user = waiting_user(request)
    if user is None:
        return redirect(_with_next("login", _next(request)))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = _check_code(request, user, form)
        if status == 302:
            return redirect(_next(request))
    context = {"form": form, "next": _next(request)}
    return render(request, "registration/two_step_code.html", context, status=status)


def _check_code(request, user, form) -> int:
    """The status of the answer to a code sent: 302 (signed in), 400 or 429."""
    username = user.get_username()
    if not form.is_valid():
        return 400
    if wait := signin.seconds_locked(request, username):
        form.add_error("code", signin.refusal(wait))
        return 429
    if slowed_down(user):  # still a guess: it counts
        signin.record_failure(request, username)
        form.add_error("code", "Wrong codes were typed just now: wait a few seconds, then retry.")
        return 400
    device = matching_device(user, form.cleaned_data["code"])
    if device is None:
        signin.record_failure(request, username)
        form.add_error("code", "That code is not right, or has been used. Try the newest one.")
        return 400
    signin.record_success(request, username)
    sign_in_with_code(request, user, device)
    return 302


def _new_backup_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Backup codes"})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _set_up_page(request, device: TOTPDevice, form) -> dict:
    key = b32encode(device.bin_key).decode().rstrip("=")
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=2, title=gettext("QR code of your key, for an authenticator app")
    )
    return {
        "form": form,
        "qr": mark_safe(qr),  # noqa: S308  (segno's own SVG of our key's URL)
        "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        "required": required_for(request.user),
    }


def _confirm(request, form):
    """The code of the app's first reading: the device works; backup codes are made."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None or not form.is_valid():
        return None
    allowed, _ = device.verify_is_allowed()
    if not allowed:  # django-otp waits longer after each wrong code
        form.add_error("code", "Wrong codes were typed just now: wait a few seconds, then retry.")
        return None
    if not device.verify_token("".join(form.cleaned_data["code"].split())):
        form.add_error("code", "That code does not match: check the app's clock and try again.")
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_backup_codes(request.user)
    otp_login(request, device)
    return codes


def _change(request, form) -> dict | None:
    """New backup codes or turning the second step off: both need a current code."""
    if not form.is_valid() or matching_device(request.user, form.cleaned_data["code"]) is None:
        if form.is_valid():
            form.add_error("code", "That code is not right, or has been used.")
        return None
    if request.POST.get("action") == "codes":
        return {"codes": _new_backup_codes(request.user)}
    if required_for(request.user):
        form.add_error(None, "Your role requires two-step sign-in: it cannot be turned off.")
        return None
    TOTPDevice.objects.filter(user=request.user).delete()
    StaticDevice.objects.filter(user=request.user).delete()
    return {"turned_off": True}


@login_required
@sensitive_post_parameters("code")
@never_cache
def two_step(request):
    """Set up, see and change the account's second step."""
    form = CodeForm(request.POST or None)
    posted = request.method == "POST"
    if has_second_factor(request.user):
        done = _change(request, form) if posted else None
        backup = StaticDevice.objects.filter(user=request.user).first()
        context = {
            "form": form,
            "on": not (done or {}).get("turned_off"),
            "codes": (done or {}).get("codes"),
            "codes_left": backup.token_set.count() if backup else 0,
            "required": required_for(request.user),
        }
        status = 400 if posted and done is None else 200
        return render(request, "registration/two_step.html", context, status=status)
    if posted and (codes := _confirm(request, form)) is not None:
        context = {"on": True, "codes": codes, "codes_left": len(codes), "next": _next(request)}
        return render(request, "registration/two_step.html", context)
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    context = {**_set_up_page(request, device, form), "next": _next(request)}
    return render(request, "registration/two_step.html", context, status=400 if posted else 200)


class SecondStepMiddleware:
    """A signed-in session of an account with a second step has passed it, and an account
    whose role requires one has set it up; otherwise the session goes where it can."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        path = split_path(request.path_info)[1]  # /es/api.php is the API too
        if (
            not user.is_authenticated
            or user.is_verified()
            or path.startswith(OPEN_PATHS + API_PATHS)
        ):
            return self.get_response(request)
        if has_second_factor(user):
            backend = request.session.get(BACKEND_SESSION_KEY)
            logout(request)  # signed in by a password alone: the code is still owed
            user.backend = backend
            wait_for_code(request, user)
            if request.method == "POST":  # what was typed is handed back, never dropped
                return _held_post(request)
            return redirect(_with_next("login_code", request.get_full_path()))
        if required_for(user):
            return redirect(_with_next("two_step", request.get_full_path()))
        return self.get_response(request)


def _held_post(request):
    back = request.headers.get("referer", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "/"
    context = {"text": request.POST.get("text", ""), "code_url": _with_next("login_code", back)}
    return render(request, "registration/two_step_held.html", context, status=403)
