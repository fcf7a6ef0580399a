"""`manage.py restore [--target "2026-12-05 14:03"]` (`make restore [TARGET=…]`): put back
the newest backup taken at or before the target (UTC; the newest of all without one), bring
its schema up to date, and check the restored wiki with check_integrity."""

import time
from datetime import UTC, datetime

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from encyclopedia import pg_backups
from encyclopedia.backups import BackupError, backup_for, media_as_database_says, restore


def _target(text: str) -> datetime:
    for shape in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"):
        try:
            return datetime.strptime(text.strip().removesuffix("Z"), shape).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise CommandError(f"--target is a UTC time like 2026-12-05 14:03, not {text!r}.")


class Command(BaseCommand):
    help = "Restore the newest backup at or before --target (UTC), then check the wiki."

    def add_arguments(self, parser):
        parser.add_argument("--target", default="", help='UTC, e.g. "2026-12-05 14:03".')

    def handle(self, *args, target, **options):
        started = time.monotonic()
        moment = _target(target) if target else None
        try:
            if connection.vendor == "postgresql":
                moved = self._postgresql(moment)
            else:
                backup = backup_for(moment)
                moved = restore(backup)
                self.stdout.write(
                    f"Restored the backup of {backup.taken_at:%Y-%m-%d %H:%M:%S} UTC."
                )
        except BackupError as refused:
            raise CommandError(str(refused)) from None
        if moved:
            self.stdout.write(f"Files uploaded since were moved to {moved}.")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("check_integrity", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(f"Restore done in {time.monotonic() - started:.1f} s.")

    def _postgresql(self, moment):
        """pgBackRest to the moment, then the files the restored database knows."""
        pg_backups.restore(moment)
        self.stdout.write(
            f"PostgreSQL restored to {moment:%Y-%m-%d %H:%M:%S} UTC."
            if moment
            else "PostgreSQL restored to the latest it archived."
        )
        try:
            listed = backup_for(moment).media()
        except BackupError:
            listed = {}
        return media_as_database_says(listed)
