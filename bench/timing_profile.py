#!/usr/bin/env python
"""Where the time goes: cProfile of uncached article views or of the import's two halves.

    DATABASE_URL=… .venv/bin/python bench/timing_profile.py view [N]      # N views, page cache off
    DATABASE_URL=… .venv/bin/python bench/timing_profile.py import DIR    # render, then write (empties the wiki!)
    DATABASE_URL=… .venv/bin/python bench/timing_profile.py save [N]      # N section saves (changes the wiki)

`view` needs a built site (`make bench` builds one); it prints the median time of a view
without the profiler, then the profile. `import` renders DIR's first 1,000 files as the worker
processes do, then writes them as `bulk.create_articles` does; each half is timed without the
profiler, then profiled on other files. It empties the database first: use a scratch one.
`save` posts section saves through the edit form (`bench/site.py`, as `make bench-large`
does) to the first 500 articles: N timed without the profiler, then N profiled; use a copy of
a `bench/large.py` database (`createdb -T enc_large_10000 …`).
SORT=tottime (default cumulative) and TOP=N (default 30) choose what the profile lists.
"""

import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ["PAGE_CACHE"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encyclopedia.settings")
sys.path.insert(0, str(ROOT))


def report(profile, title):
    order, top = os.environ.get("SORT", "cumulative"), int(os.environ.get("TOP", "30"))
    print(f"\n== {title}: top {top} functions by {order} time ==")
    pstats.Stats(profile).sort_stats(order).print_stats(top)


def views(count: int):
    from django.test import Client
    from django.test.utils import override_settings

    from wiki.models import Article

    override_settings(  # the bench does not require collectstatic
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    slugs = list(Article.objects.order_by("pk").values_list("slug", flat=True)[:count])
    client = Client()

    def run():
        times = []
        for slug in slugs:
            started = time.perf_counter()
            assert client.get(f"/wiki/{slug}").status_code == 200
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    run()  # fills the article content cache, as readers would
    print(f"median uncached view: {run():.2f} ms over {len(slugs)} articles")
    profile = cProfile.Profile()
    profile.runcall(run)
    report(profile, f"{len(slugs)} uncached article views")


def import_halves(folder: str):
    from django.core.management import call_command

    from wiki import search
    from wiki.bulk import create_articles
    from wiki.markdown_import import load_files, markdown_paths

    files = [str(p) for p in markdown_paths([folder])[:1000]]
    call_command("flush", interactive=False, verbosity=0)
    search.engine().clear()
    started = time.process_time()
    loaded = load_files(files)
    print(f"render (worker side): {(time.process_time() - started) / len(files) * 1000:.2f} ms CPU")
    profile = cProfile.Profile()
    profile.runcall(load_files, files[:200])
    report(profile, "reading, parsing and rendering 200 files")
    batches = [[x.prepared for x in loaded[i : i + 250]] for i in range(0, len(loaded), 250)]
    started = time.perf_counter()
    for batch in batches[:2]:
        create_articles(batch, summary="x")
    written = sum(len(b) for b in batches[:2])
    print(f"write: {(time.perf_counter() - started) / written * 1000:.2f} ms an article")
    profile = cProfile.Profile()
    for batch in batches[2:]:
        profile.runcall(create_articles, batch, summary="x")
    report(profile, "writing the other batches of 250")


def saves(count: int):
    from scripts import load  # bench/scripts.py

    from wiki.models import Article

    section_save_times = load("site").section_save_times  # bench/site.py

    slugs = list(Article.objects.filter(redirect_to=None).values_list("slug", flat=True)[:500])
    section_save_times(5, slugs)  # warm-up
    times = sorted(section_save_times(count, slugs))
    print(
        f"section save: p50 {statistics.median(times):.1f} ms, p95 "
        f"{times[int(len(times) * 0.95) - 1]:.1f} ms over {len(times)}"
    )
    profile = cProfile.Profile()
    profile.runcall(section_save_times, count, slugs)
    report(profile, f"{count} section saves")


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1:2] == ["view"]:
        views(int(sys.argv[2]) if len(sys.argv) > 2 else 300)
    elif sys.argv[1:2] == ["save"]:
        saves(int(sys.argv[2]) if len(sys.argv) > 2 else 100)
    elif sys.argv[1:2] == ["import"] and len(sys.argv) > 2:
        import_halves(sys.argv[2])
    else:
        sys.exit(__doc__)
