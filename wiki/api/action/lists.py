"""The query's list= modules (each also a generator): allpages, categorymembers, backlinks,
search and recentchanges. Each takes its own prefixed parameters and answers (items, continue)."""

from django.db.models import Q

from ... import search as wiki_search
from ...editorial.revision_hiding import shown_to
from ...models import Article, Revision
from ...permissions import by_bot
from ...titles import InvalidTitle, title_to_slug, validate_title
from .params import (
    CATEGORY_PREFIX,
    Failure,
    Params,
    after_continue,
    by_user,
    in_time_window,
    mark_hidden,
    timestamp,
)


class Items(list):
    """A list's items; `info` is extra output beside them (searchinfo)."""

    info: dict | None = None


def _paged(queryset, lp: Params, key: str, next_value):
    limit = lp.limit()
    rows = list(queryset[: limit + 1])
    cont = {key: next_value(rows[limit])} if len(rows) > limit else {}
    return Items({"pageid": a.pk, "ns": 0, "title": a.title} for a in rows[:limit]), cont


# allpages


REDIRECT_FILTERS = {"redirects": False, "nonredirects": True}  # filterredir: redirect_to__isnull


def list_allpages(ap: Params, p: Params):
    if ap.get("namespace", "0") not in ("0", ""):
        return Items(), {}
    articles = Article.objects.order_by("title").only("title", "slug", "redirect_to")
    start = ap.get("continue") or ap.get("from")
    if start:
        articles = articles.filter(title__gte=start.replace("_", " "))
    if prefix := ap.get("prefix"):
        articles = articles.filter(title__startswith=prefix.replace("_", " "))
    if to := ap.get("to"):
        articles = articles.filter(title__lte=to.replace("_", " "))
    redirects = ap.get("filterredir", "all")
    if redirects in REDIRECT_FILTERS:
        articles = articles.filter(redirect_to__isnull=REDIRECT_FILTERS[redirects])
    return _paged(articles, ap, "apcontinue", lambda a: a.title)


# categorymembers, backlinks


def list_categorymembers(cm: Params, p: Params):
    title = cm.get("title", "")
    if not title:
        raise Failure("invalidcategory", 'The "cmtitle" parameter must be set.')
    name = title.removeprefix(CATEGORY_PREFIX).replace("_", " ").strip()
    if not title.startswith(CATEGORY_PREFIX):
        raise Failure("invalidcategory", "The category name you entered is not valid.")
    articles = Article.objects.filter(categories__name=name).order_by("title")
    if start := cm.get("continue"):
        articles = articles.filter(title__gte=start)
    if cm.get("dir") in ("desc", "descending"):
        raise Failure("badvalue", "Only ascending order is supported.")
    return _paged(articles, cm, "cmcontinue", lambda a: a.title)


def list_backlinks(bl: Params, p: Params):
    raw = bl.get("title", "")
    try:
        slug = title_to_slug(validate_title(raw))
    except InvalidTitle:
        raise Failure("invalidtitle", f'Bad title "{raw}".') from None
    articles = (
        Article.objects.in_language().filter(outgoing_links__target_slug=slug).order_by("title")
    )
    redirects = bl.get("filterredir", "all")
    if redirects in REDIRECT_FILTERS:
        articles = articles.filter(redirect_to__isnull=REDIRECT_FILTERS[redirects])
    if start := bl.get("continue"):
        articles = articles.filter(title__gte=start)
    return _paged(articles, bl, "blcontinue", lambda a: a.title)


# search


def _search_item(hit, props: list[str]) -> dict:
    item = {"ns": 0, "title": hit.article.title, "pageid": hit.article.pk}
    if "size" in props:
        item["size"] = hit.article.size
    if "snippet" in props:
        item["snippet"] = (
            str(hit.snippet)
            .replace("<mark>", '<span class="searchmatch">')
            .replace("</mark>", "</span>")
        )
    if "timestamp" in props and hit.article.updated_at:
        item["timestamp"] = timestamp(hit.article.updated_at)
    return item


def _title_search(sr: Params, what: str):
    """srwhat=title (titles holding every word) or nearmatch (the title itself, any case)."""
    words = sr.get("search", "").split()
    if not words:
        raise Failure("missingparam", 'The "srsearch" parameter must be set.')
    articles = Article.objects.order_by("title")
    if what == "nearmatch":
        articles = articles.filter(title__iexact=" ".join(words).replace("_", " "))
    for word in words if what == "title" else ():
        articles = articles.filter(title__icontains=word)
    found = list(articles)
    limit, offset = sr.limit(most=50), max(0, sr.int("offset", 0) or 0)
    props = sr.list("prop", "size|wordcount|timestamp|snippet")
    items = Items()
    for article in found[offset : offset + limit]:
        item = {"ns": 0, "title": article.title, "pageid": article.pk}
        if "size" in props:
            item["size"] = article.size
        if "wordcount" in props:
            item["wordcount"] = len(article.source.split())
        if "snippet" in props:
            item["snippet"] = ""
        if "timestamp" in props and article.updated_at:
            item["timestamp"] = timestamp(article.updated_at)
        items.append(item)
    if what == "title":  # MediaWiki counts no hits for a near match
        items.info = {"totalhits": len(found)}
    cont = {"sroffset": offset + limit} if offset + limit < len(found) else {}
    return items, cont


def list_search(sr: Params, p: Params):
    if (what := sr.get("what", "text")) in ("title", "nearmatch"):
        return _title_search(sr, what)
    try:
        results = wiki_search.results_for(sr.get("search", ""))
    except wiki_search.QueryTooLong as exc:
        raise Failure("toolong", str(exc)) from None
    if not results.query:
        raise Failure("missingparam", 'The "srsearch" parameter must be set.')
    limit = sr.limit(most=50)
    offset = max(0, sr.int("offset", 0) or 0)
    hits = results[offset : offset + limit] if offset < len(results) else []
    props = sr.list("prop", "size|wordcount|timestamp|snippet")
    items = Items(_search_item(hit, props) for hit in hits)
    items.info = {"totalhits": results.total}
    cont = {"sroffset": offset + limit} if offset + limit < len(results) else {}
    return items, cont


# recentchanges


# rcshow: a bot's change is one by an account in the Bots group, an anonymous change is an
# imported one (no user).
SHOWN = {
    "minor": Q(minor=True),
    "!minor": Q(minor=False),
    "bot": Q(by_bot=True),
    "!bot": Q(by_bot=False),
    "anon": Q(user__isnull=True),
    "!anon": Q(user__isnull=False),
    "redirect": Q(article__redirect_to__isnull=False),
    "!redirect": Q(article__redirect_to__isnull=True),
}


def _changes_shown(revisions, rc: Params):
    """rcshow=minor|!minor|bot|!bot|anon|!anon|redirect|!redirect and rctype=new|edit."""
    for name in rc.list("show"):
        if name in SHOWN:
            revisions = revisions.filter(SHOWN[name])
    types = rc.list("type")
    if types:
        kinds = Q()
        if "new" in types:
            kinds |= Q(kind=Revision.Kind.CREATE)
        if "edit" in types:
            kinds |= ~Q(kind=Revision.Kind.CREATE)
        revisions = revisions.filter(kinds)
    return revisions


def _change_item(info: Revision, p: Params) -> dict:
    created = info.kind == Revision.Kind.CREATE
    item = {
        "type": "new" if created else "edit",
        "ns": 0,
        "title": info.title,
        "pageid": info.article_id,
        "revid": info.pk,
        "old_revid": info.parent_id or 0,
        "rcid": info.pk,
        "user": info.contributor.name if info.contributor else "Importer",
        "timestamp": timestamp(info.created_at),
        "comment": info.summary,
        "oldlen": max(0, info.size - info.size_delta),
        "newlen": info.size,
    }
    p.set_flag(item, "minor", info.minor)
    p.set_flag(item, "new", created)
    p.set_flag(item, "bot", info.by_bot)
    return item


def list_recentchanges(rc: Params, p: Params):
    newer = rc.get("dir", "older") == "newer"
    order = ("created_at", "revision_id") if newer else ("-created_at", "-revision_id")
    revisions = (
        Revision.objects.select_related("contributor").annotate(by_bot=by_bot()).order_by(*order)
    )
    revisions = after_continue(revisions, rc, newer=newer)
    revisions = in_time_window(revisions, rc, newer=newer)
    revisions = by_user(_changes_shown(revisions, rc), rc)
    limit = rc.limit()
    rows = list(revisions[: limit + 1])
    cont = {}
    if len(rows) > limit:
        nxt = rows[limit]
        cont["rccontinue"] = f"{nxt.created_at.isoformat()}|{nxt.pk}"  # to the microsecond
    shown = shown_to(p.request.user, rows[:limit])
    return Items(_mark(_change_item(info, p), info, p) for info in shown), cont


def _mark(item: dict, info: Revision, p: Params) -> dict:
    mark_hidden(item, info, p)
    return item


LISTS = {
    "allpages": list_allpages,
    "categorymembers": list_categorymembers,
    "backlinks": list_backlinks,
    "search": list_search,
    "recentchanges": list_recentchanges,
}
LIST_PREFIX = {
    "allpages": "ap",
    "categorymembers": "cm",
    "backlinks": "bl",
    "search": "sr",
    "recentchanges": "rc",
}
