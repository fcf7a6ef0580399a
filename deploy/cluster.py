"""`make cluster` / `make cluster-stop`: the whole scaled-out site on loopback, every port in
CLUSTER_PORT_BASE (8400) … +99, every file under .cluster/.

    Varnish :8400 -> haproxy :8401 -> gunicorn :8450, :8451
        -> haproxy :8440 (writes: the Patroni leader) / :8441 (reads: the replicas)
           -> PostgreSQL 15 ×3 under Patroni ×3 (:8432-8434, REST :8408-8410), etcd ×3
        -> Redis master + replica (:8463, :8464), found through Redis Sentinel ×3 (:8466-8468)
    a task-queue worker (manage.py qcluster)

The data layer is deploy/ha.py. Every process started is recorded (pid) in .cluster/state.json
and .cluster/ha/ha-state.json; `stop` stops exactly those by process group (and the PostgreSQL
servers Patroni started, by their postmaster.pid), nothing found by name.
"""

import argparse
import json
import os
import secrets
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy.ha import HA, base_port, wait_gone  # noqa: E402
from deploy.parts import (  # noqa: E402
    ROOT,
    Process,
    app_server,
    http_ok,
    manage,
    queue_worker,
    wait_for,
)

STATE = ROOT / ".cluster"
FRONT, BALANCER, APPS = base_port(), base_port() + 1, (base_port() + 50, base_port() + 51)


def environment(data: dict | None = None) -> dict:
    """The app's environment; `data`: the data layer's addresses (HA.environment())."""
    return {
        **os.environ,
        **(data or HA(STATE / "ha").environment()),
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on loopback: no HTTPS redirect, and the cookies' Secure flag (on by
        # default with DEBUG off) turned off by its switch, or nobody could sign in.
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "FRONT_CACHE_URLS": f"http://127.0.0.1:{FRONT}",
    }


def start() -> None:
    if (STATE / "state.json").exists():
        raise SystemExit("A cluster is running (.cluster/state.json): make cluster-stop first.")
    STATE.mkdir(exist_ok=True)
    state = {"processes": {}}

    def keep():
        (STATE / "state.json").write_text(json.dumps(state, indent=1))

    keep()
    print("starting etcd, Patroni (three PostgreSQL nodes), haproxy, Redis and Sentinel…")
    try:
        env = environment(HA(STATE / "ha").start())
    except Exception:
        stop()
        raise
    print("migrating, loading the demo content, collecting static files…")
    manage("migrate", "--noinput", "-v0", env=env)
    manage("load_demo", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    for app_port in APPS:
        server = app_server(app_port, env, STATE / f"app-{app_port}.log", workers=3).start()
        state["processes"][f"app-{app_port}"] = server.pid
        keep()
    worker = queue_worker(env, STATE / "worker.log").start()
    state["processes"]["worker"] = worker.pid
    keep()
    for app_port in APPS:
        wait_for(lambda p=app_port: http_ok(f"http://127.0.0.1:{p}/robots.txt"), f"app :{app_port}")
    servers = "\n".join(
        f"    server app{n} 127.0.0.1:{p} check inter 1s" for n, p in enumerate(APPS, 1)
    )
    config = STATE / "haproxy.cfg"
    config.write_text(
        (ROOT / "deploy" / "haproxy.cfg")
        .read_text()
        .replace("__PORT__", str(BALANCER))
        .replace("__SERVERS__", servers)
    )
    balancer = Process(["haproxy", "-db", "-f", str(config)], log=STATE / "haproxy.log").start()
    state["processes"]["haproxy"] = balancer.pid
    keep()
    wait_for(lambda: http_ok(f"http://127.0.0.1:{BALANCER}/robots.txt"), "haproxy")
    vcl = STATE / "varnish.vcl"
    vcl.write_text(
        (ROOT / "deploy" / "varnish" / "encyclopedia.vcl")
        .read_text()
        .replace("__BACKEND_HOST__", "127.0.0.1")
        .replace("__BACKEND_PORT__", str(BALANCER))
    )
    front = Process(
        [
            "varnishd",
            "-F",
            "-j",
            "none",
            "-a",
            f"127.0.0.1:{FRONT}",
            "-f",
            str(vcl),
            "-n",
            str(STATE / "varnish"),
            "-s",
            "malloc,256m",
        ],
        log=STATE / "varnish.log",
    ).start()
    state["processes"]["varnish"] = front.pid
    keep()
    wait_for(lambda: http_ok(f"http://127.0.0.1:{FRONT}/robots.txt"), "varnish")
    print(
        f"Cluster up:\n  front cache (Varnish)  http://127.0.0.1:{FRONT}/\n"
        f"  load balancer (haproxy) http://127.0.0.1:{BALANCER}/\n"
        + "".join(f"  app server (gunicorn)   http://127.0.0.1:{p}/\n" for p in APPS)
        + "  task-queue worker (qcluster), log .cluster/worker.log\n"
        + f"  PostgreSQL: writes {env['DATABASE_URL']}, reads {env['DATABASE_REPLICA_URL']}\n"
        f"  (Patroni leader and replicas: {HA(STATE / 'ha').roles()})\n"
        f"  Redis master through Sentinel {env['REDIS_SENTINELS']}\n"
        "Stop it with: make cluster-stop"
    )


def stop() -> None:
    path = STATE / "state.json"
    if not path.exists():
        print("No cluster is running.")
        return
    state = json.loads(path.read_text())
    for name, pid in reversed(list(state["processes"].items())):
        try:
            os.killpg(pid, 15)
            print(f"stopped {name} (process group {pid})")
        except ProcessLookupError:
            print(f"{name} (pid {pid}) had already stopped")
    for pid in state["processes"].values():  # before the database and Redis go away
        wait_gone(pid, time.monotonic() + 20)  # SIGKILL after 20 s (a worker stuck on them)
    HA(STATE / "ha").stop()
    print("stopped Redis, Sentinel, haproxy, Patroni with PostgreSQL, etcd")
    path.unlink()
    shutil.rmtree(STATE / "ha", ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["start", "stop"])
    {"start": start, "stop": stop}[parser.parse_args().action]()
