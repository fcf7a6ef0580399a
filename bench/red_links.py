#!/usr/bin/env python
"""Red-link marking benchmark: the time `rendering.mark_red_links` takes over a page with N
links to missing articles (and as many to existing ones, in paragraphs of ten), the median
of 5 runs, in-process, no database.

    .venv/bin/python bench/red_links.py                 # 1,000, 4,000 and 20,000 red links
    .venv/bin/python bench/red_links.py 50000
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encyclopedia.settings")


def page(n: int) -> tuple[str, set[str]]:
    """HTML as the renderer stores it, with n red and n blue links, and the missing slugs."""
    from wiki.rendering import article_path

    links = []
    for i in range(n):
        for slug in (f"Missing_condition_{i}", f"Known_condition_{i}"):
            anchor = "#Causes" if i % 3 == 0 else ""
            links.append(f'<a class="wikilink" href="{article_path(slug)}{anchor}">{slug}</a>')
    paragraphs = [
        "<p>Text before " + ", ".join(links[i : i + 10]) + " and after.</p>"
        for i in range(0, len(links), 10)
    ]
    return "\n".join(paragraphs), {f"Missing_condition_{i}" for i in range(n)}


def main(sizes: list[int]) -> None:
    import django

    django.setup()
    from wiki.rendering import mark_red_links

    print(f"{'red links':>10} {'page KB':>8} {'median ms':>10} {'µs a link':>10}")
    for n in sizes:
        html, missing = page(n)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            marked = mark_red_links(html, missing)
            times.append(time.perf_counter() - started)
        assert marked.count('class="wikilink new"') == n
        median = statistics.median(times)
        print(f"{n:>10,} {len(html) // 1024:>8,} {median * 1000:>10.1f} {median / n * 1e6:>10.2f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 4000, 20000])
