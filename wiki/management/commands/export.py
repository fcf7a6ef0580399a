import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wiki.exporting import (
    FORMATS,
    ExportReport,
    MissingTitles,
    articles_to_export,
    json_document,
    write_markdown_folder,
)
from wiki.languages import default_language, language_codes
from wiki.mediawiki.dump_export import mediawiki_document


class Command(BaseCommand):
    help = (
        "Export the wiki, or the articles named, with full history: a folder of Markdown files "
        "that import_markdown reads back, one JSON document, or MediaWiki XML (schema 0.11) "
        "that MediaWiki's importDump.php reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("titles", nargs="*", metavar="TITLE", help="Default: every article.")
        parser.add_argument("--format", choices=FORMATS, default="markdown")
        parser.add_argument(
            "--output",
            help="The folder to write (markdown, required) or the file (json, mediawiki; "
            "default: standard output).",
        )
        parser.add_argument(
            "--language",
            choices=language_codes(),
            help="The articles of this language alone (titles are looked up in it). MediaWiki "
            "XML is one language's wiki: default the default language; other formats: every "
            "language.",
        )
        parser.add_argument(
            "--current-only",
            action="store_true",
            help="The current revision of each article, without its history.",
        )

    def handle(self, *args, titles, format, output, current_only, verbosity, **options):
        history = not current_only
        language = options.get("language")
        if format == "mediawiki":
            language = language or default_language()
        try:
            articles = articles_to_export(titles, language)
            if format == "markdown":
                if not output:
                    raise CommandError("--output FOLDER is required for the Markdown export.")
                if Path(output).is_file():
                    raise CommandError(f"{output} is a file; the Markdown export writes a folder.")
                report = write_markdown_folder(articles, Path(output), history=history)
            else:
                report = ExportReport()
                if format == "json":
                    pieces = json_document(articles, history=history, report=report)
                else:
                    pieces = mediawiki_document(
                        articles, history=history, report=report, language=language
                    )
                if output:  # written beside, then renamed: never a half document under its name
                    partial = Path(f"{output}.part")
                    with open(partial, "w", encoding="utf-8") as out:
                        out.writelines(pieces)
                    os.replace(partial, output)
                else:
                    for piece in pieces:
                        self.stdout.write(piece, ending="")
                    self.stdout.flush()
        except MissingTitles as exc:
            raise CommandError(str(exc)) from None
        if verbosity >= 1 and (output or format == "markdown"):
            self.stderr.write(
                f"Exported {report.articles} articles and {report.revisions} revisions as "
                f"{format} to {output} in {report.seconds:.1f}s."
            )
