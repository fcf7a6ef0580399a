"""`manage.py refresh_review_queue`: every reviewed article's places in the review queues
worked out again from its revisions, reviews and categories. Migrate and a scheduled job do it
by themselves after WIKI_REVIEW_INTERVAL_MONTHS changed (`follow_site_interval`); this is for
an operator who wants it done now."""

from django.core.management.base import BaseCommand

from wiki.review.services import refresh_whole_review_queue


class Command(BaseCommand):
    help = "Work out again when each reviewed article waits since and is next due for review."

    def handle(self, *args, **options):
        done = refresh_whole_review_queue()
        self.stdout.write(f"{done} reviewed articles' places in the review queues refreshed.")
