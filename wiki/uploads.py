"""django-markdownx's two endpoints, served by us: editors only, sanitized, raster images only."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST

from .permissions import is_editor
from .rendering import render_markdown


@require_POST
def markdownify(request):
    """Live preview: the same sanitizing renderer that saves articles."""
    if not is_editor(request.user):
        raise PermissionDenied("Only editors can preview.")
    content = request.POST.get("content", "")
    if len(content.encode()) > settings.WIKI_MAX_SOURCE_BYTES:
        return HttpResponseBadRequest("The text is larger than the size limit.")
    return HttpResponse(render_markdown(content))


@require_POST
def upload(request):
    if not is_editor(request.user):
        raise PermissionDenied("Only editors can upload images.")
    return JsonResponse({"image": ["Uploads are not enabled yet."]}, status=400)
