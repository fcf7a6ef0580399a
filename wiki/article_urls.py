"""From the title in a URL to the article a view acts on, in one place.

Every view that takes a title is wrapped by `article_from_url`: it sends a non-canonical
spelling to the canonical URL of the same view, asks who must be signed in to sign in, loads
the article (following a redirect page for readers, or the deletion of a deleted one), answers
404 for a title no article has, checks who may act, and calls the view with the article.
"""

import re
from functools import wraps
from urllib.parse import quote

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from .editorial.logs import latest_deletion
from .models import Article
from .permissions import can_delete, can_edit, is_editor
from .redirects import section_of
from .titles import InvalidTitle, is_talk_title, talk_title_of, title_to_slug, validate_title

REDIRECT_MAX_AGE = 3600  # seconds a browser may follow a redirect page without asking
NO_ARTICLE = gettext_lazy("No article has this title.")
NO_DELETED_PAGE = gettext_lazy("No deleted page has this title.")
ADMINS_ONLY = gettext_lazy("Only administrators can do this.")


def _permanent_redirect(request, url: str):
    """A 301 for a reader; a 308 for a form's post, which keeps its method and fields."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponsePermanentRedirect(url, preserve_request=True)
    response = HttpResponsePermanentRedirect(url)
    # Browsers keep a 301 for good unless told otherwise: the page may stop redirecting.
    response["Cache-Control"] = f"public, max-age={REDIRECT_MAX_AGE}"
    return response


def canonical_redirect(request, slug: str, url_kwargs: dict):
    """/wiki/foo_bar/history or /wiki/foo bar/history -> /wiki/Foo_bar/history (the same view,
    the same query string), or None when the URL already spells the title canonically."""
    canonical = title_to_slug(slug)
    if not canonical or canonical == slug:
        return None
    url = reverse(request.resolver_match.view_name, kwargs={**url_kwargs, "slug": canonical})
    if request.META.get("QUERY_STRING"):
        url += "?" + request.META["QUERY_STRING"]
    return _permanent_redirect(request, url)


def missing_article(request, slug: str):
    """The 404 of a title no article has: it says when the page was deleted (with who, when
    and why, to editors, and the way to undelete it, to administrators)."""
    try:
        title = validate_title(slug)
    except InvalidTitle:
        raise Http404(NO_ARTICLE) from None
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


def _followed_redirect(request, article: Article):
    """The 301 from a redirect page to its target (at the section it names), or None when the
    reader asked to see the redirect page itself. One hop only, as MediaWiki: a redirect
    reached through a redirect (a double redirect, or a loop) is shown, not followed."""
    if not article.redirect_to_id or request.GET.get("redirect") == "no":
        return None
    if request.GET.get("redirectedfrom"):
        return None
    url = article.redirect_to.get_absolute_url() + f"?redirectedfrom={article.slug}"
    if section := section_of(article):
        url += "#" + quote(re.sub(r"\s+", "_", section), safe="/:._-~!$&'()*+,;=@")
    return _permanent_redirect(request, url)


def _sign_in(request, slug: str, after_post: str | None):
    """The sign-in page, back to this page afterwards; a post (which cannot be repeated by a
    link) goes back to the `after_post` page of the article when one is named."""
    back = request.get_full_path()
    if request.method == "POST" and after_post:
        back = reverse(after_post, args=[slug])
    return redirect_to_login(back)


def _deleted(slug: str):
    """The deletion-log entry of a page that was deleted and is still gone, else 404."""
    entry = latest_deletion(slug.replace("_", " "))
    if entry is None or Article.objects.filter(pk=entry.article_id).exists():
        raise Http404(NO_DELETED_PAGE)
    return entry


def _load(slug: str) -> Article | None:
    # Unordered: the slug is unique, and an ORDER BY costs more to build than to run. The
    # redirect target comes in the same query: the reading view follows it, the exports name it.
    # So does whether an article's talk page exists, which its tabs show (`wiki_talk`).
    found = Article.objects.by_slug(slug).select_related("redirect_to").order_by()
    if not is_talk_title(slug):
        talk = Article.objects.by_slug(title_to_slug(talk_title_of(slug.replace("_", " "))))
        found = found.annotate(talk_page_exists=Exists(talk))
    return next(iter(found[:1]), None)


def article_from_url(
    *,
    missing_ok: bool = False,
    deleted: bool = False,
    follow_redirects: bool = False,
    sign_in: bool | str = False,
    only=None,
    may=None,
    refusal=ADMINS_ONLY,
):
    """Wrap a view of `/wiki/<title>/…` so that it is called as `view(request, article, **rest)`.

    - `missing_ok`: a title no article has reaches the view with `article=None` and the
      canonical `slug` (to create it, list what links to it, watch it); otherwise 404.
    - `deleted`: the view acts on a deleted page: it gets the page's deletion-log entry.
    - `follow_redirects`: a redirect page answers with a 301 to its target (the reading view).
    - `sign_in`: an anonymous visitor is sent to sign in first; a URL name here is where a
      post returns to after signing in (a post-only view cannot be opened by a link).
    - `only(user)`: who may use the view at all (administrators, say), asked before the
      title is looked up; `may(user, article)`: who may act on this article, asked after.
      Either answers PermissionDenied with `refusal` (a text, or a function of the user and
      the article) when it says no.
    """

    def refuse(request, article):
        said = refusal(request.user, article) if callable(refusal) else refusal
        raise PermissionDenied(said)

    def decorate(view):
        @wraps(view)
        def wrapper(request, slug: str, **url_kwargs):
            if response := canonical_redirect(request, slug, url_kwargs):
                return response
            if sign_in and not request.user.is_authenticated:
                return _sign_in(request, slug, sign_in if isinstance(sign_in, str) else None)
            if only is not None and not only(request.user):
                refuse(request, None)
            if deleted:
                article = _deleted(slug)
            else:
                article = _load(slug)
                if article is None and not missing_ok:
                    raise Http404(NO_ARTICLE)
                if article is not None and follow_redirects:
                    if response := _followed_redirect(request, article):
                        return response
            if may is not None and not may(request.user, article):
                refuse(request, article)
            if missing_ok:
                url_kwargs["slug"] = slug
            return view(request, article, **url_kwargs)

        return wrapper

    return decorate
