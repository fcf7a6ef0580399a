"""The Atom feed of recent changes, with the same filters as the page."""

from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from ..editorial.revision_hiding import AUTHOR_REMOVED, shown_to
from .filters import RecentChangesFilter

FEED_LENGTH = 50


class RecentChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "Recent changes"
    subtitle = "Every edit to the encyclopedia, newest first."

    def get_object(self, request):
        return RecentChangesFilter(request.GET)

    def link(self, filters):
        query = filters.query_string()
        return reverse("wiki:recent_changes") + (f"?{query}" if query else "")

    def items(self, filters):
        """A feed is public: hidden parts are left out, whoever reads it."""
        return shown_to(None, filters.revisions()[:FEED_LENGTH])

    def item_title(self, rev):
        return f"{rev.title}: {rev.summary}" if rev.summary else rev.title

    def item_description(self, rev):
        """Atom's summary is HTML to a feed reader: the editor's summary goes in as text."""
        sign = "+" if rev.size_delta > 0 else ""
        minor = " (minor edit)" if rev.minor else ""
        summary = escape(rev.summary)
        return f"{rev.get_kind_display()}{minor}, {sign}{rev.size_delta} bytes. {summary}"

    def item_link(self, rev):
        if rev.kind == rev.Kind.DELETE:  # nothing to compare while the page is gone
            return reverse("wiki:log") + "?" + urlencode({"type": "delete", "target": rev.title})
        if rev.parent_id:
            return reverse("wiki:diff", args=[rev.slug]) + f"?from={rev.parent_id}&to={rev.pk}"
        return rev.get_absolute_url()

    def item_author_name(self, rev):
        if rev.hidden.author and not rev.readable:
            return AUTHOR_REMOVED
        return rev.contributor.display_name if rev.contributor else "Importer"

    def item_pubdate(self, rev):
        return rev.created_at

    def item_updateddate(self, rev):
        return rev.created_at
