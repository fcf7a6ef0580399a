#!/usr/bin/env python
"""Restore time: `make restore TARGET=…` of a PostgreSQL wiki backed up by pgBackRest, to a
point in time, with check_integrity, for the demo wiki and a 100,000-article one.

    make bench-restore [BENCH_ARTICLES=100000] [BENCH_ARGS="--runs 3 --wiki generated"]

Each wiki lives in a PostgreSQL server of its own that archives every WAL segment to a
pgBackRest repository (deploy/archiving.py, as the suite's restore drill and a production set-up
in docs/operators.md), under BENCH_RESTORE_DIR (/var/tmp/encyclopedia-bench-restore): built
once and kept for reruns (--rebuild starts again). Building: migrate, then the demo content
(`load_demo`) or N generated articles with 10 revisions each (bench/lists.py's generator in
SQL, with each revision's snapshot and SHA-1 so check_integrity has the whole wiki to read),
then `make backup` (a full backup). Each run: note the time T, blank 1,000 articles (a vandal's
script, after T), then time `make restore TARGET=T` in its own process, as an operator runs
it: pgBackRest's delta restore of the data folder, the WAL replayed to T, the server promoted,
`migrate`, `check_integrity`; afterwards no article the script blanked is blank. The median of --runs is printed
and written to bench/results/restore-<wiki>.json with the load average.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.archiving import ArchivingServer  # noqa: E402
from deploy.parts import PG_BIN  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
VANDALISED = 1000


def folder() -> Path:
    return Path(os.environ.get("BENCH_RESTORE_DIR", "/var/tmp/encyclopedia-bench-restore"))


def environment(server: ArchivingServer, home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL=server.url("wiki"),
        DATABASE_REPLICA_URL="",
        REDIS_URL="",
        MEDIA_ROOT=str(home / "media"),
        BACKUP_DIR=str(home / "backups"),
        PGBACKREST_STANZA="wiki",
        PGBACKREST_CONFIG=str(server.config),
        PG_STOP_COMMAND=server.stop_command,
        PG_START_COMMAND=server.start_command,
    )
    return env


def run(cmd: list[str], env: dict, timeout: float = 7200) -> str:
    done = subprocess.run(
        cmd, env=env, cwd=ROOT, text=True, capture_output=True, timeout=timeout, check=False
    )
    if done.returncode:
        sys.exit(f"{' '.join(cmd[:4])} failed:\n{(done.stderr or done.stdout)[-3000:]}")
    return done.stdout


def psql(server: ArchivingServer, query: str) -> str:
    cmd = [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres"]
    done = subprocess.run(
        [*cmd, "-d", "wiki", "-tAc", query], text=True, capture_output=True, check=True
    )
    return done.stdout.strip()


def build(name: str, articles: int, home: Path) -> ArchivingServer:
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    home.chmod(0o755)  # the server runs as postgres
    started = time.monotonic()
    server = ArchivingServer(home / "server").create()
    server.create_database("wiki")
    env = environment(server, home)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    if name == "demo":
        run([PYTHON, "manage.py", "load_demo"], env)
    else:
        script = [PYTHON, "bench/lists.py", "--articles", str(articles), "--build-only"]
        print(run([*script, "--whole", "--rebuild"], env), end="", flush=True)
    run(["make", "-s", "backup"], env)
    built = {
        "port": server.port,
        "articles": int(psql(server, "SELECT count(*) FROM wiki_article")),
        "revisions": int(psql(server, "SELECT count(*) FROM wiki_revision")),
        "database": psql(server, "SELECT pg_size_pretty(pg_database_size('wiki'))"),
        "built_in_s": round(time.monotonic() - started),
        "built_at": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
    }
    (home / "built.json").write_text(json.dumps(built, indent=1))
    return server


def reopen(home: Path) -> ArchivingServer:
    built = json.loads((home / "built.json").read_text())
    server = ArchivingServer(home / "server", port=built["port"])
    if not (server.data / "postmaster.pid").exists():
        server.start()
    return server


def one_restore(server: ArchivingServer, home: Path) -> dict:
    env = environment(server, home)
    blank_before = int(psql(server, "SELECT count(*) FROM wiki_article WHERE lead = ''"))
    time.sleep(1.5)
    target = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    time.sleep(1.5)
    psql(
        server,
        f"UPDATE wiki_article SET lead = '' WHERE id IN "
        f"(SELECT id FROM wiki_article ORDER BY id LIMIT {VANDALISED})",
    )
    load = os.getloadavg()[0]
    started = time.monotonic()
    said = run(["make", "-s", "restore", f"TARGET={target}"], env)
    wall = time.monotonic() - started
    assert f"PostgreSQL restored to {target} UTC" in said, said
    blank = int(psql(server, "SELECT count(*) FROM wiki_article WHERE lead = ''"))
    integrity = re.search(r"The wiki is whole: no problem found \(([\d.]+) s\)", said)
    assert integrity and blank == blank_before, (said, blank, blank_before)
    return {
        "target": target,
        "make_restore_s": round(wall, 1),
        "check_integrity_s": float(integrity.group(1)),
        "load_average_before": round(load, 1),
        "load_average_after": round(os.getloadavg()[0], 1),
    }


def bench(name: str, articles: int, runs: int, rebuild: bool) -> dict:
    home = folder() / (name if name == "demo" else f"generated-{articles}")
    if rebuild or not (home / "built.json").exists():
        print(f"building the {name} wiki in {home}…", flush=True)
        server = build(name, articles, home)
    else:
        server = reopen(home)
    built = json.loads((home / "built.json").read_text())
    print(
        f"{name}: {built['articles']:,} articles, {built['revisions']:,} revisions, "
        f"database {built['database']} (built {built['built_at']} in {built['built_in_s']} s)",
        flush=True,
    )
    if not runs:
        server.stop()
        return {}
    rows = []
    try:
        for n in range(1, runs + 1):
            row = one_restore(server, home)
            rows.append(row)
            print(
                f'  run {n}: make restore TARGET="{row["target"]}" {row["make_restore_s"]} s '
                f"(check_integrity {row['check_integrity_s']} s), load average "
                f"{row['load_average_before']} -> {row['load_average_after']}",
                flush=True,
            )
    finally:
        server.stop()  # kept on disk for the next run
    report = {
        "wiki": name,
        **built,
        "runs": rows,
        "median_make_restore_s": statistics.median(r["make_restore_s"] for r in rows),
        "median_check_integrity_s": statistics.median(r["check_integrity_s"] for r in rows),
        "cpus": os.cpu_count(),
    }
    print(
        f"{name}: median of {runs}: make restore {report['median_make_restore_s']} s, of which "
        f"check_integrity {report['median_check_integrity_s']} s",
        flush=True,
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"restore-{name}.json").write_text(json.dumps(report, indent=2) + "\n")
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--wiki", choices=["demo", "generated", "both"], default="both")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    folder().mkdir(parents=True, exist_ok=True)
    folder().chmod(0o755)
    for name in ["demo", "generated"] if args.wiki == "both" else [args.wiki]:
        bench(name, args.articles, args.runs, args.rebuild)


if __name__ == "__main__":
    main()
