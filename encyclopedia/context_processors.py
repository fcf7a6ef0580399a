from django.conf import settings
from django.core.cache import cache

from wiki.caching import NAVIGATION_KEY
from wiki.models import Portal


def navigation() -> list[tuple[str, str]]:
    """(name, url) of the portals in the navigation bar; cached until a portal changes."""
    entries = cache.get(NAVIGATION_KEY)
    if entries is None:
        entries = [
            (p.name, p.get_absolute_url()) for p in Portal.objects.filter(in_navigation=True)
        ]
        cache.set(NAVIGATION_KEY, entries, 3600)
    return entries


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_SUBTITLE": settings.SITE_SUBTITLE,
        "navigation": navigation,
    }
