"""The held-edits queue (as Moderation's Special:Moderation): editors see each edit waiting,
its changes against the article's current text, and approve or reject it; an author sees
their own held edits and what became of them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from ..history.diff import diff_sources
from ..keyset import OLDEST_FIRST, RECENT_FIRST, keyset_page
from ..limits import client_address
from ..models import Article
from ..permissions import EditRefused
from ..rendering import RenderTooComplex
from ..services import EditConflict, SourceTooLarge, TitleTaken
from .models import HeldEdit
from .moderation import NotPending, held_edit_approve, held_edit_reject, may_moderate

PAGE_SIZE = 20
MOST_COUNTED = 1_000  # held edits are counted up to here ("more than 1000"): a spam wave


def _current_text(held: HeldEdit) -> str:
    article = held.article or Article.objects.by_title(held.title).first()
    return article.source if article is not None else ""


def _rows(held_edits) -> list[dict]:
    return [
        {"held": held, "changes": diff_sources(held.title, _current_text(held), held.text)}
        for held in held_edits
    ]


@login_required
def held_edits(request, *, conflict=None, status=200):
    """Established editors: the pending held edits, oldest first. Others: their own, newest
    first."""
    editor = may_moderate(request.user)
    if editor:
        found, order = HeldEdit.objects.filter(state=HeldEdit.State.PENDING), OLDEST_FIRST
    else:
        found, order = HeldEdit.objects.filter(user=request.user), RECENT_FIRST
    rows = found.select_related("user", "decided_by", "article")
    page = keyset_page(rows, order, request.GET, size=PAGE_SIZE)
    counted = found.order_by()[: MOST_COUNTED + 1].count()
    return render(
        request,
        "wiki/held_edits.html",
        {
            "page": page,
            "rows": _rows(page),
            "is_editor": editor,
            "conflict": conflict,
            "count": min(counted, MOST_COUNTED),
            "more": counted > MOST_COUNTED,
        },
        status=status,
    )


@require_POST
@login_required
def decide(request, held_id: int):
    """Approve (publish through the edit door) or reject (with a reason) one held edit."""
    held = get_object_or_404(HeldEdit, pk=held_id)
    try:
        if request.POST.get("decision") == "approve":
            result = held_edit_approve(
                held=held, editor=request.user, address=client_address(request)
            )
            said = (
                "merged with the edits made since and published" if result.merged else "published"
            )
            messages.success(
                request,
                gettext("The edit to “%(title)s” by %(user)s was %(said)s.")
                % {"title": held.title, "user": held.user, "said": said},
            )
        else:
            held_edit_reject(held=held, editor=request.user, reason=request.POST.get("reason", ""))
            messages.success(
                request,
                gettext("The edit to “%(title)s” by %(user)s was rejected.")
                % {"title": held.title, "user": held.user},
            )
    except EditConflict as conflict:
        return held_edits(
            request,
            conflict={"held": held, "changes": diff_sources(
                held.title, conflict.current_source, held.text
            )},
            status=409,
        )  # fmt: skip
    except (ValueError, NotPending, EditRefused, TitleTaken, SourceTooLarge) as refused:
        messages.error(
            request, gettext("%(refused)s The held edit is kept as it was.") % {"refused": refused}
        )
    except RenderTooComplex as refused:
        messages.error(
            request,
            gettext("%(refused)s Nothing was published; the held edit is kept.")
            % {"refused": refused},
        )
    return redirect("wiki:held_edits")
