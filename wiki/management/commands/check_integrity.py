"""`manage.py check_integrity`: is the wiki whole (wiki/integrity.py)? Run it after every
restore; it exits 1 and names each problem when it is not."""

import time

from django.core.management.base import BaseCommand, CommandError

from wiki.integrity import problems


class Command(BaseCommand):
    help = (
        "Check that every article equals its latest revision, every revision's text its "
        "SHA-1, and every media file's bytes their SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=100, help="Name at most this many problems (100)."
        )

    def handle(self, *args, limit, **options):
        started = time.monotonic()
        found = 0
        for problem in problems():
            found += 1
            if found <= limit:
                self.stderr.write(str(problem))
        seconds = time.monotonic() - started
        if found:
            raise CommandError(
                f"{found} problem{'s' if found != 1 else ''} found ({seconds:.1f} s)."
            )
        self.stdout.write(f"The wiki is whole: no problem found ({seconds:.1f} s).")
