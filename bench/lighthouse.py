"""Lighthouse's mobile scores of the served site (issue 36, item 8): `make bench-lighthouse`.

A scratch SQLite database with the demo content, served as `make serve` serves (gunicorn,
DEBUG off, WhiteNoise with compressed hashed static files) on PORT; Lighthouse from npm
(bench/lighthouse/, pinned by its committed lockfile, installed by the Makefile) drives
Debian's Chromium (CHROME_PATH) with its default mobile profile (a mid-range phone, simulated
slow 4G and CPU slowdown) and its desktop preset (--form-factors) over an article, the main
page, a category and a search. Scores and the main metrics go to bench/results/lighthouse.md
and .json; the median of --runs runs a page.
"""

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
LIGHTHOUSE = ROOT / "bench/lighthouse/node_modules/.bin/lighthouse"
RESULTS = ROOT / "bench/results"
PAGES = {
    "article": "/wiki/Migraine",
    "main page": "/",
    "category": "/category/Neurology",
    "search": "/search?q=headache",
}
FORM_FACTORS = ("mobile", "desktop")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}


def manage(*args: str, env: dict) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def serve(port: int, work: Path) -> tuple[subprocess.Popen, dict]:
    """gunicorn as `make serve` runs it, on a scratch database with the demo content."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{work}/db.sqlite3",
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="2",
    )
    manage("collectstatic", "--noinput", "-v0", env=env)
    manage("migrate", "--noinput", "-v0", env=env)
    manage("load_demo", env=env)
    server = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "-c", "encyclopedia/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(work / "gunicorn.log", "w"),
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            return server, env
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not answer: " + (work / "gunicorn.log").read_text()[-2000:])


def lighthouse(url: str, work: Path, form_factor: str = "mobile", attempts: int = 3) -> dict:
    """One Lighthouse run of `url` (mobile: its defaults; desktop: its desktop preset): the
    report as JSON. A run that fails (Chromium slow to start on a loaded machine) is tried
    again."""
    preset = ["--preset=desktop"] if form_factor == "desktop" else []
    out = work / "report.json"
    for attempt in range(attempts):
        done = subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={out}",
                "--only-categories=" + ",".join(CATEGORIES),
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                *preset,
            ],
            cwd=ROOT,
            env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
            capture_output=True,
            text=True,
        )
        if done.returncode == 0:
            return json.loads(out.read_text())
        print(f"Lighthouse failed on {url} (try {attempt + 1}): {done.stderr[-500:]}", flush=True)
    raise RuntimeError(f"Lighthouse failed {attempts} times on {url}")


def summary(reports: list[dict]) -> dict:
    """Median scores (0–100) and metrics (ms; CLS unitless) of several runs of one page, and
    the audits that cost points in the median performance run."""
    scores = {
        c: statistics.median(r["categories"][c]["score"] * 100 for r in reports) for c in CATEGORIES
    }
    metrics = {
        name: statistics.median(r["audits"][audit]["numericValue"] for r in reports)
        for audit, name in METRICS.items()
    }
    failing = sorted(
        {
            f"{c}: {a['id']}"
            for r in reports
            for c in CATEGORIES
            for ref in r["categories"][c]["auditRefs"]
            if ref["weight"]
            and (a := r["audits"][ref["id"]])["score"] is not None
            and a["score"] < 1
        }
    )
    return {"scores": scores, "metrics": metrics, "below_full_marks": failing}


def table(results: dict, runs: int, when: str, form_factor: str) -> str:
    pages = [name for name in PAGES if name in results]
    lines = [
        f"Lighthouse {results['_version']} ({form_factor}), median of {runs} run(s) a page, {when}",
        "",
        "| page | performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in pages:
        path = PAGES[name]
        s, m = results[name]["scores"], results[name]["metrics"]
        lines.append(
            f"| {name} (`{path}`) | {s['performance']:.0f} | {s['accessibility']:.0f} | "
            f"{s['best-practices']:.0f} | {s['seo']:.0f} | {m['FCP'] / 1000:.2f} s | "
            f"{m['LCP'] / 1000:.2f} s | {m['TBT']:.0f} ms | {m['CLS']:.3f} |"
        )
    lines.append("")
    for name in pages:
        if results[name]["below_full_marks"]:
            lines.append(
                f"- {name}, audits below full marks: "
                + ", ".join(results[name]["below_full_marks"])
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", nargs="*", choices=list(PAGES), default=list(PAGES))
    parser.add_argument(
        "--form-factors", nargs="*", choices=FORM_FACTORS, default=list(FORM_FACTORS)
    )
    options = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `make bench-lighthouse` (it installs it)")
    work = Path(tempfile.mkdtemp(prefix="bench-lighthouse-"))
    server, _ = serve(options.port, work)
    results = {form_factor: {} for form_factor in options.form_factors}
    try:
        for form_factor in options.form_factors:
            for name in options.pages:
                url = f"http://127.0.0.1:{options.port}{PAGES[name]}"
                reports = [lighthouse(url, work, form_factor) for _ in range(options.runs)]
                results[form_factor][name] = summary(reports)
                results[form_factor]["_version"] = reports[0]["lighthouseVersion"]
                print(form_factor, name, results[form_factor][name]["scores"], flush=True)
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)
    when = datetime.now(UTC).strftime("%H:%M UTC, %-d %B %Y")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "lighthouse.json").write_text(json.dumps(results, indent=2))
    text = "\n".join(table(results[f], options.runs, when, f) for f in options.form_factors)
    (RESULTS / "lighthouse.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
