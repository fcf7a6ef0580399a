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
from ..models import Article, Section
from ..permissions import EditRefused
from ..rendering import RenderTooComplex
from ..services import EditConflict, SourceTooLarge, TitleTaken
from ..titles import title_to_slug
from .models import HeldEdit
from .moderation import NotPending, held_edit_approve, held_edit_reject, may_moderate

PAGE_SIZE = 20
MOST_COUNTED = 1_000  # held edits are counted up to here ("more than 1000"): a spam wave


def _current_articles(held_edits: list[HeldEdit]) -> list[Article | None]:
    """The article each held edit changes (None: a new page), with its sections: those named
    by title alone (a held new page) in one query, every article's sections in one more (a
    page of 20 read them an article at a time: 27 queries)."""
    slugs = {title_to_slug(h.title) for h in held_edits if h.article_id is None}
    by_slug = {a.slug: a for a in Article.objects.by_slugs(slugs)} if slugs else {}
    articles = [h.article or by_slug.get(title_to_slug(h.title)) for h in held_edits]
    ids = {a.pk for a in articles if a is not None}
    sections: dict[int, list[Section]] = {pk: [] for pk in ids}
    for section in Section.objects.filter(article_id__in=ids):
        sections[section.article_id].append(section)
    for article in articles:
        if article is not None:
            article.remember_sections(sections[article.pk])
    return articles


def _rows(held_edits) -> list[dict]:
    held_edits = list(held_edits)
    return [
        {
            "held": held,
            "changes": diff_sources(held.title, article.source if article else "", held.text),
        }
        for held, article in zip(held_edits, _current_articles(held_edits), strict=True)
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
