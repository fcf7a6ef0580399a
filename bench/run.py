"""`make bench`: build a site of N generated articles, serve it with `make serve`, load it with wrk,
and run the same load against MediaWiki 1.39 (../shared/bench/mediawiki) in the same run.

  python bench/run.py --articles 2000 [--no-mediawiki | --fresh-mediawiki] [--duration 20]

Prints a table (medians from wrk's latency distribution, requests/s) with our/MediaWiki ratios
and writes it to bench/results/. The database is DATABASE_URL if set, else a SQLite file under
bench/work/; the cache is REDIS_URL if set, else Redis at redis://127.0.0.1:6379/9.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import databases  # bench/databases.py

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BENCH_SHARED", ROOT.parent / "shared" / "bench"))
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = int(os.environ.get("BENCH_PORT", "8090"))
HISTORY_TITLE = "Bench long history"


def sh(cmd, env=None, **kw):
    done = subprocess.run(cmd, env=env, text=True, capture_output=True, **kw)
    if done.returncode:
        sys.stderr.write(done.stdout[-2000:] + done.stderr[-4000:])
        done.check_returncode()
    return done


def bench_env(args) -> dict:
    env = {k: v for k, v in os.environ.items()}
    if "DATABASE_URL" not in env:
        env["DATABASE_URL"] = f"sqlite:///{WORK / f'bench-{args.articles}.sqlite3'}"
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
    env.setdefault("CACHE_KEY_PREFIX", f"bench{args.articles}")
    env.update(
        DJANGO_SETTINGS_MODULE="encyclopedia.settings",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",  # testserver: the section-save client
    )
    return env


def article_count(env) -> int:
    out = sh(
        [
            PY,
            "manage.py",
            "shell",
            "-c",
            "from wiki.models import Article; print(Article.objects.count())",
        ],
        env=env,
        cwd=ROOT,
    )
    return int(out.stdout.strip().splitlines()[-1])


def build_site(args, env, report):
    WORK.mkdir(parents=True, exist_ok=True)
    databases.create(env["DATABASE_URL"])
    sh([PY, "manage.py", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT)
    if article_count(env) < args.articles:
        corpus = WORK / f"corpus-{args.articles}"
        if not corpus.exists():
            sh(
                [
                    sys.executable,
                    str(SHARED / "corpus.py"),
                    str(args.articles),
                    str(corpus),
                    "--format",
                    "markdown-dir",
                ]
            )
        started = time.monotonic()
        # As in production: DEBUG off (no query log kept in memory).
        production = env | {"DEBUG": "0", "SECRET_KEY": env.get("SECRET_KEY", "bench-only-key")}
        out = sh([PY, "manage.py", "import_markdown", str(corpus), "-v0"], env=production, cwd=ROOT)
        elapsed = time.monotonic() - started
        print(out.stdout.strip().splitlines()[-1])
        report["import"] = (
            f"{args.articles / elapsed:.0f} articles/s ({args.articles} in {elapsed:.0f} s)"
        )
    else:
        report["import"] = "(site already built; delete bench/work to re-measure)"
    out = sh([PY, "bench/site.py", "history", HISTORY_TITLE, str(args.history)], env=env, cwd=ROOT)
    print(out.stdout.strip())
    # One import says little on a machine whose speed drifts: the median of five.
    out = sh(
        [PY, "bench/import.py", "--json", "--articles", str(args.articles)]
        + ["--runs", str(args.import_runs)],
        env=env,
        cwd=ROOT,
    )
    report["import_median"] = json.loads(out.stdout.splitlines()[-1])
    print(report["import_median"])


class Server:
    def __init__(self, env, page_cache: bool):
        self.env = dict(
            env, PAGE_CACHE="1" if page_cache else "0", PORT=str(PORT), GUNICORN_ACCESS_LOG=""
        )
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            ["make", "-s", "serve", f"PORT={PORT}"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=1).read()
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the server did not start")

    def processes(self) -> list[int]:
        """The ids of the processes this server started (its own process group)."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == self.process.pid:  # field 5 of stat: the process group
                pids.append(int(stat.parent.name))
        return pids

    def memory_mb(self) -> tuple[float, int]:
        """Resident memory of this server's gunicorn processes (not make's, not anyone else's)."""
        total, count = 0, 0
        for pid in self.processes():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"gunicorn" in cmdline:
                total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
                count += 1
        return total / 1024, count

    def __exit__(self, *exc):
        # Stop what this server started, and only that: its process group (make, gunicorn's
        # arbiter and workers), waiting until every one of them is gone.
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        for _ in range(150):
            if not self.processes():
                return
            time.sleep(0.2)
        os.killpg(self.process.pid, signal.SIGKILL)


def wrk(base: str, paths_file: Path, connections: int, duration: int) -> dict:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "-s",
            str(SHARED / "rotate.lua"),
            base,
        ],
        env=dict(os.environ, WRK_PATHS=str(paths_file)),
        capture_output=True,
        text=True,
    ).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
        result[f"p{pct}"] = value
    errors = re.findall(r"(Non-2xx or 3xx responses: \d+|Socket errors: .*)", out)
    result["errors"] = "; ".join(errors) or "none"
    return result


def fmt(r: dict) -> str:
    return (
        f"{r['rps']:.0f} req/s, p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms, errors: {r['errors']}"
    )


def paths(kind: str, n: int, style="ours") -> Path:
    target = WORK / f"paths-{kind}-{n}-{style}.txt"
    out = sh([sys.executable, str(SHARED / "paths.py"), kind, str(n), "--style", style]).stdout
    target.write_text(out)
    return target


def suggest_paths(n: int) -> Path:
    titles = [line.split("/wiki/", 1)[1] for line in paths("articles", n).read_text().split()]
    target = WORK / f"paths-suggest-{n}.txt"
    target.write_text(
        "".join(
            f"/search/suggest?q={urllib.parse.quote(urllib.parse.unquote(t).replace('_', ' ')[:k])}\n"
            for t in titles
            for k in (3, 6, 10)
        )
    )
    return target


def warm(base: str, paths_file: Path):
    for path in paths_file.read_text().split():
        urllib.request.urlopen(base + path, timeout=30).read()


def mediawiki(args) -> dict:
    """Run the shared MediaWiki anchor with the same corpus; {} when it cannot run here."""
    mw = SHARED / "mediawiki"
    if not Path("/etc/mediawiki/LocalSettings.php").exists() or args.fresh_mediawiki:
        print("installing MediaWiki 1.39 (../shared/bench/mediawiki/setup.sh)…")
        subprocess.run(["bash", str(mw / "setup.sh")], check=True)
    subprocess.run(["bash", str(mw / "serve.sh"), "start"], check=True)
    try:
        out = subprocess.run(
            ["bash", str(mw / "bench.sh"), str(args.articles)],
            capture_output=True,
            text=True,
            timeout=3600,
        ).stdout
    finally:
        subprocess.run(["bash", str(mw / "serve.sh"), "stop"], check=False)
    print(out)
    results = {}
    for line in out.splitlines():
        m = re.match(
            r"(article view \((?:parser|file) cache\)) c=(\d+): ([\d.]+) req/s p50 ([\d.]+)(us|ms|s) p99 ([\d.]+)(us|ms|s)",
            line,
        )
        if m:
            unit = {"us": 0.001, "ms": 1, "s": 1000}
            results[(m.group(1), int(m.group(2)))] = {
                "rps": float(m.group(3)),
                "p50": float(m.group(4)) * unit[m.group(5)],
                "p99": float(m.group(6)) * unit[m.group(7)],
                "errors": "n/a",
            }
        m = re.match(r"search sequential: p50 (\d+) ms p95 (\d+) ms", line)
        if m:
            results["search"] = {"p50": float(m.group(1)), "p95": float(m.group(2))}
        m = re.match(r"import: (\d+) pages in (\d+)s", line)
        if m:
            results["import"] = int(m.group(1)) / max(int(m.group(2)), 1)
    return results


def sequential_latency(base: str, paths_file: Path, count: int) -> dict:
    timings, failures = [], 0
    for path in paths_file.read_text().split()[:count]:
        started = time.perf_counter()
        try:
            urllib.request.urlopen(base + path, timeout=30).read()
        except urllib.error.HTTPError:
            failures += 1
        timings.append((time.perf_counter() - started) * 1000)
    if failures:
        raise SystemExit(f"{failures} of {len(timings)} requests to {paths_file.name} failed")
    timings.sort()
    return {"p50": timings[len(timings) // 2], "p95": timings[max(int(len(timings) * 0.95) - 1, 0)]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--history", type=int, default=5000)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--import-runs", type=int, default=5)
    parser.add_argument("--no-mediawiki", action="store_true")
    parser.add_argument(
        "--fresh-mediawiki",
        action="store_true",
        help="reinstall MediaWiki empty, so its importDump is timed in this run too",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    env = bench_env(args)
    report: dict = {}
    rows: list[tuple[str, str, str]] = []
    build_site(args, env, report)
    base = f"http://127.0.0.1:{PORT}"
    articles = paths("articles", args.articles)
    searches = paths("search", args.articles)
    suggests = suggest_paths(args.articles)
    history_paths = WORK / "paths-history.txt"
    slug = urllib.parse.quote(HISTORY_TITLE.replace(" ", "_"))
    history_paths.write_text(f"/wiki/{slug}/history\n")

    ours = {}
    with Server(env, page_cache=False) as server:
        warm(base, articles)
        for c in (16, 64):
            ours[("cold", c)] = wrk(base, articles, c, args.duration)
            rows.append((f"article view, uncached, c={c}", fmt(ours[("cold", c)]), ""))
    with Server(env, page_cache=True) as server:
        warm(base, articles)
        for c in (16, 64):
            ours[("cached", c)] = wrk(base, articles, c, args.duration)
            rows.append((f"article view, cached, c={c}", fmt(ours[("cached", c)]), ""))
        soak = wrk(base, articles, 64, 60)
        rows.append(("article view, cached, c=64 for 60 s", fmt(soak), ""))
        search_seq = sequential_latency(base, searches, 200)
        rows.append(
            (
                "search, sequential (200 queries)",
                f"p50 {search_seq['p50']:.1f} ms, p95 {search_seq['p95']:.1f} ms",
                "",
            )
        )
        ours["search"] = search_seq
        rows.append(("search, c=16", fmt(wrk(base, searches, 16, args.duration)), ""))
        suggest_seq = sequential_latency(base, suggests, 150)
        rows.append(
            (
                "suggestions, sequential",
                f"p50 {suggest_seq['p50']:.1f} ms, p95 {suggest_seq['p95']:.1f} ms",
                "",
            )
        )
        rows.append(("suggestions, c=16", fmt(wrk(base, suggests, 16, args.duration)), ""))
        sequential_latency(base, history_paths, 1)  # warm the history page
        rows.append(
            (
                f"history page, {args.history} revisions, c=16",
                fmt(wrk(base, history_paths, 16, max(10, args.duration // 2))),
                "",
            )
        )
        memory, processes = server.memory_mb()
        rows.append(
            (
                "memory (RSS, all gunicorn processes)",
                f"{memory:.0f} MB in {processes} processes",
                "",
            )
        )
    saves = subprocess.run(
        [PY, "bench/site.py", "saves", "200"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    out = saves.stdout.strip() if saves.returncode == 0 else f": failed: {saves.stderr[:300]}"
    rows.append(("section save (edit form → revision → index)", out.split(": ", 1)[1], ""))
    median = report["import_median"]
    rows.append(
        (
            "import, empty database (median of runs)",
            f"{median['median_per_s']} articles/s, median of "
            f"{', '.join(map(str, median['runs_s']))} s (process start included); "
            f"{median['command_timer_median_per_s']}/s by the command's own timer",
            "",
        )
    )
    rows.append(("import while building this site (one run)", report["import"], ""))

    if not args.no_mediawiki:
        mw = mediawiki(args)

        def ratio(ours_r, key):
            if key not in mw:
                return "MediaWiki: not measured"
            theirs = mw[key]
            return (
                f"MediaWiki {theirs['rps']:.0f} req/s p99 {theirs['p99']:.0f} ms → "
                f"{ours_r['rps'] / theirs['rps']:.1f}× req/s"
            )

        # Our row label → what MediaWiki did under the same load, said beside it.
        compared = {}
        for c in (16, 64):
            compared[f"article view, uncached, c={c}"] = ratio(
                ours[("cold", c)], ("article view (parser cache)", c)
            )
            compared[f"article view, cached, c={c}"] = ratio(
                ours[("cached", c)], ("article view (file cache)", c)
            )
        if "search" in mw:
            theirs, p50 = mw["search"], max(ours["search"]["p50"], 0.01)
            compared["search, sequential (200 queries)"] = (
                f"MediaWiki p50 {theirs['p50']:.0f} ms p95 {theirs['p95']:.0f} ms → "
                f"{theirs['p50'] / p50:.0f}× faster at p50"
            )
        if "import" in mw:
            compared["import, empty database (median of runs)"] = (
                f"MediaWiki importDump {mw['import']:.0f} pages/s → "
                f"{median['median_per_s'] / mw['import']:.1f}×"
            )
        rows = [(label, value, compared.get(label, note)) for label, value, note in rows]

    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    database = env["DATABASE_URL"].split(":", 1)[0]
    lines = [
        f"# make bench — {args.articles} articles, {database}, Redis cache, {stamp}",
        "",
        "| measurement | ours | MediaWiki 1.39 (same run) |",
        "|---|---|---|",
    ]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    table = "\n".join(lines)
    print(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"bench-{args.articles}-{database}-{datetime.now():%Y%m%d-%H%M}.md").write_text(
        table + "\n"
    )


if __name__ == "__main__":
    main()
