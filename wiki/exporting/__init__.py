"""The wiki written out, so a site can leave as easily as it came: a folder of Markdown files
that `import_markdown` reads back (`markdown`), one JSON document (`json_document`), or
MediaWiki XML, schema 0.11 (`wiki.mediawiki.export`). All read the wiki through `reading`,
a chunk at a time; the JSON and XML documents are generators of text pieces, for a file or a
streaming response alike."""

from .json_document import json_document
from .markdown import file_base, markdown_file, write_markdown_folder
from .reading import (
    ExportedArticle,
    ExportedRevision,
    ExportReport,
    MissingTitles,
    articles_to_export,
    exported_article,
    iso_time,
    stored_html,
)

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
