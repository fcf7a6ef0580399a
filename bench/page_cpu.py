#!/usr/bin/env python
"""Wall and CPU time of a few pages on an existing database: where a page's time goes when the
machine is shared (its CPU time hardly moves with the load; its wall time does).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/enc_lists_100000 \\
        nice -n 10 .venv/bin/python bench/page_cpu.py [--runs 21] [PATH ...]

Run from the tree to measure (its `wiki` is imported: the path is printed). Without paths: the
contributor with a tenth of all edits (bench/large.py's "Busy Bee") and What links here of the
most linked title, first and last page each. Each page through Django's test client (view,
queries, template; no HTTP; DEBUG off, no page cache, a fresh cache prefix, the static files
unhashed as bench/large.py has them), three times to warm, then `--runs` times: the median and
best wall time and the median CPU time of this process (`time.process_time`), in ms. Only
reads: the database is left as it was (sessions and cache entries aside).
"""

import argparse
import os
import statistics
import sys
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    import wiki

    print("wiki from", wiki.__file__)
    client = Client()
    for path in args.paths or default_paths():
        for _ in range(3):
            assert client.get(path).status_code == 200, path
        wall, cpu = [], []
        for _ in range(args.runs):
            started, used = time.perf_counter(), time.process_time()
            client.get(path)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
        print(
            f"{path[:50]:50s} wall median {statistics.median(wall):6.1f} ms,"
            f" best {min(wall):6.1f}; CPU median {statistics.median(cpu):6.1f} ms"
        )


if __name__ == "__main__":
    main()
