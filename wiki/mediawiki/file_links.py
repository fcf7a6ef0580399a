"""Files (`[[File:…]]`) and galleries as figures: the image with its caption when the file
exists here, else a visible placeholder with the file's name and caption."""

import html
import re
from urllib.parse import quote

from mwparserfromhell import nodes as wn

from .markup import html_escape

FILE_NAMESPACES = {"file", "image", "media", "datei", "bild", "fichier", "archivo"}
SIZE = re.compile(r"^(\d*)(?:x(\d+))?\s*px$")
FLAGS = {"thumb", "thumbnail", "frame", "framed", "frameless", "border"}
PLACES = {"left", "right", "center", "centre", "none"}
IGNORED = {"upright", "baseline", "middle", "sub", "super", "text-top", "text-bottom", "top"}
IGNORED_KEYS = {"upright", "link", "page", "class", "lang", "thumbtime", "start", "end"}


def split_pipes(code) -> list[list]:
    """A link's text cut at the `|` that are its own (not inside nested links or templates)."""
    parts: list[list] = [[]]
    for node in code.nodes:
        if isinstance(node, wn.Text) and "|" in str(node):
            pieces = str(node).split("|")
            parts[-1].append(wn.Text(pieces[0]))
            parts.extend([wn.Text(p)] for p in pieces[1:])
        else:
            parts[-1].append(node)
    return parts


def _options(parts: list[list]) -> tuple[dict, list]:
    """Image options and the caption's nodes (the last part that is no option)."""
    options: dict = {}
    caption: list = []
    for part in parts:
        raw = "".join(str(n) for n in part).strip()
        key, eq, value = raw.partition("=")
        low = raw.lower()
        if low in FLAGS:
            options["thumb"] = low not in {"frameless", "border"}
        elif low in PLACES:
            options["place"] = "center" if low == "centre" else low
        elif SIZE.match(low):
            width = SIZE.match(low).group(1)
            if width:
                options["width"] = width
        elif low.startswith("upright"):
            options["upright"] = True
        elif low in IGNORED:
            continue
        elif eq and key.strip().lower() == "alt":
            options["alt"] = value.strip()
        elif eq and key.strip().lower() in IGNORED_KEYS:
            continue
        else:
            caption = part
    return options, caption


def file_link(cv, node: wn.Wikilink, name: str, writer) -> None:
    """Ours (`[[File:Name|thumb|right|alt=…|Caption]]`, a figure of the media library, see
    `wiki.rendering.MediaBlock`); where a block cannot stand (a table cell), the old figure."""
    parts = split_pipes(node.text) if node.text is not None else []
    options, caption_nodes = _options(parts)
    caption = cv.flat(_code(caption_nodes)) if caption_nodes else ""
    upright = options.pop("upright", False)
    shown = figure(cv, name, caption=caption, **options)
    cv.write_block(writer, file_syntax(name, caption, upright=upright, **options), shown)


def _media_name(name: str) -> str:
    name = " ".join(html.unescape(name).replace("_", " ").split())
    return name[:1].upper() + name[1:]


def _part(text: str) -> str:
    """A caption or alt text as one part of our syntax: one line, no bare "|"."""
    text = " ".join(text.replace("\n    ", " ").split())
    depth, out = 0, []
    for c in text:
        depth += c in "[(" and 1 or 0
        depth -= c in "])" and 1 or 0
        out.append("&#124;" if c == "|" and depth <= 0 else c)
    return "".join(out)


def file_syntax(name, caption="", *, thumb=False, place="", alt="", width="", upright=False):
    parts = [_media_name(name)]
    if upright:
        parts.append("upright")
    elif thumb:
        parts.append("thumb")
    else:
        parts.append("frameless")
    if place in {"left", "right", "center"}:
        parts.append(place)
    if alt:
        parts.append(f"alt={_part(alt)}")
    if caption:
        parts.append(_part(caption))
    return "[[File:" + "|".join(parts) + "]]"


def figure(
    cv,
    name: str,
    *,
    caption: str = "",
    alt: str = "",
    width: str = "",
    thumb: bool = True,
    place: str = "",
) -> str:
    """A figure for a file: the image (or its placeholder) and the caption."""
    name = " ".join(html.unescape(name).replace("_", " ").split())
    name = name[:1].upper() + name[1:]  # as MediaWiki names files
    cv.counts["files"] += 1
    cv.counts["files converted"] += 1  # a figure either way; "files missing" says which
    slug = quote(name.replace(" ", "_"))
    classes = ["thumb"] if thumb else []
    if thumb and not place:
        place = "right"  # where MediaWiki puts a thumbnail
    if place in {"left", "right", "center"}:
        classes.append(place)
    if name and cv.file_exists(name):
        size = f' width="{width}"' if width and int(width) <= 2000 else ""
        shown = (
            f'<a href="/wiki/File:{slug}"><img src="/media/{slug}" '
            f'alt="{html_escape(alt or name)}"{size}></a>'
        )
    else:
        cv.counts["files missing"] += 1
        cv.unconverted["file: missing"] += 1
        classes.append("file-missing")
        shown = f'<a href="/wiki/File:{slug}">File: {html_escape(name)}</a>'
    cls = f' class="{" ".join(classes)}"' if classes else ""
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure{cls}>{shown}{figcaption}</figure>"


def gallery(cv, node: wn.Tag, writer) -> None:
    """`<gallery>`: a figure per line (`File:Name|caption`)."""
    import mwparserfromhell

    figures, lines = [], []
    for line in str(node.contents or "").split("\n"):
        if not line.strip():
            continue
        code = mwparserfromhell.parse(line)
        parts = split_pipes(code)
        name = "".join(str(n) for n in parts[0]).strip()
        prefix, colon, rest = name.partition(":")
        if colon and prefix.strip().lower() in FILE_NAMESPACES:
            name = rest.strip()
        options, caption_nodes = _options(parts[1:])
        caption = cv.flat(_code(caption_nodes)) if caption_nodes else ""
        figures.append(figure(cv, name, caption=caption, alt=options.get("alt", "")))
        alt = f"|alt={_part(options['alt'])}" if options.get("alt") else ""
        lines.append(_media_name(name) + alt + (f"|{_part(caption)}" if caption else ""))
    cv.counts["galleries"] += 1
    if figures:
        boxes = '<div class="gallery">' + "\n".join(figures) + "</div>"
        ours = "::: gallery\n" + "\n".join(lines) + "\n:::"
        cv.write_block(writer, ours, boxes.replace("\n", ""))


def _code(nodes: list):
    from mwparserfromhell.smart_list import SmartList
    from mwparserfromhell.wikicode import Wikicode

    return Wikicode(SmartList(nodes))
