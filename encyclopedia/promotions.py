"""House advertisements: which one a page shows, and the only counts kept about them.

A page shows at most one promotion, chosen from those running today by the page alone (a hash
of the article's slug), so the cached copy of a page and a fresh rendering show the same one.
Cached pages are retired (the site generation moves) when an administrator changes a
promotion and when the scheduled job finds one that started or ended since it last looked.

Counts are aggregates per promotion and day, nothing about a reader: a click passes through
`/promo/<id>/click`, an impression is the browser loading the promotion's image from
`/promo/<id>/image` (never cached by the browser without asking, so a page replayed from any
cache still counts). Impressions are added to a cache counter and moved to the database at
most once a minute by a request and every five minutes by the job.
"""

import zlib

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django_q.models import Schedule

from wiki.caching import bump_generation, site_generation
from wiki.models import Article

from .models import Promotion, PromotionDay

COUNTER_SECONDS = 3 * 24 * 3600
FLUSH_SECONDS = 60
FLUSH_LOCK = "promotions:flushing"
SCHEDULE_NAME = "Promotions: counts and schedule"
_running = {"key": None, "promotions": []}


def running_promotions() -> list[Promotion]:
    """The promotions running today, with their category ids; kept in each process until the
    day or the site generation changes (a promotion saved moves the generation)."""
    key = (site_generation(), timezone.localdate())
    if _running["key"] != key:
        day = key[1]
        promotions = list(
            Promotion.objects.filter(starts_on__lte=day)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
            .prefetch_related("categories", "excluded_categories")
        )
        for promotion in promotions:
            promotion.only_in = {c.pk for c in promotion.categories.all()}
            promotion.never_in = {c.pk for c in promotion.excluded_categories.all()}
        _running.update(key=key, promotions=promotions)
    return _running["promotions"]


def _excluded_by_operator(names) -> bool:
    excluded = {_category_name(n) for n in settings.PROMOTIONS_EXCLUDED_CATEGORIES}
    return any(_category_name(name) in excluded for name in names)


def _category_name(name: str) -> str:
    return name.replace("_", " ").strip().casefold()


def promotion_for_article(slug: str) -> Promotion | None:
    """The promotion the article at `slug` shows, or None: none on a page that is not a
    reader's article (talk, help, template, redirect), on an article in
    a category the operator excludes, or where no running promotion may appear."""
    running = running_promotions()
    if not settings.PROMOTIONS_ENABLED or not running:
        return None
    rows = list(  # readers' articles only: no talk, help or template page, no redirect
        Article.objects.content_pages()
        .filter(slug=slug)
        .values_list("categories__id", "categories__name")
    )
    if not rows:
        return None
    category_ids = {pk for pk, _ in rows if pk is not None}
    if _excluded_by_operator(name for _, name in rows if name):
        return None
    eligible = [
        p
        for p in running
        if not (p.never_in & category_ids) and (not p.only_in or p.only_in & category_ids)
    ]
    return _pick(eligible, slug)


def promotion_for_main_page() -> Promotion | None:
    if not settings.PROMOTIONS_ENABLED:
        return None
    return _pick([p for p in running_promotions() if p.on_main_page], "")


def _pick(eligible: list[Promotion], page: str) -> Promotion | None:
    """The same page always gets the same promotion while the running ones stay the same."""
    if not eligible:
        return None
    return eligible[zlib.crc32(page.encode()) % len(eligible)]


class PromotionSlot:
    """`{{ promotion_block }}` in a page: the promotion block of the article or main page the
    request is for, rendered only when the page shows the variable (the site's context
    processor hands it to every template; the engine's templates need not know the site)."""

    def __init__(self, request):
        self.request = request
        self._html = None

    def __html__(self) -> str:
        if self._html is None:
            promotion = self._promotion()
            self._html = (
                render_to_string("encyclopedia/includes/promotion.html", {"promotion": promotion})
                if promotion
                else ""
            )
        return self._html

    __str__ = __html__

    def _promotion(self) -> Promotion | None:
        match = getattr(self.request, "resolver_match", None)
        if not settings.PROMOTIONS_ENABLED or match is None:
            return None
        if match.view_name == "wiki:article":
            return promotion_for_article(match.kwargs.get("slug", ""))
        if match.view_name == "encyclopedia:home":
            return promotion_for_main_page()
        return None


def _counter_key(pk: int, day) -> str:
    return f"promotions:shown:{pk}:{day.isoformat()}"


def _add_counts(pk: int, day, *, impressions: int = 0, clicks: int = 0) -> None:
    changes = {"impressions": F("impressions") + impressions, "clicks": F("clicks") + clicks}
    if PromotionDay.objects.filter(promotion_id=pk, day=day).update(**changes):
        return
    try:
        with transaction.atomic():
            PromotionDay.objects.create(
                promotion_id=pk, day=day, impressions=impressions, clicks=clicks
            )
    except IntegrityError:  # another request made the row meanwhile
        PromotionDay.objects.filter(promotion_id=pk, day=day).update(**changes)


def promotion_click_count(*, pk: int) -> None:
    _add_counts(pk, timezone.localdate(), clicks=1)


def promotion_impression_count(*, pk: int) -> None:
    """One showing: a cache counter (one Redis INCR); straight to the database when the cache
    cannot count."""
    day = timezone.localdate()
    key = _counter_key(pk, day)
    cache.add(key, 0, COUNTER_SECONDS)
    try:
        counted = cache.incr(key)
    except ValueError:  # the key went between add and incr
        counted = None
    if counted is None:
        _add_counts(pk, day, impressions=1)
    if cache.add(FLUSH_LOCK, 1, FLUSH_SECONDS):
        impressions_flush()


def impressions_flush() -> None:
    """Move the cache counters of today and yesterday into the database. What is taken from a
    counter is what is added to the table, so two flushes at once never count twice."""
    today = timezone.localdate()
    days = [today, today - timezone.timedelta(days=1)]
    recent = Promotion.objects.filter(starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=days[1])
    )
    for pk in recent.values_list("pk", flat=True):
        for day in days:
            key = _counter_key(pk, day)
            taken = cache.get(key)
            if not taken:
                continue
            try:
                if cache.incr(key, -taken) is None:
                    continue
            except ValueError:
                continue
            _add_counts(pk, day, impressions=taken)


def schedule_apply() -> bool:
    """Retire cached pages when a promotion started or ended (or the setting changed) since
    pages were last retired for promotions; True when they were."""
    today = timezone.localdate()
    changed = []
    for promotion in Promotion.objects.only("starts_on", "ends_on", "live"):
        running = settings.PROMOTIONS_ENABLED and promotion.running_on(today)
        if running != promotion.live:
            changed.append(promotion.pk)
            Promotion.objects.filter(pk=promotion.pk).update(live=running)
    if changed:
        bump_generation()
    return bool(changed)


def promotions_job() -> None:
    """The scheduled job (every five minutes)."""
    impressions_flush()
    schedule_apply()


def promotions_changed(sender, instance=None, **kwargs) -> None:
    """An administrator changed a promotion or its categories: retire every cached page."""
    if not kwargs.get("action", "post").startswith("post"):
        return
    if isinstance(instance, Promotion) and instance.pk:
        running = settings.PROMOTIONS_ENABLED and instance.running_on(timezone.localdate())
        Promotion.objects.filter(pk=instance.pk).update(live=running)
    bump_generation()


def ensure_schedule(**kwargs) -> None:
    """After migrate: the job that flushes counts and follows the dates exists."""
    Schedule.objects.update_or_create(
        name=SCHEDULE_NAME,
        defaults={
            "func": "encyclopedia.promotions.promotions_job",
            "schedule_type": Schedule.MINUTES,
            "minutes": 5,
            "repeats": -1,
        },
    )
