"""Backups of PostgreSQL with pgBackRest, restorable to any moment: the server archives every
WAL segment to pgBackRest's repository (its `archive_command`), `manage.py backup` takes a full,
differential or incremental backup, and `manage.py restore --target` stops the server, lets
pgBackRest put the data folder back and replay the archive up to that moment, starts the
server again and waits until it writes. The uploaded files follow the restored database
(`backups.media_as_database_says`).

The server's own set-up (archive_mode, archive_command, the stanza) is the operator's, as
docs/operators.md shows; these settings say how to reach it: PGBACKREST_STANZA,
PGBACKREST_CONFIG, and PG_STOP_COMMAND / PG_START_COMMAND (how this machine stops and starts
the server, e.g. `systemctl stop postgresql@15-main`)."""

import json
import os
import shlex
import subprocess
import time
from datetime import UTC, datetime

from django.conf import settings
from django.db import DatabaseError, connection, connections

from .backups import BackupError


def configured() -> bool:
    return bool(settings.PGBACKREST_STANZA)


def _as_postgres(cmd: list[str]) -> list[str]:
    """pgBackRest and the server's tools run as the server's user, never as root."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _run(cmd: list[str], what: str) -> str:
    done = subprocess.run(cmd, text=True, capture_output=True, timeout=3600)
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {(done.stderr or done.stdout).strip()[-800:]}")
    return done.stdout


def _pgbackrest(*args: str) -> str:
    if not configured():
        raise BackupError(
            "PGBACKREST_STANZA is not set: this PostgreSQL is backed up by pgBackRest "
            "once its stanza exists (docs/operators.md, “Backups and restores”)."
        )
    config = [f"--config={settings.PGBACKREST_CONFIG}"] if settings.PGBACKREST_CONFIG else []
    cmd = ["pgbackrest", *config, f"--stanza={settings.PGBACKREST_STANZA}", *args]
    return _run(_as_postgres(cmd), f"pgbackrest {args[0]}")


def take_backup(kind: str) -> None:
    """A `full`, `diff` (since the last full) or `incr` (since the last backup) backup."""
    _pgbackrest("backup", f"--type={kind}")


def latest_backup_time() -> datetime | None:
    """When the newest backup in the repository finished (None: none, or unreachable)."""
    try:
        [stanza] = json.loads(_pgbackrest("info", "--output=json"))
    except (BackupError, ValueError):
        return None
    stops = [b["timestamp"]["stop"] for b in stanza.get("backup", [])]
    return datetime.fromtimestamp(max(stops), UTC) if stops else None


def restore(target: datetime | None) -> None:
    """The server back as it was at `target` (the latest it archived without one)."""
    try:
        _pgbackrest("check")  # archives the WAL segment being written: nothing short of now
    except BackupError:
        pass  # the server is gone: restore what the archive holds
    for each in connections.all():
        each.close()
    _run(shlex.split(settings.PG_STOP_COMMAND), "stopping PostgreSQL")
    point = []
    if target is not None:
        point = [
            "--type=time",
            f"--target={target:%Y-%m-%d %H:%M:%S+00}",
            "--target-action=promote",
        ]
    _pgbackrest("restore", "--delta", *point)
    _run(shlex.split(settings.PG_START_COMMAND), "starting PostgreSQL")
    _wait_until_it_writes()


def _wait_until_it_writes(seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_is_in_recovery()")
                if not cursor.fetchone()[0]:
                    return
        except DatabaseError:
            connection.close()
        time.sleep(0.5)
    raise BackupError(f"PostgreSQL did not take writes within {seconds:.0f} s of the restore.")
