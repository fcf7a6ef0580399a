#!/usr/bin/env python
"""Wall and CPU time of a few pages on an existing database: where a page's time goes when the
machine is shared (its CPU time hardly moves with the load; its wall time does).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/enc_lists_100000 \\
        nice -n 10 .venv/bin/python bench/page_cpu.py [--runs 21] [--base REF [--rounds 3]] [PATH ...]

Run from the tree to measure (its `wiki` is imported: the path is printed). With --base, this
tree (B) against another commit (A, a detached `git worktree` removed after, bench/sides.py):
each round measures every page in a fresh process per side, taking turns (A, B, A, B, …), and
the table gives each side's medians of the rounds and B/A of the CPU time. Without paths: the
contributor with a tenth of all edits (bench/large.py's "Busy Bee") and What links here of the
most linked title, first and last page each. Each page through Django's test client (view,
queries, template; no HTTP; DEBUG off, no page cache, a fresh cache prefix, the static files
unhashed as bench/large.py has them), three times to warm, then `--runs` times: the median and
best wall time and the median CPU time of this process (`time.process_time`), in ms. Only
reads: the database is left as it was (sessions and cache entries aside).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))
os.environ.update(
    DEBUG="0",
    PAGE_CACHE="0",
    SECURE_SSL_REDIRECT="0",
    SECRET_KEY="bench-only-" + "x" * 40,
    ALLOWED_HOSTS="testserver",
    CACHE_KEY_PREFIX=f"page-cpu-{time.time_ns()}",
    DJANGO_SETTINGS_MODULE="encyclopedia.settings",
)
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/4")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402


def default_paths() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT target_slug FROM wiki_link GROUP BY target_slug ORDER BY count(*) DESC LIMIT 1"
        )
        hub = cursor.fetchone()[0]
    return [
        "/contributor/Busy_Bee",
        "/contributor/Busy_Bee?dir=last",
        f"/wiki/{hub}/links",
        f"/wiki/{hub}/links?dir=last",
    ]


def measure(paths: list[str], runs: int) -> dict[str, tuple[float, float, float]]:
    """{path: (median wall, best wall, median CPU)} in ms, each page warmed up first."""
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    client = Client()
    found = {}
    for path in paths:
        for _ in range(3):
            assert client.get(path).status_code == 200, path
        wall, cpu = [], []
        for _ in range(runs):
            started, used = time.perf_counter(), time.process_time()
            client.get(path)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
        found[path] = (statistics.median(wall), min(wall), statistics.median(cpu))
    return found


def compare(base: str, paths: list[str], runs: int, rounds: int) -> None:
    """This tree against `base`, each side in a process of its own per round, in turns."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from sides import sides  # bench/sides.py

    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    try:
        with sides(base, work) as trees:
            results = {name: [] for name in trees}
            for n in range(rounds):
                for name, root in trees.items():
                    done = subprocess.run(
                        [sys.executable, __file__, "--json", "--runs", str(runs), *paths],
                        cwd=root,
                        capture_output=True,
                        text=True,
                    )
                    if done.returncode:
                        sys.exit(done.stderr[-3000:])
                    results[name].append(json.loads(done.stdout.splitlines()[-1]))
                    print(f"round {n + 1}, {name}: done", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    (a, a_runs), (b, b_runs) = results.items()
    print(f"\n{rounds} rounds of {runs} views; load average {os.getloadavg()[0]:.1f}")
    print(f"| page | {a}: wall / CPU ms | {b}: wall / CPU ms | B/A CPU |")
    print("|---|---|---|---|")
    for path in paths:
        side = {}
        for name, runs_of in ((a, a_runs), (b, b_runs)):
            side[name] = [statistics.median(r[path][i] for r in runs_of) for i in (0, 2)]
        (aw, ac), (bw, bc) = side[a], side[b]
        print(f"| `{path}` | {aw:.1f} / {ac:.1f} | {bw:.1f} / {bc:.1f} | {bc / ac:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--base", help="a git ref to compare with (A); this tree is B")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # a side's child
    args = parser.parse_args()
    paths = args.paths or default_paths()
    if args.base:
        compare(args.base, paths, args.runs, args.rounds)
        return
    found = measure(paths, args.runs)
    if args.json:
        print(json.dumps(found))
        return
    import wiki

    print("wiki from", wiki.__file__)
    for path, (wall, best, cpu) in found.items():
        print(
            f"{path[:50]:50s} wall median {wall:6.1f} ms, best {best:6.1f}; CPU median {cpu:6.1f} ms"
        )


if __name__ == "__main__":
    main()
