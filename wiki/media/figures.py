"""Figures in shown HTML: the placeholders the renderer leaves (`rendering.MediaBlock`) get the
media file's image (WebP with its original format as fallback, `srcset`, width and height, so
nothing moves as it loads; lazy below the first) and its credit line, from the file's page."""

import re

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.html import escape

from . import thumbnails
from .models import MediaFile

PLACEHOLDER = re.compile(
    r'<figure class="(media[^"]*)">\s*<a href="[^"]*"(?: title="([^"]*)")?>File:([^<]*)</a>'
)
# Shown widths, in CSS pixels, by the figure's size (MediaWiki's thumbnail is 220 px wide).
SHOWN = {"thumb": 220, "upright": 170, "frameless": 300, "gallery": 160, "": 400}


def _shown_width(classes: list[str], in_gallery: bool) -> int:
    if in_gallery:
        return SHOWN["gallery"]
    for size in ("upright", "thumb", "frameless"):
        if size in classes:
            return SHOWN[size]
    return SHOWN[""]


def picture(media: MediaFile, *, width: int, alt: str, lazy: bool) -> str:
    """`<picture>`: WebP sizes, then the original format's, the largest the original."""
    width = min(width, media.width)
    height = round(media.height * width / media.width)
    sizes = thumbnails.renditions(media.sha256, media.format, media.width, media.height)
    original = default_storage.url(media.file)
    webp = ", ".join(f"{default_storage.url(r.webp)} {r.width}w" for r in sizes)
    fallback = ", ".join(
        [f"{default_storage.url(r.fallback)} {r.width}w" for r in sizes]
        + [f"{original} {media.width}w"]
    )
    source = f'<source type="image/webp" srcset="{escape(webp)}" sizes="{width}px">' if webp else ""
    loading = ' loading="lazy"' if lazy else ""
    return (
        f'<picture>{source}<img src="{escape(original)}" srcset="{escape(fallback)}" '
        f'sizes="{width}px" width="{width}" height="{height}" alt="{escape(alt or media.alt)}"'
        f'{loading} decoding="async"></picture>'
    )


def credit_line(media: MediaFile) -> str:
    return (
        f'<span class="credit">Image: <a href="{escape(media.get_absolute_url())}">'
        f"{escape(media.author)}</a>, {escape(media.get_license_display())}</span>"
    )


def fill_figures(html: str) -> tuple[str, list[MediaFile]]:
    """`html` with its figures filled in, and the media files shown (for the credits)."""
    (filled,), shown = fill_figures_in([html])
    return filled, shown


def fill_figures_in(htmls: list[str]) -> tuple[list[str], list[MediaFile]]:
    """Several parts of one page (its lead and sections), in one query."""
    found = [f for html in htmls for f in PLACEHOLDER.findall(html)]
    if not found:
        return htmls, []
    slugs = {name.strip().replace(" ", "_") for _, _, name in found}
    media = {m.slug: m for m in MediaFile.objects.filter(slug__in=slugs)}
    shown: dict[str, MediaFile] = {}

    def fill(m):
        classes, alt, name = m.group(1).split(), m.group(2), m.group(3).strip()
        slug = name.replace(" ", "_")
        item = media.get(slug)
        if item is None:
            upload = reverse("wiki:upload") + f"?name={escape(slug)}"
            return (
                f'<figure class="{" ".join(classes)} file-missing"><a class="new" '
                f'href="{upload}">File:{escape(name)} (not uploaded yet)</a>'
            )
        in_gallery = "gallery-item" in classes
        lazy = bool(shown) or in_gallery  # the first image of a page is above the fold
        shown.setdefault(slug, item)
        image = picture(item, width=_shown_width(classes, in_gallery), alt=alt, lazy=lazy)
        return (
            f'<figure class="{" ".join(classes)}"><a href="{escape(item.get_absolute_url())}">'
            f"{image}</a><!--credit:{slug}-->"
        )

    htmls = [_with_credits(PLACEHOLDER.sub(fill, html), shown) for html in htmls]
    return htmls, list(shown.values())


CREDIT = re.compile(r"<!--credit:([^<>]*?)-->(\s*<figcaption>(.*?)</figcaption>)?", re.DOTALL)


def _with_credits(html: str, shown: dict[str, MediaFile]) -> str:
    """The credit goes at the end of the caption, or is the caption: one pass over the page,
    however many files it shows."""

    def credit(m):
        item = shown.get(m.group(1))
        if item is None:
            return m.group(0)
        caption = m.group(3)
        return (
            f"<figcaption>{caption or ''}{' ' if caption else ''}{credit_line(item)}</figcaption>"
        )

    return CREDIT.sub(credit, html) if "<!--credit:" in html else html
