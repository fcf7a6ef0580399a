#!/usr/bin/env python
"""Import rate: `manage.py import_markdown` of N generated articles into an empty database,
run several times, with the median. This machine's speed drifts by ±20% from one minute to
the next, so one run says little.

    .venv/bin/python bench/import.py [--articles 2000] [--runs 5]          # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/enc_bench .venv/bin/python bench/import.py

Each run migrates a scratch database (PostgreSQL: DATABASE_URL's database name + `_import`
on the same server; SQLite: a file under bench/work/), then times the command from process
start to exit, as a user would wait for it. `make bench` runs it and prints the median with
MediaWiki's importDump ratio. Results also go to bench/results/import-<vendor>-<N>.json.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

import databases  # bench/databases.py
from commands import migrated_and_timed  # bench/commands.py

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"
CORPUS = ROOT.parent / "shared" / "bench" / "corpus.py"
PY = str(ROOT / ".venv" / "bin" / "python")


def scratch_database(url: str) -> tuple[str, str]:
    """(vendor, URL of an empty scratch database beside `url`'s)."""
    if not databases.is_postgres(url):
        path = WORK / "import-scratch.sqlite3"
        path.unlink(missing_ok=True)
        return "sqlite", f"sqlite:///{path}"
    scratch = databases.beside(url, "_import")
    databases.create(scratch, empty=True)
    return "postgresql", scratch


def one_run(corpus: Path, database_url: str) -> tuple[float, float]:
    """(seconds from process start to exit, seconds the command itself reports)."""
    env = os.environ | {
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "x" * 40),
        "ALLOWED_HOSTS": "localhost",
        "CACHE_KEY_PREFIX": "bench-import",
    }
    wall, out = migrated_and_timed("import_markdown", str(corpus), "-v0", env=env)
    return wall, float(re.search(r" in ([\d.]+)s:", out).group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    corpus = WORK / f"corpus-{args.articles}"
    if not corpus.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, str(CORPUS), str(args.articles), str(corpus)]
            + ["--format", "markdown-dir"],
            check=True,
        )
    times, own = [], []
    for _ in range(args.runs):
        vendor, url = scratch_database(os.environ.get("DATABASE_URL", ""))
        wall, reported = one_run(corpus, url)
        times.append(wall)
        own.append(reported)
    median, own_median = statistics.median(times), statistics.median(own)
    result = {
        "articles": args.articles,
        "database": vendor,
        "runs_s": [round(t, 2) for t in times],
        "median_s": round(median, 2),
        "median_per_s": round(args.articles / median),
        "command_timer_runs_s": own,
        "command_timer_median_per_s": round(args.articles / own_median),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"import-{vendor}-{args.articles}.json").write_text(json.dumps(result, indent=2))
    if args.json:
        print(json.dumps(result))
        return
    print(
        f"import of {args.articles} files into an empty {vendor} database, process start "
        f"included: median {median:.2f} s = {args.articles / median:.0f} articles/s "
        f"(runs: {', '.join(f'{t:.2f}' for t in times)} s); the command's own timer, "
        f"without Python and Django starting: median {own_median:.1f} s = "
        f"{args.articles / own_median:.0f} articles/s"
    )


if __name__ == "__main__":
    main()
