import sys
import time

from django.core.management.base import BaseCommand, CommandError

from wiki.importing import ImportFileError, import_file, markdown_paths, parse_markdown_file


class Command(BaseCommand):
    help = (
        "Import Markdown files or folders of .md files as articles (front matter: title, "
        "categories, contributors). A changed file adds a revision; an unchanged one adds none."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--summary", default="Imported from Markdown")

    def handle(self, *args, paths, summary, verbosity, **options):
        files = markdown_paths(paths)
        if not files:
            raise CommandError("No .md files found in the paths given.")
        created = updated = unchanged = 0
        failed: list[tuple[str, str]] = []
        started = time.monotonic()
        show_progress = verbosity >= 1 and len(files) >= 50
        for number, path in enumerate(files, start=1):
            try:
                parsed = parse_markdown_file(path.read_text(encoding="utf-8"))
                revision = import_file(parsed, summary=summary)
            except (OSError, UnicodeDecodeError, ImportFileError) as exc:
                failed.append((str(path), str(exc)))
                self.stderr.write(f"{path}: {exc}")
                continue
            if revision is None:
                unchanged += 1
            elif revision.kind == revision.Kind.IMPORT and revision.parent_id is None:
                created += 1
            else:
                updated += 1
            if show_progress and (number % 100 == 0 or number == len(files)):
                rate = number / max(time.monotonic() - started, 1e-9)
                self.stdout.write(f"  {number}/{len(files)} files ({rate:.0f}/s)")
                sys.stdout.flush()
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Imported {len(files) - len(failed)} of {len(files)} files in {elapsed:.1f}s: "
            f"{created} created, {updated} updated, {unchanged} unchanged, {len(failed)} failed."
        )
        if failed:
            raise CommandError(
                "These files were not imported: " + "; ".join(f"{p} ({e})" for p, e in failed)
            )
