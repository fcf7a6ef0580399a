from django.conf import settings
from django.urls import reverse_lazy

from wiki.caching import site_generation
from wiki.languages import content_language
from wiki.models import Portal

from .promotions import PromotionSlot

_navigation = {"generation": None, "entries": {}}


def navigation() -> list[tuple[str, str]]:
    """(name, url) of the portals in the navigation bar of the language being read, kept in
    each process until the site generation moves (a portal change moves it)."""
    generation = site_generation()
    if _navigation["generation"] != generation:
        _navigation.update(generation=generation, entries={})
    language = content_language()
    if language not in _navigation["entries"]:
        _navigation["entries"][language] = [
            (p.name, p.get_absolute_url())
            for p in Portal.objects.in_language(language).filter(in_navigation=True)
        ]
    return _navigation["entries"][language]


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_SUBTITLE": settings.SITE_SUBTITLE,
        "navigation": navigation,
        "REGISTRATION_OPEN": settings.REGISTRATION_OPEN,
        # The site's disclaimer page, which an article names under its title.
        "DISCLAIMER_URL": reverse_lazy("encyclopedia:page", args=["disclaimer"]),
        # The main page of the language being read (the engine's templates name no site URL).
        "HOME_URL": reverse_lazy("encyclopedia:home"),
        # Rendered only where a page shows it (an article, the main page): no query otherwise.
        "promotion_block": PromotionSlot(request),
    }
