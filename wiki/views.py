"""Reading views: the article page and the pages around one article."""

from django.conf import settings
from django.shortcuts import render

from .article_urls import article_from_url, missing_article
from .models import Article
from .page_cache import public_page
from .permissions import is_reviewer
from .reading import article_page, reviewed_article_page
from .review.services import (
    edits_after,
    next_review_due,
    review_state,
    shown_check,
    shows_reviewed_revision,
)
from .talk.views import talk_page
from .titles import is_talk_title, title_to_slug
from .watching.watches import page_visited


def bad_request(request, message: str):
    return render(request, "400.html", {"exception": message}, status=400)


@article_from_url(missing_ok=True, follow_redirects=True)
def article_view(request, article: Article | None, slug: str):
    if is_talk_title(slug) and (article is None or not article.redirect_to_id):
        return talk_page(request, slug, article)
    if article is None:
        return missing_article(request, slug)
    redirected_from = request.GET.get("redirectedfrom", "")
    watching = page_visited(request.user, article.title)
    review = review_state(article)
    reviewer = is_reviewer(request.user)
    page = None
    if shows_reviewed_revision(article, request.user):
        page = reviewed_article_page(article)
    shown_id = page.revision_id if page is not None else article.latest_revision_id
    # The medical review the shown text had: none when it is only checked, or newer.
    shown_review = review.review if shown_id == article.reviewed_revision_id else None
    checked = shown_check(article, shown_id) if shown_review is None else None
    response = render(
        request,
        "wiki/article.html",
        {
            "page": page or article_page(article),
            "article": article,
            "redirected_from": redirected_from.replace("_", " ")[:255],
            "review": review,
            "shown_review": shown_review,
            "reading_reviewed": page is not None,
            # What the stable page shown is: "reviewed", or "checked" only (then no badge).
            "reading_level": "reviewed" if shown_review else "checked",
            "shown_check": checked,
            "stable_level": settings.WIKI_STABLE_LEVEL,
            "stable_revision_id": article.stable_revision_id,
            "edits_since_stable": edits_after(article, shown_id) if page is not None else 0,
            "is_reviewer": reviewer,
            # Reviewers alone are told when the next review is due.
            "next_review_due": next_review_due(article, review.review.created_at)
            if reviewer and review.review
            else None,
            # A never reviewed article: reviewers mark its current text from the page itself.
            "review_target": {"pk": article.latest_revision_id}
            if article.reviewed_revision_id is None and article.latest_revision_id
            else None,
            "review_policy_url": settings.WIKI_REVIEW_POLICY_URL,
            "redirected_from_slug": title_to_slug(redirected_from[:255]),
            "tabs_watching": watching,
        },
    )
    updated = article.updated_at.timestamp() if article.updated_at else None
    response = public_page(request, response, updated)
    if article.is_protected and article.protection_expires:
        # Its protection note ends at the expiry, which no save marks: not kept server-side.
        response.page_cacheable = False
    return response
