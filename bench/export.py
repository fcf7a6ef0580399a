"""Time `manage.py export` in each format over a wiki of N articles with R revisions each.

    .venv/bin/python bench/export.py [--articles N] [--revisions R] [--mediawiki]

Builds the wiki into a bench database (a SQLite file under bench/work/ by default, or the
throwaway database DATABASE_URL names): the corpus of ../shared/bench/corpus.py through
`import_markdown`, then R - 1 edits of each article through `article_save`; it is reused while
it has what was asked. DEBUG is off unless set, as in production. Each export runs in a fresh process, which prints its wall time and peak
memory (so a format that held the wiki in memory would show it). With --mediawiki, MediaWiki
1.39's importDump.php reads the XML export into a throwaway wiki and its time is printed too.
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "bench" / "corpus.py"
sys.path.insert(0, str(ROOT))
WORK = ROOT / "bench" / "work"
if not os.environ.get("DATABASE_URL"):
    WORK.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'export.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encyclopedia.settings")
# As in production: DEBUG on would keep the last 9,000 queries' SQL in memory.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-export-only-not-a-secret")
warnings.filterwarnings("ignore", message="No directory at")


def setup_django():
    import django

    django.setup()


def build(articles: int, revisions: int) -> None:
    from django.core.management import call_command

    from wiki.models import Article, Revision
    from wiki.services import ArticleEdit, article_save

    call_command("migrate", verbosity=0)
    if Article.objects.count() >= articles and Revision.objects.count() >= articles * revisions:
        print(f"reusing {Article.objects.count()} articles, {Revision.objects.count()} revisions")
        return
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, str(CORPUS), str(articles), folder, "--format", "markdown-dir"],
            check=True,
        )
        call_command("import_markdown", folder, verbosity=0)
    for article in Article.objects.order_by("pk")[:articles].iterator():
        for edit in range(1, revisions):
            article_save(
                article=article,
                edit=ArticleEdit(
                    text=article.source
                    + f"\nEdit {edit} adds a sentence about [[{article.title}]].\n",
                    base_revision=article.latest_revision_id,
                    summary=f"Edit {edit}",
                    minor=edit % 2 == 0,
                ),
            )
    print(f"built {Article.objects.count()} articles, {Revision.objects.count()} revisions")


def run_one(fmt: str, output: str) -> None:
    """In a fresh process: one export, then its time and peak memory."""
    setup_django()
    from django.core.management import call_command

    started = time.monotonic()
    call_command("export", "--format", fmt, "--output", output, verbosity=0)
    seconds = time.monotonic() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{seconds:.2f} {peak_mb:.0f}")


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def mediawiki_import(xml: Path) -> float:
    mediawiki = Path("/usr/share/mediawiki/maintenance")
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "LocalSettings.php"
        env = {**os.environ, "MW_CONFIG_FILE": str(config)}
        (Path(folder) / "db").mkdir()
        install = [
            "php", str(mediawiki / "install.php"), "--dbtype", "sqlite",
            "--dbpath", f"{folder}/db", "--dbname", "benchexport", "--confpath", folder,
            "--server", "http://127.0.0.1", "--scriptpath", "", "--pass", "Bench-export-7731",
            "BenchExport", "Admin",
        ]  # fmt: skip
        subprocess.run(install, env=env, check=True, capture_output=True)
        started = time.monotonic()
        subprocess.run(
            ["php", str(mediawiki / "importDump.php"), "--conf", str(config), str(xml)],
            env=env,
            check=True,
            capture_output=True,
        )
        return time.monotonic() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--revisions", type=int, default=5)
    parser.add_argument("--mediawiki", action="store_true")
    parser.add_argument("--run", nargs=2, metavar=("FORMAT", "OUTPUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run_one(*args.run)
        return
    setup_django()
    build(args.articles, args.revisions)
    from wiki.models import Article, Revision

    counts = f"{Article.objects.count()} articles, {Revision.objects.count()} revisions"
    out = WORK / "export-out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    print(f"| format ({counts}) | seconds | revisions/s | peak RSS | output |")
    print("|---|---|---|---|---|")
    targets = {
        "markdown": out / "markdown",
        "json": out / "wiki.json",
        "mediawiki": out / "wiki.xml",
    }
    for fmt, target in targets.items():
        result = subprocess.run(
            [sys.executable, __file__, "--run", fmt, str(target)],
            check=True,
            capture_output=True,
            text=True,
        )
        seconds, peak = result.stdout.split()[-2:]
        rate = Revision.objects.count() / float(seconds)
        size = size_of(target) / 1e6
        print(f"| {fmt} | {seconds} | {rate:,.0f} | {peak} MB | {size:.1f} MB |")
    if args.mediawiki:
        seconds = mediawiki_import(targets["mediawiki"])
        print(f"\nMediaWiki 1.39 importDump.php of the XML: {seconds:.1f} s")


if __name__ == "__main__":
    main()
