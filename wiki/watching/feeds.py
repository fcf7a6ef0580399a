"""The private Atom feed of a watchlist: its address holds the reader's token, not a session."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext

from ..editorial.revision_hiding import shown_to
from ..history.feeds import FEED_LENGTH, RecentChangesFeed
from ..history.filters import RecentChangesFilter
from ..keyset import RECENT_FIRST, first_rows
from .models import Preferences
from .views import watched_revisions


class WatchlistFeed(RecentChangesFeed):
    title = "Watchlist"
    subtitle = "Changes to the pages you watch, newest first."

    def get_object(self, request, token: str):
        prefs = Preferences.objects.select_related("user").filter(feed_token=token).first()
        if prefs is None or not prefs.user.is_active:
            raise Http404(gettext("No watchlist has this feed address."))
        return prefs.user, RecentChangesFilter(request.GET)

    def link(self, obj):
        return reverse("wiki:watchlist")

    def items(self, obj):
        user, filters = obj
        revisions, articles = watched_revisions(user, filters)
        newest = first_rows(
            revisions, RECENT_FIRST.order_by(), FEED_LENGTH, split=("article_id", articles)
        )
        return shown_to(None, newest)
