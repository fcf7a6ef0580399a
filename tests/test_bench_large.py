"""`make bench-large` (bench/large.py): the arithmetic of its growth table, and the copied
articles' "See also" lists written as the renderer writes them (else the million copies would
differ from what a save stores)."""

import importlib.util
from pathlib import Path

from wiki.composing import compose
from wiki.titles import title_to_slug

BENCH = Path(__file__).resolve().parent.parent / "bench"


def bench_module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_growth_per_tenfold_of_articles():
    report = bench_module("large_report")
    sizes = [10_000, 100_000, 1_000_000]
    assert report.per_tenfold(sizes, [5.0, 5.0, 5.0]) == "1.00×"  # flat in log(size)
    assert report.per_tenfold(sizes, [1.0, 10.0, 100.0]) == "10.00×"  # linear in size
    assert report.per_tenfold(sizes, [4.0, 8.0, None]) == "2.00×"  # a size not measured
    assert report.per_tenfold(sizes[:1], [4.0]) == "–"


def test_copied_see_also_is_what_the_renderer_writes():
    corpus = bench_module("large_corpus")
    titles = ["Chronic renal anemia", "Acute post-viral myositis"]
    item = corpus.see_also_item()
    copied = (
        "<ul>\n"
        + "\n".join(item.format(slug=title_to_slug(t), title=t) for t in titles)
        + "\n</ul>"
    )
    rendered = compose("## See also\n\n" + corpus.see_also_source(titles)).rendered
    assert copied == rendered.sections[0].html
