import sys
import time

from django.core.management.base import BaseCommand

from wiki import search


class Command(BaseCommand):
    help = "Empty the search index and index every article again, showing progress."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, verbosity, **options):
        started = time.monotonic()

        def progress(done, total):
            if verbosity >= 1:
                rate = done / max(time.monotonic() - started, 1e-9)
                self.stdout.write(f"  {done}/{total} articles ({rate:.0f}/s)")
                sys.stdout.flush()

        count = search.rebuild(progress=progress, batch_size=batch_size)
        self.stdout.write(f"Indexed {count} articles in {time.monotonic() - started:.1f}s.")
