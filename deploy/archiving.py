"""A PostgreSQL server of its own on loopback that archives every WAL segment to a pgBackRest
repository: what a production server's set-up looks like (docs/operators.md), made in a
scratch folder for the restore drill (tests/test_backups_postgresql.py). Started and stopped
by its data folder and port, never by a name."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .parts import PG_BIN, free_port, owned_by_postgres

STANZA = "wiki"


def as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _run(cmd: list[str]) -> str:
    done = subprocess.run(as_postgres(cmd), text=True, capture_output=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:2])} failed: {done.stderr or done.stdout}")
    return done.stdout


class ArchivingServer:
    def __init__(self, folder=None, port=None):
        # Not under a folder only root may enter (pytest's): the server runs as postgres.
        self.folder = Path(folder or tempfile.mkdtemp(prefix="pg-archiving-"))
        self.data = self.folder / "data"
        self.repo = self.folder / "repo"
        self.config = self.folder / "pgbackrest.conf"
        self.port = port or free_port()

    def create(self) -> "ArchivingServer":
        for path in (self.folder, self.repo):
            path.mkdir(parents=True, exist_ok=True)
            owned_by_postgres(path)
        self.config.write_text(
            f"[global]\nrepo1-path={self.repo}\nrepo1-retention-full=2\nlog-level-console=warn\n"
            f"log-path={self.folder}\nlock-path={self.folder}\n"
            "start-fast=y\narchive-async=n\n\n"
            f"[{STANZA}]\npg1-path={self.data}\npg1-port={self.port}\n"
            f"pg1-socket-path={self.folder}\n"
        )
        owned_by_postgres(self.config)
        _run([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"])
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                "\nwal_level = replica\narchive_mode = on\n"
                f"archive_command = 'pgbackrest --config={self.config} --stanza={STANZA} "
                "archive-push %p'\narchive_timeout = 60\nmax_wal_senders = 3\n"
                f"listen_addresses = '127.0.0.1'\nport = {self.port}\n"
                f"unix_socket_directories = '{self.folder}'\n"
            )
        self.start()
        self.pgbackrest("stanza-create")
        self.pgbackrest("check")
        return self

    def pgbackrest(self, *args: str) -> str:
        return _run(["pgbackrest", f"--config={self.config}", f"--stanza={STANZA}", *args])

    @property
    def start_command(self) -> str:
        log = self.folder / "log"
        cmd = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(log), "-w", "start"]
        return " ".join(as_postgres(cmd))

    @property
    def stop_command(self) -> str:
        cmd = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]
        return " ".join(as_postgres(cmd))

    def start(self) -> None:
        subprocess.run(self.start_command.split(), check=True, capture_output=True, timeout=120)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(self.stop_command.split(), capture_output=True, timeout=120)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> None:
        _run([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), name])

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
