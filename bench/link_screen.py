#!/usr/bin/env python
"""Link-finding benchmark: the time `antiabuse.link_finding.added_links` (what every save
through the edit door runs before the blocklist is looked up) takes over the demo articles
joined into one text, unchanged but for one new link, and over that text with N new links;
the median of 5 runs, in-process, no database.

    .venv/bin/python bench/link_screen.py          # 100 and 2,000 new links
    .venv/bin/python bench/link_screen.py 10000
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def median_ms(function, *args) -> float:
    times = []
    for _ in range(5):
        started = time.perf_counter()
        function(*args)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(counts: list[int]) -> None:
    from wiki.antiabuse.link_finding import added_links

    text = "\n\n".join(path.read_text() for path in sorted((ROOT / "demo").rglob("*.md")))
    print(f"demo text: {len(text):,} characters")
    one = text + "\nSee https://new.example/page\n"
    print(f"one new link: {median_ms(added_links, text, one):.1f} ms")
    for n in counts:
        spam = text + "\n" + " ".join(f"[x](https://s{i}.example/p)" for i in range(n))
        print(f"{n:,} new links: {median_ms(added_links, text, spam):.1f} ms")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [100, 2000])
