"""`make bench`: anonymous article views on the scaled-out parts, measured in one run, beside the
limit of the machine and MediaWiki:

  python bench/scale.py --articles 2000 [--duration 10] [--no-mediawiki]

Rows (wrk -t2, the same 50 article paths rotated, c=16 unless said):
  nginx serving those 50 pages as static files   the machine's limit
  Varnish (front cache) -> haproxy -> 2 gunicorn  what readers get with `make cluster`
  haproxy -> 2 gunicorn (no front cache)           our page cache, two app servers
  one gunicorn, as configured now                  our page cache, one app server
  one gunicorn at the previous landing (2fdef89)   "today" before this work, same data
  MediaWiki 1.39, parser cache and HTML file cache ../shared/bench/mediawiki (file cache
                                                   checked on: its folder must fill)
Every process is started here and stopped by its process group; results go to bench/results/.
"""

import argparse
import json
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import run  # noqa: E402  bench/run.py: corpus, paths, wrk, MediaWiki

from deploy.parts import Process, Replica, app_server, free_port, http_ok, wait_for  # noqa: E402

ROOT = HERE.parent
WORK = ROOT / "bench" / "work"
OLD_COMMIT = "2fdef89"
NGINX_CONF = """worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    default_type text/html;
    keepalive_requests 100000;
    client_body_temp_path {folder}/tmp; proxy_temp_path {folder}/tmp;
    fastcgi_temp_path {folder}/tmp; uwsgi_temp_path {folder}/tmp; scgi_temp_path {folder}/tmp;
    server {{
        listen 127.0.0.1:{port};
        root {folder}/pages;
        location / {{ try_files $uri.html =404; }}
    }}
}}
"""


def environment(args) -> dict:
    env = run.bench_env(args)
    if not env["DATABASE_URL"].startswith("postgres"):
        env["DATABASE_URL"] = (
            f"postgres://postgres@127.0.0.1:5432/encyclopedia_bench_{args.articles}"
        )
    env.update(
        DEBUG="0",
        SECRET_KEY="bench-only-key",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="0",
        GUNICORN_ACCESS_LOG="",
    )
    return env


def static_copies(base: str, articles: Path, folder: Path) -> None:
    """The 50 pages as the front cache serves them, as files for nginx."""
    for path in articles.read_text().split():
        target = folder / "pages" / urllib.parse.unquote(path).lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.with_name(target.name + ".html").write_bytes(
            urllib.request.urlopen(base + path, timeout=30).read()
        )


def old_checkout() -> Path:
    """The previous landing commit, checked out beside us (git worktree), sharing the venv."""
    folder = WORK / f"old-{OLD_COMMIT}"
    if not folder.exists():
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(folder), OLD_COMMIT],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        (folder / ".venv").symlink_to(ROOT / ".venv")
    return folder


def collect_static(checkout: Path, env: dict) -> None:
    run.sh([run.PY, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=checkout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--no-mediawiki", action="store_true")
    parser.add_argument("--fresh-mediawiki", action="store_true")
    parser.add_argument("--history", type=int, default=0)
    parser.add_argument("--import-runs", type=int, default=1)
    args = parser.parse_args()
    env = environment(args)
    WORK.mkdir(parents=True, exist_ok=True)
    folder = WORK / "scale"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "tmp").mkdir(parents=True)
    report: dict = {}
    run.build_site(args, env, report)
    run.sh([run.PY, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT)
    articles = run.paths("articles", args.articles)
    db_name = env["DATABASE_URL"].rsplit("/", 1)[-1]
    subprocess.run([str(ROOT / "deploy" / "allow-replication.sh")], check=True, env=env)
    started: list = []
    replica = Replica().create()
    rows, results = [], {}

    def measure(label: str, base: str, connections: int = 16):
        run.warm(base, articles)
        result = run.wrk(base, articles, connections, args.duration)
        results[label] = result
        rows.append((label, run.fmt(result)))
        print(f"{label}: {run.fmt(result)}", flush=True)

    try:
        ports = [free_port() for _ in range(6)]
        app_env = env | {
            "DATABASE_REPLICA_URL": replica.url(db_name),
            "FRONT_CACHE_URLS": f"http://127.0.0.1:{ports[3]}",
        }
        for port in ports[:2]:
            started.append(app_server(port, app_env, folder / f"app-{port}.log", workers=3).start())
        for port in ports[:2]:
            wait_for(lambda p=port: http_ok(f"http://127.0.0.1:{p}/robots.txt"), f"app :{port}")
        servers = "\n".join(
            f"    server app{n} 127.0.0.1:{p} check inter 1s" for n, p in enumerate(ports[:2], 1)
        )
        (folder / "haproxy.cfg").write_text(
            (ROOT / "deploy" / "haproxy.cfg")
            .read_text()
            .replace("__PORT__", str(ports[2]))
            .replace("__SERVERS__", servers)
        )
        started.append(
            Process(
                ["haproxy", "-db", "-f", str(folder / "haproxy.cfg")], log=folder / "haproxy.log"
            ).start()
        )
        wait_for(lambda: http_ok(f"http://127.0.0.1:{ports[2]}/robots.txt"), "haproxy")
        (folder / "varnish.vcl").write_text(
            (ROOT / "deploy" / "varnish" / "encyclopedia.vcl")
            .read_text()
            .replace("__BACKEND_HOST__", "127.0.0.1")
            .replace("__BACKEND_PORT__", str(ports[2]))
        )
        started.append(
            Process(
                [
                    "varnishd",
                    "-F",
                    "-j",
                    "none",
                    "-a",
                    f"127.0.0.1:{ports[3]}",
                    "-f",
                    str(folder / "varnish.vcl"),
                    "-n",
                    str(folder / "varnish"),
                    "-s",
                    "malloc,256m",
                ],
                log=folder / "varnish.log",
            ).start()
        )
        wait_for(lambda: http_ok(f"http://127.0.0.1:{ports[3]}/robots.txt"), "varnish")
        front = f"http://127.0.0.1:{ports[3]}"
        static_copies(front, articles, folder)
        (folder / "nginx.conf").write_text(NGINX_CONF.format(folder=folder, port=ports[4]))
        started.append(
            Process(
                ["nginx", "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
                log=folder / "nginx.log",
            ).start()
        )
        wait_for(
            lambda: http_ok(f"http://127.0.0.1:{ports[4]}{articles.read_text().split()[0]}"),
            "nginx",
        )

        measure("nginx, the 50 pages as static files (the limit)", f"http://127.0.0.1:{ports[4]}")
        measure("Varnish front cache -> haproxy -> 2 app servers", front)
        measure("Varnish front cache, c=64", front, 64)
        measure("haproxy -> 2 app servers, no front cache", f"http://127.0.0.1:{ports[2]}")
        measure("one app server (3 sync workers), no front cache", f"http://127.0.0.1:{ports[0]}")
        for proc in started[:2]:
            proc.stop()
        old = old_checkout()
        old_env = env | {"CACHE_KEY_PREFIX": env.get("CACHE_KEY_PREFIX", "") + "old"}
        old_env.pop("WEB_CONCURRENCY", None)  # its own default then: 2 x CPU + 1
        collect_static(old, old_env)
        started.append(
            Process(
                [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "encyclopedia/gunicorn.conf.py"],
                env=old_env | {"HOST": "127.0.0.1", "PORT": str(ports[5])},
                log=folder / "old.log",
                cwd=old,
            ).start()
        )
        wait_for(lambda: http_ok(f"http://127.0.0.1:{ports[5]}/robots.txt"), "the old server")
        measure(
            f"one app server at {OLD_COMMIT} (before: 2xCPU+1 sync workers, a Redis client "
            "per read)",
            f"http://127.0.0.1:{ports[5]}",
        )
    finally:
        for proc in reversed(started):
            proc.stop()
        replica.remove()

    mw = {} if args.no_mediawiki else run.mediawiki(args)
    for key in ("article view (parser cache)", "article view (file cache)"):
        if (key, 16) in mw:
            label = f"MediaWiki 1.39, {key[14:-1]}"
            results[label] = mw[(key, 16)]
            rows.append((label, run.fmt(mw[(key, 16)])))
    filecache = Path("/var/lib/mediawiki-anchor/filecache")
    cached_files = sum(1 for p in filecache.rglob("*") if p.is_file()) if filecache.exists() else 0
    if mw:
        rows.append(("MediaWiki file cache files after its row", str(cached_files)))

    def ratio(a, b):
        return (
            f"{results[a]['rps'] / results[b]['rps']:.2f}x"
            if a in results and b in results
            else "n/a"
        )

    nginx, varnish = rows[0][0], "Varnish front cache -> haproxy -> 2 app servers"
    one, before = (
        "one app server (3 sync workers), no front cache",
        rows[5][0] if len(rows) > 5 else "",
    )
    ratios = [
        ("front cache / nginx static", ratio(varnish, nginx)),
        ("front cache / MediaWiki file cache", ratio(varnish, "MediaWiki 1.39, file cache")),
        ("front cache / MediaWiki parser cache", ratio(varnish, "MediaWiki 1.39, parser cache")),
        ("one app server now / at " + OLD_COMMIT, ratio(one, before)),
        ("two app servers / one", ratio("haproxy -> 2 app servers, no front cache", one)),
        ("one app server / MediaWiki file cache", ratio(one, "MediaWiki 1.39, file cache")),
    ]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"# make bench (bench/scale.py), {args.articles} articles, {stamp}", ""]
    lines += ["| row | result |", "|---|---|"] + [f"| {a} | {b} |" for a, b in rows]
    lines += ["", "| ratio | value |", "|---|---|"] + [f"| {a} | {b} |" for a, b in ratios]
    text = "\n".join(lines)
    print(text)
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    (results_dir / f"scale-{datetime.now(UTC):%Y%m%d-%H%M}.md").write_text(text + "\n")
    (results_dir / "scale-latest.json").write_text(
        json.dumps(
            {"rows": rows, "ratios": ratios, "mediawiki_file_cache_files": cached_files}, indent=1
        )
    )


if __name__ == "__main__":
    main()
