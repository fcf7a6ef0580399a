"""`manage.py backup` (`make backup`): the embedded SQLite database and the uploaded files
into BACKUP_DIR (encyclopedia/backups.py); on PostgreSQL, a pgBackRest backup of the kind
asked (encyclopedia/pg_backups.py) and the uploaded files beside it."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from encyclopedia import pg_backups
from encyclopedia.backups import BackupError, keep_media_now, make_backup


class Command(BaseCommand):
    help = "Back the database and the uploaded files up (SQLite: into BACKUP_DIR)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--type",
            choices=["full", "diff", "incr"],
            default="full",
            help="PostgreSQL: pgBackRest's backup type (full; diff since the last full).",
        )

    def handle(self, *args, type, **options):
        started = time.monotonic()
        try:
            if connection.vendor == "postgresql":
                pg_backups.take_backup(type)
                backup = keep_media_now()
                said = f"pgBackRest took a {type} backup; the uploaded files kept in"
            else:
                backup = make_backup()
                said = "Backed up to"
        except (BackupError, FileExistsError) as refused:
            raise CommandError(str(refused)) from None
        files = len(backup.media())
        self.stdout.write(
            f"{said} {backup.folder} ({files} uploaded file{'s' if files != 1 else ''}, "
            f"{time.monotonic() - started:.1f} s)."
        )
