"""Check the cited DOIs and PMIDs now, as the scheduled job does (`wiki/retractions/`)."""

from django.core.management.base import BaseCommand

from wiki.retractions.services import check_cited_works


class Command(BaseCommand):
    help = (
        "Check cited DOIs and PMIDs against Crossref and PubMed for retractions, expressions of "
        "concern and corrections, now."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=None, help="check at most this many cited works"
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help="check every cited work, even those checked within CITATION_CHECK_INTERVAL_DAYS",
        )

    def handle(self, *args, limit=None, all=False, **options):
        report = check_cited_works(limit=limit, everything=all)
        self.stdout.write(
            f"Checked {report.checked} cited works; {len(report.changed)} with new or changed "
            f"notices; "
            f"{report.pages_retired} article pages retired."
        )
        for service in report.unreachable:
            self.stderr.write(f"{service} could not be reached: try again later.")
