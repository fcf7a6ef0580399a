"""The report form under every article, and the editors' triage pages (private to editors)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from ..antiabuse.captcha import add_captcha
from ..article_urls import article_from_url
from ..keyset import RECENT_FIRST, keyset_page
from ..limits import client_address
from ..models import Article
from ..permissions import is_editor
from .forms import ReportForm, TriageForm
from .models import Report
from .services import (
    ReportThrottled,
    TriageRefused,
    fix_choices,
    report_file,
    report_sections,
    report_triage,
    reports_queue,
    state_counts,
)

QUEUE_PAGE_SIZE = 50
SHOWN = [("open", "Open"), *Report.State.choices, ("all", "All")]


@article_from_url()  # its redirect to the canonical title may be cached, as every one's
@never_cache
def report(request, article: Article):
    """ "Report a problem with this article": anyone may, signed in or not."""
    sections = report_sections(article)
    if request.method == "POST":
        form = _with_captcha(request, ReportForm(request.POST, sections=sections))
        if form.is_valid():
            try:
                report_file(
                    article=article,
                    draft=form.draft(),
                    user=request.user,
                    address=client_address(request),
                    trap=form.cleaned_data["website"],
                )
            except ReportThrottled as throttled:
                form.add_error(None, str(throttled))
                response = _form_page(request, article, form, status=429)
                response["Retry-After"] = str(throttled.seconds)
                return response
            return redirect(reverse("wiki:report_article", args=[article.slug]) + "?sent=1")
        return _form_page(request, article, form, status=400)
    if request.GET.get("sent"):
        return render(request, "wiki/report_sent.html", {"article": article})
    initial = {}
    if request.GET.get("section") in sections:
        initial["section"] = request.GET["section"]
    if request.user.is_authenticated and request.user.email:
        initial["email"] = request.user.email
    form = ReportForm(initial=initial, sections=sections)
    return _form_page(request, article, _with_captcha(request, form))


def _with_captcha(request, form):
    """A reader who is not signed in answers a captcha with the report."""
    return form if request.user.is_authenticated else add_captcha(form)


def _form_page(request, article, form, status=200):
    return render(
        request, "wiki/report_form.html", {"article": article, "form": form}, status=status
    )


def editors_only(view):
    """Reports are private: a visitor signs in first; a signed-in reader who is not an editor
    is refused (403)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_editor(request.user):
            raise PermissionDenied(gettext("Only editors can read reader reports."))
        return view(request, *args, **kwargs)

    return wrapper


@never_cache
@editors_only
def queue(request):
    """The triage queue: the open reports by default, newest first, filtered by article."""
    shown = request.GET.get("show", "open")
    if shown not in dict(SHOWN):
        shown = "open"
    article = None
    if title := request.GET.get("article", "").strip():
        article = Article.objects.by_title(title).first()
    reports = reports_queue(state=shown, article=article)
    filters = {"show": shown, **({"article": title} if article else {})}
    page = keyset_page(reports, RECENT_FIRST, request.GET, size=QUEUE_PAGE_SIZE, extra=filters)
    counts = state_counts()
    return render(
        request,
        "wiki/reports.html",
        {
            "page": page,
            "shown": shown,
            "tabs": [(key, label, counts.get(key)) for key, label in SHOWN],
            "article": article,
            "article_title": title,
        },
    )


@never_cache
@editors_only
def detail(request, report_id: int):
    """One report, and the editor's triage form."""
    report = get_object_or_404(
        Report.objects.select_related("article", "fixed_by", "duplicate_of", "handled_by"),
        pk=report_id,
    )
    revisions = fix_choices(report)
    status = 200
    if request.method == "POST":
        form = TriageForm(request.POST, revisions=revisions)
        if form.is_valid():
            try:
                report = report_triage(report=report, user=request.user, triage=form.triage())
            except TriageRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request,
                    gettext("Report %(pk)s is now “%(get_state_display)s”.")
                    % {"pk": report.pk, "get_state_display": report.get_state_display()},
                )
                return redirect(reverse("wiki:reports") + f"?show={report.state}")
        status = 400
    else:
        form = TriageForm(
            initial={
                "state": report.state,
                "fixed_by": report.fixed_by_id,
                "duplicate_of": report.duplicate_of_id,
                "reply": report.reply,
            },
            revisions=revisions,
        )
    return render(
        request,
        "wiki/report.html",
        {
            "report": report,
            "form": form,
            "duplicates": report.duplicates.order_by("pk"),
        },
        status=status,
    )
