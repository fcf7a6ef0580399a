import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wiki.editorial.logs import log_action
from wiki.editorial.models import LogEntry
from wiki.markdown_import import default_jobs, default_writers, import_paths, markdown_paths


class Command(BaseCommand):
    help = (
        "Import Markdown files or folders of .md files as articles (front matter: title, "
        "categories, contributors, redirect). A changed file adds a revision; an unchanged "
        "one adds none."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--summary", default="Imported from Markdown")
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="Worker processes rendering Markdown (default: one per CPU from 200 files; "
            "0 renders in this process).",
        )
        parser.add_argument(
            "--writers",
            type=int,
            default=None,
            help="Threads writing batches, each with its own connection (default: 2 on "
            "PostgreSQL, 1 on SQLite).",
        )
        parser.add_argument(
            "--batch-size", type=int, default=250, help="New articles written per transaction."
        )

    def handle(self, *args, paths, summary, jobs, writers, batch_size, verbosity, **options):
        files = markdown_paths(paths)
        if not files:
            raise CommandError("No .md files found in the paths given.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        started = time.monotonic()
        show_progress = verbosity >= 1 and len(files) >= 50

        def progress(report):
            for path, error in report.failed[progress.failures_shown :]:
                self.stderr.write(f"{path}: {error}")
            progress.failures_shown = len(report.failed)
            if show_progress:
                rate = report.done / max(time.monotonic() - started, 1e-9)
                self.stdout.write(f"  {report.done}/{len(files)} files ({rate:.0f}/s)")
                sys.stdout.flush()

        progress.failures_shown = 0
        report = import_paths(
            files,
            summary=summary,
            jobs=default_jobs(len(files)) if jobs is None else max(0, jobs),
            writers=default_writers() if writers is None else max(1, writers),
            batch_size=batch_size,
            progress=progress,
        )
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Imported {len(files) - len(report.failed)} of {len(files)} files in "
            f"{elapsed:.1f}s: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {len(report.failed)} failed."
        )
        log_action(
            type=LogEntry.Type.IMPORT,
            action="import",
            performer=None,
            target=", ".join(Path(p).name for p in paths),
            comment=f"Markdown: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {len(report.failed)} failed",
        )
        if report.failed:
            raise CommandError(
                "These files were not imported: "
                + "; ".join(f"{p} ({e})" for p, e in report.failed)
            )
