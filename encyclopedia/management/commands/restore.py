"""`manage.py restore [--target "2026-12-05 14:03"]` (`make restore [TARGET=…]`): put back
the newest backup taken at or before the target (UTC; the newest of all without one), bring
its schema up to date, and check the restored wiki with check_integrity."""

import time
from datetime import UTC, datetime

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from encyclopedia.backups import BackupError, backup_for, restore


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
        try:
            backup = backup_for(_target(target) if target else None)
            moved = restore(backup)
        except BackupError as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"Restored the backup of {backup.taken_at:%Y-%m-%d %H:%M:%S} UTC.")
        if moved:
            self.stdout.write(f"Files uploaded since were moved to {moved}.")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("check_integrity", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(f"Restore done in {time.monotonic() - started:.1f} s.")
