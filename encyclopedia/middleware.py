"""Dates in the reader's time zone: the one of their preferences, kept in their session when
they sign in or save their preferences (no query per request); else the site's."""

import zoneinfo

from django.utils import timezone

SESSION_KEY = "wiki_time_zone"


class ReaderTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        zone = session.get(SESSION_KEY, "") if session is not None else ""
        timezone.deactivate()
        if zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                pass
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
