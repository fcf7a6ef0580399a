"""MediaWiki's XML export format (schema 0.11), with our Markdown as wikitext: what
MediaWiki's importDump.php and Special:Import read."""

import hashlib
import re
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.utils import translation

from ..exporting.exported import ExportedArticle, ExportedRevision, ExportReport, Names, iso_time
from ..languages import default_language
from ..models import Article, Category
from ..rendering import REDIRECT_LINE
from .markdown_to_wikitext import html_to_wikitext, markdown_to_wikitext

MEDIAWIKI_SCHEMA = "http://www.mediawiki.org/xml/export-0.11/"
# The author written for revisions nobody is named for (made by an importer).
UNNAMED_AUTHOR = "Importer"

# MediaWiki's standard namespaces; 4 and 5 are named after the site.
NAMESPACES = [
    (-2, "Media"),
    (-1, "Special"),
    (0, ""),
    (1, "Talk"),
    (2, "User"),
    (3, "User talk"),
    (4, None),
    (5, None),
    (6, "File"),
    (7, "File talk"),
    (8, "MediaWiki"),
    (9, "MediaWiki talk"),
    (10, "Template"),
    (11, "Template talk"),
    (12, "Help"),
    (13, "Help talk"),
    (14, "Category"),
    (15, "Category talk"),
]
# Characters XML 1.0 cannot hold at all.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def xml_text(text: str) -> str:
    text = NOT_XML.sub("\ufffd", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attribute(text: str) -> str:
    return xml_text(text).replace('"', "&quot;")


def mediawiki_sha1(text: str) -> str:
    """The SHA-1 of the text's UTF-8 bytes in base 36, 31 digits, as MediaWiki stores it."""
    number = int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16)
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = BASE36[rest] + digits
    return digits.rjust(31, "0")


def revision_wikitext(
    revision: ExportedRevision, *, category_names, article_titles, interlanguage=()
) -> str:
    """The revision as wikitext (from the HTML stored when it was saved, else its Markdown
    rendered now), with its redirect first and its categories, then its interlanguage links
    (`[[es:Migraña]]`, given for the current revision), last, where MediaWiki keeps them."""
    parts, body = [], None
    source = revision.source.lstrip("\n")
    if said := REDIRECT_LINE.match(source):  # a redirect's own text (an import's)
        parts.append(f"#REDIRECT {said.group(1)}\n")
        rest = source[said.end() :]
        body = markdown_to_wikitext(rest) if rest.strip() else ""
    elif revision.redirect_to_id and (target := article_titles([revision.redirect_to_id])):
        parts.append(f"#REDIRECT [[{target[0]}]]\n")
    if body is None and revision.html:
        body = html_to_wikitext(revision.html)
    elif body is None:
        body = markdown_to_wikitext(revision.source) if revision.source.strip() else ""
    if body:
        parts.append(body)
    names = category_names(revision.category_ids)
    if names:
        parts.append("".join(f"[[Category:{name}]]\n" for name in names))
    if interlanguage:
        parts.append("".join(f"[[{code}:{title}]]\n" for code, title in interlanguage))
    return "\n".join(parts)


def mediawiki_document(
    articles: Iterable[ExportedArticle],
    *,
    history: bool = True,
    base_url: str = "",
    report: ExportReport | None = None,
    language: str | None = None,
) -> Iterator[str]:
    """MediaWiki's XML export (schema 0.11), written a piece at a time, with each revision's
    Markdown converted to wikitext; `language` (default: the default language) is the
    document's `xml:lang`, a MediaWiki wiki's content language: give articles of it alone.
    The current revision of each page ends with its interlanguage links."""
    report = report if report is not None else ExportReport()
    category_names, article_titles = Names(Category, "name"), Names(Article, "title")
    site = settings.SITE_NAME
    yield (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<mediawiki xmlns="{MEDIAWIKI_SCHEMA}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{MEDIAWIKI_SCHEMA} http://www.mediawiki.org/xml/export-0.11.xsd" '
        f'version="0.11" xml:lang="{xml_attribute(language or default_language())}">\n'
    )
    yield "  <siteinfo>\n"
    yield f"    <sitename>{xml_text(site)}</sitename>\n"
    yield f"    <dbname>{xml_text(re.sub(r'[^a-z0-9]+', '', site.lower()) or 'wiki')}</dbname>\n"
    if base_url:
        yield f"    <base>{xml_text(base_url)}</base>\n"
    yield "    <generator>Encyclopedia export</generator>\n"
    yield "    <case>first-letter</case>\n    <namespaces>\n"
    for key, name in NAMESPACES:
        if name is None:
            name = site if key == 4 else f"{site} talk"
        if name:
            yield f'      <namespace key="{key}" case="first-letter">{xml_text(name)}</namespace>\n'
        else:
            yield f'      <namespace key="{key}" case="first-letter" />\n'
    yield "    </namespaces>\n  </siteinfo>\n"
    for article in articles:
        yield f"  <page>\n    <title>{xml_text(article.title)}</title>\n    <ns>0</ns>\n"
        yield f"    <id>{article.id}</id>\n"
        if article.redirect_title:
            yield f'    <redirect title="{xml_attribute(article.redirect_title)}" />\n'
        links = None
        for revision in article.revisions(history=history):
            current = revision.id == article.latest_revision_id
            if current and links is None:
                links = article.interlanguage()
            with translation.override(article.language or language):  # its links' addresses
                text = revision_wikitext(
                    revision,
                    category_names=category_names,
                    article_titles=article_titles,
                    interlanguage=links if current else (),
                )
            yield _revision_xml(revision, NOT_XML.sub("\ufffd", text))
            report.revisions += 1
        yield "  </page>\n"
        report.articles += 1
    yield "</mediawiki>\n"


def _revision_xml(revision: ExportedRevision, text: str) -> str:
    lines = ["    <revision>", f"      <id>{revision.id}</id>"]
    if revision.parent_id:
        lines.append(f"      <parentid>{revision.parent_id}</parentid>")
    lines.append(f"      <timestamp>{iso_time(revision.timestamp)}</timestamp>")
    if "author" in revision.hidden:  # as MediaWiki writes a hidden (deleted) part
        lines.append('      <contributor deleted="deleted" />')
    elif revision.is_ip:
        lines.append(f"      <contributor>\n        <ip>{xml_text(revision.author)}</ip>")
    else:
        name = revision.author or UNNAMED_AUTHOR
        lines.append(f"      <contributor>\n        <username>{xml_text(name)}</username>")
        if revision.author_id:
            lines.append(f"        <id>{revision.author_id}</id>")
    if "author" not in revision.hidden:
        lines.append("      </contributor>")
    if revision.minor:
        lines.append("      <minor />")
    if "summary" in revision.hidden:
        lines.append('      <comment deleted="deleted" />')
    elif revision.summary:
        lines.append(f"      <comment>{xml_text(revision.summary)}</comment>")
    if "text" in revision.hidden:
        text_lines = ['      <text deleted="deleted" />', "      <sha1 />"]
    else:
        text_lines = [
            f'      <text bytes="{len(text.encode("utf-8"))}" xml:space="preserve">'
            f"{xml_text(text)}</text>",
            f"      <sha1>{mediawiki_sha1(text)}</sha1>",
        ]
    lines += [
        f"      <origin>{revision.id}</origin>",
        "      <model>wikitext</model>",
        "      <format>text/x-wiki</format>",
        *text_lines,
        "    </revision>",
    ]
    return "\n".join(lines) + "\n"
