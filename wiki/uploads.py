"""django-markdownx's two endpoints, served by us: editors only, sanitized, raster images only;
and the uploaded files, served with headers that let a browser show them only as images."""

import io
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST
from django.views.static import serve
from PIL import Image, ImageOps, ImageSequence

from .box_templates import box_types
from .editorial.logs import log_action
from .editorial.models import LogEntry
from .infobox_types import resolving
from .limits import EditLimited, check_write, client_address
from .media.figures import fill_figures
from .permissions import can_upload, is_editor
from .reading import missing_slugs
from .rendering import RenderTooComplex, mark_red_links, render_with_links
from .transcluding import expand, stored_template

# Pillow's name for a format -> the extension we store it under. No SVG: it can carry scripts.
ALLOWED_IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
UPLOAD_FOLDER = "uploads"
# Every frame of an animation is decoded to re-encode it: bounds the memory that takes.
MAX_ANIMATION_PIXELS = 100_000_000


class RefusedUpload(ValueError):
    """An upload we do not store, with the reason an editor can act on."""


@require_POST
def markdownify(request):
    """Live preview: the same sanitizing renderer that saves articles, with links to articles
    that do not exist shown red, as the saved page will show them."""
    if not is_editor(request.user):
        raise PermissionDenied(gettext("Only editors can preview."))
    content = request.POST.get("content", "")
    if len(content.encode()) > settings.WIKI_MAX_SOURCE_BYTES:
        return HttpResponseBadRequest(gettext("The text is larger than the size limit."))
    try:
        with resolving(box_types(stored_template)):
            html, links = render_with_links(expand(content, stored_template).text)
    except RenderTooComplex as refused:
        return HttpResponseBadRequest(str(refused))
    html, _ = fill_figures(mark_red_links(html, missing_slugs(links)))
    return HttpResponse(html)


def image_format(upload) -> str:
    """The Pillow format of an uploaded file, or RefusedUpload saying why it is not accepted."""
    limit = settings.WIKI_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise RefusedUpload(
            gettext("The file is %(size)s; images may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    try:
        with Image.open(upload) as image:
            found = image.format
            image.verify()  # reads the whole file: truncated or corrupt data fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise RefusedUpload(gettext("The image has too many pixels.")) from None
    except Exception:  # Pillow raises many types for data that is not an image it can read
        raise RefusedUpload(
            gettext("This file is not an image we can read. Upload a PNG, JPEG, GIF or WebP image.")
        ) from None
    if found not in ALLOWED_IMAGE_FORMATS:
        raise RefusedUpload(
            gettext("%(format)s images are not accepted. Upload a PNG, JPEG, GIF or WebP image.")
            % {"format": found}
        )
    upload.seek(0)
    return found


def reencoded(upload, found: str) -> bytes:
    """The image drawn anew from its pixels: bytes appended after the image data (an HTML
    page a browser might sniff), EXIF (GPS position, camera), XMP and comments are not
    carried over. The EXIF orientation is applied first, so the photo still stands upright;
    an animation keeps its frames, their durations and its loop count."""
    with Image.open(upload) as image:
        frames = getattr(image, "n_frames", 1)
        if frames * image.width * image.height > MAX_ANIMATION_PIXELS:
            raise RefusedUpload(gettext("The animation has too many frames for its size."))
        options = {"format": found}
        if frames > 1:
            options["save_all"] = True
            if "loop" in image.info:  # absent: the animation plays once
                options["loop"] = image.info["loop"]
            if found in ("GIF", "WEBP"):
                options["duration"] = [
                    frame.info.get("duration", 100) for frame in ImageSequence.Iterator(image)
                ]
                image.seek(0)
        if found == "JPEG":
            oriented = ImageOps.exif_transpose(image) if _turned(image) else image
            # The same quantisation when the pixels were not turned: no visible loss.
            options.update(comment=b"", quality=90 if oriented is not image else "keep")
            if oriented is image:
                options["subsampling"] = "keep"
            image = oriented
        elif frames == 1 and _turned(image):
            image = ImageOps.exif_transpose(image)
        if found == "GIF":
            options["comment"] = b""
        out = io.BytesIO()
        image.save(out, **options)
    return out.getvalue()


def _turned(image) -> bool:
    return image.getexif().get(ImageOps.ExifTags.Base.Orientation, 1) not in (1, None)


@require_POST
def upload(request):
    """Store a dropped or pasted image under MEDIA_ROOT/uploads/ and answer its Markdown."""
    if not can_upload(request.user):
        raise PermissionDenied(gettext("Only editors who are not blocked can upload images."))
    try:
        url = store_image(
            request.FILES.get("image"), performer=request.user, address=client_address(request)
        )
    except EditLimited as refused:
        return JsonResponse({"image": [str(refused)]}, status=refused.status)
    except RefusedUpload as refused:
        return JsonResponse({"image": [str(refused)]}, status=400)
    return JsonResponse({"image_code": f"![]({url})"})


def store_image(upload, *, performer, address: str | None = None) -> str:
    """Check and re-encode an uploaded image, store it under MEDIA_ROOT/uploads/ and answer
    its address (the editor's drop and the API's upload); RefusedUpload saying why not, or
    EditLimited: a person's upload (from `address`) meets the young-account limits."""
    if address is not None:
        check_write(user=performer, address=address)
    if upload is None:
        raise RefusedUpload(gettext("No image was sent."))
    found = image_format(upload)
    data = reencoded(upload, found)
    name = default_storage.save(
        f"{UPLOAD_FOLDER}/{uuid.uuid4().hex}.{ALLOWED_IMAGE_FORMATS[found]}", ContentFile(data)
    )
    log_action(
        type=LogEntry.Type.UPLOAD,
        action="upload",
        performer=performer,
        target=name.rsplit("/", 1)[-1],
        original=(upload.name or "")[:200],
    )
    return default_storage.url(name)


MEDIA_TYPES = {f".{ext}" for ext in ALLOWED_IMAGE_FORMATS.values()} | {".jpeg"}


@require_GET
def media(request, path: str):
    """A file under MEDIA_ROOT (uploads), also with DEBUG off, where nothing else serves them.
    Only image names are served; the headers keep a browser from running anything in one
    (no sniffing, no scripts or frames: `default-src 'none'`), and an uploaded name never
    changes content, so it may be cached long."""
    if not any(path.lower().endswith(ext) for ext in MEDIA_TYPES):
        raise Http404(gettext("Not an image."))
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
