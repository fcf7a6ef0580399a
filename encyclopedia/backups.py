"""Backups of the embedded default (SQLite) and its uploaded files, and restoring one.

A backup is a folder in BACKUP_DIR named by its UTC time: `db.sqlite3`, copied with SQLite's
online backup API while the site runs (a consistent copy, never `cp`), and `media.json`, the
list of the uploaded files at that moment with their SHA-256. The files themselves are kept
once in BACKUP_DIR/files/ (upload names are content hashes, so a file never changes and each
backup copies only the new ones). Restoring puts the database back and makes MEDIA_ROOT hold
exactly the backup's files (those uploaded since are moved aside, not deleted).

SQLite keeps no log to replay between backups: a restore goes back to a backup's moment,
the newest at or before the time asked for. PostgreSQL is backed up by pgBackRest, to any
minute (docs/operators.md)."""

import hashlib
import json
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

STAMP = "%Y-%m-%dT%H%M%SZ"
DATABASE = "db.sqlite3"
MEDIA_LIST = "media.json"


class BackupError(Exception):
    """A backup or restore cannot be done; the message says why."""


@dataclass(frozen=True)
class Backup:
    folder: Path

    @property
    def taken_at(self) -> datetime:
        return datetime.strptime(self.folder.name, STAMP).replace(tzinfo=UTC)

    def media(self) -> dict[str, str]:
        return json.loads((self.folder / MEDIA_LIST).read_text())


def _root() -> Path:
    return Path(settings.BACKUP_DIR)


def _database_path() -> Path:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        raise BackupError(
            "This database is PostgreSQL: it is backed up with pgBackRest "
            "(docs/operators.md, “Backups and restores”), not by this command."
        )
    return Path(database["NAME"])


def backups() -> list[Backup]:
    """The complete backups, oldest first."""
    if not _root().is_dir():
        return []
    found = [Backup(f) for f in _root().iterdir() if (f / MEDIA_LIST).is_file()]
    return sorted(found, key=lambda b: b.folder.name)


def latest_backup_time() -> datetime | None:
    found = backups()
    return found[-1].taken_at if found else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_database(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy while others read and write."""
    with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
        live.backup(copy)
    live.close()
    copy.close()


def _keep_media(folder: Path) -> None:
    media_root, store = Path(settings.MEDIA_ROOT), _root() / "files"
    listed = {}
    if media_root.is_dir():
        for path in sorted(p for p in media_root.rglob("*") if p.is_file()):
            name = path.relative_to(media_root).as_posix()
            kept = store / name
            if not kept.exists():
                kept.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, kept)
            listed[name] = _sha256(kept)
    (folder / MEDIA_LIST).write_text(json.dumps(listed, indent=0, sort_keys=True))


def make_backup(now: datetime | None = None) -> Backup:
    """Back the SQLite database and the uploaded files up as they are now."""
    return _backup_folder(_database_path(), now)


def keep_media_now() -> Backup:
    """The uploaded files alone (beside a PostgreSQL backup, which pgBackRest takes)."""
    return _backup_folder(None, None)


def _backup_folder(database: Path | None, now: datetime | None) -> Backup:
    folder = _root() / (now or datetime.now(UTC)).strftime(STAMP)
    folder.mkdir(parents=True, exist_ok=False)
    if database is not None:
        _copy_database(database, folder / DATABASE)
    _keep_media(folder)  # written last: a folder without it is an unfinished backup
    _prune()
    return Backup(folder)


def _prune() -> None:
    """Keep the newest BACKUP_KEEP backups (the files store keeps what they list)."""
    found = backups()
    for old in found[: max(0, len(found) - settings.BACKUP_KEEP)]:
        shutil.rmtree(old.folder)
    wanted = {name for b in backups() for name in b.media()}
    store = _root() / "files"
    for path in [p for p in store.rglob("*") if p.is_file()] if store.is_dir() else []:
        if path.relative_to(store).as_posix() not in wanted:
            path.unlink()


def backup_for(target: datetime | None) -> Backup:
    """The newest backup taken at or before `target` (the newest of all without one)."""
    found = [b for b in backups() if target is None or b.taken_at <= target]
    if not found:
        when = f" at or before {target:%Y-%m-%d %H:%M} UTC" if target else ""
        raise BackupError(f"No backup was taken{when} in {_root()}.")
    return found[-1]


def restore(backup: Backup) -> Path | None:
    """Put `backup` back: the database, then exactly its files. Answers where the files
    uploaded since were moved (None when there were none)."""
    target = _database_path()
    for connection in connections.all():
        connection.close()
    _copy_database(backup.folder / DATABASE, target)
    return _restore_media(backup.media())


def _restore_media(listed: dict[str, str]) -> Path | None:
    media_root, store = Path(settings.MEDIA_ROOT), _root() / "files"
    aside = media_root.with_name(f"{media_root.name}.since-backup-{datetime.now(UTC):{STAMP}}")
    moved = False
    if media_root.is_dir():
        for path in [p for p in media_root.rglob("*") if p.is_file()]:
            name = path.relative_to(media_root).as_posix()
            if name not in listed:
                (aside / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.move(path, aside / name)
                moved = True
    for name, sha256 in listed.items():
        path = media_root / name
        if not path.is_file() or _sha256(path) != sha256:
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(store / name, path)
    return aside if moved else None


def media_as_database_says(listed: dict[str, str]) -> Path | None:
    """After a database restored to a moment: the media files' folder holds exactly the files
    of the versions the database knows (with their thumbnails, named by the same SHA-256),
    fetched from the backups' store when missing, those of later uploads moved aside; other
    uploads as the backup `listed` them. Answers where files were moved (None: none were)."""
    from wiki.media.models import MediaFile, MediaRevision
    from wiki.media.thumbnails import FOLDER

    known = set(MediaFile.objects.values_list("sha256", flat=True))
    known |= set(MediaRevision.objects.values_list("sha256", flat=True))
    media_root, store = Path(settings.MEDIA_ROOT), _root() / "files"
    wanted = {n: h for n, h in listed.items() if not n.startswith(f"{FOLDER}/")}
    for path in (p for p in store.rglob("*") if p.is_file()) if store.is_dir() else ():
        name = path.relative_to(store).as_posix()
        if name.startswith(f"{FOLDER}/") and Path(name).name[:64] in known:
            wanted[name] = ""
    aside = media_root.with_name(f"{media_root.name}.since-backup-{datetime.now(UTC):{STAMP}}")
    moved = False
    for path in [p for p in media_root.rglob("*") if p.is_file()] if media_root.is_dir() else []:
        name = path.relative_to(media_root).as_posix()
        if name.startswith(f"{FOLDER}/") and Path(name).name[:64] not in known:
            (aside / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, aside / name)
            moved = True
    for name in wanted:
        if not (media_root / name).is_file() and (store / name).is_file():
            (media_root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(store / name, media_root / name)
    return aside if moved else None
