"""Accounts people make themselves: registration with e-mail confirmation, limited per
client address; confirmed accounts read until an administrator adds them to Editors, or,
when REGISTRATION_AUTO_EDITOR_DAYS is set, become editors that many days after confirming."""

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.contrib.auth.models import Group
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from wiki.antiabuse.captcha import CaptchaField
from wiki.editorial.logs import log_action
from wiki.editorial.models import LogEntry
from wiki.permissions import EDITORS_GROUP, ensure_groups
from wiki.watching.mail import queue_mail
from wiki.watching.models import Preferences

from .middleware import SESSION_KEY
from .signin import client_address

CONFIRM_SALT = "encyclopedia.accounts.confirm"


class RegistrationForm(UserCreationForm):
    email = forms.EmailField(
        label=gettext("E-mail address"),
        help_text=gettext("We send a link to confirm it; it is never shown."),
    )
    captcha = CaptchaField()

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "email"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                gettext("An account already uses this address. Reset its password if it is yours.")
            )
        return email


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, its mail queued like the notifications: sent after the commit,
    retried while the mail server is down (`wiki.watching.mail`), instead of lost to a log
    line. A captcha first, so that a robot cannot mail an account's owner again and again."""

    captcha = CaptchaField()

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        from django.template import loader

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        with transaction.atomic():
            queue_mail(
                to=to_email,
                subject=subject,
                body=loader.render_to_string(email_template_name, context),
            )


def _registration_key(request) -> str:
    return f"register:address:{client_address(request)}"


def registrations_left(request) -> int:
    return settings.REGISTRATIONS_PER_ADDRESS_PER_DAY - (cache.get(_registration_key(request)) or 0)


def _count_registration(request) -> None:
    key = _registration_key(request)
    cache.add(key, 0, timeout=24 * 3600)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=24 * 3600)


def confirmation_url(request, user) -> str:
    token = signing.dumps({"u": user.pk, "e": user.email}, salt=CONFIRM_SALT)
    return request.build_absolute_uri(reverse("confirm_email", args=[token]))


def register(request):
    if not settings.REGISTRATION_OPEN:
        raise Http404(
            gettext("This wiki does not take new accounts; ask an administrator for one.")
        )
    if request.method == "POST" and registrations_left(request) <= 0:
        return render(
            request,
            "registration/register.html",
            {
                "form": RegistrationForm(request.POST),
                "refused": gettext(
                    "Too many accounts were created from your network address today. "
                    "Try again tomorrow, or ask an administrator."
                ),
            },
            status=429,
        )
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save(commit=False)
            user.is_active = False  # until the address is confirmed
            user.save()
            queue_mail(
                to=user.email,
                # In the language of the page the account was made on (the request's).
                subject=gettext("[%(site)s] Confirm your e-mail address")
                % {"site": settings.SITE_NAME},
                body=gettext(
                    "Someone (we hope you) created the account “%(name)s” on %(site)s with "
                    "this address.\n\n"
                    "Confirm it within %(days)s days: %(url)s\n\n"
                    "If it was not you, ignore this mail: the account stays unusable.\n"
                )
                % {
                    "name": user.username,
                    "site": settings.SITE_NAME,
                    "days": settings.REGISTRATION_CONFIRM_DAYS,
                    "url": confirmation_url(request, user),
                },
            )
        _count_registration(request)
        return render(request, "registration/register_done.html", {"email": user.email})
    return render(
        request,
        "registration/register.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def confirm_email(request, token: str):
    max_age = dt.timedelta(days=settings.REGISTRATION_CONFIRM_DAYS)
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired:
        return _bad_link(request, gettext("This confirmation link has expired. Register again."))
    except signing.BadSignature:
        return _bad_link(request, gettext("This confirmation link is not valid."))
    User = get_user_model()
    user = User.objects.filter(pk=data.get("u"), email=data.get("e")).first()
    if user is None:
        return _bad_link(request, gettext("The account of this link no longer exists."))
    prefs, _ = Preferences.objects.get_or_create(user=user)
    if prefs.email_confirmed_at is not None:
        # Used once: a link found later in a mailbox must not sign anyone in.
        messages.info(
            request, gettext("This address was confirmed already: sign in with your password.")
        )
        return redirect("login")
    prefs.email_confirmed_at = timezone.now()
    prefs.save(update_fields=["email_confirmed_at"])
    user.is_active = True
    user.save(update_fields=["is_active"])
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(
        request,
        (
            gettext(
                "Your e-mail address is confirmed and you are signed in. You can read, watch "
                "pages and set your preferences; you can edit %(days)s days from now."
            )
            % {"days": settings.REGISTRATION_AUTO_EDITOR_DAYS}
            if settings.REGISTRATION_AUTO_EDITOR_DAYS is not None
            else gettext(
                "Your e-mail address is confirmed and you are signed in. You can read, watch "
                "pages and set your preferences; an administrator adds you to the Editors when "
                "you ask."
            )
        ),
    )
    promote_confirmed(user)
    return redirect("wiki:preferences")


def _bad_link(request, message: str):
    return render(request, "400.html", {"exception": message}, status=400)


def promote_confirmed(user) -> bool:
    """Add a self-registered account to Editors once its address was confirmed for
    REGISTRATION_AUTO_EDITOR_DAYS (when set); True when it was."""
    days = settings.REGISTRATION_AUTO_EDITOR_DAYS
    if days is None or not user.is_active:
        return False
    prefs = Preferences.objects.filter(user=user).first()
    if prefs is None or prefs.email_confirmed_at is None:
        return False
    if prefs.email_confirmed_at > timezone.now() - dt.timedelta(days=days):
        return False
    if user.groups.filter(name=EDITORS_GROUP).exists():
        return False
    ensure_groups()
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    log_action(
        type=LogEntry.Type.RIGHTS,
        action="autopromote",
        performer=None,
        target=f"User:{user.get_username()}",
        comment=f"Address confirmed {days} days ago",
    )
    return True


def promote_on_sign_in(sender, request, user, **kwargs) -> None:
    """At sign-in: the reader's time zone into the session, and a promotion when due."""
    from wiki.watching.notify import preferences_for

    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = preferences_for(user).time_zone
    promote_confirmed(user)
