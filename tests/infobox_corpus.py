"""The texts the infobox render-identity test renders: the demo's articles and help pages, and
every revision of the MediaWiki samples as the importer converts them."""

import hashlib
import xml.etree.ElementTree as ET
from pathlib import Path

from django.conf import settings

from wiki.markdown_import import parse_markdown_file
from wiki.mediawiki.dump_import import stored_markdown
from wiki.mediawiki.wikitext import convert

from .helpers import sample_exports

DEMO = Path(settings.BASE_DIR) / "demo"
BASELINE = Path(__file__).parent / "data" / "infobox_render_baseline.json"


def corpus() -> dict[str, str]:
    """Key -> Markdown source, in a stable order."""
    texts = {}
    for folder in ("articles", "help"):
        for path in sorted((DEMO / folder).glob("*.md")):
            if path.name != "SOURCES.md":
                texts[f"demo/{folder}/{path.name}"] = parse_markdown_file(
                    path.read_text(encoding="utf-8")
                ).source
    for path in sample_exports():
        for _, el in ET.iterparse(path):
            if el.tag.rsplit("}", 1)[-1] != "page":
                continue
            title = el.findtext("{*}title")
            for revision in el.findall("{*}revision"):
                key = f"{path.name}/{title}/{revision.findtext('{*}id')}"
                conversion = convert(revision.findtext("{*}text") or "", title=title)
                texts[key] = stored_markdown(conversion)
            el.clear()
    return texts


def body_html(composition) -> str:
    """The article body as stored: lead, each section's heading and body, the notes."""
    rendered = composition.rendered
    parts = [rendered.lead_html]
    for section in rendered.sections:
        parts += [section.heading_html, section.anchor, section.html]
    return "\n".join([*parts, rendered.notes_html])


def digest(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()
