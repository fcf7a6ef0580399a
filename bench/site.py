"""Bench helpers that run inside Django: a long history, and section-save latency.

python bench/site.py history TITLE REVISIONS   (an article with that many revisions)
python bench/site.py saves COUNT               (section saves through the edit form)
"""

import os
import random
import re
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encyclopedia.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from wiki.models import Article, Revision  # noqa: E402
from wiki.permissions import EDITORS_GROUP  # noqa: E402
from wiki.services import ArticleEdit, article_save  # noqa: E402


def bench_editor() -> User:
    """An established editor: an account older than the young accounts' save limits."""
    user, _ = User.objects.get_or_create(username="bench-editor")
    established = timezone.now() - timedelta(days=365)
    if user.date_joined > established:
        user.date_joined = established
        user.save(update_fields=["date_joined"])
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


def build_history(title: str, revisions: int) -> None:
    """An article whose history holds `revisions` revisions, each a real save."""
    user = bench_editor()
    article = Article.objects.by_title(title).first() or Article(title=title)
    have = Revision.objects.filter(article_id=article.pk).count() if article.pk else 0
    started = time.monotonic()
    for n in range(have, revisions):
        source = f"{title} is an article with a long history (edit {n}).\n\n" + "".join(
            f"## Part {p}\n\nParagraph {p} as of edit {n - n % (p + 1)}. Words words.\n\n"
            for p in range(8)
        )
        article_save(
            article=article,
            edit=ArticleEdit(
                user=user,
                text=source,
                base_revision=article.latest_revision_id,
                summary=f"Edit {n}",
                section=None,
                minor=n % 3 == 0,
            ),
        )
    print(
        f"history: {revisions} revisions ({revisions - have} new in "
        f"{time.monotonic() - started:.1f}s)"
    )


def section_save_times(count: int, slugs: list[str]) -> list[float]:
    """Milliseconds of `count` section saves through the edit view (form, write path, index),
    each of a random section of a random article of `slugs`."""
    client = Client()
    client.force_login(bench_editor())
    rng = random.Random(5)
    timings = []
    for n in range(count):
        slug = rng.choice(slugs)
        article = Article.objects.get(slug=slug)
        sections = article.ordered_sections
        if not sections:
            continue
        number = rng.randint(1, len(sections))
        text = sections[number - 1]
        body = f"## {text.heading}\n{text.body.rstrip()}\n\nBench addition {n}.\n"
        started = time.perf_counter()
        response = client.post(
            f"/wiki/{slug}/edit?section={number}",
            {
                "text": body,
                "summary": f"bench {n}",
                "base_revision": article.latest_revision_id,
            },
        )
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 302:
            page = response.content.decode()
            reason = re.search(r'exception_value">([^<]*)', page)
            raise SystemExit(
                f"save {n} of {slug} §{number}: HTTP {response.status_code} "
                f"{reason.group(1) if reason else page[:300]}"
            )
    return timings


def section_saves(count: int) -> None:
    """Median and p95 of section saves of the first 500 articles."""
    slugs = list(Article.objects.filter(redirect_to=None).values_list("slug", flat=True)[:500])
    timings = sorted(section_save_times(count, slugs))
    print(
        f"section save: p50 {statistics.median(timings):.1f} ms "
        f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms over {len(timings)} saves"
    )


if __name__ == "__main__":
    if sys.argv[1] == "history":
        build_history(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "saves":
        section_saves(int(sys.argv[2]))
    else:
        raise SystemExit(__doc__)
