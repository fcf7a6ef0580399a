#!/usr/bin/env python
"""`make bench-large`: the site at 10,000, 100,000 and 1,000,000 articles on PostgreSQL, and
how each figure grows with the size (issue 34, goals 3–5).

    .venv/bin/python bench/large.py [--articles 10000 100000 1000000] [--rebuild] [--runs 5]
    .venv/bin/python bench/large.py --serve    # its databases' server, for psql, until Ctrl-C

Each size has its own database, enc_large_<N>, created and built once (bench/large_corpus.py)
and reused while it holds N articles; --rebuild builds it again. They live on a PostgreSQL
server of the benchmark's own (deploy.parts.Server), started for the run and stopped after,
its cluster kept in BENCH_LARGE_DIR (default bench/work/postgres): 38 GB at a million articles
stay out of the machine's shared server, whose whole cluster a replica test copies. Or on
BENCH_LARGE_SERVER's PostgreSQL (a URL ending in /), when that is set. Each size is measured in a process
of its own (the database is a setting), in-process through Django's test client, DEBUG off,
the cache in Redis (REDIS_URL, default db 9) under a key prefix new to the run, so the first
view of an article misses every cache. Each size's figures go to bench/results/large-<N>.json;
then every large-*.json there makes the growth table (bench/results/large-summary.md) and
its plot (bench/results/large-growth.png).
"""

import argparse
import json
import math
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import databases  # bench/databases.py
from scripts import load  # bench/scripts.py

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SIZES = [10_000, 100_000, 1_000_000]
SERVER = os.environ.get("BENCH_LARGE_SERVER", "")
FOLDER = Path(os.environ.get("BENCH_LARGE_DIR", ROOT / "bench" / "work" / "postgres"))
QUERY_TITLES = 10_000  # queries and titles come from the first 10,000 articles: in every size


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def figures(times: list[float]) -> dict:
    return {
        "p50_ms": round(percentile(times, 0.5), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        "max_ms": round(max(times), 2),
        "n": len(times),
    }


def fixed_queries(corpus) -> list[str]:
    """The same 200 queries at every size: 150 of the shared corpus's (a title's last word and
    a common word, two title words, two common words), 25 OR queries, 25 single common words."""
    done = subprocess.run(
        [sys.executable, corpus.__file__, str(QUERY_TITLES), "--queries", "150"],
        capture_output=True,
        text=True,
        check=True,
    )
    queries = [q for q in done.stdout.splitlines() if q.strip()]
    rng = random.Random(34)
    queries += [
        f"{rng.choice(corpus.CONDITION)} or {rng.choice(corpus.WORDS)} or {rng.choice(corpus.WORDS)}"
        for _ in range(25)
    ]
    queries += rng.sample(corpus.WORDS, 25)
    return queries


def measure_size(n: int, rebuild: bool, runs: int) -> dict:
    """Build (or reuse) the database of n articles and take every figure; in this process,
    set up for that database."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import large_corpus
    import lists  # bench/lists.py (large_corpus's too): its measurement of a list's pages
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from wiki import search

    timed = load("search").timed  # bench/search.py: the median of repeated calls, warmed up

    call_command("migrate", verbosity=0)
    report = {"articles": n}
    if rebuild or large_corpus.held() != n:
        print(f"building {n:,} articles (the database held {large_corpus.held():,})", flush=True)
        report["build"] = large_corpus.build(n, dict(os.environ))
    else:
        print(f"reusing the {n:,} articles of {connection.settings_dict['NAME']}", flush=True)
    seconds, steps = large_corpus.rows_of("SELECT seconds, steps::text FROM bench_large_build")[0]
    report["build_seconds"], report["build_steps"] = round(seconds, 1), json.loads(steps)
    report["history_steps"] = large_corpus.add_history()  # once per database
    report["review_steps"] = large_corpus.add_reviews()  # once per database, after the history
    report["redirect_steps"] = large_corpus.add_redirects()  # once per database
    report["revisions"] = large_corpus.scalar("SELECT count(*) FROM wiki_revision")
    report["database_bytes"] = large_corpus.scalar("SELECT pg_database_size(current_database())")
    report["database"] = large_corpus.scalar(
        "SELECT pg_size_pretty(pg_database_size(current_database()))"
    )
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    titles = large_corpus.corpus.titles(QUERY_TITLES)
    rng = random.Random(3)
    queries = fixed_queries(large_corpus.corpus)
    prefixes = [t[: rng.randint(3, 8)] for t in rng.sample(titles, 200)]
    client = Client()
    rows = {}

    def row(name, times):
        rows[name] = figures(times)
        print(f"  {name}: p50 {rows[name]['p50_ms']} ms, p95 {rows[name]['p95_ms']} ms", flush=True)

    # Views first, while the cache (a key prefix new to this run) is empty.
    ids = large_corpus.scalar(
        f"SELECT array_agg(id ORDER BY id) FROM wiki_article WHERE NOT {large_corpus.IS_REDIRECT}"
    )
    chosen = random.Random(8).sample(ids, 200)
    slugs = [
        s
        for (s,) in large_corpus.rows_of(
            "SELECT slug FROM wiki_article WHERE id = ANY(%s)", [chosen]
        )
    ]
    row("article view, nothing cached", first_times(lambda s: client.get(f"/wiki/{s}"), slugs))
    row(
        "article view, content cached (no page cache)",
        timed(lambda s: client.get(f"/wiki/{s}"), slugs, repeat=1),
    )
    searched = timed(lambda q: search.search(q, 1), queries, repeat=runs)
    row("search", searched)
    report["slowest_searches"] = [
        {"query": q, "ms": round(ms, 1)}
        for ms, q in sorted(zip(searched, queries, strict=True))[-10:]
    ]
    row(
        "search page (GET /search)",
        timed(lambda q: client.get("/search", {"q": q, "fulltext": 1}), queries, repeat=1),
    )
    row("suggestions", timed(lambda p: search.suggest(p, 10), prefixes, repeat=runs))
    go_titles = rng.sample(titles, 200)
    row("Go (an exact title)", timed(lambda t: go(client, t), go_titles, repeat=runs))
    bench_site = load("site")  # bench/site.py (not the standard library's site)
    saved = random.Random(9).sample(slugs, 100)
    row("section save", bench_site.section_save_times(100, saved))
    report["figures"] = rows
    report["lists"] = measure_lists(client, lists, runs)
    editor = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-admin", "bench@example.org", "bench-admin"
    )
    admin = Client()
    admin.force_login(editor)
    report["lists"] += measure_admin(admin, lists, runs)
    report["load_average"] = os.getloadavg()
    return report


def first_times(function, inputs) -> list[float]:
    """Milliseconds of each input's first call: no warm-up, so nothing is cached yet."""
    times = []
    for item in inputs:
        started = time.perf_counter()
        function(item)
        times.append((time.perf_counter() - started) * 1000)
    return times


def go(client, title: str) -> None:
    response = client.get("/search", {"q": title})
    assert response.status_code == 302, (title, response.status_code)


def measure_lists(client, lists, runs: int) -> list[dict]:
    """The first and last page of each list (bench/lists.py's measurement)."""
    import large_corpus

    hub = large_corpus.scalar(
        "SELECT target_slug FROM wiki_link GROUP BY target_slug ORDER BY count(*) DESC LIMIT 1"
    )
    last_file = (
        large_corpus.scalar(
            f"SELECT max(id) FROM wiki_article WHERE NOT {large_corpus.IS_REDIRECT}"
        )
        // 10_000
        + 1
    )
    pages = [
        ("A–Z, letter M", "/index/M"),
        ("category of every article", "/category/Disease_Index"),
        ("recent changes (every revision)", "/recent-changes"),
        ("contributor's edits (a tenth of all)", "/contributor/Busy_Bee"),
        (
            "history of a page (100,000 revisions)",
            f"/wiki/{large_corpus.long_history_slug()}/history",
        ),
        ("what links here (the most linked)", f"/wiki/{hub}/links"),
        ("review queue, never reviewed (half the wiki)", "/review-queue?show=never"),
        ("review queue, changed since reviewed (half)", "/review-queue?show=changed"),
        ("review queue, review overdue (half)", "/review-queue?show=overdue"),
        ("double redirects", "/redirects?show=double"),
        ("broken redirects", "/redirects?show=broken"),
    ]
    rows = []
    for name, url in pages:
        for end, query in [("first", ""), ("last", "dir=last")]:
            rows.append({"list": name, "page": end, "url": lists.with_query(url, query)})
    rows += [
        # The index lists every file (100 at a million articles): one page, first and last.
        {"list": "sitemap index", "page": "only", "url": "/sitemap.xml"},
        {"list": "sitemap of articles", "page": "first", "url": "/sitemap-articles.xml"},
        {
            "list": "sitemap of articles",
            "page": "last",
            "url": f"/sitemap-articles.xml?p={last_file}",
        },
    ]
    for entry in rows:
        entry.update(lists.measure(client, entry["url"], runs))
        print(f"  {entry['list']}, {entry['page']}: median {entry['median_ms']} ms", flush=True)
    watcher = watcher_signed_in(WATCHED)
    for end, query in [("first", ""), ("last", "dir=last")]:
        entry = {"list": f"watchlist of {WATCHED:,} pages", "page": end}
        entry["url"] = lists.with_query("/watchlist", query)
        entry.update(lists.measure(watcher, entry["url"], runs))
        print(f"  {entry['list']}, {entry['page']}: median {entry['median_ms']} ms", flush=True)
        rows.append(entry)
    return rows


WATCHED = 1_000  # the pages on an editor's watchlist: the long history's and random others


def watcher_signed_in(count: int):
    """A client signed in as an editor who watches `count` pages, the page with the long
    history among them (the others drawn from the first 10,000 articles, the same at every
    size)."""
    import large_corpus
    from django.contrib.auth.models import User
    from django.test import Client

    from wiki.watching.models import Watch

    user, _ = User.objects.get_or_create(username="bench-watcher")
    slugs = [
        s
        for (s,) in large_corpus.rows_of(
            f"SELECT slug FROM wiki_article WHERE id <= 10000 AND NOT {large_corpus.IS_REDIRECT}"
            " ORDER BY id"
        )
    ]
    chosen = [large_corpus.long_history_slug(), *random.Random(11).sample(slugs, count - 1)]
    Watch.objects.bulk_create(
        [Watch(user=user, slug=slug) for slug in chosen], ignore_conflicts=True
    )
    client = Client()
    client.force_login(user)
    return client


def measure_admin(admin, lists, runs: int) -> list[dict]:
    """The admin's article list (first and last page offered) and its search, as a superuser."""
    import large_corpus

    from wiki.admin import GrowingListPaginator

    count = large_corpus.scalar("SELECT count(*) FROM wiki_article")
    pages = max(1, math.ceil(count / 100))  # the admin's pages of 100 (list_per_page)
    last = min(pages, GrowingListPaginator.PAGES_UP_TO)  # the deeper ones are not offered
    rows = [
        {"list": "admin: articles", "page": "first", "url": "/admin/wiki/article/"},
        {"list": "admin: articles", "page": "last", "url": f"/admin/wiki/article/?p={last}"},
        {"list": "admin: search", "page": "first", "url": "/admin/wiki/article/?q=dystonia"},
    ]
    for entry in rows:
        entry.update(lists.measure(admin, entry["url"], runs))
        print(f"  {entry['list']}, {entry['page']}: median {entry['median_ms']} ms", flush=True)
    return rows


def run_size(n: int, server: str, args) -> None:
    """Measure size n in a process of its own, set up for its database on `server`."""
    url = f"{server.rstrip('/')}/enc_large_{n}"
    databases.create(url)
    env = os.environ | {
        "DATABASE_URL": url,
        "DEBUG": "0",
        "PAGE_CACHE": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "x" * 40),
        "ALLOWED_HOSTS": "testserver",
        "CACHE_KEY_PREFIX": f"large{n}-{time.time_ns()}",
        "DJANGO_SETTINGS_MODULE": "encyclopedia.settings",
    }
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
    command = [sys.executable, __file__, "--one", str(n), "--runs", str(args.runs)]
    subprocess.run(command + (["--rebuild"] if args.rebuild else []), env=env, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=SIZES)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--serve", action="store_true", help="start the server of the databases and wait"
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child: one size
    args = parser.parse_args()
    if args.one:
        report = measure_size(args.one, args.rebuild, args.runs)
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"large-{args.one}.json").write_text(json.dumps(report, indent=2) + "\n")
        return
    own = None
    if not SERVER:
        sys.path.insert(0, str(ROOT))
        from deploy.parts import Server

        # As the shared server here runs (the figures before it had one of its own), and
        # the build ends with its own VACUUM ANALYZE.
        own = Server(FOLDER, options="-c autovacuum=off").create()
        print(f"PostgreSQL of the benchmark's own: {own.url()} (cluster in {FOLDER})", flush=True)
    if args.serve:  # its databases for other benchmarks and psql, until Ctrl-C or a TERM
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        signal.signal(signal.SIGINT, lambda *_: sys.exit(0))  # in the background too
        try:
            print(f"serving until Ctrl-C (or kill {os.getpid()})", flush=True)
            while True:
                time.sleep(3600)
        finally:
            if own:
                own.stop()
        return
    try:
        for n in args.articles:
            run_size(n, SERVER or own.url(), args)
    finally:
        if own:
            own.stop()
    import large_report

    print(large_report.write(RESULTS))


if __name__ == "__main__":
    main()
