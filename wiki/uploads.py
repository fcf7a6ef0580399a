"""django-markdownx's two endpoints, served by us: editors only, sanitized, raster images only."""

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.views.decorators.http import require_POST
from PIL import Image

from .permissions import is_editor
from .reading import missing_slugs
from .rendering import mark_red_links, render_with_links

# Pillow's name for a format -> the extension we store it under. No SVG: it can carry scripts.
ALLOWED_IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
UPLOAD_FOLDER = "uploads"


class RefusedUpload(ValueError):
    """An upload we do not store, with the reason an editor can act on."""


@require_POST
def markdownify(request):
    """Live preview: the same sanitizing renderer that saves articles, with links to articles
    that do not exist shown red, as the saved page will show them."""
    if not is_editor(request.user):
        raise PermissionDenied("Only editors can preview.")
    content = request.POST.get("content", "")
    if len(content.encode()) > settings.WIKI_MAX_SOURCE_BYTES:
        return HttpResponseBadRequest("The text is larger than the size limit.")
    html, links = render_with_links(content)
    return HttpResponse(mark_red_links(html, missing_slugs(links)))


def image_format(upload) -> str:
    """The Pillow format of an uploaded file, or RefusedUpload saying why it is not accepted."""
    limit = settings.WIKI_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise RefusedUpload(
            f"The file is {filesizeformat(upload.size)}; images may be at most "
            f"{filesizeformat(limit)}."
        )
    try:
        with Image.open(upload) as image:
            found = image.format
            image.verify()  # reads the whole file: truncated or corrupt data fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise RefusedUpload("The image has too many pixels.") from None
    except Exception:  # Pillow raises many types for data that is not an image it can read
        raise RefusedUpload(
            "This file is not an image we can read. Upload a PNG, JPEG, GIF or WebP image."
        ) from None
    if found not in ALLOWED_IMAGE_FORMATS:
        raise RefusedUpload(
            f"{found} images are not accepted. Upload a PNG, JPEG, GIF or WebP image."
        )
    upload.seek(0)
    return found


@require_POST
def upload(request):
    """Store a dropped or pasted image under MEDIA_ROOT/uploads/ and answer its Markdown."""
    if not is_editor(request.user):
        raise PermissionDenied("Only editors can upload images.")
    upload = request.FILES.get("image")
    try:
        if upload is None:
            raise RefusedUpload("No image was sent.")
        found = image_format(upload)
    except RefusedUpload as refused:
        return JsonResponse({"image": [str(refused)]}, status=400)
    name = default_storage.save(
        f"{UPLOAD_FOLDER}/{uuid.uuid4().hex}.{ALLOWED_IMAGE_FORMATS[found]}", upload
    )
    return JsonResponse({"image_code": f"![]({default_storage.url(name)})"})
