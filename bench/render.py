#!/usr/bin/env python
"""`make bench-render`: megabytes of article Markdown composed per second on one core (the
write path's `composing.compose`: split, render, infobox, links), over the demo's articles and
help pages and the newest revision of every page of the real MediaWiki samples
(../shared/mediawiki-samples/xml, converted once by this tree's converter), optionally A/B
against another git tree.

    .venv/bin/python bench/render.py [--base REF] [--rounds 5] [--profile N]

Each round is a fresh process per side, taking turns (A, B, A, B, …) so a change of load falls
on both; a round composes every text once and is timed in CPU seconds of that process
(`time.process_time`), so the figure is per core whatever else runs. The table gives each
side's median MB/s (Markdown bytes, UTF-8) and pages/s, and B/A. `--profile N`: the N
functions with the most own time over one composition of the corpus in this tree (cProfile).
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
import xml.etree.ElementTree as ET
from pathlib import Path

from sides import sides  # bench/sides.py

HERE = Path(__file__).resolve().parent.parent
SAMPLES = HERE.parent / "shared" / "mediawiki-samples" / "xml"


def texts() -> dict[str, str]:
    """Key -> Markdown: the demo's pages and each sample page's newest text, converted."""
    from wiki.markdown_import import parse_markdown_file
    from wiki.mediawiki.dump_import import stored_markdown
    from wiki.mediawiki.wikitext import convert

    found = {}
    for folder in ("articles", "help"):
        for path in sorted((HERE / "demo" / folder).glob("*.md")):
            if path.name != "SOURCES.md":
                source = parse_markdown_file(path.read_text(encoding="utf-8")).source
                found[f"demo/{folder}/{path.name}"] = source
    for path in sorted(SAMPLES.glob("*.xml")):
        for _, el in ET.iterparse(path):
            if el.tag.rsplit("}", 1)[-1] != "page":
                continue
            title = el.findtext("{*}title") or ""
            ns = el.findtext("{*}ns")
            revisions = el.findall("{*}revision")
            if revisions and ns in (None, "0") and ":" not in title:
                text = revisions[-1].findtext("{*}text") or ""
                found[f"{path.name}/{title}"] = stored_markdown(convert(text, title=title))
            el.clear()
    return found


def child(root: Path, corpus: Path) -> None:
    """Inside one side's tree: compose every text once, print CPU seconds and bytes."""
    sys.path.insert(0, str(root))
    os.chdir(root)
    import django

    django.setup()
    from wiki.composing import compose

    sources = json.loads(corpus.read_text())
    compose("Warm **up**, [[link]].\n")
    started = time.process_time()
    for source in sources.values():
        compose(source)
    seconds = time.process_time() - started
    size = sum(len(s.encode()) for s in sources.values())
    print(json.dumps({"seconds": seconds, "bytes": size, "pages": len(sources)}))


def run_side(root: Path, corpus: Path) -> dict:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="encyclopedia.settings", DEBUG="0")
    env.update(SECRET_KEY="bench-only-key", DATABASE_URL="sqlite:///:memory:")
    env.pop("REDIS_URL", None)
    code = f"import sys; sys.path.insert(0, {str(HERE / 'bench')!r}); import render; " + (
        f"render.child(__import__('pathlib').Path({str(root)!r}), "
        f"__import__('pathlib').Path({str(corpus)!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def profile(corpus: Path, top: int) -> None:
    import cProfile
    import pstats

    from wiki.composing import compose

    sources = json.loads(corpus.read_text())
    profiler = cProfile.Profile()
    profiler.enable()
    for source in sources.values():
        compose(source)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", help="a git ref to compare with (A); this tree is B")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encyclopedia.settings")
    os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
    sys.path.insert(0, str(HERE))
    import django

    django.setup()
    work = Path(tempfile.mkdtemp(prefix="bench-render-"))
    corpus = work / "corpus.json"
    corpus.write_text(json.dumps(texts()))
    if args.profile:
        profile(corpus, args.profile)
        return
    try:
        with sides(args.base, work) as trees:
            results = {name: [] for name in trees}
            for _ in range(args.rounds):
                for name, root in trees.items():
                    results[name].append(run_side(root, corpus))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    first = next(iter(results.values()))[0]
    print(
        f"{first['pages']} pages, {first['bytes'] / 1e6:.2f} MB of Markdown; "
        f"{args.rounds} rounds; load average {os.getloadavg()[0]:.1f}"
    )
    print("| side | MB/s per core (median) | pages/s per core | CPU s per round (all) |")
    print("|---|---|---|---|")
    medians = {}
    for name, runs in results.items():
        seconds = statistics.median(r["seconds"] for r in runs)
        medians[name] = seconds
        each = ", ".join(f"{r['seconds']:.2f}" for r in runs)
        print(
            f"| {name} | {first['bytes'] / 1e6 / seconds:.2f} | {first['pages'] / seconds:.0f} "
            f"| {each} |"
        )
    if len(medians) == 2:
        a, b = medians.values()
        print(f"\nB/A speed: {a / b:.2f}×")


if __name__ == "__main__":
    main()
