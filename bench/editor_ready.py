"""The visual editor's weight and speed (issue 28, item 10): `make bench-editor`.

- ready time: from the start of the edit page's load (navigation start) to the visual editor
  being ready (static/editor/src/mount.js marks `document.documentElement.dataset.visualReady`
  with performance.now()), on the largest demo article, whole-article edit in visual mode, in
  headless Chromium; the median of --runs page loads (the first, cold, is reported apart);
- size: the bundle (static/editor/build/visual.js) and the visual editor's styles, gzip -9,
  and everything the edit page adds to the article page (toolbar, cite, dialogs).

A scratch SQLite database with the demo, a runserver on a free loopback port (DEBUG on, so it
serves static files), a signed-in editor's session. Not a timed test: a measurement.
"""

import argparse
import gzip
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BUNDLE = ROOT / "static/editor/build/visual.js"
VISUAL_CSS = ROOT / "static/css/visual-editor.css"
EDIT_PAGE_ONLY = [
    "static/js/markdownx-keyboard.js",
    "static/js/editor.js",
    "static/js/cite.js",
    "static/js/upload-dialog.js",
    "static/js/toolbar.js",
    "static/css/editor.css",
]
SESSION = """
import json
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from wiki.models import Article
user = User.objects.create_superuser("bench-visual", password="a-long-bench-password")
store = SessionStore()
store["_auth_user_id"] = str(user.pk)
store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
store["_auth_user_hash"] = user.get_session_auth_hash()
store.create()
largest = max(Article.objects.all(), key=lambda a: len(a.source))
print(json.dumps({"session": store.session_key, "slug": largest.slug, "title": largest.title,
                  "bytes": len(largest.source.encode())}))
"""


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(*args: str, env: dict, stdin: str | None = None) -> str:
    return subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    options = parser.parse_args()
    if not BUNDLE.exists():
        sys.exit(f"{BUNDLE} is missing: run `make editor` first")
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="bench-editor-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DEBUG="1", DATABASE_URL=f"sqlite:///{work}/db.sqlite3", SECRET_KEY="bench")
    manage("migrate", "--noinput", "-v0", env=env)
    manage("load_demo", env=env)
    info = json.loads(manage("shell", env=env, stdin=SESSION).strip().splitlines()[-1])
    port = free_port()
    server = subprocess.Popen(
        [PY, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        times = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_cookies([{"name": "sessionid", "value": info["session"], "url": base}])
            page = context.new_page()
            for _ in range(options.runs + 1):
                page.goto(f"{base}/wiki/{info['slug']}/edit?mode=visual")
                page.wait_for_function("() => document.documentElement.dataset.visualReady")
                times.append(
                    float(page.evaluate("() => document.documentElement.dataset.visualReady"))
                )
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    cold, warm = times[0], times[1:]
    bundle, css = gz(BUNDLE), gz(VISUAL_CSS)
    others = sum(gz(ROOT / f) for f in EDIT_PAGE_ONLY)
    print(f"largest demo article: {info['title']} ({info['bytes']:,} bytes of source)")
    print(
        f"visual editor ready after the page's load began: median {statistics.median(warm):.0f} ms "
        f"over {len(warm)} loads (min {min(warm):.0f}, max {max(warm):.0f}); first load {cold:.0f} ms"
    )
    print(
        f"bundle {BUNDLE.stat().st_size / 1024:.0f} KB, gzip -9 {bundle / 1024:.1f} KB; "
        f"visual-editor.css gzip {css / 1024:.1f} KB; together {(bundle + css) / 1024:.1f} KB "
        f"(limit 350 KB)"
    )
    print(
        f"with the rest of the edit page's own scripts and styles: {(bundle + css + others) / 1024:.1f} KB"
    )


if __name__ == "__main__":
    main()
