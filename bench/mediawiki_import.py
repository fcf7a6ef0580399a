#!/usr/bin/env python
"""`make bench-mediawiki`: each real MediaWiki export in ../shared/mediawiki-samples/xml,
imported by `manage.py import_mediawiki` (on SQLite and on PostgreSQL; in one process,
`--jobs 0`, and on every core, the default) and by MediaWiki 1.39's own `importDump.php`
followed by its job queue (`runJobs.php` until the queue is empty) on the same file in the
same run; revisions per second for each, the ratios, the peak memory of each import, what
the import kept (pages, revisions, redirects, against the dump's own counts) and the share of
templates, refs, tables and links converted.

    .venv/bin/python bench/mediawiki_import.py [--runs 3] [--no-mediawiki] [--current] [FILE ...]

`--current`: the samples of current articles only (one revision a page, all rendered), where
the work of an import is conversion and rendering, not history.

Every run of every side starts from an empty database and is timed from process start to
exit, as a user waits for it; the table gives the median of the runs, and the load average
of the machine when the sample's runs ended. Peak memory: the largest resident size of any
process of the import (the command or one of its workers), from the kernel's accounting of
the finished process tree. MediaWiki runs on a throwaway SQLite install made once under
bench/work/mediawiki (Debian's `mediawiki` package, installed by
../shared/bench/mediawiki/setup.sh's packages); its database file is copied back before each
run, so every importDump meets an empty wiki too; the row says how many jobs importDump left
and checks none is left after runJobs. Ours on PostgreSQL uses DATABASE_URL's server (default
127.0.0.1) and a database named like DATABASE_URL's plus `_bench_mw` (`encyclopedia_bench_mw`
without DATABASE_URL).
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import databases  # bench/databases.py
from commands import manage  # bench/commands.py

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "mediawiki-samples" / "xml"
WORK = ROOT / "bench" / "work" / "mediawiki-import"
RESULTS = ROOT / "bench" / "results"
PY = str(ROOT / ".venv" / "bin" / "python")
MW = Path("/usr/share/mediawiki")
MW_PACKAGES = ["mediawiki", "php-sqlite3", "php-xml", "php-mbstring", "php-intl", "php-cli"]


def dump_counts(path: Path) -> dict:
    """Pages and revisions of the article namespace, and redirects, counted by ElementTree."""
    pages = revisions = redirects = 0
    namespaces: dict[str, int] = {}
    for _, el in ET.iterparse(path):
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "namespace" and el.text:
            namespaces[el.text] = int(el.get("key"))
        if tag != "page":
            continue
        ns = el.findtext("{*}ns")
        title = el.findtext("{*}title") or ""
        prefix = title.split(":", 1)[0] if ":" in title else ""
        in_articles = ns == "0" if ns is not None else namespaces.get(prefix, 0) == 0
        if in_articles:
            pages += 1
            revs = el.findall("{*}revision")
            revisions += len(revs)
            text = revs[-1].findtext("{*}text") or "" if revs else ""
            redirects += bool(re.match(r"\s*#\s*(redirect|weiterleitung)", text, re.I))
        el.clear()
    return {"pages": pages, "revisions": revisions, "redirects": redirects}


# Runs a command and prints, last, the peak resident size (KB) of its whole process tree.
PEAK = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(done.returncode)"
)
MODES = {"1 process": ["--jobs", "0"], "all cores": []}


def ours(path: Path, url: str, mode: str, *, check: bool) -> tuple[float, dict]:
    """Seconds for one import into an empty database, and what it reported (its own time,
    its peak memory); with `check`, also what it kept, read back."""
    env = dict(os.environ, DATABASE_URL=url, DEBUG="0", SECRET_KEY="bench-only-key")
    env.update(ALLOWED_HOSTS="127.0.0.1,testserver", SECURE_SSL_REDIRECT="0")
    env.pop("REDIS_URL", None)
    if databases.is_postgres(url):
        databases.create(url, empty=True)
    else:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    manage("migrate", "-v0", env=env)
    started = time.monotonic()
    done = subprocess.run(
        [PY, "-c", PEAK, PY, "manage.py", "import_mediawiki", str(path), "--report", "-v0",
         *MODES[mode]],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.monotonic() - started
    out, peak_kb = done.stdout.rstrip().rsplit("\n", 1)
    kept = manage("shell", "-c", KEPT, env=env | {"DEBUG": "1"}) if check else "{}"  # not timed
    own = re.search(r"in ([\d.]+) s \(", out)
    return seconds, {
        **json.loads(kept.strip().splitlines()[-1]),
        **constructs(out),
        "own_s": float(own.group(1)),
        "peak_mb": int(peak_kb) / 1024,
    }


# What the import kept, read back from the database, and whether every page reads clean.
KEPT = """
import json, re
from django.test import Client
from wiki.models import Article, Revision
leftover = re.compile(r"\\{\\{|&lt;ref|<ref\\b|\\[\\[File:")
code = re.compile(r"<(code|pre)\\b.*?</\\1>", re.S)
client = Client(SERVER_NAME="127.0.0.1")
dirty, working, shown = [], 0, 0
for a in Article.objects.all():
    response = client.get(a.get_absolute_url())
    if a.redirect_to_id:
        working += response.status_code == 302 and client.get(response["Location"]).status_code == 200
        continue
    html = code.sub("", response.content.decode())
    if leftover.search(html):
        dirty.append(a.title)
    shown += a.source.lstrip().upper().startswith("#REDIRECT") and response.status_code == 200
print(json.dumps({"pages": Article.objects.count(), "revisions": Revision.objects.count(),
    "redirects": Article.objects.exclude(redirect_to=None).count(), "redirects_working": working,
    "redirects_to_missing_pages_shown": shown, "pages_with_leftovers": dirty}))
"""


def constructs(report: str) -> dict:
    """The converter's counts from `import_mediawiki --report`'s "Constructs" line."""
    line = next((ln for ln in report.splitlines() if ln.startswith("Constructs")), "")
    counts = Counter(
        {
            k.strip(): int(v)
            for k, v in re.findall(r"([^,:]+?) (\d+)(?:,|$)", line.split(":", 1)[-1])
        }
    )
    shares = {}
    for kind in ("templates", "refs", "tables", "links"):
        if counts[kind]:
            shares[kind] = f"{counts[f'{kind} converted']}/{counts[kind]}"
    left = re.search(r"Not converted: (\d+) constructs on (\d+) pages", report)
    return {"converted": shares, "not_converted": left.groups() if left else ("?", "?")}


class MediaWiki:
    """A throwaway MediaWiki 1.39 on SQLite, emptied before each import."""

    def __init__(self):
        self.home = WORK / "mediawiki"
        self.conf = self.home / "LocalSettings.php"
        self.db = self.home / "db"
        self.empty = self.home / "empty-db"
        self.jobs_seconds = 0.0
        self.jobs_left = 0

    def install(self):
        if not (MW / "maintenance" / "importDump.php").exists():
            print("installing MediaWiki (Debian packages)…")
            subprocess.run(["apt-get", "install", "-y", "-qq", *MW_PACKAGES], check=True)
        if self.empty.exists():
            return
        shutil.rmtree(self.home, ignore_errors=True)
        self.db.mkdir(parents=True)
        subprocess.run(
            ["php", str(MW / "maintenance" / "install.php"), "--dbtype", "sqlite",
             "--dbpath", str(self.db), "--dbname", "benchwiki", "--server", "http://127.0.0.1",
             "--scriptpath", "", "--confpath", str(self.home), "--pass", "Bench-admin-4455",
             "BenchWiki", "Admin"],
            check=True, capture_output=True,
        )  # fmt: skip
        with self.conf.open("a") as f:
            f.write("\n$wgJobRunRate = 0;\n$wgMainCacheType = CACHE_NONE;\n")
        shutil.copytree(self.db, self.empty)

    def import_seconds(self, path: Path) -> tuple[float, float | None, str]:
        """Seconds, importDump's own revisions/s, and its error when it gave up."""
        shutil.rmtree(self.db)
        shutil.copytree(self.empty, self.db)
        started = time.monotonic()
        done = subprocess.run(
            ["php", str(MW / "maintenance" / "importDump.php"), "--conf", str(self.conf),
             "--username-prefix=imported",  # as for any dump of another wiki
             "--report=1",  # its running rate after every page: the last is the whole file's
             str(path)],
            capture_output=True,
            text=True,
        )  # fmt: skip
        seconds = time.monotonic() - started
        if done.returncode:
            said = (done.stdout + done.stderr).splitlines()
            error = next((ln for ln in said if "Exception" in ln), "failed")
            return seconds, None, error.split(" from line")[0] + error.split(":", 1)[-1][:120]
        own = re.findall(r"([\d.]+) revs/sec", done.stderr)
        # What importDump leaves to MediaWiki's job queue (link tables, search index of
        # pages it did not parse), run as a site must before the import is whole: runJobs
        # runs until the queue is empty (no --maxjobs, no --maxtime), checked after.
        self.jobs_left = self.queued()
        started = time.monotonic()
        subprocess.run(
            ["php", str(MW / "maintenance" / "runJobs.php"), "--conf", str(self.conf)],
            capture_output=True,
            check=True,
        )
        self.jobs_seconds = time.monotonic() - started
        if left := self.queued():
            sys.exit(f"runJobs.php left {left} jobs in MediaWiki's queue")
        return seconds, float(own[-1]) if own else None, ""

    def queued(self) -> int:
        """Jobs in MediaWiki's queue (showJobs.php)."""
        said = subprocess.run(
            ["php", str(MW / "maintenance" / "showJobs.php"), "--conf", str(self.conf)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return int(said.strip() or 0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-mediawiki", action="store_true")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--current", action="store_true", help="current-article samples only")
    parser.add_argument("--table-from", help="write the table again from a run's printed rows")
    args = parser.parse_args()
    if args.table_from:
        rows = [
            json.loads(ln) for ln in Path(args.table_from).read_text().splitlines() if ln[:1] == "{"
        ]
        vendors = [v for v in ("SQLite", "PostgreSQL") if v in rows[0]]
        return write_table(rows, vendors, "MediaWiki" in rows[0])
    files = [Path(f) for f in args.files] or sorted(SAMPLES.glob("*.xml"))
    if not files:
        sys.exit(f"no samples in {SAMPLES}")
    WORK.mkdir(parents=True, exist_ok=True)
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/encyclopedia")
    if not databases.is_postgres(base):
        base = "postgres://postgres@127.0.0.1:5432/encyclopedia"
    vendors = {} if args.no_sqlite else {"SQLite": f"sqlite:///{WORK / 'import.sqlite3'}"}
    if not args.no_postgres:
        vendors["PostgreSQL"] = databases.beside(base, "_bench_mw")
    mediawiki = None if args.no_mediawiki else MediaWiki()
    if mediawiki:
        mediawiki.install()
    rows = []
    for path in files:
        expected = dump_counts(path)
        if args.current and not 1 < expected["pages"] == expected["revisions"]:
            continue
        row = {"file": path.name, "dump": expected}
        for vendor, url in vendors.items():
            row[vendor] = {}
            for mode in MODES:
                timings, own, peaks, kept = [], [], [], {}
                for run in range(args.runs):
                    last = run == args.runs - 1 and mode == "all cores"
                    seconds, kept = ours(path, url, mode, check=last)
                    timings.append(seconds)
                    own.append(kept["own_s"])
                    peaks.append(kept["peak_mb"])
                row[vendor][mode] = {
                    "median_s": statistics.median(timings),
                    "runs_s": timings,
                    "own_median_s": statistics.median(own),
                    "peak_mb": max(peaks),
                    "kept": kept,
                }
        if mediawiki:
            runs, jobs, queued = [], [], []
            for _ in range(args.runs):
                runs.append(mediawiki.import_seconds(path))
                jobs.append(mediawiki.jobs_seconds)
                queued.append(mediawiki.jobs_left)
            own = [rate for _, rate, _ in runs if rate]
            row["MediaWiki"] = {
                "median_s": statistics.median(s for s, _, _ in runs),
                "runs_s": [s for s, _, _ in runs],
                "own_revs_per_s": statistics.median(own) if own else None,
                "error": runs[-1][2],
                "jobs": statistics.median(queued),
                "jobs_s": statistics.median(jobs),
                "with_jobs_s": statistics.median(
                    s + j for (s, _, _), j in zip(runs, jobs, strict=True)
                ),
            }
        row["load"] = os.getloadavg()[0]
        rows.append(row)
        print(json.dumps(row), flush=True)
    write_table(rows, list(vendors), mediawiki is not None)
    for url in vendors.values():
        if databases.is_postgres(url):
            databases.drop(url)


def write_table(rows, vendors, with_mediawiki):
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    head = ["sample", "pages / revisions (dump)"]
    for vendor in vendors:
        head += [
            f"ours, {vendor}, 1 process: revisions/s (own · wall), peak MB",
            f"ours, {vendor}, all cores: revisions/s (own · wall), peak MB",
            f"{vendor}: kept",
        ]
    if with_mediawiki:
        head += [
            "importDump.php: revisions/s (own · wall); jobs left, runJobs.php s; "
            "revisions/s with the jobs run",
            "ours all cores (wall) / importDump + runJobs (wall)",
        ]
    head += ["load average", "converted (templates, refs, tables, links; newest revisions)"]
    lines = [f"# make bench-mediawiki — {stamp}", "", "| " + " | ".join(head) + " |",
             "|" + "---|" * len(head)]  # fmt: skip
    for row in rows:
        lines.append("| " + " | ".join(_cells(row, vendors, with_mediawiki)) + " |")
    lines += [
        "",
        "Medians of the runs, each into an empty database. Own: the rate each command prints "
        "(ours: `import_mediawiki`'s summary; MediaWiki: importDump's final revs/sec), which "
        "leaves out starting the process; wall: from process start to exit. MediaWiki's "
        "import is whole once its job queue has run: the ratio compares our wall clock with "
        "importDump's plus runJobs.php's. Peak MB: the largest process of the import.",
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "mediawiki-import.md"
    out.write_text("\n".join(lines) + "\n")
    (RESULTS / "mediawiki-import.json").write_text(json.dumps(rows, indent=1))
    print("\n".join(lines))
    print(f"\nwritten to {out}")


def _rate(per_second: float) -> str:
    return f"{per_second:.1f}" if per_second < 10 else f"{per_second:.0f}"


def _cells(row, vendors, with_mediawiki) -> list[str]:
    revisions = row["dump"]["revisions"]
    cells = [row["file"], f"{row['dump']['pages']} / {revisions}"]
    walls = []
    for vendor in vendors:
        for mode in MODES:
            side = row[vendor][mode]
            own, wall = revisions / max(side["own_median_s"], 0.01), revisions / side["median_s"]
            cells.append(f"{_rate(own)} · {_rate(wall)}, {side['peak_mb']:.0f}")
        walls.append(row[vendor]["all cores"]["median_s"])
        kept = row[vendor]["all cores"]["kept"]
        cells.append(
            f"{kept['pages']} pages, {kept['revisions']} revisions, "
            f"{kept['redirects_working']}/{kept['redirects']} redirects working, "
            f"{kept['redirects_to_missing_pages_shown']} to missing pages shown, "
            f"{len(kept['pages_with_leftovers'])} pages with leftovers"
        )
    theirs = row.get("MediaWiki")
    if with_mediawiki and not revisions:
        cells += ["— (nothing in the article namespace)", "—"]
    elif with_mediawiki and theirs["error"]:
        cells += [f"fails: {theirs['error']}", "—"]
    elif with_mediawiki:
        theirs_own = theirs["own_revs_per_s"] or float("nan")
        cells += [
            f"{_rate(theirs_own)} · {_rate(revisions / theirs['median_s'])}; "
            f"{theirs['jobs']:.0f} jobs, {theirs['jobs_s']:.1f} s; "
            f"{_rate(revisions / theirs['with_jobs_s'])}",
            "; ".join(
                f"{vendor} {theirs['with_jobs_s'] / wall:.1f}×"
                for vendor, wall in zip(vendors, walls, strict=True)
            ),
        ]
    cells.append(f"{row.get('load', float('nan')):.1f}")
    kept = row[vendors[0]]["all cores"]["kept"]
    converted = ", ".join(f"{k} {v}" for k, v in kept.get("converted", {}).items()) or "—"
    constructs, pages = kept.get("not_converted", ("?", "?"))
    cells.append(f"{converted}; not converted: {constructs} on {pages} pages")
    return cells


if __name__ == "__main__":
    main()
