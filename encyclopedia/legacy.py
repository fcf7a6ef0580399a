"""MediaWiki's URLs, answered with permanent redirects to ours, so links from a migrated
WikiMD site (and search engines' memory of them) keep working.

/index.php?title=X[&action=edit|history|info][&section=N][&oldid=N][&diff=N], /index.php?curid=N,
/index.php/X, /wiki/Special:Search?search=, /wiki/Special:Random, /wiki/Category:X …
"""

from urllib.parse import urlencode

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.translation import gettext

from wiki.models import MAX_ID, Article, Revision
from wiki.titles import InvalidTitle, normalize_title, title_to_slug, validate_title

CATEGORY_PREFIX = "Category:"
SPECIAL_PREFIX = "Special:"
MAIN_PAGE = "Main Page"  # MediaWiki's front page; ours is "/" unless an article has the title


def _moved(path: str, **query) -> HttpResponsePermanentRedirect:
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return HttpResponsePermanentRedirect(path + (f"?{urlencode(query)}" if query else ""))


def _digits(value: str | None) -> int | None:
    """A number from the query string; one too big to be any id is a 404."""
    if not (value and value.isdigit()):
        return None
    if int(value) > MAX_ID:
        raise Http404(gettext("No page has this number."))
    return int(value)


def special_page(name: str, params) -> HttpResponsePermanentRedirect:
    """MediaWiki's special pages this wiki has a page for (`SPECIAL_PAGES` lists them), in any
    case, to the wiki's own page; any other is a 404 (with the search box)."""
    name, _, target = name.partition("/")
    key = name.replace(" ", "").replace("_", "").lower()
    if key not in SPECIAL_PAGES:
        raise Http404(gettext("This wiki has no such special page."))
    if key == "search":
        return _moved("/search", q=params.get("search") or params.get("q") or target)
    if key in ACCOUNT_PAGES:
        return _account_page(key, params)
    if key in {"permanentlink", "diff"}:
        return _revision_link(key, target, params)
    if key in SITE_PAGES:
        return _moved(reverse(SITE_PAGES[key]))
    if key == "recentchanges":
        return _moved("/recent-changes")
    if key == "log":
        return _moved(
            reverse("wiki:log"),
            type=target or params.get("type"),
            performer=params.get("user"),
            target=params.get("page"),
        )
    if key == "upload":
        return _moved(reverse("wiki:upload"), name=params.get("wpDestFile"))
    if key in {"pendingchanges", "unreviewedpages", "oldreviewedpages"}:  # FlaggedRevs' lists
        return _moved(
            reverse("wiki:review_queue"), show="never" if key == "unreviewedpages" else None
        )
    if (moved := _page_about_one(key, target, params)) is not None:
        return moved
    raise Http404(gettext("This wiki has no such special page."))


def _page_about_one(key: str, target: str, params) -> HttpResponsePermanentRedirect | None:
    """The special pages about one article or one person, named after the slash or by a
    parameter; None when none is named."""
    if key == "export":
        target = target or params.get("pages", "").strip().split("\n")[0]
        if not target:
            return None
        return _moved(reverse("wiki:export", args=[_slug(target)]), history=params.get("history"))
    if key in ARTICLE_TOOLS and (target := target or params.get("target", "")):
        return _moved(reverse(ARTICLE_TOOLS[key], args=[_slug(target)]))
    if key in PERSON_PAGES:
        parameter, url_name = PERSON_PAGES[key]
        if target := target or params.get(parameter, ""):
            return _moved(reverse(url_name, args=[target.strip().replace(" ", "_")]))
    return None


# MediaWiki's special pages (lower case, without spaces) the site has an equivalent for;
# `special_page` answers each (tests/test_legacy_urls.py follows every one to its page).
SPECIAL_PAGES = (
    "search random randompage allpages index recentchanges whatlinkshere contributions log "
    "upload movepage export undelete block pendingchanges unreviewedpages oldreviewedpages "
    "watchlist editwatchlist createaccount userlogin login preferences changepassword "
    "changecredentials passwordreset permanentlink diff doubleredirects brokenredirects"
).split()
ACCOUNT_PAGES = {
    "createaccount": "register",
    "userlogin": "login",
    "login": "login",
    "preferences": "wiki:preferences",
    "changepassword": "password_change",
    "changecredentials": "password_change",
    "passwordreset": "password_reset",
}
# Special pages that go to one page of the site whatever their parameters.
SITE_PAGES = {
    "random": "encyclopedia:random",
    "randompage": "encyclopedia:random",
    "allpages": "encyclopedia:index_start",
    "index": "encyclopedia:index_start",
    "watchlist": "wiki:watchlist",
    "editwatchlist": "wiki:edit_watchlist",
    "doubleredirects": "wiki:redirect_problems",
    "brokenredirects": "wiki:redirect_problems",
}
# Special pages about one article (`target=`) and about one person (the parameter named).
ARTICLE_TOOLS = {
    "whatlinkshere": "wiki:links",
    "movepage": "wiki:move",
    "undelete": "wiki:undelete",
}
PERSON_PAGES = {
    "block": ("wpTarget", "wiki:block"),
    "contributions": ("target", "wiki:contributor"),
}


def _account_page(key: str, params) -> HttpResponsePermanentRedirect:
    """Sign-in (with MediaWiki's `returnto` title as `next`), sign-up and the account pages."""
    if key in {"userlogin", "login"} and params.get("type") == "signup":
        key = "createaccount"
    if ACCOUNT_PAGES[key] != "login":
        return _moved(reverse(ACCOUNT_PAGES[key]))
    back = params.get("returnto", "").strip()
    return _moved(
        reverse("login"), next=reverse("wiki:article", args=[_slug(back)]) if back else None
    )


def _revision_link(key: str, target: str, params) -> HttpResponsePermanentRedirect:
    """Special:PermanentLink/N (an old revision), Special:Diff/N and Special:Diff/A/B."""
    numbers = [_digits(part) for part in target.split("/")] if target else []
    if key == "permanentlink":
        numbers = numbers or [_digits(params.get("oldid"))]
    if not numbers or None in numbers or len(numbers) > (1 if key == "permanentlink" else 2):
        raise Http404(gettext("Name a revision by its number, as in Special:Diff/123."))
    newest = numbers[-1]
    slug = _title_of_revision(newest)
    if slug is None:
        raise Http404(gettext("No revision has this number."))
    if key == "permanentlink":
        return _moved(reverse("wiki:revision", args=[slug, newest]))
    older = (
        numbers[0]
        if len(numbers) == 2
        else (Revision.objects.filter(pk=newest).values_list("parent_id", flat=True).first())
    )
    return _moved(reverse("wiki:diff", args=[slug]), **{"from": older, "to": newest})


def _slug(title: str) -> str:
    try:
        return title_to_slug(validate_title(title))
    except InvalidTitle:
        raise Http404(gettext("This title is not valid.")) from None


def _title_of_revision(revision_id: int) -> str | None:
    """The current title of the article a revision belongs to (it may have been renamed)."""
    revision = Revision.objects.filter(pk=revision_id).only("article_id", "title").first()
    if revision is None:
        return None
    article = Article.objects.filter(pk=revision.article_id).only("slug").first()
    return article.slug if article else revision.title


def index_php(request, path: str = ""):
    params = request.GET
    title = normalize_title(params.get("title") or path)
    oldid, diff = _digits(params.get("oldid")), params.get("diff", "")
    if not title and params.get("search"):
        return special_page("Search", params)
    if not title and "curid" in params:
        # MediaWiki's page ids are not kept by the importer: guessing would send a reader to
        # another article, permanently; the 404 page offers the search box instead.
        raise Http404(gettext("Old page numbers do not name pages here."))
    if not title and (oldid or _digits(diff)):
        title = _title_of_revision(oldid or int(diff)) or ""
    if not title or (title == MAIN_PAGE and not Article.objects.by_title(title).exists()):
        return _moved("/")
    if title.startswith(SPECIAL_PREFIX):
        return special_page(title[len(SPECIAL_PREFIX) :], params)
    if title.startswith(CATEGORY_PREFIX):
        return _moved(reverse("wiki:category", args=[_slug(title[len(CATEGORY_PREFIX) :])]))
    slug = _slug(title)
    if (moved := _old_revision(slug, oldid, diff)) is not None:
        return moved
    return _article_action(slug, params)


# `?action=` of an article, to the page doing it here (edit, with its section, apart).
ARTICLE_ACTIONS = {
    "history": "wiki:history",
    "raw": "wiki:source",
    "info": "wiki:info",
    "delete": "wiki:delete",
    "protect": "wiki:protect",
    "unprotect": "wiki:protect",
}


def _old_revision(slug: str, oldid: int | None, diff: str) -> HttpResponsePermanentRedirect | None:
    """`?diff=N[&oldid=M]`, `?diff=prev&oldid=N` and `?oldid=N`; None for the current text."""
    if _digits(diff):
        older = (
            oldid
            or Revision.objects.filter(pk=int(diff)).values_list("parent_id", flat=True).first()
        )
        return _moved(reverse("wiki:diff", args=[slug]), **{"from": older, "to": diff})
    if diff == "prev" and oldid:
        older = Revision.objects.filter(pk=oldid).values_list("parent_id", flat=True).first()
        return _moved(reverse("wiki:diff", args=[slug]), **{"from": older, "to": oldid})
    if oldid:
        return _moved(reverse("wiki:revision", args=[slug, oldid]))
    return None


def _article_action(slug: str, params) -> HttpResponsePermanentRedirect:
    """The page for `?action=` (`view` when there is none)."""
    action = params.get("action", "view")
    if action in {"edit", "submit"}:
        return _moved(reverse("wiki:edit", args=[slug]), section=_digits(params.get("section")))
    if action in ARTICLE_ACTIONS:
        return _moved(reverse(ARTICLE_ACTIONS[action], args=[slug]))
    return _moved(
        reverse("wiki:article", args=[slug]),
        printable="yes" if params.get("printable") == "yes" else None,
    )


def wiki_namespace(request, namespace: str, name: str):
    """/wiki/Special:… and /wiki/Category:…, which our article URLs do not have."""
    if namespace == "Special":
        return special_page(name, request.GET)
    return _moved(reverse("wiki:category", args=[_slug(name)]))
