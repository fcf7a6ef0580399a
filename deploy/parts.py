"""The real parts a scaled-out Encyclopedia runs on, started and stopped on loopback by their
process ids: a PostgreSQL server of its own (initdb), a streaming replica of a server
(pg_basebackup -R), app servers (gunicorn), haproxy and Varnish. Used by `make cluster`
(deploy/cluster.py), the benchmarks and the tests."""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up within {seconds:.0f} s")


def http_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as answer:
        return answer.status < 500


def _as_postgres(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    """PostgreSQL's tools refuse to run a server as root: run them as the postgres user."""
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, text=True, capture_output=True, check=True, **kw)


def owned_by_postgres(path: Path) -> None:
    """The server runs as postgres when we are root: its folders are postgres's."""
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(path, owner.pw_uid, owner.pw_gid)


class Server:
    """A PostgreSQL server of its own, on loopback on its own port, its socket in its folder:
    made by initdb in a scratch folder, or in a kept `folder` reused while it holds a cluster.
    initdb's defaults allow streaming replication from loopback (wal_level replica, trust for
    127.0.0.1), so a Replica can copy it. What it holds is only what its user put there, not
    whatever else the machine's shared server holds (a replica copies the whole cluster)."""

    def __init__(self, folder=None, *, options: str = ""):
        # Not under a folder only root may enter (pytest's): the server runs as postgres.
        self.folder = Path(folder or tempfile.mkdtemp(prefix="pg-server-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.options = options  # more `-c name=value` for the server's command line

    def create(self) -> "Server":
        self.folder.mkdir(parents=True, exist_ok=True)
        owned_by_postgres(self.folder)
        if not (self.data / "PG_VERSION").exists():
            _as_postgres(
                [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"],
                timeout=300,
            )
        return self.start()

    def start(self) -> "Server":
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.folder} {self.options}"
        )
        log = self.folder / "log"
        _as_postgres(
            [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(log), "-o", options]
            + ["-w", "-t", "120", "start"]
        )
        return self

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def url(self, database: str = "") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def remove(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


class Replica:
    """A streaming replica of the primary at `host:port`, in a scratch folder, on its own port."""

    def __init__(self, host="127.0.0.1", port=5432, user="postgres", folder=None):
        self.primary = (host, port, user)
        # Not under a folder only root may enter (pytest's): the server runs as postgres.
        self.folder = Path(folder or tempfile.mkdtemp(prefix="pg-replica-"))
        self.data = self.folder / "data"
        self.port = free_port()

    def create(self) -> "Replica":
        self.folder.mkdir(parents=True, exist_ok=True)
        owned_by_postgres(self.folder)
        host, port, user = self.primary
        _as_postgres(
            [
                str(PG_BIN / "pg_basebackup"),
                "-h",
                host,
                "-p",
                str(port),
                "-U",
                user,
                "-D",
                str(self.data),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
            ]
        )
        # Debian keeps the server's configuration outside its data folder, so the copy has
        # none: the replica's own (standby settings come from -R's postgresql.auto.conf).
        for name, text in (
            ("postgresql.conf", "hot_standby = on\nmax_connections = 100\n"),
            ("pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 trust\n"),
            ("pg_ident.conf", ""),
        ):
            path = self.data / name
            if not path.exists():
                path.write_text(text)
                owned_by_postgres(path)
        return self.start()

    def start(self) -> "Replica":
        _as_postgres(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.folder / "log"),
                "-w",
                "-t",
                "60",
                "-o",
                f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories="
                f"{self.folder} -c hot_standby=on",
                "start",
            ]
        )
        return self

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"])

    def url(self, database: str) -> str:
        return f"postgres://{self.primary[2]}@127.0.0.1:{self.port}/{database}"

    def sql(self, database: str, query: str) -> str:
        out = subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                self.primary[2],
                "-d",
                database,
                "-tAc",
                query,
            ],
            text=True,
            capture_output=True,
            check=True,
        )
        return out.stdout.strip()

    def remove(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


class Process:
    """A server in its own process group, stopped by its pid (never by a name)."""

    def __init__(self, cmd: list[str], *, env=None, log: Path, cwd=ROOT):
        self.cmd, self.env, self.log, self.cwd = cmd, env, log, cwd
        self.popen = None

    def start(self) -> "Process":
        self.popen = subprocess.Popen(
            self.cmd,
            env=self.env,
            cwd=self.cwd,
            stdout=open(self.log, "a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    @property
    def pid(self) -> int:
        return self.popen.pid

    def stop(self) -> None:
        """SIGTERM to the server's own process, which stops its children as it means to; what
        is left of its group after that (or after 20 s) is killed.

        Not SIGTERM to the whole group: a task-queue worker (django-q2) whose children die
        under it waits for them forever, so each stop took the whole 20 s."""
        if self.popen is not None and self.popen.poll() is None:
            os.kill(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(self.popen.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.popen.wait()
        self.popen = None


def app_server(port: int, env: dict, log: Path, *, workers: int = 2) -> Process:
    """gunicorn with our configuration on 127.0.0.1:`port`."""
    return Process(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "encyclopedia/gunicorn.conf.py"],
        env={**env, "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": str(workers)},
        log=log,
    )


def queue_worker(env: dict, log: Path) -> Process:
    """A task-queue worker (django-q2's `qcluster`, wiki/tasks.py) with this environment."""
    return Process([sys.executable, "manage.py", "qcluster"], env=env, log=log)


def manage(*args: str, env: dict) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], env=env, cwd=ROOT, text=True, capture_output=True
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout
