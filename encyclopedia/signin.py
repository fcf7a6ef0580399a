"""Sign-in throttling for the site's and the admin's sign-in forms.

After SIGNIN_FAILURES_PER_ACCOUNT failed sign-ins for one user name, or
SIGNIN_FAILURES_PER_ADDRESS from one client address, within SIGNIN_LOCKOUT_SECONDS, both
forms refuse every attempt for that account or address, the right password included, until
SIGNIN_LOCKOUT_SECONDS have passed. Counts live in the cache, so every app server shares them.
"""

import hashlib
import math
import time
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache

from wiki.limits import client_address  # noqa: F401  (one definition, shared by both)

THROTTLED = "throttled"  # the form error's code; the view answers 429 Too Many Requests


def _counters(request, username: str) -> list[tuple[str, int]]:
    """(cache key, limit) for the account and for the client address."""
    counters = []
    if username:
        digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()
        counters.append((f"signin:account:{digest}", settings.SIGNIN_FAILURES_PER_ACCOUNT))
    if request is not None and (address := client_address(request)):
        counters.append((f"signin:address:{address}", settings.SIGNIN_FAILURES_PER_ADDRESS))
    return counters


def seconds_locked(request, username: str) -> int:
    """How long sign-in stays refused for this account or address; 0 when it is allowed."""
    now = time.time()
    until = max(
        (cache.get(f"{key}:until") or 0 for key, _ in _counters(request, username)), default=0
    )
    return math.ceil(until - now) if until > now else 0


def record_failure(request, username: str) -> None:
    lockout = settings.SIGNIN_LOCKOUT_SECONDS
    for key, limit in _counters(request, username):
        cache.add(key, 0, timeout=lockout)  # the count runs from the first failure
        try:
            failures = cache.incr(key)
        except ValueError:  # expired between the two calls
            continue
        if failures is not None and failures >= limit:  # None: the cache is down
            cache.set(f"{key}:until", time.time() + lockout, timeout=lockout + 1)
            cache.delete(key)


def record_success(request, username: str) -> None:
    """A right password clears the account's count (not the address's: one account of one's
    own must not reset the count of guesses made at others)."""
    for key, _ in _counters(None, username):
        cache.delete(key)


def refusal(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return (
        "Too many failed sign-in attempts for this account or from your address. "
        f"Try again in {minutes} minute{'s' if minutes != 1 else ''}."
    )


class ThrottledSignInMixin:
    """Checks the throttle before the password, and counts the failures."""

    def clean(self):
        username = self.data.get("username", "")
        if wait := seconds_locked(self.request, username):
            raise forms.ValidationError(refusal(wait), code=THROTTLED)
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            record_failure(self.request, username)
            raise
        record_success(self.request, username)
        return cleaned

    @property
    def throttled(self) -> str:
        """The refusal, when the throttle refused this attempt (for the template)."""
        errors = self.errors.as_data().get(forms.forms.NON_FIELD_ERRORS, [])
        return next((e.messages[0] for e in errors if e.code == THROTTLED), "")


class SignInForm(ThrottledSignInMixin, AuthenticationForm):
    pass


class AdminSignInForm(ThrottledSignInMixin, AdminAuthenticationForm):
    pass


def answers_429_when_throttled(view):
    """A refused sign-in says so with its status too, for scripts and monitoring."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        form = (getattr(response, "context_data", None) or {}).get("form")
        if getattr(form, "throttled", ""):
            response.status_code = 429
        return response

    return wrapped
