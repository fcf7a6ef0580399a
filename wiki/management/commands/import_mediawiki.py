from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wiki.editorial.logs import log_action
from wiki.editorial.models import LogEntry
from wiki.languages import language_codes
from wiki.media.models import MediaFile
from wiki.mediawiki.dump_import import ImportReport, MediaWikiImporter
from wiki.mediawiki.dump_templates import CALL_COUNT
from wiki.mediawiki.file_import import import_files


class Command(BaseCommand):
    help = (
        "Import MediaWiki XML exports (Special:Export or dumpBackup.php; schema 0.3 to 0.11; "
        "plain, .gz or .bz2) with every revision of every article. Importing the same file "
        "again adds nothing; a later dump of the same wiki adds only its new revisions."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument(
            "--site",
            help="What names the wiki in revision origins (default: its <dbname>, else the "
            "host of its <base>). Give the same one for every dump of one wiki.",
        )
        parser.add_argument(
            "--language",
            choices=language_codes(),
            help="The language of the dumps' pages (default: each dump's own, its xml:lang, "
            "when the site has it; else the default language).",
        )
        parser.add_argument(
            "--report",
            action="store_true",
            help="List, page by page, what was not converted (unknown templates, tags…).",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="Worker processes converting wikitext (default: one per CPU; 0 or 1: none).",
        )
        parser.add_argument(
            "--batch-size", type=int, default=100, help="Revisions written per transaction."
        )
        parser.add_argument(
            "--files",
            dest="files_folder",
            metavar="DIR",
            help="A folder of the wiki's image files: each becomes a media page, with the "
            "author, source, date, description and license its File: page in the dump gives.",
        )
        parser.add_argument(
            "--files-license",
            default="",
            choices=[""] + [value for value, _ in MediaFile.License.choices],
            help="The license of files whose page names none (else they are not imported).",
        )
        parser.add_argument(
            "--files-author", default="", help="The author of files whose page names none."
        )

    def handle(self, *args, files, site, language, report, jobs, batch_size, verbosity, **options):
        missing = [f for f in files if not Path(f).is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}")
        folder = options.get("files_folder")
        if folder and not Path(folder).is_dir():
            raise CommandError(f"No such folder: {folder}")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")

        def progress(r: ImportReport):
            if verbosity >= 1:
                self.stdout.write(
                    f"  {r.pages} pages, {r.revisions} revisions ({r.rate():.0f} revisions/s)"
                )

        importer = MediaWikiImporter(
            site=site, language=language, batch=batch_size, jobs=jobs, progress=progress
        )
        for path in files:
            importer.import_file(path)
        result = importer.finish()
        for problem in result.problems:
            self.stderr.write(problem)
        for note in dict.fromkeys(result.notes):
            self.stdout.write(f"Note: {note}")
        if report:
            self._conversion_report(result)
        self.stdout.write(self._summary(result))
        if folder:
            done = import_files(
                folder,
                importer.file_pages,
                default_author=options.get("files_author", ""),
                default_license=options.get("files_license", ""),
            )
            self.stdout.write(
                f"Files: {len(done.imported)} imported, {len(done.already)} already here, "
                f"{len(done.refused)} not imported."
            )
            for reason in done.refused:
                self.stderr.write(f"  {reason}")
        log_action(
            type=LogEntry.Type.IMPORT,
            action="import",
            performer=None,
            target=", ".join(Path(f).name for f in files),
            comment=f"MediaWiki XML: {result.revisions} revisions of {result.pages_changed} "
            f"articles, {result.revisions_present} already here",
        )

    def _summary(self, r: ImportReport) -> str:
        skipped = ", ".join(f"{n} {name}" for name, n in sorted(r.skipped.items()))
        lines = [
            f"Imported {r.revisions} revisions of {r.pages_changed} articles from "
            f"{r.files} file{'s' if r.files != 1 else ''} in {r.seconds:.2f} s "
            f"({r.rate():.0f} revisions/s); {r.revisions_present} revisions were already here.",
            f"Redirects: {r.redirects}"
            + (f"; {len(r.broken_redirects)} point at no article" if r.broken_redirects else "")
            + ".",
            f"Skipped pages of other namespaces: {skipped or 'none'}.",
            f"Problems: {len(r.problems)}.",
        ]
        if r.templates or r.counts[CALL_COUNT]:
            lines.append(
                f"Templates: {r.templates} imported from the dump; {r.counts[CALL_COUNT]} of "
                f"{r.counts['templates']} calls rendered through them (the rest mapped to text "
                "or kept visibly, as templates the dump lacks are)."
            )
        unconverted = sum(sum(c.values()) for c in r.unconverted.values())
        pages = sum(1 for c in r.unconverted.values() if c)
        lines.append(
            f"Not converted: {unconverted} constructs on {pages} pages"
            + ("" if unconverted == 0 else " (--report lists them).")
        )
        return "\n".join(lines)

    def _conversion_report(self, r: ImportReport) -> None:
        for title, what in sorted(r.unconverted.items()):
            if what:
                listed = ", ".join(f"{name} ×{n}" for name, n in what.most_common())
                self.stdout.write(f"{title}: {listed}")
        for title, target in r.broken_redirects:
            self.stdout.write(f"{title}: redirect to “{target}”, which is not an article")
        if r.counts:
            self.stdout.write(
                "Constructs (newest revision of each page): "
                + ", ".join(f"{k} {v}" for k, v in sorted(r.counts.items()))
            )
