"""History of an article, old revisions, diffs, revert and undo, contributors, recent changes.

Every page here makes a fixed number of queries however long the history is: lists are
paged by key (`wiki/keyset.py`: the first and the last page cost the same) with their
contributor joined, and snapshots are read in one query.
"""

from types import SimpleNamespace
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from ..antiabuse.captcha import add_captcha, with_posted_captcha
from ..antiabuse.services import CaptchaNeeded
from ..api.bot_passwords import bot_passwords_context
from ..api.tokens import tokens_context
from ..article_urls import article_from_url
from ..editing.services import EditRequest, article_edit_submit
from ..editorial.models import LogEntry
from ..editorial.revision_hiding import (
    TextHidden,
    can_hide,
    shown_credits_of,
    shown_to,
    texts_readable,
    without_hidden_authors,
)
from ..keyset import RECENT_FIRST, Keyset, keyset_page
from ..limits import client_address
from ..models import MAX_ID, Article, Contributor, Credit, Revision
from ..permissions import EditRefused, can_edit, can_patrol, edit_refusal, is_editor, is_reviewer
from ..reading import with_link_state
from ..review.services import with_review_marks
from ..services import SaveResult, contributor_name_for
from ..snapshots import fill_rendering, load_snapshots, template_note
from ..views import bad_request
from .diff import diff_snapshots, diff_sources
from .filters import RecentChangesFilter, with_paths
from .forms import ConfirmChangeForm, ProfileForm
from .services import UndoRefused, restore_edit, revert_summary, undo_edit, undo_result

HISTORY_PAGE_SIZE = 50
NEWEST_FIRST = Keyset(("pk",), descending=True)  # an article's or a contributor's edits
MOST_COUNTED = 1_000  # a contributor's edits are counted up to here ("more than 1000")


def imported_credits_by_revision(revision_ids) -> dict[int, list]:
    """The contributors each of these (import) revisions credited, in one query."""
    found: dict[int, list] = {}
    if not revision_ids:
        return found
    credits = Credit.objects.filter(revision_id__in=revision_ids, imported=True)
    for credit in credits.select_related("contributor").order_by("pk"):
        found.setdefault(credit.revision_id, []).append(credit.contributor)
    return found


@article_from_url()
def history(request, article: Article):
    revisions = with_review_marks(
        Revision.objects.filter(article=article).select_related("contributor", "hiding")
    )
    page = keyset_page(revisions, NEWEST_FIRST, request.GET, size=HISTORY_PAGE_SIZE)
    page.items = shown_to(request.user, page.items)
    credited = imported_credits_by_revision(
        [r.pk for r in page.items if r.kind == Revision.Kind.IMPORT]
    )
    for rev in page.items:  # an import names the contributors it credited
        rev.imported_credits = credited.get(rev.pk, [])
    return render(
        request,
        "wiki/history.html",
        {
            "article": article,
            "page": page,
            "can_edit": can_edit(request.user, article),
            "is_reviewer": is_reviewer(request.user),
            "can_check": is_editor(request.user),
            "can_hide": can_hide(request.user),
        },
    )


def _article_revision(article: Article, revision_id, user=None) -> Revision:
    """The article's revision as `user` may see it (`revision_hiding.shown_to`)."""
    if int(revision_id) > MAX_ID:
        raise Http404(gettext("This article has no such revision."))
    info = (
        with_review_marks(Revision.objects.select_related("contributor", "hiding"))
        .filter(pk=revision_id, article_id=article.pk)
        .first()
    )
    if info is None:
        raise Http404(gettext("This article has no such revision."))
    return shown_to(user, [info])[0]


def next_revision_id(article, *, after: int) -> int | None:
    """The article's revision saved right after revision `after`, if any."""
    return (
        Revision.objects.filter(article_id=article.pk, pk__gt=after)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


@article_from_url()
def revision(request, article: Article, revision_id: int):
    info = _article_revision(article, revision_id, request.user)
    if not info.text_readable:
        return _hidden_text(request, article, info)
    snapshot = load_snapshots([info.pk]).get(info.pk)
    if snapshot is None:
        raise Http404(gettext("This revision is not available."))
    rendered_now = fill_rendering(snapshot)
    lead_html, toc = with_link_state(article.pk, snapshot.lead_html, snapshot.sections)
    return _revision_page(
        request,
        "wiki/revision.html",
        article,
        newest_shown=info.pk,
        info=info,
        snapshot=snapshot,
        lead_html=lead_html,
        sections=snapshot.sections,
        toc=toc,
        is_current=article.latest_revision_id == info.pk,
        older_id=info.parent_id,
        templates_shown=template_note(snapshot, rendered_now=rendered_now),
    )


def _hidden_text(request, article: Article, info: Revision):
    """The page of a revision whose text an administrator hid from this reader (403)."""
    return _revision_page(
        request,
        "wiki/revision.html",
        article,
        newest_shown=info.pk,
        info=info,
        text_hidden=True,
        is_current=False,
        older_id=info.parent_id,
        status=403,
    )


def _revision_page(
    request, template: str, article: Article, *, newest_shown: int, status=200, **context
):
    """A page showing revisions of `article` up to `newest_shown`, with the way to newer ones."""
    return render(
        request,
        template,
        {
            "article": article,
            "newer_id": next_revision_id(article, after=newest_shown),
            "can_edit": can_edit(request.user, article),
            "is_reviewer": is_reviewer(request.user),
            "can_check": is_editor(request.user),
            "can_hide": can_hide(request.user),
            **context,
        },
        status=status,
    )


DIFF_MODES = ("inline", "side")


@article_from_url()
def diff(request, article: Article):
    raw_from, raw_to = request.GET.get("from", ""), request.GET.get("to", "")
    if not raw_to.isdigit() or not (raw_from.isdigit() or raw_from == ""):
        return bad_request(request, "Compare two revisions by number: ?from=OLDER&to=NEWER.")
    mode = request.GET.get("mode", "side")
    if mode not in DIFF_MODES:
        mode = "side"
    wanted = {int(raw_to)} | ({int(raw_from)} if raw_from else set())
    if max(wanted) > MAX_ID:
        raise Http404(gettext("This article has no such revision."))
    found = {
        r.pk: r
        for r in shown_to(
            request.user,
            with_review_marks(Revision.objects.select_related("contributor", "hiding")).filter(
                pk__in=wanted, article_id=article.pk
            ),
        )
    }
    if len(found) < len(wanted):
        raise Http404(gettext("This article has no such revision."))
    to_info = found[int(raw_to)]
    from_id = int(raw_from) if raw_from else to_info.parent_id
    if from_id is None:  # the first revision: compare with nothing
        return redirect(to_info.get_absolute_url())
    from_info = found.get(from_id) or _article_revision(article, from_id, request.user)
    if from_info.pk > to_info.pk:
        from_info, to_info = to_info, from_info
    for side in (from_info, to_info):
        if not side.text_readable:  # neither side of a diff shows a hidden text
            return _hidden_text(request, article, side)
    snapshots = load_snapshots([from_info.pk, to_info.pk])
    if len(snapshots) < 2 and from_info.pk != to_info.pk:
        raise Http404(gettext("The text of one of these revisions is not available."))
    return _revision_page(
        request,
        "wiki/diff.html",
        article,
        newest_shown=to_info.pk,
        old=from_info,
        new=to_info,
        diff=diff_snapshots(snapshots[from_info.pk], snapshots[to_info.pk]),
        mode=mode,
    )


DELETION_REFUSAL = gettext_lazy(
    "This revision records the deletion of the page, not a text of its own: there is nothing "
    "to revert to or undo. Choose a revision before it."
)


# Who may revert or undo: an editor of the article. After signing in, back to the
# confirmation page; a post goes back to the history.
changes_article = article_from_url(sign_in="wiki:history", may=can_edit, refusal=edit_refusal)


def _changed_revision(request, article: Article, revision_id: int, action: str):
    """The revision a revert or undo acts on, and the refusal page when it is a deletion or
    its text (an undo's: or the text before it) is hidden from this editor."""
    info = _article_revision(article, revision_id, request.user)
    if info.kind == Revision.Kind.DELETE:
        return info, _change_page(request, article, info, action=action, refusal=DELETION_REFUSAL)
    needed = [info.pk] + ([info.parent_id] if action == "undo" and info.parent_id else [])
    if not texts_readable(request.user, needed):
        refusal = str(TextHidden(info.pk)) + " Ask an administrator."
        return info, _change_page(request, article, info, action=action, refusal=refusal)
    return info, None


@changes_article
def revert(request, article: Article, revision_id: int):
    """GET: what reverting to the revision would change, with a summary to edit and Save.
    POST from that page: the revert, saved as a new revision."""
    info, refusal = _changed_revision(request, article, revision_id, "revert")
    if refusal:
        return refusal
    snapshot = load_snapshots([info.pk]).get(info.pk)
    if snapshot is None:
        raise Http404(gettext("The text of this revision is not available."))

    def save(summary, captcha_solved):
        edit = restore_edit(revision_id=info.pk, user=request.user, summary=summary)
        result = _submit(request, *edit, interface="revert", captcha_solved=captcha_solved)
        if result.unchanged:
            messages.info(
                request,
                gettext("Revision %(pk)s is the current text: nothing to revert.")
                % {"pk": info.pk},
            )
        else:
            messages.success(
                request, gettext("The article was reverted to revision %(pk)s.") % {"pk": info.pk}
            )

    return _confirmed_change(
        request,
        article,
        info,
        action="revert",
        text=snapshot.source,
        summary=revert_summary(info),
        save=save,
    )


@changes_article
def undo(request, article: Article, revision_id: int):
    """GET: what undoing the revision would change (or why it cannot be undone), with a
    summary to edit and Save. POST from that page: the undo, saved as a new revision."""
    info, refusal = _changed_revision(request, article, revision_id, "undo")
    if refusal:
        return refusal
    try:
        result = undo_result(revision_id=info.pk)
    except UndoRefused as refused:
        return _change_page(request, article, info, action="undo", refusal=str(refused))

    def save(summary, captcha_solved):
        edit = undo_edit(revision_id=info.pk, user=request.user, summary=summary)
        _submit(request, *edit, interface="undo", captcha_solved=captcha_solved)
        messages.success(
            request, gettext("The change made in revision %(pk)s was undone.") % {"pk": info.pk}
        )

    return _confirmed_change(
        request, article, info, action="undo", text=result.text, summary=result.summary, save=save
    )


def _submit(request, article: Article, edit, *, interface: str, captcha_solved) -> SaveResult:
    """A revert or undo through the edit door."""
    door = EditRequest(
        edit=edit,
        address=client_address(request),
        interface=interface,
        captcha_solved=captcha_solved,
    )
    return article_edit_submit(article=article, request=door)


def _confirmed_change(request, article, info, *, action, text, summary, save):
    """Save the revert or undo when its confirmation page was posted against the article as it
    still is; otherwise show the page, with the diff from the current text to the result."""
    fresh = {"summary": summary, "base": article.latest_revision_id}
    # A post without the page's fields (an old one-click button) only shows the page.
    form = ConfirmChangeForm(request.POST if "base" in request.POST else None, initial=fresh)
    with_posted_captcha(form)
    stale = False
    if form.is_bound and form.is_valid():
        if form.cleaned_data["base"] == article.latest_revision_id:
            try:
                save(form.cleaned_data["summary"].strip() or summary, "captcha" in form.fields)
            except CaptchaNeeded as refused:  # the page again, with the captcha to answer
                add_captcha(form)
                form.add_error("captcha", str(refused))
                diff = diff_sources(article.title, article.source, text)
                return _change_page(
                    request, article, info, action=action, form=form, diff=diff, status=400
                )
            except UndoRefused as refused:  # another edit came between the check and the save
                return _change_page(request, article, info, action=action, refusal=str(refused))
            except EditRefused as refused:  # a young account past its limits, say
                return _change_page(
                    request,
                    article,
                    info,
                    action=action,
                    refusal=str(refused),
                    status=refused.status,
                )
            return redirect("wiki:history", article.slug)
        stale = True  # someone saved since the page was shown: show the changes as they are now
        form = ConfirmChangeForm(
            initial={**fresh, "summary": form.cleaned_data["summary"] or summary}
        )
    return _change_page(
        request,
        article,
        info,
        action=action,
        form=form,
        stale=stale,
        diff=diff_sources(article.title, article.source, text),
        status=409 if stale else 400 if form.is_bound else 200,
    )


def _change_page(request, article, info, *, action, status=None, refusal="", **context):
    return render(
        request,
        "wiki/change_confirm.html",
        {"article": article, "info": info, "action": action, "refusal": refusal, **context},
        status=status or (409 if refusal else 200),
    )


def contributor(request, name: str):
    person = Contributor.objects.by_slug(name).order_by("pk").first()
    if person is None:
        raise Http404(gettext("No contributor has this name."))
    mine = without_hidden_authors(Revision.objects.filter(contributor=person), request.user)
    edits = keyset_page(mine, NEWEST_FIRST, request.GET, size=HISTORY_PAGE_SIZE)
    edits.items = shown_to(request.user, edits.items)
    counted = mine.order_by()[: MOST_COUNTED + 1].count()  # bounded: a bot's million edits
    credited = credits_of(person, {}, size=CREDITS_SHOWN)
    return render(
        request,
        "wiki/contributor.html",
        {
            "person": person,
            "edits": edits,
            "edit_count": min(counted, MOST_COUNTED),
            "more_edits": counted > MOST_COUNTED,
            "credited": credited,
        },
    )


CREDITS_SHOWN = 50  # on the contributor's page; "More" opens the paged list
CREDITS_PAGE_SIZE = 100
NEWEST_CREDIT_FIRST = Keyset(("since", "pk"), descending=True)


def credits_of(person: Contributor, params, *, size: int):
    """A page of the articles `person` is credited on, the latest credit first."""
    credits = (
        shown_credits_of(person.pk)
        .select_related("article")  # what the list shows of each: not the article's text
        .only("since", "imported", "article__title", "article__slug", "article__language")
    )
    return keyset_page(credits, NEWEST_CREDIT_FIRST, params, size=size)


def contributor_credits(request, name: str):
    """Every article a contributor is credited on, paged: the list their page starts."""
    person = Contributor.objects.by_slug(name).order_by("pk").first()
    if person is None:
        raise Http404(gettext("No contributor has this name."))
    page = credits_of(person, request.GET, size=CREDITS_PAGE_SIZE)
    return render(request, "wiki/contributor_credits.html", {"person": person, "page": page})


MAX_REVIEWS_BETWEEN = 200  # review events listed between two pages' edits, at most


def recent_changes(request):
    filters = RecentChangesFilter(request.GET, viewer=request.user)
    page = keyset_page(
        filters.revisions(),
        RECENT_FIRST,
        request.GET,
        size=HISTORY_PAGE_SIZE,
        extra=filters.query_params(),
    )
    page.items = shown_to(request.user, page.items)
    with_paths(page.items)
    return render(
        request,
        "wiki/recent_changes.html",
        {
            "page": page,
            "entries": _with_reviews(page, filters),
            "filters": filters,
            "extra_query": filters.query_string(),
            "can_patrol": can_patrol(request.user),
        },
    )


def _with_reviews(page, filters) -> list:
    """The page's edits with the review events made in the span of time they cover, newest
    first: after the previous page's last edit and up to this page's last (the first page
    takes anything newer, the last anything older), so each event is on exactly one page."""
    edits = list(page)
    newest = oldest = None
    if edits and page.has_previous:  # the edit listed just before this page's first
        before = filters.revisions().filter(
            RECENT_FIRST.beyond((edits[0].created_at, edits[0].pk), backwards=True)
        )
        previous = before.order_by(*RECENT_FIRST.order_by(reverse=True)).first()
        newest = previous.created_at if previous else None
    if edits and page.has_next:
        oldest = edits[-1].created_at
    reviews = list(filters.reviews(newest=newest, oldest=oldest)[: MAX_REVIEWS_BETWEEN + 1])
    for edit in edits:  # said, not left to a lookup that fails (and lists dir()) each row
        edit.is_review_event = False
    for review in reviews:
        review.is_review_event = True
        review.more_reviews_url = ""
    if len(reviews) > MAX_REVIEWS_BETWEEN:  # the rest are not dropped without a word
        reviews = reviews[:MAX_REVIEWS_BETWEEN]
        reviews[-1].more_reviews_url = _review_log_after(reviews[-1])
    return sorted(edits + reviews, key=lambda entry: entry.created_at, reverse=True)


def _review_log_after(review) -> str:
    """The review log from the review events made before `review` on (its log entry, written
    with it, is a moment newer: the page starts at the next one)."""
    key = RECENT_FIRST.key_of(SimpleNamespace(created_at=review.created_at, pk=0))
    return f"{reverse('wiki:log')}?{urlencode({'type': LogEntry.Type.REVIEW, 'from': key})}"


@login_required
def profile(request):
    """Edit one's own display name and credentials; admins edit anyone's in the admin."""
    person = getattr(request.user, "contributor", None)  # made on a first edit or save here
    if person is None:
        person = Contributor(user=request.user, name=contributor_name_for(request.user))
    form = ProfileForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        person = form.save()  # saving a contributor retires cached pages (wiki.caching)
        messages.success(request, gettext("Your profile was saved."))
        return redirect("wiki:profile")
    return render(
        request,
        "wiki/contributor_profile.html",
        {
            "form": form,
            "person": person,
            **tokens_context(request),
            **bot_passwords_context(request),
        },
    )
