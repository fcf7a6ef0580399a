"""Medical review pages: marking a revision reviewed (or checked), and the queue of articles
awaiting review."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from ..article_urls import article_from_url
from ..keyset import OLDEST_FIRST, Keyset, counted, keyset_page
from ..models import Article, Category
from ..permissions import is_editor, is_reviewer
from ..reports.services import open_report_counts
from ..review.services import (
    MAX_NOTE,
    QUEUES,
    Level,
    ReviewRefused,
    default_interval,
    literature_month,
    mark_reviewed,
    queue_count,
    review_level,
    review_queue,
)
from ..titles import typed_name
from .views import HISTORY_PAGE_SIZE, _article_revision

# Each queue's order, the longest waiting first: each a column of the article that a partial
# index holds in that order (the places `review.services.refresh_review_queue` stores).
QUEUE_ORDERS = {
    "never": OLDEST_FIRST,
    "changed": Keyset(("review_waiting_since", "pk")),
    "overdue": Keyset(("review_due", "pk")),
}


@require_POST
@article_from_url(sign_in="wiki:history")
def review(request, article: Article, revision_id: int):
    """Mark one revision medically reviewed (a reviewer's button on a diff or a revision), or
    checked (`level=checked`, any editor's button). Who may set which level is the service's
    to say: a refusal for that is a 403, any other a message on the page they came from."""
    info = _article_revision(article, revision_id)
    note = request.POST.get("note", "")
    level = Level.CHECKED if request.POST.get("level") == Level.CHECKED else Level.REVIEWED
    try:
        level = review_level(request.POST.get("level"))
        try:
            literature_to = literature_month(request.POST.get("literature_to", ""))
        except ValueError:
            raise ReviewRefused(
                gettext("“Literature reviewed to” is a month and a year.")
            ) from None
        mark_reviewed(
            revision=info, user=request.user, level=level, note=note, literature_to=literature_to
        )
    except ReviewRefused as refused:
        if refused.status == 403:
            raise PermissionDenied(str(refused)) from None
        what = "review" if level == Level.REVIEWED else "check"
        messages.error(
            request,
            gettext("%(refused)s The %(what)s was not recorded.")
            % {"refused": refused, "what": what},
        )
        return redirect(_back(request, article))
    done = "medically reviewed" if level == Level.REVIEWED else "checked"
    messages.success(
        request,
        gettext("Revision %(pk)s of “%(title)s” is marked %(done)s.")
        % {"pk": info.pk, "title": article.title, "done": done},
    )
    return redirect(_back(request, article))


def _back(request, article: Article) -> str:
    """Where the reviewer came from when it is a page of this site, else the history."""
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return back
    return reverse("wiki:history", args=[article.slug])


def queue(request):
    """Articles waiting for a medical review, the longest waiting first, by category. Without
    a choice of queue it opens on the first that has work."""
    category = None
    if name := typed_name(request.GET.get("category", ""))[:200]:
        category = Category.objects.in_language().filter(name=name).first()
    sizes = {
        key: counted(review_queue(key, category=category)) if category else queue_count(key)
        for key in QUEUES
    }
    kind = request.GET.get("show", "")
    if kind not in QUEUES:
        kind = next((key for key in QUEUES if sizes[key]), next(iter(QUEUES)))
    query = {"show": kind, **({"category": category.name} if category else {})}
    articles = review_queue(kind, category=category)
    page = keyset_page(
        articles, QUEUE_ORDERS[kind], request.GET, size=HISTORY_PAGE_SIZE, extra=query
    )
    if is_editor(request.user):  # reader reports are private to editors
        reports = open_report_counts(article.pk for article in page)
        for article in page:
            article.open_reports = reports.get(article.pk, 0)
    return render(
        request,
        "wiki/review_queue.html",
        {
            "kind": kind,
            "queues": [(key, label, sizes[key]) for key, label in QUEUES.items()],
            "page": page,
            "count": sizes[kind].number,
            "more": sizes[kind].more,
            "category": category,
            "category_name": name,
            "is_reviewer": is_reviewer(request.user),
            "max_note": MAX_NOTE,
            "default_interval": default_interval(),
        },
    )
