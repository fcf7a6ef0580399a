"""The Atom feed of the public log, with the same filters as the /log page."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from .logs import LogFilter, describe

FEED_LENGTH = 50


class LogFeed(Feed):
    feed_type = Atom1Feed
    title = "Log of editorial actions"
    subtitle = "Moves, deletions, protections, blocks, reviews and rights changes, newest first."

    def get_object(self, request):
        return LogFilter(request.GET)

    def link(self, filters):
        query = filters.query_string()
        return reverse("wiki:log") + (f"?{query}" if query else "")

    def items(self, filters):
        return filters.entries()[:FEED_LENGTH]

    def item_title(self, entry):
        return f"{entry.performer_name} {describe(entry)}"

    def item_description(self, entry):
        """Atom's summary is HTML to a feed reader: the reason goes in as text."""
        return escape(entry.comment or entry.get_type_display())

    def item_link(self, entry):
        return reverse("wiki:log") + f"?type={entry.type}#log-{entry.pk}"

    def item_guid(self, entry):
        return f"log-{entry.pk}"

    def item_author_name(self, entry):
        return entry.performer_name

    def item_pubdate(self, entry):
        return entry.created_at

    def item_updateddate(self, entry):
        return entry.created_at
