"""Re-rendering throughput: pages/s re-rendered when a template used by N pages changes.

    DJANGO_SETTINGS_MODULE=encyclopedia.settings .venv/bin/python bench/template_rerender.py \
        [--pages N] [--batch N]

Builds N pages (default 2,000) calling `Template:Bench notice`, and one template calling it
(`Template:Bench box`, used by a tenth of the pages), through the one write path into a bench
database: a SQLite file under bench/work/ by default, or the database DATABASE_URL names (a
throwaway one: the schema is migrated and the bench pages added; reused while it has them).
Then it changes the template and runs the re-rendering job's batches one after another in
this process, as a queue worker runs them (`wiki.transclusion.services.rerender_batch`), and
prints the pages re-rendered per second, and checks every page shows the new text.
"""

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = ROOT / "bench" / "work"
if not os.environ.get("DATABASE_URL"):
    WORK.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'template_rerender.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encyclopedia.settings")
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from wiki.models import Article  # noqa: E402
from wiki.services import ArticleEdit, article_save  # noqa: E402
from wiki.transclusion.models import Rerender  # noqa: E402
from wiki.transclusion.services import rerender_batch, start_rerender  # noqa: E402

NOTICE = """> **{{#if:{{{title|}}}|{{{title}}}|Notice}}**: {{{text|This article needs review.}}} (version {VERSION})

```templatedata
{"params": {"title": {"label": "Title"}, "text": {"label": "Text", "type": "content"}}}
```
"""
BOX = "{{Bench notice|title=Box|text=In a box: {{{1|}}}}}"


def page_source(n: int) -> str:
    call = f"{{{{Bench box|{n}}}}}" if n % 10 == 0 else f"{{{{Bench notice|title=Page {n}}}}}"
    body = " ".join(f"Sentence {k} of page {n} says something medical." for k in range(20))
    return f"{call}\n\n{body}\n\n## Causes\n\n{body}\n\n## Treatment\n\n{body}\n"


def save(title: str, source: str) -> Article:
    article = Article.objects.filter(title=title).first() or Article(title=title)
    edit = ArticleEdit(text=source, base_revision=article.latest_revision_id, summary="Bench")
    return article_save(article=article, edit=edit).article


def build(pages: int) -> None:
    save("Template:Bench notice", NOTICE.replace("{VERSION}", "0"))
    save("Template:Bench box", BOX)
    have = Article.objects.filter(title__startswith="Bench page ").count()
    for n in range(have, pages):
        save(f"Bench page {n:05d}", page_source(n))
        if n % 500 == 0:
            print(f"  built {n} pages", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=settings.WIKI_TEMPLATE_RERENDER_BATCH)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    settings.WIKI_TASKS_INLINE = False  # the batches are run below, not by a worker
    settings.WIKI_TEMPLATE_RERENDER_BATCH = args.batch
    build(args.pages)
    version = str(int(time.time()))
    with transaction.atomic():
        save("Template:Bench notice", NOTICE.replace("{VERSION}", version))
        run = start_rerender("Template:Bench_notice")
    started = time.perf_counter()
    while True:
        with transaction.atomic():
            if not rerender_batch(run.pk):
                break
    elapsed = time.perf_counter() - started
    run = Rerender.objects.get(pk=run.pk)
    pages = Article.objects.filter(title__startswith="Bench page ")
    stale = pages.exclude(lead_html__contains=f"(version {version})").count()
    print(
        f"{connection.vendor}: {run.done} pages re-rendered in {elapsed:.1f} s: "
        f"{run.done / elapsed:.0f} pages/s (batches of {args.batch}); stale pages: {stale}"
    )


if __name__ == "__main__":
    main()
