"""Media pages: the page of a file, its history, editing it, new versions, deletion, and the
upload form (also answering the editor's drag-and-drop dialog as JSON)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from ..limits import EditLimited, client_address
from ..models import Article, MediaUse
from ..permissions import can_upload, edit_refusal, is_administrator, is_editor
from ..uploads import RefusedUpload
from .figures import credit_line, picture
from .forms import MediaForm, NewVersionForm, UploadForm
from .models import MediaFile, MediaRevision
from .services import (
    DuplicateMedia,
    MediaInUse,
    media_delete,
    media_new_version,
    media_update,
    media_upload,
)


def _found_media(slug: str) -> MediaFile | None:
    """The media file of a name in a URL: spaces and underscores are one."""
    return MediaFile.objects.filter(slug=slug.replace(" ", "_")).first()


def _media(slug: str) -> MediaFile:
    found = _found_media(slug)
    if found is None:
        raise Http404(gettext("No media file has this name."))
    return found


def _require_editor(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_upload(request.user):
        raise PermissionDenied(edit_refusal(request.user, None))
    return None


def page(request, slug: str):
    media = _found_media(slug)
    if media is None:
        return render(
            request,
            "wiki/media_missing.html",
            {"name": slug.replace("_", " "), "slug": slug, "can_upload": is_editor(request.user)},
            status=404,
        )
    usage = Article.objects.filter(
        pk__in=MediaUse.objects.filter(media_slug=media.slug).values("article_id")
    ).order_by("title")
    return render(
        request,
        "wiki/media.html",
        {
            "media": media,
            "image": picture(media, width=800, alt=media.alt, lazy=False),
            "original_url": default_storage.url(media.file),
            "credit": credit_line(media),
            "usage": usage,
            "versions": media.revisions.exclude(kind=MediaRevision.Kind.EDIT),
            "categories": media.categories.all(),
            "can_edit": is_editor(request.user),
            "can_delete": is_administrator(request.user),
        },
    )


def history(request, slug: str):
    media = _media(slug)
    return render(
        request,
        "wiki/media_history.html",
        {"media": media, "revisions": media.revisions.select_related("contributor")},
    )


def edit(request, slug: str):
    if refusal := _require_editor(request):
        return refusal
    media = _media(slug)
    form = MediaForm(request.POST or None, instance=MediaFile.objects.get(pk=media.pk))
    if request.method == "POST" and form.is_valid():
        try:
            revision = media_update(
                media=media,
                edit=form.media_edit(),
                user=request.user,
                address=client_address(request),
            )
        except EditLimited as refused:
            form.add_error(None, str(refused))
            context = {"media": media, "form": form}
            return render(request, "wiki/media_edit.html", context, status=refused.status)
        if revision is None:
            messages.info(request, gettext("You made no changes, so nothing was saved."))
        else:
            messages.success(request, gettext("The file's page was saved."))
        return redirect(media.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "wiki/media_edit.html", {"media": media, "form": form}, status=status)


@require_POST
def new_version(request, slug: str):
    if refusal := _require_editor(request):
        return refusal
    media = _media(slug)
    form = NewVersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            media_new_version(
                media=media,
                upload=form.cleaned_data["file"],
                user=request.user,
                summary=form.cleaned_data["summary"],
                address=client_address(request),
            )
        except (RefusedUpload, EditLimited) as refused:
            messages.error(request, str(refused))
        except DuplicateMedia as duplicate:
            messages.error(
                request, gettext("%(duplicate)s Nothing was changed.") % {"duplicate": duplicate}
            )
        else:
            messages.success(request, gettext("The new version of the file was uploaded."))
    else:
        messages.error(request, gettext("Choose the image file of the new version."))
    return redirect(media.get_absolute_url())


@require_POST
def delete(request, slug: str):
    media = _media(slug)
    if not is_administrator(request.user):
        raise PermissionDenied(gettext("Only administrators can delete media files."))
    try:
        media_delete(media=media, user=request.user, confirmed=request.POST.get("confirm") == "1")
    except MediaInUse as in_use:
        messages.error(request, str(in_use))
        return redirect(media.get_absolute_url() + "?confirm_delete=1")
    messages.success(request, gettext("“%(name)s” was deleted.") % {"name": media.name})
    return redirect("/")


def upload(request):
    """The upload form; with `Accept: application/json` (the editor's dialog) the answer is
    JSON: the syntax to insert, or the form's errors."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    if not request.user.is_authenticated and not wants_json:
        return redirect_to_login(request.get_full_path())
    if not can_upload(request.user):
        if wants_json:
            return JsonResponse(
                {"errors": {"file": [edit_refusal(request.user, None)]}}, status=403
            )
        raise PermissionDenied(edit_refusal(request.user, None))
    initial = {"name": request.GET.get("name", "").replace("_", " ")}
    form = UploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            media = media_upload(
                upload=data["file"],
                name=data.get("name") or data["file"].name,
                edit=form.media_edit(),
                user=request.user,
                address=client_address(request),
            )
        except EditLimited as refused:
            if wants_json:
                return JsonResponse({"errors": {"file": [str(refused)]}}, status=refused.status)
            form.add_error("file", str(refused))
            return render(request, "wiki/upload.html", {"form": form}, status=refused.status)
        except RefusedUpload as refused:
            form.add_error("file", str(refused))
        except DuplicateMedia as duplicate:
            form.add_error("file", str(duplicate))
            existing = duplicate.existing
            if wants_json:
                return JsonResponse(
                    {
                        "errors": {"file": [str(duplicate)]},
                        "existing": existing.get_absolute_url(),
                        "syntax": f"[[File:{existing.name}|thumb|{existing.alt}]]",
                    },
                    status=409,
                )
        except ValueError as wrong:
            form.add_error("name", str(wrong))
        else:
            if wants_json:
                return JsonResponse(
                    {
                        "url": media.get_absolute_url(),
                        "syntax": f"[[File:{media.name}|thumb|{_caption(media)}]]",
                    }
                )
            messages.success(request, gettext("“%(name)s” was uploaded.") % {"name": media.name})
            return redirect(media.get_absolute_url())
    if request.method == "POST":
        if wants_json:
            return JsonResponse({"errors": form.errors}, status=400)
        return render(request, "wiki/upload.html", {"form": form}, status=400)
    return render(request, "wiki/upload.html", {"form": form})


def _caption(media: MediaFile) -> str:
    text = " ".join(media.description.split()) or media.alt
    return text.replace("|", " ").replace("]", " ")[:200]
