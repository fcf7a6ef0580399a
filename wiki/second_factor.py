"""Two-step sign-in: after the password, a code from an authenticator app (TOTP) or one of the
account's single-use backup codes, with django-otp's devices. Who has it, who must have it
(settings.TWO_FACTOR_REQUIRED_FOR), and a sign-in waiting for its code between two requests —
shared by the site's sign-in pages and the Action API's clientlogin.

API tokens and bot passwords are not signed in here: they are made by an account already
signed in (with its second step, where it has one) and carry only the rights they were given."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.core.cache import cache
from django_otp import devices_for_user as devices_for
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from .permissions import is_administrator, is_reviewer, is_suppressor

PENDING = "second_factor_pending"
ROLES = {
    "administrators": is_administrator,
    "reviewers": is_reviewer,
    "suppressors": is_suppressor,
    "staff": lambda user: user.is_staff,  # the admin's users
}


def has_second_factor(user) -> bool:
    """Whether the account signs in with a code after its password. Asked on every signed-in
    request (the middleware), so the answer is kept in the cache until a device of the
    account changes (`forget_devices`)."""
    if not (user and user.is_authenticated):
        return False
    key = f"second-factor:{user.pk}"
    found = cache.get(key)
    if found is None:
        found = user_has_device(user, confirmed=True)
        cache.set(key, found, 3600)
    return found


def forget_devices(sender, instance, **kwargs) -> None:
    """A device was added, confirmed, used or removed: ask the database again."""
    cache.delete(f"second-factor:{instance.user_id}")


def required_for(user) -> bool:
    """Whether a role of this account obliges it to set the second step up before it does
    anything else (settings.TWO_FACTOR_REQUIRED_FOR names the roles)."""
    if not (user and user.is_authenticated):
        return False
    return any(ROLES[role](user) for role in settings.TWO_FACTOR_REQUIRED_FOR)


def matching_device(user, code: str):
    """The account's device this code belongs to (a TOTP code, or a backup code, which it
    then uses up), or None; django-otp slows repeated wrong codes down per device."""
    code = "".join(code.split())
    return match_token(user, code) if code else None


def slowed_down(user) -> bool:
    """Whether django-otp makes the account wait before its next code (it doubles the wait
    after each wrong one), so a right code sent now would be refused too."""
    devices = devices_for(user, confirmed=True)
    return any(not d.verify_is_allowed()[0] for d in devices)


def wait_for_code(request, user) -> None:
    """The password was right: remember the account, not yet signed in, until its code
    comes (within settings.TWO_FACTOR_CODE_SECONDS)."""
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "until": time.time() + settings.TWO_FACTOR_CODE_SECONDS,
    }


def waiting_user(request):
    """The account whose code this session waits for, or None (none, or too late)."""
    pending = request.session.get(PENDING)
    if not pending or pending["until"] < time.time():
        return None
    return get_user_model().objects.filter(pk=pending["user"], is_active=True).first()


def sign_in_with_code(request, user, device) -> None:
    """Sign the waiting account in, verified by `device`."""
    backend = request.session[PENDING]["backend"]
    del request.session[PENDING]
    login(request, user, backend=backend)
    otp_login(request, device)
