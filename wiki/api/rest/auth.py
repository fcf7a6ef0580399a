"""Who may write: a personal API token (`Authorization: Bearer …`), throttled per token."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from ..models import ApiToken


class TokenAuth(HttpBearer):
    """A personal API token, made and revoked on the profile page."""

    def authenticate(self, request, token):
        found = ApiToken.objects.for_token(token)
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > dt.timedelta(minutes=1):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.api_token = found
        request.user = found.user
        return found.user


class TokenWriteThrottle(SimpleRateThrottle):
    """Writes per token (API_WRITE_RATE, e.g. "30/min")."""

    scope = "api_write"

    def __init__(self):
        super().__init__(settings.API_WRITE_RATE)

    def get_cache_key(self, request):
        token = getattr(request, "api_token", None)
        return f"api-write-{token.pk}" if token is not None else None


# What every write operation declares: the token, and its throttle.
WRITE = {"auth": TokenAuth(), "throttle": [TokenWriteThrottle()]}
