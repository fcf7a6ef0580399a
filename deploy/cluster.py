"""`make cluster` / `make cluster-stop`: the whole scaled-out site on loopback.

    Varnish :8080 -> haproxy :8100 -> gunicorn :8101, :8102 -> PostgreSQL primary (:5432)
                                                             + streaming replica (own port)
                                                             + Redis (REDIS_URL)
    a task-queue worker (manage.py qcluster) on the primary

Every process started is recorded (pid, and the replica's folder) in .cluster/state.json;
`stop` stops exactly those, by process group or pg_ctl, nothing found by name.
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy.parts import (  # noqa: E402
    ROOT,
    Process,
    Replica,
    app_server,
    http_ok,
    manage,
    queue_worker,
    wait_for,
)

STATE = ROOT / ".cluster"
FRONT, BALANCER, APPS = 8080, 8100, (8101, 8102)


def environment() -> dict:
    database = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/encyclopedia_cluster"
    )
    if not database.startswith("postgres"):
        raise SystemExit("make cluster needs PostgreSQL: DATABASE_URL=postgres://…")
    return {
        **os.environ,
        "DATABASE_URL": database,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3"),
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
    env = environment()
    name = env["DATABASE_URL"].rsplit("/", 1)[-1]
    host_part = env["DATABASE_URL"].split("@", 1)[-1].rsplit("/", 1)[0]
    host, _, port = host_part.partition(":")
    port = int(port or 5432)
    subprocess.run(
        ["createdb", "-h", host, "-p", str(port), "-U", "postgres", name], capture_output=True
    )  # already there is fine
    print("migrating, loading the demo content, collecting static files…")
    manage("migrate", "--noinput", "-v0", env=env)
    manage("load_demo", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    subprocess.run([str(ROOT / "deploy" / "allow-replication.sh")], check=True, env=env)
    state = {"processes": {}}

    def keep():
        (STATE / "state.json").write_text(json.dumps(state, indent=1))

    replica = Replica(host, port, folder=STATE / "replica").create()
    state["replica"] = {"folder": str(replica.folder), "port": replica.port}
    keep()
    env["DATABASE_REPLICA_URL"] = replica.url(name)
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
        + f"  PostgreSQL primary {host}:{port}/{name}, replica 127.0.0.1:{replica.port}\n"
        f"  Redis {env['REDIS_URL']}\nStop it with: make cluster-stop"
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
    if replica := state.get("replica"):
        r = Replica(folder=replica["folder"])
        r.remove()
        print("stopped and removed the replica")
    path.unlink()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["start", "stop"])
    {"start": start, "stop": stop}[parser.parse_args().action]()
