"""Reading views: the article page and the pages around one article."""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from .antiabuse.holding import pending_held_titles
from .article_urls import NO_ARTICLE, REDIRECT_MAX_AGE, article_from_url, missing_article
from .languages import language_codes, language_name, url_in
from .models import Article
from .page_cache import public_page
from .permissions import can_edit, is_reviewer
from .reading import ArticlePage, article_page, page_summary, reviewed_article_page
from .review.services import (
    ReviewState,
    edits_after,
    next_review_due,
    review_state,
    shown_check,
    shows_reviewed_revision,
)
from .talk.views import talk_page
from .titles import is_talk_title, title_to_slug
from .translating import made_from_reviewed, outdated, source_article
from .translations import translations_of
from .watching.watches import page_visited


@dataclass
class ShownText:
    """Which text of an article a user is shown, and the review marks it carries."""

    review: ReviewState
    reviewed_page: ArticlePage | None  # the stable revision's page, when that is what is shown
    revision_id: int | None
    shown_review: object | None  # the medical review (a Review) of the text shown, if any
    checked: object | None  # else its "checked" mark (a Review), if it has one


def shown_text(article: Article, user) -> ShownText:
    review = review_state(article)
    page = reviewed_article_page(article) if shows_reviewed_revision(article, user) else None
    shown_id = page.revision_id if page is not None else article.latest_revision_id
    # The medical review the shown text had: none when it is only checked, or newer.
    shown_review = review.review if shown_id == article.reviewed_revision_id else None
    checked = shown_check(article, shown_id) if shown_review is None else None
    return ShownText(review, page, shown_id, shown_review, checked)


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
    shown = shown_text(article, request.user)
    review, page = shown.review, shown.reviewed_page
    shown_id, shown_review, checked = shown.revision_id, shown.shown_review, shown.checked
    reviewer = is_reviewer(request.user)
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
            # The reader's own edits of this article that wait for an editor's review.
            "held_edits": pending_held_titles(request.user).count(article.title),
            # The same subject in other languages: the language menu, hreflang, JSON-LD.
            "translations": (translations := translations_of(article)),
            **translation_context(request, article, translations),
        },
    )
    updated = article.updated_at.timestamp() if article.updated_at else None
    response = public_page(request, response, updated)
    if article.is_protected and article.protection_expires:
        # Its protection note ends at the expiry, which no save marks: not kept server-side.
        response.page_cacheable = False
    return response


def translation_context(request, article: Article, translations) -> dict:
    """What the article page says about translating it (`wiki.translating`): the languages
    to translate it into (those its group, `translations`, lacks), its source's changes since
    (editors; readers per the setting), and whether it was made from a medically reviewed
    revision. The source is looked up once, and only for a translation."""
    if article.redirect_to_id or ":" in article.slug:
        return {}
    have = {article.language, *(t.language for t in translations)}
    found = {
        "translate_into": [
            {
                "language": code,
                "name": language_name(code),
                "url": url_in(code, "wiki:translate", args=[article.language, article.slug]),
            }
            for code in language_codes()
            if code not in have
        ]
    }
    if article.translated_from_id and (source := source_article(article)) is not None:
        editor = can_edit(request.user, article)
        if editor or settings.WIKI_SHOW_OUTDATED_TO_READERS:
            if late := outdated(article, source):
                found["translation_outdated"] = {
                    "source": source,
                    "language": language_name_in_interface(source.language),
                    "diff_url": late.diff_url,
                    "may_mark": editor,
                }
        if made_from_reviewed(article):
            found["translated_reviewed"] = language_name_in_interface(source.language)
    return found


def language_name_in_interface(code: str) -> str:
    """A language's name as a sentence of the reader's interface language says it ("English",
    "inglés", "الإنجليزية"); a language the catalogues do not name: its own name."""
    names = {
        "en": pgettext_lazy("language in a sentence", "English"),
        "es": pgettext_lazy("language in a sentence", "Spanish"),
        "ar": pgettext_lazy("language in a sentence", "Arabic"),
    }
    return str(names.get(code) or language_name(code))


@article_from_url(missing_ok=True)
def article_summary(request, article: Article | None, slug: str):
    """`/wiki/<title>/summary`: what a page preview shows (title, the lead's first sentences,
    the first image, the review state) as JSON, cached and purged as the page is."""
    if article is None:
        return JsonResponse({"error": "not_found", "message": NO_ARTICLE}, status=404)
    if article.redirect_to_id:
        target = HttpResponsePermanentRedirect(
            reverse("wiki:summary", args=[article.redirect_to.slug])
        )
        target["Cache-Control"] = f"public, max-age={REDIRECT_MAX_AGE}"
        return target
    shown = shown_text(article, request.user)
    page = shown.reviewed_page or article_page(article)
    response = JsonResponse(
        page_summary(
            article,
            page,
            absolute=request.build_absolute_uri,
            review=shown.review,
            shown_review=shown.shown_review,
            checked=shown.checked,
        ),
        json_dumps_params={"ensure_ascii": False},
    )
    updated = article.updated_at.timestamp() if article.updated_at else None
    return public_page(request, response, updated)
