"""The stored files of a media version: the re-encoded original and its thumbnails, WebP and in
the original's format, under names made of the file's hash (they never change content, so
they are served with far-future caching)."""

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

WIDTHS = (320, 640, 1280)  # thumbnail widths; a narrower original is its own largest size
EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
FOLDER = "media"


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    webp: str  # storage names
    fallback: str


def original_name(sha256: str, format: str) -> str:
    return f"{FOLDER}/{sha256[:2]}/{sha256}.{EXTENSIONS[format]}"


def rendition_names(sha256: str, format: str, width: int) -> tuple[str, str]:
    base = f"{FOLDER}/{sha256[:2]}/{sha256}-{width}w"
    return f"{base}.webp", f"{base}.{EXTENSIONS[format]}"


def renditions(sha256: str, format: str, width: int, height: int) -> list[Rendition]:
    """The sizes a version has (the thumbnail widths below its own width), smallest first."""
    found = []
    for w in WIDTHS:
        if w < width:
            webp, fallback = rendition_names(sha256, format, w)
            found.append(Rendition(w, round(height * w / width), webp, fallback))
    return found


def store(data: bytes, sha256: str, format: str) -> tuple[str, int, int]:
    """Keep the original and make its thumbnails: (original's name, width, height)."""
    name = original_name(sha256, format)
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(data))
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        animated = getattr(image, "n_frames", 1) > 1
        for r in renditions(sha256, format, width, height):
            if default_storage.exists(r.fallback):
                continue
            frame = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
            small = frame.resize((r.width, r.height), Image.Resampling.LANCZOS)
            for target, kind in ((r.webp, "WEBP"), (r.fallback, format)):
                out = io.BytesIO()
                if kind == "JPEG":
                    small.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
                elif kind == "GIF" and animated:
                    small.save(out, "GIF")  # the first frame: a thumbnail does not play
                else:
                    small.save(out, kind, **({"quality": 82} if kind == "WEBP" else {}))
                default_storage.save(target, ContentFile(out.getvalue()))
    return name, width, height
