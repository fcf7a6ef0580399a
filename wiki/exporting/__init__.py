"""The wiki written out, so a site can leave as easily as it came: a folder of Markdown files
that `import_markdown` reads back (`markdown_folder`), one JSON document (`json_document`), or
MediaWiki XML, schema 0.11 (`wiki.mediawiki.dump_export`). All read the wiki through `exported`,
a chunk at a time; the JSON and XML documents are generators of text pieces, for a file or a
streaming response alike."""

from .exported import (
    ExportedArticle,
    ExportedRevision,
    ExportReport,
    MissingTitles,
    articles_to_export,
    exported_article,
    iso_time,
    stored_html,
)
from .json_document import json_document
from .markdown_folder import file_base, markdown_file, write_markdown_folder

FORMATS = ("markdown", "json", "mediawiki")


__all__ = [
    "FORMATS",
    "ExportReport",
    "ExportedArticle",
    "ExportedRevision",
    "MissingTitles",
    "articles_to_export",
    "exported_article",
    "file_base",
    "iso_time",
    "json_document",
    "markdown_file",
    "stored_html",
    "write_markdown_folder",
]
