#!/usr/bin/env python
"""Section saves on a large database, this tree against another commit, in one run.

    .venv/bin/python bench/section_saves.py --database URL [--base REF] [--rounds 3] [--count 60]

The database is one `bench/large.py` built (enc_large_<N>, or a copy of it made with
`createdb -T`: the saves change it). Each round runs one fresh process per side, taking turns
(A, B, A, B, …) so a change of load on the machine falls on both; a process signs in an editor
and posts `count` section saves through the edit form (`bench/site.py`'s `section_save_times`:
form, edit door, write path, render, history, links, search index, cache purges), each a random
section of one of 60 articles drawn from the first 3,000 (the same draw on both sides in a
round), after five saves to warm up. The cache is Redis (REDIS_URL, default db 8) under a key
prefix new to each process. Printed: each side's p50 and p95 per round, their medians, B/A.
The base side is a detached `git worktree` of REF in a temporary directory, removed after.
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

from sides import sides  # bench/sides.py

HERE = Path(__file__).resolve().parent.parent

CHILD = r"""
import importlib.util, json, random, sys
root, seed, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sys.path.insert(0, root)
import django
django.setup()
import wiki
assert wiki.__file__.startswith(root), wiki.__file__
from wiki.models import Article
spec = importlib.util.spec_from_file_location("bench_site", root + "/bench/site.py")
site = importlib.util.module_from_spec(spec)
spec.loader.exec_module(site)
first = Article.objects.filter(redirect_to=None).order_by("pk").values_list("slug", flat=True)
slugs = random.Random(seed).sample(list(first[:3000]), 60)
site.section_save_times(5, slugs[:5])
times = sorted(site.section_save_times(count, slugs))
print(json.dumps([times[len(times) // 2], times[int(len(times) * 0.95)]]))
"""


def run_side(root: Path, database: str, seed: int, count: int) -> list[float]:
    env = dict(
        os.environ,
        DATABASE_URL=database,
        DJANGO_SETTINGS_MODULE="encyclopedia.settings",
        DEBUG="0",
        PAGE_CACHE="0",
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="testserver",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-" + "x" * 40),
        CACHE_KEY_PREFIX=f"saves-{time.time_ns()}",
    )
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/8")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(root), str(seed), str(count)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a database bench/large.py built")
    parser.add_argument("--base", help="a git ref to compare with (A); this tree is B")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--count", type=int, default=60)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-saves-"))
    try:
        with sides(args.base, work) as trees:
            results = {name: [] for name in trees}
            for seed in range(args.rounds):
                for name, root in trees.items():
                    results[name].append(run_side(root, args.database, seed, args.count))
                    p50, p95 = results[name][-1]
                    print(
                        f"round {seed + 1}, {name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms", flush=True
                    )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{args.rounds} rounds of {args.count} saves; load average {os.getloadavg()[0]:.1f}")
    print("| side | p50 ms (median of rounds) | p95 ms (median of rounds) |")
    print("|---|---|---|")
    medians = {}
    for name, runs in results.items():
        medians[name] = [statistics.median(r[i] for r in runs) for i in (0, 1)]
        print(f"| {name} | {medians[name][0]:.1f} | {medians[name][1]:.1f} |")
    if len(medians) == 2:
        (a50, a95), (b50, b95) = medians.values()
        print(f"\nB/A: p50 {b50 / a50:.2f}, p95 {b95 / a95:.2f}")


if __name__ == "__main__":
    main()
