"""`manage.py backup` (`make backup`): back the embedded SQLite database and the uploaded
files up into BACKUP_DIR (encyclopedia/backups.py)."""

import time

from django.core.management.base import BaseCommand, CommandError

from encyclopedia.backups import BackupError, make_backup


class Command(BaseCommand):
    help = "Back the SQLite database and the uploaded files up into BACKUP_DIR."

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            backup = make_backup()
        except (BackupError, FileExistsError) as refused:
            raise CommandError(str(refused)) from None
        files = len(backup.media())
        self.stdout.write(
            f"Backed up to {backup.folder} ({files} uploaded file{'s' if files != 1 else ''}, "
            f"{time.monotonic() - started:.1f} s)."
        )
