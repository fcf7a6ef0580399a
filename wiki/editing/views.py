"""Edit forms: one section or the whole source, new articles, conflicts that lose nothing."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from .. import infoboxes
from ..antiabuse.captcha import add_captcha, with_posted_captcha
from ..antiabuse.holding import EditHeld
from ..antiabuse.services import CaptchaNeeded
from ..article_urls import article_from_url
from ..box_templates import defined_box_types
from ..history.diff import diff_sources
from ..limits import client_address
from ..media.models import MediaFile
from ..models import Article
from ..permissions import EditRefused, can_edit, edit_refusal, is_editor
from ..rendering import RenderTooComplex
from ..services import EditConflict, SourceTooLarge, TitleTaken
from ..snapshots import load_snapshot
from ..sources import normalize_newlines, replace_section, section_text
from ..titles import InvalidTitle, title_to_slug, validate_title
from ..transclusion.starters import PREFIX as STARTER_PREFIX
from ..transclusion.starters import starter_kinds, starter_text
from ..views import bad_request
from ..watching.watches import editor_mode_of, remember_editor_mode, watch_by_default
from .citation_lookup import LookupFailed, cited_already, reference_lookup
from .conflicts import conflict_page
from .forms import EditForm, NewArticleForm
from .services import EditRequest, article_edit_submit
from .source_hints import source_hints, sources_of


def parse_section(request) -> int | None:
    """?section=N: None when absent; raises ValueError when it is not a number."""
    raw = request.GET.get("section", request.POST.get("section"))
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise ValueError(raw)
    return int(raw)


def editor_mode(request) -> str:
    """The editing mode to open in: a signed-in editor's preference, else the mode of their
    last save (the form posts it; kept in their preferences, so any browser opens in it); ""
    when not known (the page then asks the browser's own memory, static/editor/src/mount.js)."""
    if request.method == "POST":
        remember_editor_mode(request.user, request.POST.get("editor_mode", ""))
    return editor_mode_of(request.user)


@article_from_url(missing_ok=True, sign_in=True)
def edit(request, article: Article | None, slug: str):
    try:
        section = parse_section(request)
    except ValueError:
        return bad_request(
            request, "The section must be a number: 0 for the lead, 1 for the first heading…"
        )
    saving = request.method == "POST" and "show_changes" not in request.POST
    # A save meets the edit door, which refuses it on the form, keeping the text (a block
    # set while the editor typed loses nothing); the editor itself is shown to editors only.
    if not saving and not can_edit(request.user, article):
        raise PermissionDenied(edit_refusal(request.user, article))
    if article is None:
        if section is not None:
            return render(request, "404.html", status=404)
        return create(request, slug)

    try:
        initial_text = section_text(article.source, section) if section is not None else None
    except IndexError:
        return _no_section(request, article, section)
    form = EditForm(
        request.POST or None,
        with_categories=section is None,
        initial={
            "text": article.source if initial_text is None else initial_text,
            "base_revision": article.latest_revision_id,
            # Read when the form is shown, not when a save is posted (callables: Django's).
            "categories": lambda: ", ".join(article.categories.values_list("name", flat=True)),
            "watch": lambda: watch_by_default(request.user, article.title),
        },
    )
    with_posted_captcha(form)
    if request.method == "POST" and "show_changes" in request.POST and form.is_valid():
        return _show_changes(request, article, form, section)
    if request.method == "POST" and form.is_valid():
        return _save(request, article, form, section)
    return edit_page(request, _edit_context(article, form, section))


def _save(request, article, form, section):
    """Hand the form's edit to the edit door: saved, or the form again with the reason and
    the text (a refusal, a conflict, a text too large or too complex)."""
    try:
        result = article_edit_submit(
            article=article,
            request=EditRequest(
                edit=form.article_edit(user=request.user, section=section),
                address=client_address(request),
                interface="form" if section is None else "section",
                captcha_solved="captcha" in form.fields,
            ),
        )
    except EditHeld as held:
        return held_page(request, held)
    except EditRefused as refused:
        refused_on_form(form, refused)
        response = edit_page(request, _edit_context(article, form, section))
        response.status_code = refused.status
        return response
    except EditConflict as conflict:
        return conflict_page(request, article, conflict, form)
    except IndexError:
        return _no_section(request, article, section)
    except SourceTooLarge as refused:
        form.add_error("text", str(refused))
    except RenderTooComplex as refused:  # nothing saved; the form keeps the text
        form.add_error("text", f"{refused} Nothing was saved.")
    else:
        return _saved(request, result, section)
    return edit_page(request, _edit_context(article, form, section))


def held_page(request, held: EditHeld):
    """The edit was held for review: say so (202), with the text as sent."""
    return render(request, "wiki/held.html", {"held": held.held}, status=held.status)


def refusal_errors(refused: EditRefused) -> list[str] | str:
    """The door's refusal as the text field's errors: each problem of the text, or the reason."""
    return getattr(refused, "problems", None) or str(refused)


def refused_on_form(form, refused: EditRefused) -> None:
    """The door's refusal on the form: a captcha to answer is shown with its reason beside
    it (the text kept); any other reason is said on the text (each problem of it)."""
    if isinstance(refused, CaptchaNeeded):
        add_captcha(form)
        form.add_error("captcha", str(refused))
        form.add_error(None, "Nothing was saved yet: answer the captcha under the summary.")
    else:
        form.add_error("text", refusal_errors(refused))


def _show_changes(request, article, form, section):
    """The edit's changes against the revision it started from; nothing is saved and the
    form keeps the text."""
    base_id = form.cleaned_data["base_revision"]
    base = load_snapshot(base_id) if base_id else None
    base_source = base.source if base is not None else article.source
    text = normalize_newlines(form.cleaned_data["text"])
    try:
        mine = replace_section(base_source, section, text) if section is not None else text
    except IndexError:
        return _no_section(request, article, section)
    context = _edit_context(article, form, section)
    context["changes"] = diff_sources(article.title, base_source, mine)
    context["mode"] = "inline"
    context["infobox_fields"] = json.dumps(infoboxes.skeletons(defined_box_types()))
    context["editor_mode"] = editor_mode(request)
    return render(
        request, "wiki/edit.html", {**context, "max_upload": settings.WIKI_MAX_UPLOAD_BYTES}
    )


def _no_section(request, article, section):
    return render(
        request, "wiki/no_section.html", {"article": article, "section": section}, status=404
    )


def _saved(request, result, section):
    """Say what happened to the edit and go back to the article, at the section edited (and
    keep the editing mode it was saved in: the page that opens next reads it)."""
    remember_editor_mode(request.user, request.POST.get("editor_mode", ""))
    if result.unchanged:
        messages.info(request, gettext("You made no changes, so nothing was saved."))
    elif result.merged:
        messages.success(
            request,
            gettext(
                "Someone else saved this article while you were editing. Your changes did not "
                "overlap with theirs, so both were merged and saved."
            ),
        )
    else:
        messages.success(request, gettext("Your edit was saved."))
    url = result.article.get_absolute_url()
    if section and not result.unchanged:
        sections = result.article.ordered_sections
        if section <= len(sections):
            url += "#" + sections[section - 1].anchor
    return redirect(url)


def _edit_context(article, form, section):
    return {
        "article": article,
        "form": form,
        "section": section,
        "section_heading": _heading(article, section),
        "creating": False,
    }


def edit_page(request, context):
    """The editor; a POST that lands here again did not validate, hence 400."""
    context["max_upload"] = settings.WIKI_MAX_UPLOAD_BYTES
    context["licenses"] = MediaFile.License.choices
    context["infobox_fields"] = json.dumps(infoboxes.skeletons(defined_box_types()))
    context["editor_mode"] = editor_mode(request)
    return render(
        request, "wiki/edit.html", context, status=400 if request.method == "POST" else 200
    )


def _heading(article, section):
    if section and section <= len(article.ordered_sections):
        return article.ordered_sections[section - 1].heading
    return "Lead" if section == 0 else ""


def create(request, slug: str):
    try:
        title = validate_title(slug)
    except InvalidTitle:
        title = slug.replace("_", " ")
    starter = request.GET.get("starter", "")
    skeleton = starter_text(starter, title=title) if starter else None
    form = NewArticleForm(
        request.POST or None,
        initial={
            "title": title,
            "text": skeleton or "",
            "watch": watch_by_default(request.user, title),
        },
    )
    with_posted_captcha(form)
    refusal = None
    if request.method == "POST" and form.is_valid():
        title = form.cleaned_data["title"]
        if Article.objects.by_title(title).exists():
            form.add_error("title", "An article with this title already exists.")
        else:
            try:
                result = article_edit_submit(
                    article=Article(title=title),
                    request=EditRequest(
                        edit=form.article_edit(user=request.user),
                        address=client_address(request),
                        interface="new",
                        captcha_solved="captcha" in form.fields,
                    ),
                )
            except EditHeld as held:
                return held_page(request, held)
            except EditRefused as refused:
                refused_on_form(form, refused)
                refusal = refused
            except TitleTaken:
                form.add_error("title", "Someone created an article with this title meanwhile.")
            except SourceTooLarge as refused:
                form.add_error("text", str(refused))
            except RenderTooComplex as refused:
                form.add_error("text", f"{refused} Nothing was saved.")
            else:
                messages.success(
                    request,
                    gettext("The article “%(title)s” was created.")
                    % {"title": result.article.title},
                )
                return redirect(result.article)
    elif request.method == "GET":
        try:
            validate_title(slug)
        except InvalidTitle as exc:
            form = NewArticleForm({"title": title, "text": ""})
            form.errors["title"] = form.error_class([str(exc)])
    response = edit_page(
        request,
        {
            "article": None,
            "form": form,
            "section": None,
            "title": title,
            "creating": True,
            "slug": title_to_slug(title),
            "starters": starter_kinds() if request.method == "GET" else [],
            "starter": starter if skeleton is not None else "",
            "starter_slug": title_to_slug(STARTER_PREFIX + starter),
        },
    )
    if refusal is not None:
        response.status_code = refusal.status
    return response


def bad_request_page(request, exception=None):
    """Django's 400 handler: a body too large to read is named as such."""
    if isinstance(exception, RequestDataTooBig):
        message = (
            f"What you sent is larger than {filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}, "
            f"more than an article may hold ({filesizeformat(settings.WIKI_MAX_SOURCE_BYTES)}). "
            "Nothing was saved. Your text is still in the form: go back, shorten it or split it "
            "into several articles."
        )
    else:
        message = "The request could not be understood."
    return bad_request(request, message)


def csrf_failure(request, reason=""):
    """A POST without a valid CSRF token: refuse it, but hand back any text it carried."""
    try:
        text = request.POST.get("text", "")
    except Exception:  # an unreadable or oversized body: nothing to hand back
        text = ""
    return render(request, "403_csrf.html", {"reason": reason, "text": text}, status=403)


@require_POST
def cite_lookup(request):
    """The cite dialog's look-up: the reference an identifier names, with the hints on its
    type and age, and the name of a reference with the same DOI or PMID in the text being
    edited or, when a section is edited, elsewhere in the article."""
    if not is_editor(request.user):
        return JsonResponse({"error": "Sign in as an editor to look up references."}, status=403)
    identifier = request.POST.get("identifier", "")[:2000]
    try:
        found = reference_lookup(identifier, user=request.user)
    except LookupFailed as failed:
        return JsonResponse({"error": str(failed)}, status=failed.status)
    return JsonResponse(
        {
            "kind": found.kind,
            "fields": found.fields,
            "hints": source_hints(found.publication_types, found.fields.get("year", "")),
            "reuse": cited_already(request.POST.get("text", ""), found.fields)
            or cited_already(_saved_source(request.POST.get("article", "")), found.fields),
        }
    )


def _saved_source(title: str) -> str:
    article = Article.objects.by_title(title).first()
    return article.source if article else ""


@require_POST
def sources_panel(request):
    """The edit page's Sources panel: each reference of the text being edited (and, for a
    section, those of the article its marks use), with its type, age and hints."""
    if not is_editor(request.user):
        return JsonResponse({"error": "Sign in as an editor to see the sources."}, status=403)
    found = sources_of(
        request.POST.get("text", ""),
        saved_source=_saved_source(request.POST.get("article", "")),
        user=request.user,
    )
    return JsonResponse(
        {
            "old_years": settings.CITATION_OLD_SOURCE_YEARS,
            "sources": [source.__dict__ for source in found],
        }
    )
