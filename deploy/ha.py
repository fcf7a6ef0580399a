"""The highly available data layer of `make cluster`, on loopback, all under one run folder:

    etcd ×3 (the consensus store, v2 API)  <──  Patroni ×3, each running one PostgreSQL 15 node
    haproxy  :write ──> whichever node Patroni's REST API calls the leader (GET /primary: 200)
             :read  ──> the nodes it calls replicas (GET /replica: 200)
    Redis master + replica, watched by three Redis Sentinels (the app asks them for the master)

One PostgreSQL node leads; the two others stream from it, one of them synchronously
(synchronous_mode: a commit is acknowledged once it is on two nodes, and only that replica may
be promoted, so an acknowledged commit survives the leader's loss). When the leader dies its key
in etcd expires (ttl), the synchronous replica takes it and haproxy's checks send writes there;
the old node, started again, rejoins as a replica by itself (pg_rewind).

Every process is started in a process group of its own and recorded by pid; `stop()` ends those
groups and the PostgreSQL servers Patroni started (by their postmaster.pid), nothing by name.
Ports: CLUSTER_PORT_BASE (8400) + fixed offsets, listed in PORTS.
"""

import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import yaml

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
SCOPE = "encyclopedia"
DATABASE = "encyclopedia"
SENTINEL_MASTER = "encyclopedia"
NODES = 3

# Offsets from the base port (8400 by default).
PORTS = {
    "postgres": (32, 33, 34),
    "patroni": (8, 9, 10),
    "etcd_client": (79, 81, 83),
    "etcd_peer": (80, 82, 84),
    "db_write": 40,
    "db_read": 41,
    "db_stats": 42,
    "redis": (63, 64),
    "sentinel": (66, 67, 68),
}


def base_port() -> int:
    return int(os.environ.get("CLUSTER_PORT_BASE", "8400"))


def port(name: str, index: int | None = None) -> int:
    offset = PORTS[name] if index is None else PORTS[name][index]
    return base_port() + offset


def listening(p: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", p), timeout=0.3).close()
        return True
    except OSError:
        return False


def rest(p: int, path: str, timeout: float = 1.0) -> tuple[int, dict]:
    """(status, JSON body) of Patroni's REST API on port p; (0, {}) when it does not answer."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{p}{path}", timeout=timeout) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read() or b"{}")
        except ValueError:
            return error.code, {}
    except (OSError, ValueError):
        return 0, {}


def _owner():
    return pwd.getpwnam("postgres") if os.geteuid() == 0 else None


def _chown(path: Path) -> None:
    owner = _owner()
    if owner:
        os.chown(path, owner.pw_uid, owner.pw_gid)


class HA:
    """The data layer in `folder`; `state.json` there records what runs."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.state_path = self.folder / "ha-state.json"
        self.state = (
            json.loads(self.state_path.read_text()) if self.state_path.exists() else {"pids": {}}
        )

    # -- bookkeeping ------------------------------------------------------------------------
    def _keep(self) -> None:
        self.state_path.write_text(json.dumps(self.state, indent=1))

    def _spawn(self, name: str, cmd: list, *, as_postgres=False, env=None) -> int:
        log = open(self.folder / f"{name}.log", "a")
        kwargs = {}
        if as_postgres and _owner():
            kwargs = {"user": "postgres", "group": "postgres"}
        process = subprocess.Popen(
            [str(c) for c in cmd],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=self.folder,
            env=env,
            **kwargs,
        )
        self.state["pids"][name] = process.pid
        self._keep()
        return process.pid

    @staticmethod
    def _wait(check, what: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(0.3)
        raise RuntimeError(f"{what} did not come up within {seconds:.0f} s")

    # -- etcd ---------------------------------------------------------------------------------
    def start_etcd(self, index: int, new: bool = True) -> None:
        name = f"etcd{index + 1}"
        members = ",".join(
            f"etcd{i + 1}=http://127.0.0.1:{port('etcd_peer', i)}" for i in range(NODES)
        )
        client, peer = port("etcd_client", index), port("etcd_peer", index)
        self._spawn(
            name,
            [
                "etcd",
                "--name",
                name,
                "--data-dir",
                self.folder / name,
                "--listen-client-urls",
                f"http://127.0.0.1:{client}",
                "--advertise-client-urls",
                f"http://127.0.0.1:{client}",
                "--listen-peer-urls",
                f"http://127.0.0.1:{peer}",
                "--initial-advertise-peer-urls",
                f"http://127.0.0.1:{peer}",
                "--initial-cluster",
                members,
                "--initial-cluster-token",
                SCOPE,
                "--initial-cluster-state",
                "new",
                "--logger",
                "zap",
                "--log-level",
                "warn",
                # Patroni talks to etcd through its v2 API (patroni_config says why).
                "--enable-v2=true",
            ],
        )

    def etcd_hosts(self) -> str:
        return ",".join(f"127.0.0.1:{port('etcd_client', i)}" for i in range(NODES))

    # -- Patroni ----------------------------------------------------------------------------
    def patroni_config(self, index: int) -> Path:
        name = f"pg{index + 1}"
        home = self.folder / name
        home.mkdir(exist_ok=True)
        home.chmod(0o700)
        _chown(home)
        config = {
            "scope": SCOPE,
            "namespace": "/encyclopedia/",
            "name": name,
            "log": {"level": os.environ.get("PATRONI_LOG_LEVEL", "WARNING")},
            "restapi": {
                "listen": f"127.0.0.1:{port('patroni', index)}",
                "connect_address": f"127.0.0.1:{port('patroni', index)}",
            },
            # etcd's v2 API, not v3: Patroni 3.0.2 (Debian 12's) renews the leader key over
            # v3 with an unconditional put once its lease has expired, trusting its watch's
            # cached view of who leads. A leader cut off (stopped) past the ttl and then let go
            # on reads that stale view before the watch catches up, overwrites the new
            # leader's key and takes the lead back: the new leader is rewound onto the old
            # timeline and the saves it acknowledged meanwhile are gone (seen in
            # tests/test_failover.py's "cut off" case; fixed upstream in Patroni 3.0.3, #2689).
            # Over v2 Patroni renews the key with a compare-and-swap on its own name: the old
            # leader's renewal fails and it demotes itself, then rejoins by pg_rewind.
            "etcd": {"hosts": self.etcd_hosts()},
            "bootstrap": {
                "dcs": {
                    # The leader key lives ttl seconds unless renewed every loop_wait seconds:
                    # a dead leader is replaced after at most ttl (+ a loop).
                    "ttl": 10,
                    "loop_wait": 2,
                    "retry_timeout": 4,
                    "maximum_lag_on_failover": 1048576,
                    "synchronous_mode": True,
                    "postgresql": {
                        "use_pg_rewind": True,
                        "use_slots": True,
                        "parameters": {
                            "max_connections": 60,
                            "shared_buffers": "16MB",
                            "wal_level": "replica",
                            "hot_standby": "on",
                            "wal_log_hints": "on",
                            "max_wal_senders": 8,
                            "max_replication_slots": 8,
                            "wal_keep_size": "64MB",
                        },
                    },
                },
                "initdb": [{"encoding": "UTF8"}, {"locale": "C.UTF-8"}],
                "pg_hba": [
                    "local all all trust",
                    "host replication all 127.0.0.1/32 trust",
                    "host all all 127.0.0.1/32 trust",
                ],
            },
            "postgresql": {
                "listen": f"127.0.0.1:{port('postgres', index)}",
                "connect_address": f"127.0.0.1:{port('postgres', index)}",
                "data_dir": str(home / "data"),
                "bin_dir": str(PG_BIN),
                "pgpass": str(home / "pgpass"),
                "authentication": {
                    "superuser": {"username": "postgres", "password": "postgres"},
                    "replication": {"username": "replicator", "password": "replicator"},
                    "rewind": {"username": "postgres", "password": "postgres"},
                },
                "parameters": {"unix_socket_directories": str(home)},
                "remove_data_directory_on_rewind_failure": True,
                "remove_data_directory_on_diverged_timelines": True,
            },
        }
        path = self.folder / f"{name}.yml"
        path.write_text(yaml.safe_dump(config))
        _chown(path)
        return path

    def start_node(self, index: int) -> None:
        config = self.folder / f"pg{index + 1}.yml"
        if not config.exists():
            config = self.patroni_config(index)
        # Debian's patroni is a program of the system's Python: none of our virtualenv.
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(self.folder)}
        self._spawn(f"patroni{index + 1}", ["patroni", config], as_postgres=True, env=env)

    def postmaster_group(self, index: int) -> int | None:
        """The process group of the node's PostgreSQL (Patroni starts it in a session of its
        own, led by a launcher that has exited), by its postmaster.pid."""
        path = self.folder / f"pg{index + 1}" / "data" / "postmaster.pid"
        try:
            return os.getpgid(int(path.read_text().split()[0]))
        except (OSError, ValueError, IndexError):
            return None

    def members(self) -> list[dict]:
        for i in range(NODES):
            status, body = rest(port("patroni", i), "/cluster")
            if status == 200:
                return body.get("members", [])
        return []

    def leader(self) -> int | None:
        """Index of the node Patroni calls the leader (running), or None."""
        for i in range(NODES):
            if rest(port("patroni", i), "/primary")[0] == 200:
                return i
        return None

    def roles(self) -> dict[str, str]:
        return {m["name"]: f"{m['role']}/{m.get('state', '')}" for m in self.members()}

    def healthy(self) -> bool:
        """A leader and two streaming replicas, one of them synchronous."""
        members = self.members()
        leaders = [m for m in members if m["role"] == "leader" and m.get("state") == "running"]
        # Patroni 3.0 says "running" of a replica, later versions "streaming".
        replicas = [m for m in members if m.get("state") in ("running", "streaming")]
        sync = [m for m in replicas if m["role"] == "sync_standby"]
        return len(leaders) == 1 and len(sync) == 1 and len(replicas) == NODES

    def kill_node(self, index: int) -> None:
        """The node's machine lost: Patroni and its PostgreSQL killed (SIGKILL), nothing shut
        down cleanly."""
        postmaster = self.postmaster_group(index)
        pid = self.state["pids"].get(f"patroni{index + 1}")
        for group in (pid, postmaster):
            if group:
                try:
                    os.killpg(group, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def freeze_node(self, index: int, frozen: bool = True) -> None:
        """The node cut off as by a network failure: Patroni, its PostgreSQL and every
        PostgreSQL process (each backend leads a session of its own, so one group is not
        enough) stopped with SIGSTOP, their connections open but silent; `frozen=False` lets
        them go on."""
        sig = signal.SIGSTOP if frozen else signal.SIGCONT
        pid = self.state["pids"].get(f"patroni{index + 1}")
        if pid:
            try:
                os.killpg(pid, sig)
            except ProcessLookupError:
                pass
        path = self.folder / f"pg{index + 1}" / "data" / "postmaster.pid"
        postmaster = int(path.read_text().split()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == postmaster:  # its parent
                children.append(int(stat.parent.name))
        for process in [postmaster, *children] if frozen else [*children, postmaster]:
            try:
                os.kill(process, sig)
            except ProcessLookupError:
                pass

    # -- haproxy ---------------------------------------------------------------------------
    def haproxy_config(self) -> Path:
        def servers() -> str:
            return "\n".join(
                f"    server pg{i + 1} 127.0.0.1:{port('postgres', i)} check port "
                f"{port('patroni', i)}"
                for i in range(NODES)
            )

        text = f"""global
    maxconn 1000

defaults
    mode tcp
    timeout connect 2s
    timeout client 30m
    timeout server 30m
    timeout check 2s
    # A server marked down has its connections cut: no client keeps talking to a node that
    # is no longer the leader.
    default-server inter 1s fall 2 rise 2 on-marked-down shutdown-sessions

listen stats
    mode http
    bind 127.0.0.1:{port("db_stats")}
    stats enable
    stats uri /

# Writes: the node whose Patroni answers GET /primary with 200 (only the leader does).
listen primary
    bind 127.0.0.1:{port("db_write")}
    option httpchk
    http-check send meth GET uri /primary
    http-check expect status 200
{servers()}

# Reads: the nodes whose Patroni answers GET /replica with 200 (running replicas).
listen replicas
    bind 127.0.0.1:{port("db_read")}
    balance roundrobin
    option httpchk
    http-check send meth GET uri /replica
    http-check expect status 200
{servers()}
"""
        path = self.folder / "haproxy-db.cfg"
        path.write_text(text)
        return path

    # -- Redis and Sentinel ----------------------------------------------------------------
    def start_redis(self, index: int) -> None:
        name = f"redis{index + 1}"
        (self.folder / name).mkdir(exist_ok=True)
        cmd = ["redis-server", "--port", port("redis", index), "--bind", "127.0.0.1"]
        cmd += ["--dir", self.folder / name, "--save", "", "--appendonly", "no"]
        cmd += ["--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"]
        if index:
            cmd += ["--replicaof", "127.0.0.1", port("redis", 0)]
        self._spawn(name, cmd)

    def start_sentinel(self, index: int) -> None:
        name = f"sentinel{index + 1}"
        config = self.folder / f"{name}.conf"  # Sentinel rewrites its file: one each
        config.write_text(
            f"port {port('sentinel', index)}\nbind 127.0.0.1\ndir {self.folder}\n"
            f"sentinel monitor {SENTINEL_MASTER} 127.0.0.1 {port('redis', 0)} 2\n"
            f"sentinel down-after-milliseconds {SENTINEL_MASTER} 2000\n"
            f"sentinel failover-timeout {SENTINEL_MASTER} 10000\n"
            f"sentinel parallel-syncs {SENTINEL_MASTER} 1\n"
        )
        self._spawn(name, ["redis-sentinel", config])

    def sentinels(self) -> str:
        return ",".join(f"127.0.0.1:{port('sentinel', i)}" for i in range(NODES))

    def redis_master_port(self) -> int | None:
        for i in range(NODES):
            try:
                with socket.create_connection(("127.0.0.1", port("sentinel", i)), 1) as s:
                    s.sendall(f"SENTINEL get-master-addr-by-name {SENTINEL_MASTER}\r\n".encode())
                    reply = s.recv(200).decode().split("\r\n")
                    return int(reply[4])
            except (OSError, ValueError, IndexError):
                continue
        return None

    def kill_redis(self, p: int) -> None:
        index = PORTS["redis"].index(p - base_port())
        pid = self.state["pids"].get(f"redis{index + 1}")
        if pid:
            os.killpg(pid, signal.SIGKILL)

    # -- the whole -------------------------------------------------------------------------
    def environment(self) -> dict:
        """What the app needs to use this data layer."""
        return {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port('db_write')}/{DATABASE}",
            "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{port('db_read')}/{DATABASE}",
            "REDIS_URL": f"redis://127.0.0.1:{port('redis', 0)}/0",
            "REDIS_SENTINELS": self.sentinels(),
            "REDIS_SENTINEL_MASTER": SENTINEL_MASTER,
        }

    def start(self, redis: bool = True) -> dict:
        if self.state["pids"]:
            raise RuntimeError(f"A data layer runs in {self.folder} already: stop it first")
        busy = [p for p in self.all_ports() if listening(p)]
        if busy:
            raise RuntimeError(f"ports in use: {busy} (CLUSTER_PORT_BASE moves them)")
        self.folder.mkdir(parents=True, exist_ok=True)
        _chown(self.folder)
        for i in range(NODES):
            self.start_etcd(i)
        self._wait(lambda: all(listening(port("etcd_client", i)) for i in range(NODES)), "etcd")
        for i in range(NODES):
            self.start_node(i)
            if i == 0:  # the first bootstraps (initdb); the others copy it
                self._wait(lambda: self.leader() == 0, "the first PostgreSQL node", 120)
        self._spawn("haproxy-db", ["haproxy", "-db", "-f", self.haproxy_config()])
        self._wait(self.healthy, "two streaming replicas (one synchronous)", 180)
        self._wait(lambda: listening(port("db_write")), "haproxy")
        if redis:
            for i in range(2):
                self.start_redis(i)
            for i in range(NODES):
                self.start_sentinel(i)
            self._wait(lambda: self.redis_master_port() == port("redis", 0), "Redis Sentinel")
        self.sql(f"CREATE DATABASE {DATABASE}", database="postgres", ok_if_exists=True)
        return self.environment()

    def all_ports(self) -> list[int]:
        found = []
        for offsets in PORTS.values():
            found += [
                base_port() + o for o in (offsets if isinstance(offsets, tuple) else [offsets])
            ]
        return found

    def sql(self, query: str, database: str = DATABASE, ok_if_exists=False, p=None) -> str:
        done = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(p or port("db_write")), "-U", "postgres"]
            + ["-d", database, "-tAc", query],
            text=True,
            capture_output=True,
        )
        if done.returncode and not (ok_if_exists and "already exists" in done.stderr):
            raise RuntimeError(done.stderr)
        return done.stdout.strip()

    def stop(self) -> None:
        """Patroni stops its PostgreSQL on SIGTERM; whatever still runs is killed."""
        pids = self.state["pids"]
        postmasters = [self.postmaster_group(i) for i in range(NODES)]
        order = [n for n in pids if n.startswith(("haproxy", "sentinel", "redis"))]
        order += [n for n in pids if n.startswith("patroni")]
        for name in order:
            for sig in (signal.SIGCONT, signal.SIGTERM):  # a frozen node (freeze_node) too
                try:
                    os.killpg(pids[name], sig)
                except ProcessLookupError:
                    pass
        for i in range(NODES):  # every PostgreSQL process of a frozen node let go on
            try:
                self.freeze_node(i, frozen=False)
            except (OSError, ValueError, IndexError):
                pass
        deadline = time.monotonic() + 30
        for name in order:
            wait_gone(pids[name], deadline)
        for postmaster in postmasters:
            if postmaster:
                try:
                    os.killpg(postmaster, signal.SIGTERM)
                except (ProcessLookupError, PermissionError):
                    pass
                wait_gone(postmaster, time.monotonic() + 20)
        for name in [n for n in pids if n.startswith("etcd")]:
            try:
                os.killpg(pids[name], signal.SIGTERM)
            except ProcessLookupError:
                pass
            wait_gone(pids[name], time.monotonic() + 10)
        self.state = {"pids": {}}
        self.state_path.unlink(missing_ok=True)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def wait_gone(group: int, deadline: float) -> None:
    """Wait for process group `group` to end; SIGKILL it at the deadline."""
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        try:
            os.waitpid(group, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.1)
    try:
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        pass
