"""Block processors: infoboxes, and figures and galleries from the media library."""

import re
import xml.etree.ElementTree as etree

from markdown.blockprocessors import BlockProcessor
from markdown.util import AtomicString

from ..citations import split_fields
from ..infoboxes import END as INFOBOX_END
from ..infoboxes import START as INFOBOX_START
from ..infoboxes import parse_block
from .links import article_path, media_slug


class InfoboxBlock(BlockProcessor):
    """`::: infobox <type>` … `:::` (`wiki.infoboxes`) as a box of key facts: a table with
    the name as caption, the image, then a row per field; values are inline Markdown. The
    problems of a malformed box show above it."""

    def test(self, parent, block):
        return bool(INFOBOX_START.match(block.split("\n", 1)[0]))

    def run(self, parent, blocks):
        lines = blocks.pop(0).split("\n")
        while not any(INFOBOX_END.match(line) for line in lines[1:]) and blocks:
            lines += [""] + blocks.pop(0).split("\n")  # a blank line inside the box
        end = next((i for i, line in enumerate(lines) if i and INFOBOX_END.match(line)), None)
        if end is not None and lines[end + 1 :]:
            blocks.insert(0, "\n".join(lines[end + 1 :]))
        box = parse_block(lines[:end] if end is not None else lines)
        if box.problems:
            error = etree.SubElement(etree.SubElement(parent, "p"), "span")
            error.set("class", "citation-error")
            error.text = AtomicString("Infobox error: " + " ".join(box.problems))
        table = etree.SubElement(parent, "table")
        table.set("class", "infobox")
        caption = etree.SubElement(table, "caption")
        caption.text = box.values.get("name") or box.kind.capitalize()
        body = etree.SubElement(table, "tbody")
        if image := box.values.get("image"):
            cell = etree.SubElement(etree.SubElement(body, "tr"), "td")
            cell.set("colspan", "2")
            cell.text = image
            if text := box.values.get("caption"):
                etree.SubElement(cell, "br").tail = text
        for f, value in box.rows():
            row = etree.SubElement(body, "tr")
            label = etree.SubElement(row, "th")
            label.set("scope", "row")
            label.text = AtomicString(f.label)
            etree.SubElement(row, "td").text = value


# `[[File:…]]` alone on a line; its caption may hold links (`[[Lung]]`, `[text](url)`).
FILE_LINE = re.compile(
    r"^[ \t]*\[\[[ \t]*(?:File|Image)[ \t]*:"
    r"((?:[^\[\]\n]|\[\[[^\[\]\n]*\]\]|\[[^\[\]\n]*\])+)\]\][ \t]*$",
    re.IGNORECASE,
)
GALLERY_START = re.compile(r"^:::[ \t]*gallery[ \t]*$", re.IGNORECASE)
GALLERY_LINE = re.compile(r"^[ \t]*(?:(?:File|Image)[ \t]*:)?([^|\n]+?)[ \t]*(?:\|(.*))?$", re.I)
FIGURE_SIZES = ("thumb", "upright", "frameless")
FIGURE_PLACES = ("left", "right", "center")


class MediaBlock(BlockProcessor):
    """Images from the media library (`wiki.media`), as figures:

    - a paragraph of `[[File:Name.png|thumb|right|alt=What it shows|Caption]]` lines (sizes:
      thumb, upright, frameless; places: left, right, center; the last other part is the
      caption);
    - `::: gallery` … `:::`, a line `Name.png|Caption` per image.

    The figure holds a link to the media page; the image, its size and its credit line are
    filled in where the page is shown (`wiki.media.figures`), from the file's own page."""

    def test(self, parent, block):
        lines = block.split("\n")
        return bool(GALLERY_START.match(lines[0])) or all(FILE_LINE.match(x) for x in lines)

    def run(self, parent, blocks):
        lines = blocks.pop(0).split("\n")
        if GALLERY_START.match(lines[0]):
            end = next((i for i, x in enumerate(lines) if i and INFOBOX_END.match(x)), None)
            if end is not None and lines[end + 1 :]:
                blocks.insert(0, "\n".join(lines[end + 1 :]))
            gallery = etree.SubElement(parent, "div")
            gallery.set("class", "gallery")
            for line in lines[1:end]:
                if (m := GALLERY_LINE.match(line)) and line.strip():
                    # Cut at the "|" outside links only: a caption's `[[Migraine|Headache]]`
                    # stays whole. Its alt text and its caption (the last part) are kept.
                    parts = split_fields(m.group(2) or "")
                    alt = [p for p in parts[:-1] if p.strip().lower().startswith("alt=")]
                    self.figure(gallery, m.group(1), ["gallery", *alt, parts[-1]])
            return
        for line in lines:
            name, *options = split_fields(FILE_LINE.match(line).group(1))
            self.figure(parent, name, options)

    def figure(self, parent, name: str, options: list[str]) -> None:
        slug = media_slug(name)
        self.parser.md.media.add(slug)
        classes, alt, caption = ["media"], "", ""
        for option in (o.strip() for o in options):
            if option.lower() in FIGURE_SIZES + FIGURE_PLACES + ("gallery",):
                classes.append("gallery-item" if option.lower() == "gallery" else option.lower())
            elif option.lower().startswith("alt="):
                alt = option[4:].strip()
            elif option:
                caption = option
        figure = etree.SubElement(parent, "figure")
        figure.set("class", " ".join(classes))
        link = etree.SubElement(figure, "a")
        link.set("href", article_path("File:" + slug))
        link.set("title", alt)
        link.text = AtomicString("File:" + slug.replace("_", " "))
        if caption:
            etree.SubElement(figure, "figcaption").text = caption
