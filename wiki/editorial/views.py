"""The editorial tools' pages: thin views over `moves`, `deletion`, `protection`, `blocks`,
`patrol` and `logs`. The tools on a page get it, and who may use them is checked, by
`article_from_url`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from ..article_urls import article_from_url
from ..keyset import BY_TITLE_AND_ID, RECENT_FIRST, keyset_page
from ..languages import url_in
from ..models import Article, Revision
from ..permissions import (
    can_block,
    can_delete,
    can_move,
    can_patrol,
    can_protect,
    edit_refusal,
    is_suppressor,
)
from ..redirects import broken_redirect_candidates, double_redirects, is_broken_redirect
from ..titles import InvalidTitle, title_to_slug, validate_title
from . import blocks, deletion, moves, patrol, protection, revision_hiding
from .forms import (
    BlockForm,
    MoveForm,
    ProtectForm,
    ReasonForm,
    RevisionVisibilityForm,
    account_named,
    expiry_from,
)
from .logs import LogFilter, describe_linked
from .models import Block, LogEntry
from .revision_hiding import can_hide

LOG_PAGE_SIZE = 50
ADMINS_ONLY = gettext_lazy("Only administrators can do this.")


def _tool_page(request, template, context, *, invalid=False):
    return render(request, template, context, status=400 if invalid else 200)


@article_from_url(sign_in=True, may=can_move, refusal=edit_refusal)
def move(request, article: Article):
    form = MoveForm(request.POST or None, initial={"new_title": article.title})
    if request.method == "POST" and form.is_valid():
        try:
            result = moves.article_move(
                article=article,
                new_title=form.cleaned_data["new_title"],
                user=request.user,
                reason=form.cleaned_data["reason"],
                leave_redirect=form.cleaned_data["leave_redirect"],
            )
        except (moves.MoveRefused, InvalidTitle) as refused:
            form.add_error("new_title", str(refused))
        else:
            left = " The old title redirects to it." if result.redirect else ""
            messages.success(
                request,
                gettext("“%(title)s” was moved to “%(title2)s”.%(left)s")
                % {"title": article.title, "title2": result.article.title, "left": left},
            )
            return redirect(result.article)
    return _tool_page(
        request,
        "wiki/tools/move.html",
        {"article": article, "form": form},
        invalid=request.method == "POST",
    )


@article_from_url(sign_in=True, only=can_delete, refusal=ADMINS_ONLY)
def delete(request, article: Article):
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        deletion.page_delete(article=article, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            gettext("“%(title)s” was deleted. Its history is kept.") % {"title": article.title},
        )
        return redirect("wiki:article", article.slug)
    revisions = Revision.objects.filter(article_id=article.pk).count()
    return _tool_page(
        request,
        "wiki/tools/delete.html",
        {"article": article, "form": form, "revisions": revisions},
        invalid=request.method == "POST",
    )


@article_from_url(deleted=True, sign_in=True, only=can_delete, refusal=ADMINS_ONLY)
def undelete(request, entry: LogEntry):
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = deletion.page_undelete(
                article_id=entry.article_id, user=request.user, reason=form.cleaned_data["reason"]
            )
        except deletion.UndeleteRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                gettext("“%(title)s” was undeleted with its history.")
                % {"title": result.article.title},
            )
            return redirect(result.article)
    revisions = Revision.objects.filter(article_id=entry.article_id).exclude(
        kind=Revision.Kind.DELETE
    )
    return _tool_page(
        request,
        "wiki/tools/undelete.html",
        {
            "entry": entry,
            "form": form,
            "revisions": revision_hiding.shown_to(request.user, revisions[:50]),
            "count": revisions.count(),
        },
        invalid=request.method == "POST",
    )


@article_from_url(sign_in=True, only=can_protect, refusal=ADMINS_ONLY)
def protect(request, article: Article):
    form = ProtectForm(
        request.POST or None,
        initial={"level": article.protection if article.is_protected else ""},
    )
    if request.method == "POST" and form.is_valid():
        level = form.cleaned_data["level"]
        result = protection.article_protect(
            article=article,
            user=request.user,
            level=level,
            expires=expiry_from(form.cleaned_data["expiry"]) if level else None,
            reason=form.cleaned_data["reason"],
        )
        if result.unchanged:
            messages.info(request, gettext("The protection is as it was: nothing changed."))
        else:
            messages.success(request, result.revision.summary)
        return redirect(article)
    return _tool_page(
        request,
        "wiki/tools/protect.html",
        {"article": article, "form": form},
        invalid=request.method == "POST",
    )


@login_required
def block(request, name: str):
    if not can_block(request.user):
        raise PermissionDenied(ADMINS_ONLY)
    account = account_named(name)
    if account is None:
        return render(
            request, "404.html", {"exception": gettext("No account has this name.")}, status=404
        )
    form = BlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        blocks.user_block(
            user=account,
            by=request.user,
            reason=form.cleaned_data["reason"],
            expires_at=expiry_from(form.cleaned_data["expiry"]),
            article=form.cleaned_data["page"],
        )
        messages.success(
            request,
            gettext("%(get_username)s is blocked.") % {"get_username": account.get_username()},
        )
        return redirect("wiki:block", account.get_username())
    return _tool_page(
        request,
        "wiki/tools/block.html",
        {
            "account": account,
            "form": form,
            "active": blocks.active_blocks(account).select_related("article", "by"),
        },
        invalid=request.method == "POST",
    )


@require_POST
@login_required
def unblock(request, block_id: int):
    if not can_block(request.user):
        raise PermissionDenied(ADMINS_ONLY)
    found = get_object_or_404(Block.objects.select_related("user"), pk=block_id, lifted_at=None)
    blocks.user_unblock(block=found, by=request.user, reason=request.POST.get("reason", "")[:400])
    messages.success(
        request,
        gettext("The block of %(get_username)s was lifted.")
        % {"get_username": found.user.get_username()},
    )
    return redirect("wiki:block", found.user.get_username())


@require_POST
@login_required
def mark_patrolled(request, slug: str, revision_id: int):
    if not can_patrol(request.user):
        raise PermissionDenied(gettext("Only editors can mark edits as patrolled."))
    revision = get_object_or_404(Revision, pk=revision_id)  # its title may be an old one
    patrol.revision_patrol(revision=revision, user=request.user)
    messages.success(
        request,
        gettext("Revision %(pk)s of “%(title)s” is marked as patrolled.")
        % {"pk": revision.pk, "title": revision.title},
    )
    back = request.POST.get("next", "")
    return redirect(
        back if back.startswith("/") and not back.startswith("//") else "wiki:recent_changes"
    )


def log(request):
    filters = LogFilter(request.GET, viewer=request.user)
    entries = filters.entries().select_related("performer")
    page = keyset_page(
        entries, RECENT_FIRST, request.GET, size=LOG_PAGE_SIZE, extra=filters.query_params()
    )
    for entry in page:
        entry.sentence = describe_linked(entry, _target_url(entry))
    return render(
        request,
        "wiki/log.html",
        {"page": page, "filters": filters, "extra_query": filters.query_string()},
    )


# Logs whose target is an article title (the others name an account, a file or a dump).
PAGE_LOGS = {"move", "delete", "protect", "review", "patrol", "translate"}


def _target_url(entry) -> str:
    """The address of the article a log entry names ("" for none); a translation entry's is
    in the language it names, whatever the log's."""
    if not (slug := _target_slug(entry)):
        return ""
    if entry.type == LogEntry.Type.TRANSLATE and entry.params.get("language"):
        return url_in(entry.params["language"], "wiki:article", args=[slug])
    return reverse("wiki:article", args=[slug])


def _target_slug(entry) -> str:
    """The article URL slug of a log entry's target, or "" when it names no article."""
    target = entry.target
    if entry.type not in PAGE_LOGS:
        return ""
    try:
        return title_to_slug(validate_title(target))
    except InvalidTitle:
        return ""


REDIRECTS_PAGE_SIZE = 100  # a list's page; the overview shows the first page of each


def redirect_problems(request):
    """Double redirects (fix them to point at the final page) and broken ones: the first page
    of each, or with `?show=double` or `?show=broken` that list alone, paged by title."""
    show = request.GET.get("show")
    lists = {"double": double_redirects(), "broken": broken_redirect_candidates()}
    pages = {}
    for kind, rows in lists.items():
        if show in lists and kind != show:
            continue
        params = request.GET if kind == show else {}
        pages[kind] = keyset_page(
            rows,
            BY_TITLE_AND_ID,
            params,
            size=REDIRECTS_PAGE_SIZE,
            extra={"show": kind},
            keep=is_broken_redirect if kind == "broken" else None,
        )
    return render(
        request,
        "wiki/tools/redirects.html",
        {"double": pages.get("double"), "broken": pages.get("broken"), "show": show in lists},
    )


def _selected_ids(request) -> list[int]:
    raw = request.POST.getlist("ids") if request.method == "POST" else request.GET.getlist("ids")
    return [int(pk) for pk in raw if pk.isdigit() and len(pk) < 19]


@article_from_url(sign_in=True, only=can_hide, refusal=ADMINS_ONLY)
def revision_visibility(request, article: Article):
    """Hide or show the text, summary or author of the revisions chosen on the history (or
    the one linked from a revision), with a reason, logged."""
    revisions = revision_hiding.shown_to(
        request.user,
        Revision.objects.filter(article_id=article.pk, pk__in=_selected_ids(request))
        .select_related("contributor")
        .order_by("-pk"),
    )
    if not revisions:
        messages.error(request, gettext("Choose at least one revision of this page first."))
        return redirect("wiki:history", article.slug)
    first = revisions[0].hidden
    form = RevisionVisibilityForm(
        request.POST or None,
        initial={
            "ids": [r.pk for r in revisions],
            "text": first.text,
            "summary": first.summary,
            "author": first.author,
            "suppress": first.suppressed,
        },
        revision_ids=[r.pk for r in revisions],
        may_suppress=is_suppressor(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = revision_hiding.VisibilityChange(
            text=data["text"],
            summary=data["summary"],
            author=data["author"],
            suppress=data.get("suppress", False),
            reason=data["reason"],
        )
        try:
            changed = revision_hiding.revisions_visibility_change(
                revision_ids=data["ids"], user=request.user, change=change
            )
        except revision_hiding.HidingRefused as refused:
            form.add_error(None, str(refused))
        else:
            words = "1 revision was" if changed == 1 else f"{changed} revisions were"
            messages.success(
                request, gettext("The visibility of %(words)s changed.") % {"words": words}
            )
            return redirect("wiki:history", article.slug)
    return _tool_page(
        request,
        "wiki/tools/revision_visibility.html",
        {"article": article, "form": form, "revisions": revisions},
        invalid=request.method == "POST",
    )
