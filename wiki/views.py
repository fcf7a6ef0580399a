"""Reading views: the article page and the pages around one article."""

import re
from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse

from .models import Article
from .page_cache import public_page
from .permissions import can_delete, can_edit, is_editor, is_reviewer
from .reading import article_page, reviewed_article_page
from .redirects import section_of
from .review.services import review_state, shows_reviewed_revision
from .titles import InvalidTitle, is_talk_title, title_to_slug, validate_title
from .watching.watches import page_visited


def bad_request(request, message: str):
    return render(request, "400.html", {"exception": message}, status=400)


REDIRECT_MAX_AGE = 3600  # seconds a browser may follow a redirect page without asking


def canonical_redirect(request, slug: str, view_name: str):
    """/wiki/foo_bar or /wiki/foo bar -> /wiki/Foo_bar (same action), or None when canonical."""
    canonical = title_to_slug(slug)
    if canonical and canonical != slug:
        url = reverse(view_name, args=[canonical])
        if request.META.get("QUERY_STRING"):
            url += "?" + request.META["QUERY_STRING"]
        response = HttpResponsePermanentRedirect(url)
        # Browsers keep a 301 for good unless told otherwise: the page may stop redirecting.
        response["Cache-Control"] = f"public, max-age={REDIRECT_MAX_AGE}"
        return response
    return None


def missing_article(request, slug: str):
    """The 404 of a title no article has: it says when the page was deleted (with who, when
    and why, to editors, and the way to undelete it, to administrators)."""
    from .editorial.logs import latest_deletion

    try:
        title = validate_title(slug)
    except InvalidTitle:
        raise Http404("No article has this title.") from None
    return render(
        request,
        "wiki/missing.html",
        {
            "title": title,
            "slug": title_to_slug(title),
            "can_create": can_edit(request.user, None),
            "deletion": latest_deletion(title),
            "is_editor": is_editor(request.user),
            "can_undelete": can_delete(request.user),
        },
        status=404,
    )


def article_view(request, slug: str):
    if response := canonical_redirect(request, slug, "wiki:article"):
        return response
    # Unordered: the slug is unique, and an ORDER BY costs more to build than to run.
    found = Article.objects.filter(slug=slug).select_related("redirect_to").order_by()[:1]
    article = next(iter(found), None)
    if is_talk_title(slug) and (article is None or not article.redirect_to_id):
        from .talk.views import talk_page

        return talk_page(request, slug, article)
    if article is None:
        return missing_article(request, slug)
    redirected_from = request.GET.get("redirectedfrom", "")
    # One hop only, as MediaWiki: a redirect reached through a redirect (a double redirect,
    # or a loop) is shown, not followed.
    if article.redirect_to_id and request.GET.get("redirect") != "no" and not redirected_from:
        url = article.redirect_to.get_absolute_url() + f"?redirectedfrom={article.slug}"
        if section := section_of(article):
            url += "#" + quote(re.sub(r"\s+", "_", section), safe="/:._-~!$&'()*+,;=@")
        response = HttpResponsePermanentRedirect(url)
        # Browsers keep a 301 for good unless told otherwise: the page may stop redirecting.
        response["Cache-Control"] = f"public, max-age={REDIRECT_MAX_AGE}"
        return response
    watching = page_visited(request.user, article.title)
    review = review_state(article)
    page = None
    if shows_reviewed_revision(article, request.user):
        page = reviewed_article_page(article)
    # The review the shown text had: none when it is newer than the last reviewed revision.
    shown_review = review.review if page is not None or review.is_current else None
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
            "is_reviewer": is_reviewer(request.user),
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
