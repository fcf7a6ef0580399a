"""The growth table and plot of `make bench-large` from bench/results/large-<N>.json: every
figure at each size measured, and its growth per tenfold of articles."""

import json
import math
from pathlib import Path

# Figures of bench/large.py's "figures" and what the table shows of each.
LATENCIES = [
    ("search", "p50_ms"),
    ("search", "p95_ms"),
    ("search page (GET /search)", "p95_ms"),
    ("suggestions", "p95_ms"),
    ("Go (an exact title)", "p95_ms"),
    ("section save", "p50_ms"),
    ("section save", "p95_ms"),
    ("article view, nothing cached", "p50_ms"),
    ("article view, content cached (no page cache)", "p50_ms"),
]
PLOTTED = {"search p95", "suggestions p95", "Go (an exact title) p95", "section save p95"}
PLOTTED |= {"article view, nothing cached p50"}


def per_tenfold(sizes: list[int], values: list[float]) -> str:
    """How many times the figure grows when the articles grow tenfold (the geometric mean
    over the sizes measured): 1.0× is flat in log(size)."""
    pairs = [(n, v) for n, v in zip(sizes, values, strict=True) if v is not None and v > 0]
    if len(pairs) < 2:
        return "–"
    (first_n, first), (last_n, last) = pairs[0], pairs[-1]
    return f"{(last / first) ** (1 / math.log10(last_n / first_n)):.2f}×"


def table(reports: list[dict]) -> tuple[list[int], list[tuple[str, list]]]:
    """The sizes, and each row's name and values (None where a size lacks it)."""
    sizes = [r["articles"] for r in reports]
    rows = [
        ("build time, s", [r.get("build_seconds") for r in reports]),
        ("database size, MB", [round(r["database_bytes"] / 2**20) for r in reports]),
    ]
    for name, key in LATENCIES:
        label = f"{name} {key.split('_')[0]}"
        rows.append((label, [r["figures"].get(name, {}).get(key) for r in reports]))
    names = dict.fromkeys((e["list"], e["page"]) for r in reports for e in r["lists"])
    for name, page in names:
        values = []
        for r in reports:
            found = [e for e in r["lists"] if (e["list"], e["page"]) == (name, page)]
            values.append(found[0]["median_ms"] if found else None)
        rows.append((f"{name}, {page} page, median", values))
    return sizes, rows


def markdown(sizes, rows) -> str:
    head = "| figure (ms unless said) | " + " | ".join(f"{n:,}" for n in sizes)
    lines = [head + " | per tenfold |", "|---" * (len(sizes) + 2) + "|"]
    for label, values in rows:
        cells = " | ".join("–" if v is None else f"{v:,}" for v in values)
        lines.append(f"| {label} | {cells} | {per_tenfold(sizes, values)} |")
    return "\n".join(lines) + "\n"


def plot(sizes, rows, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, (latency, cost) = pyplot.subplots(1, 2, figsize=(12, 5))
    for label, values in rows:
        if label in PLOTTED:
            latency.plot(sizes, values, marker="o", label=label)
        elif label in ("build time, s", "database size, MB"):
            cost.plot(sizes, values, marker="o", label=label)
    for axes, title in [(latency, "milliseconds"), (cost, "seconds / MB")]:
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.set_xlabel("articles")
        axes.set_ylabel(title)
        axes.set_xticks(sizes, [f"{n:,}" for n in sizes])
        axes.grid(True, which="both", alpha=0.3)
        axes.legend(fontsize=8)
    figure.suptitle("make bench-large: growth with the number of articles (PostgreSQL)")
    figure.tight_layout()
    figure.savefig(path, dpi=100)


def write(results: Path) -> str:
    """Write large-summary.md and large-growth.png from every large-<N>.json; the table."""
    reports = sorted(
        (json.loads(p.read_text()) for p in results.glob("large-[0-9]*.json")),
        key=lambda r: r["articles"],
    )
    sizes, rows = table(reports)
    text = markdown(sizes, rows)
    (results / "large-summary.md").write_text(text)
    plot(sizes, rows, results / "large-growth.png")
    return text + f"\nwritten to {results / 'large-summary.md'} and large-growth.png"
