"""Time the history, diff, revision and recent-changes pages of an article with 5,000 revisions.

    DJANGO_SETTINGS_MODULE=encyclopedia.settings .venv/bin/python bench/history.py \
        [--revisions N] [--runs N]

Builds the article through the one write path (`article_save`) into a bench database: a SQLite
file under bench/work/ by default, or the database DATABASE_URL names (it must be a throwaway
one: the schema is migrated and the bench article added). The article is built once and reused
while it has the revisions asked for. Prints the median and the slowest of N runs of each page
through Django's test client, and the number of queries each made.
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = ROOT / "bench" / "work"
if not os.environ.get("DATABASE_URL"):
    WORK.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'history.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encyclopedia.settings")
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from wiki.models import Article, Revision  # noqa: E402
from wiki.services import ArticleEdit, article_save  # noqa: E402

TITLE = "Bench history article"
SECTIONS = 24


def section_text(n: int, edit: int) -> str:
    sentences = " ".join(f"Sentence {k} of part {n} describes the condition." for k in range(12))
    return f"## Part {n}\n\n{sentences}\n\nEdit marker {edit} for part {n}.\n\n"


def build(revisions: int) -> Article:
    article = Article.objects.filter(title=TITLE).first()
    have = Revision.objects.filter(article=article).count() if article else 0
    if have >= revisions:
        print(f"reusing {TITLE!r} with {have} revisions")
        return article
    users = [
        User.objects.get_or_create(username=f"bench{i}", defaults={"first_name": f"Bench{i}"})[0]
        for i in range(5)
    ]
    started = time.perf_counter()
    if article is None:
        source = "A lead for the bench article.\n\n" + "".join(
            section_text(n, 0) for n in range(SECTIONS)
        )
        article = article_save(
            article=Article(title=TITLE),
            edit=ArticleEdit(
                user=users[0],
                text=source,
                base_revision=None,
                summary="Created for the bench",
                categories=["Bench"],
            ),
        ).article
        have = 1
    for edit in range(have, revisions):
        article.refresh_from_db()
        n = edit % SECTIONS
        article_save(
            article=article,
            edit=ArticleEdit(
                user=users[edit % len(users)],
                text=section_text(n, edit),
                base_revision=article.latest_revision_id,
                section=n + 1,
                summary=f"Bench edit {edit}",
                minor=edit % 3 == 0,
            ),
        )
        if edit % 500 == 0:
            print(f"  {edit} revisions ({time.perf_counter() - started:.0f} s)", flush=True)
    print(f"built {revisions} revisions in {time.perf_counter() - started:.1f} s")
    return article


def measure(client: Client, url: str, runs: int) -> tuple[float, float, int]:
    client.get(url)  # warm up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), max(times), len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--revisions", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    article = build(args.revisions)
    article.refresh_from_db()
    ids = list(Revision.objects.filter(article=article).order_by("pk").values_list("pk", flat=True))
    slug, tenth = article.slug, ids[len(ids) // 10]
    pages = {
        "history (page 1)": f"/wiki/{slug}/history",
        "history (last page)": f"/wiki/{slug}/history?dir=last",
        "diff, latest edit": f"/wiki/{slug}/diff?to={ids[-1]}",
        f"diff, revision {tenth} to {ids[-1]}": f"/wiki/{slug}/diff?from={tenth}&to={ids[-1]}",
        "diff, inline, first to latest": (
            f"/wiki/{slug}/diff?from={ids[0]}&to={ids[-1]}&mode=inline"
        ),
        "old revision": f"/wiki/{slug}/revision/{ids[len(ids) // 2]}",
        "recent changes": "/recent-changes",
        "recent changes, filtered": "/recent-changes?hideminor=1&category=Bench",
        "recent changes feed": "/recent-changes/feed",
    }
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"\n{len(ids)} revisions, {article.size} bytes, {SECTIONS} sections; database: {engine}; "
        f"median of {args.runs} runs"
    )
    print(f"{'page':<40} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    client = Client()
    settings.DEBUG = False  # no query log growing during the runs
    reset_queries()
    for name, url in pages.items():
        median, worst, queries = measure(client, url, args.runs)
        print(f"{name:<40} {median * 1000:>10.1f} {worst * 1000:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
