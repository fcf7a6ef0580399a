#!/usr/bin/env python
"""Search benchmark: N generated articles imported through the write path, then search and
suggestion latency (p50/p95) over the shared query set.

    .venv/bin/python bench/search.py 10000                       # SQLite file under bench/work/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/enc_bench .venv/bin/python bench/search.py 10000

The corpus and queries come from ../shared/bench/corpus.py (relative to the repository root).
An already imported database is reused; --reimport starts from an empty one.

--index-only fills only the search index (the engines' tables) straight from the corpus and
times the engine alone: a way to see search latency at sizes the write-path import takes hours
to reach. It replaces the index of that database; `manage.py rebuild_search_index` restores it.
With --reuse-index an index already holding N documents is timed as it is, not filled again.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "bench" / "corpus.py"
WORK = ROOT / "bench" / "work"


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed(function, inputs, repeat=3):
    """Milliseconds per input: the median of `repeat` calls, after one untimed warm-up pass.
    The median damps other processes' bursts on a shared machine."""
    for item in inputs:
        function(item)
    runs = []
    for _ in range(repeat):
        run = []
        for item in inputs:
            started = time.perf_counter()
            function(item)
            run.append((time.perf_counter() - started) * 1000)
        runs.append(run)
    return [statistics.median(values) for values in zip(*runs, strict=True)]


def summary(times):
    return {
        "p50_ms": round(percentile(times, 0.5), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        "max_ms": round(max(times), 2),
        "n": len(times),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--reimport", action="store_true")
    parser.add_argument("--index-only", action="store_true")
    parser.add_argument("--reuse-index", action="store_true", help="with --index-only")
    args = parser.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK / f'bench-{args.n}.sqlite3'}")
    os.environ.setdefault("DEBUG", "0")  # DEBUG logs every query: measure without it
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encyclopedia.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from wiki import search
    from wiki.models import Article

    corpus_dir = WORK / f"corpus-{args.n}"
    if not corpus_dir.exists() and not args.index_only:
        subprocess.run(
            [sys.executable, str(CORPUS), str(args.n), str(corpus_dir), "--format", "markdown-dir"],
            check=True,
        )
    queries = subprocess.run(
        [sys.executable, str(CORPUS), str(args.n), "--queries", str(args.queries)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\n")
    queries = [q for q in queries if q.strip()]

    call_command("migrate", verbosity=0)
    if args.index_only:
        return index_only(args.n, queries, reuse=args.reuse_index)
    if args.reimport:
        Article.objects.all().delete()
    result = {"articles": args.n, "database": connection.vendor}
    have = Article.objects.count()
    if have < args.n:
        print(f"Importing {args.n} articles into {connection.vendor} …", flush=True)
        started = time.monotonic()
        call_command("import_markdown", str(corpus_dir), verbosity=1)
        elapsed = time.monotonic() - started
        result["import_s"] = round(elapsed, 1)
        result["import_per_s"] = round((Article.objects.count() - have) / elapsed, 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE wiki_search_entry")
            cursor.execute("VACUUM ANALYZE wiki_article")
    print(f"{Article.objects.count()} articles; {len(queries)} queries", flush=True)

    result["search"] = summary(timed(lambda q: search.search(q, 1), queries))
    result["search_total_median"] = statistics.median(search.search(q).total for q in queries)
    client = Client()
    # Pages link static files by name; the bench does not run collectstatic.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    result["search_page"] = summary(
        timed(lambda q: client.get("/search", {"q": q, "fulltext": 1}), queries)
    )
    rng = random.Random(5)
    titles = list(Article.objects.values_list("title", flat=True)[:5000])
    prefixes = [t[: rng.randint(3, 8)] for t in rng.sample(titles, min(200, len(titles)))]
    result["suggest"] = summary(timed(lambda p: search.suggest(p, 10), prefixes))
    result["suggest_page"] = summary(
        timed(lambda p: client.get("/search/suggest", {"q": p}), prefixes)
    )
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"search-{connection.vendor}-{args.n}.json").write_text(json.dumps(result, indent=2))


def indexed_documents(vendor) -> int:
    from django.db import connection

    table = {"postgresql": "wiki_search_entry", "sqlite": "wiki_search_fts"}[vendor]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def index_only(n, queries, reuse=False):
    """Fill the search index with the corpus (no articles, no revisions) and time the engine."""
    from django.db import connection

    from wiki import search

    result = {"documents": n, "database": connection.vendor, "index_only": True}
    if reuse and indexed_documents(connection.vendor) == n:
        print(f"Reusing the index of {n} documents", flush=True)
    else:
        result["index_s"] = fill_index(n)
    engine = search.engine()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE wiki_search_entry")
    result["engine_search"] = summary(
        timed(lambda q: engine.search(q, language="en", offset=0, limit=search.PER_PAGE), queries)
    )
    result["did_you_mean"] = summary(timed(search.did_you_mean, queries))
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"search-index-only-{connection.vendor}-{n}.json").write_text(
        json.dumps(result, indent=2)
    )


def fill_index(n) -> float:
    """Replace the search index with the corpus's N documents; the seconds it took."""
    from django.db import transaction

    from wiki import search

    engine = search.engine()
    corpus = subprocess.Popen(
        [sys.executable, str(CORPUS), str(n), "--format", "jsonl"],
        stdout=subprocess.PIPE,
        text=True,
    )
    started = time.monotonic()
    with transaction.atomic():
        engine.clear()
    batch = []
    for number, line in enumerate(corpus.stdout, start=1):
        article = json.loads(line)
        sections = [s for s in article["sections"] if "body" in s]
        batch.append(
            search.SearchDocument(
                article_id=number,
                title=article["title"],
                lead=article["lead"] + " " + " ".join(s["heading"] for s in article["sections"]),
                body=" ".join(s["body"] for s in sections)
                + " "
                + " ".join(" ".join(s.get("links", [])) for s in article["sections"]),
            )
        )
        if len(batch) == 1000:
            with transaction.atomic():
                for document in batch:
                    engine.index(document)
            batch = []
            if number % 10000 == 0:
                print(f"  {number}/{n} documents indexed", flush=True)
    with transaction.atomic():
        for document in batch:
            engine.index(document)
    return round(time.monotonic() - started, 1)


if __name__ == "__main__":
    main()
