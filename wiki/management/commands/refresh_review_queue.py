"""`manage.py refresh_review_queue`: every reviewed article's places in the review queues
worked out again from its revisions, reviews and categories (after the site's
WIKI_REVIEW_INTERVAL_MONTHS changed, every due date moves)."""

from django.core.management.base import BaseCommand

from wiki.models import Article
from wiki.review.services import forget_overdue_count, refresh_review_queue

BATCH = 10_000  # articles an UPDATE: each holds its rows' locks only that long


class Command(BaseCommand):
    help = "Work out again when each reviewed article waits since and is next due for review."

    def handle(self, *args, **options):
        reviewed = Article.objects.filter(reviewed_revision__isnull=False).order_by("pk")
        done, after = 0, 0
        while ids := list(reviewed.filter(pk__gt=after).values_list("pk", flat=True)[:BATCH]):
            done += refresh_review_queue(Article.objects.filter(pk__in=ids))
            after = ids[-1]
        forget_overdue_count()
        self.stdout.write(f"{done} reviewed articles' places in the review queues refreshed.")
