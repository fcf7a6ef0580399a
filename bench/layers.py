"""A save, a cached view and an uncached view, this tree against another commit, in one run.

    python bench/layers.py [--base REF] [--rounds N] [--count N]

Each side gets its own SQLite database with the demo content (`migrate`, `load_demo`, with that
side's own manage.py), then the sides take turns, round by round (A, B, A, B, …), so a change
of load on the machine falls on both. One turn is a fresh Python process of that side that
times, in-process with Django's test client and DEBUG off:

- save: a full-article edit posted to /wiki/<title>/edit by a signed-in editor (form, edit door,
  write path, render, search index, cache purge), one article after another;
- cached view: an anonymous GET of an article page already in the page cache;
- uncached view: the same GET after the cache is cleared (the page assembled from stored HTML).

It prints the median of every operation per side and the ratio B/A (below 1: B is faster).
The base side is a detached `git worktree` of REF in a temporary directory, removed afterwards.
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

HERE = Path(__file__).resolve().parent.parent
OPERATIONS = ("save", "cached view", "uncached view")


def child(root: Path, count: int) -> None:
    """Runs inside one side's checkout: times `count` of each operation, prints JSON."""
    sys.path.insert(0, str(root))
    os.chdir(root)
    import django

    django.setup()
    import datetime as dt

    from django.contrib.auth.models import Group, User
    from django.core.cache import cache
    from django.test import Client

    from wiki.models import Article

    editor, _ = User.objects.get_or_create(username="bench-editor")
    editor.date_joined = editor.date_joined - dt.timedelta(days=3650)
    editor.save()
    editor.groups.add(Group.objects.get(name="Editors"))
    articles = [
        article
        for article in Article.objects.filter(redirect_to=None).order_by("slug")
        if not article.is_protected  # editors may not save the protected help pages
    ][:count]
    writer, reader = Client(), Client()
    writer.force_login(editor)
    timings = {name: [] for name in OPERATIONS}

    def timed(name, call, *args):
        started = time.perf_counter()
        response = call(*args)
        timings[name].append((time.perf_counter() - started) * 1000)
        return response

    turns = (articles * (1 + count // max(len(articles), 1)))[:count]
    for n, article in enumerate(turns):
        article.refresh_from_db()
        data = {
            "text": article.source.rstrip() + f"\n\nBench sentence {n}.\n",
            "summary": f"bench {n}",
            "base_revision": article.latest_revision_id,
        }
        response = timed("save", writer.post, f"/wiki/{article.slug}/edit", data)
        if response.status_code != 302:
            raise SystemExit(f"save of {article.slug}: HTTP {response.status_code}")
        url = f"/wiki/{article.slug}"
        reader.get(url)  # fill the page cache
        timed("cached view", reader.get, url)
        cache.clear()
        if timed("uncached view", reader.get, url).status_code != 200:
            raise SystemExit(f"view of {article.slug} failed")
    print(json.dumps(timings))


def side_environment(database: Path, media: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "encyclopedia.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(media),
        "DEBUG": "0",
        "SECRET_KEY": "bench-layers-not-secret",
        "SECURE_SSL_REDIRECT": "0",
        "REDIS_URL": "",
        "FRONT_CACHE_URLS": "",
        "WIKI_TASKS_INLINE": "1",
    }


def prepare(root: Path, scratch: Path, name: str) -> dict:
    env = side_environment(scratch / f"{name}.sqlite3", scratch / f"{name}-media")
    for command in (["migrate", "--no-input"], ["load_demo"], ["collectstatic", "--no-input"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=root,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="main", help="the commit to compare against (A)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--count", type=int, default=20, help="operations of each kind a turn")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(Path(options.child), options.count)
        return
    scratch = Path(tempfile.mkdtemp(prefix="bench-layers-"))
    base = scratch / "base"
    subprocess.run(
        ["git", "worktree", "add", "--detach", "-q", str(base), options.base], cwd=HERE, check=True
    )
    try:
        sides = {"A": base, "B": HERE}
        envs = {name: prepare(root, scratch, name) for name, root in sides.items()}
        results = {name: {op: [] for op in OPERATIONS} for name in sides}
        for _ in range(options.rounds):
            for name, root in sides.items():
                turn = subprocess.run(
                    [sys.executable, __file__, "--child", str(root), "--count", str(options.count)],
                    env=envs[name],
                    capture_output=True,
                    text=True,
                )
                if turn.returncode:
                    raise SystemExit(f"side {name} failed:\n{turn.stderr[-2000:]}")
                for op, values in json.loads(turn.stdout.splitlines()[-1]).items():
                    results[name][op] += values
        commit = subprocess.run(
            ["git", "rev-parse", "--short", options.base], cwd=HERE, capture_output=True, text=True
        ).stdout.strip()
        print(f"A = {options.base} ({commit}), B = this tree; {options.rounds} rounds A/B")
        print("| operation | A median ms | B median ms | B/A | n each |")
        print("|---|---|---|---|---|")
        for op in OPERATIONS:
            a, b = (statistics.median(results[s][op]) for s in sides)
            print(f"| {op} | {a:.2f} | {b:.2f} | {b / a:.2f} | {len(results['A'][op])} |")
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=HERE)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
