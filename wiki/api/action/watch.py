"""action=watch (and unwatch), action=clearhasmsg, list=watchlist and list=watchlistraw, in
MediaWiki 1.39's shapes, through the watching capability's services."""

from ...editorial.revision_hiding import shown_to
from ...models import Article, Revision
from ...permissions import by_bot
from ...titles import InvalidTitle, validate_title
from ...watching.models import Watch
from ...watching.watches import unwatch_page, watch_page
from .edit import check_editor
from .lists import Items, _change_item, _mark
from .params import Failure, Params, after_continue


def action_watch(request, p: Params) -> dict:
    """title= or titles= (several, |-separated); unwatch= takes them off the watchlist."""
    check_editor(request, p)
    names = p.list("titles") or ([p.get("title")] if p.get("title") else [])
    if not names:
        raise Failure("missingparam", 'The "titles" parameter must be set.')
    unwatch = p.flag("unwatch")
    answered = []
    for raw in names:
        try:
            title = validate_title(raw)
        except InvalidTitle:
            answered.append({"title": raw, "invalid": "" if not p.v2 else True})
            continue
        (unwatch_page if unwatch else watch_page)(user=request.user, title=title)
        entry = {"ns": 0, "title": title}
        p.set_flag(entry, "unwatched" if unwatch else "watched", True)
        answered.append(entry)
    return {"batchcomplete": True if p.v2 else "", "watch": answered}


def action_clearhasmsg(request, p: Params) -> dict:
    """Talk-page messages are told by notifications here: there is no flag to clear."""
    return {"clearhasmsg": "success"}


def list_watchlist(wl: Params, p: Params):
    """The changes to the pages the signed-in user watches, newest first (wldir=newer:
    oldest), with wlshow=minor|!minor; continues by wlcontinue."""
    user = p.request.user
    if not user.is_authenticated:
        raise Failure("notloggedin", "Please log in to view or edit items on your watchlist.")
    slugs = Watch.objects.filter(user=user).values_list("slug", flat=True)
    newer = wl.get("dir", "older") == "newer"
    order = ("created_at", "revision_id") if newer else ("-created_at", "-revision_id")
    revisions = (
        Revision.objects.filter(article__slug__in=list(slugs))
        .annotate(
            by_bot=by_bot()
        )  # each change says whether a bot made it, as in list=recentchanges
        .order_by(*order)
    )
    revisions = after_continue(revisions.select_related("contributor"), wl, newer=newer)
    shown = set(wl.list("show"))
    if "minor" in shown:
        revisions = revisions.filter(minor=True)
    if "!minor" in shown:
        revisions = revisions.filter(minor=False)
    limit = wl.limit()
    rows = list(revisions[: limit + 1])
    cont = {}
    if len(rows) > limit:
        cont["wlcontinue"] = f"{rows[limit].created_at.isoformat()}|{rows[limit].pk}"
    props = wl.list("prop", "ids|title|flags")
    items = Items()
    for info in shown_to(user, rows[:limit]):
        full = _mark(_change_item(info, p), info, p)
        item = {"type": full["type"], "ns": 0, "title": full["title"]}
        if "ids" in props:
            item.update(pageid=full["pageid"], revid=full["revid"], old_revid=full["old_revid"])
        if "flags" in props:
            p.set_flag(item, "new", full["type"] == "new")
            p.set_flag(item, "minor", info.minor)
            p.set_flag(item, "bot", False)
        for key in ("user", "timestamp", "comment"):
            if key in props and key in full:
                item[key] = full[key]
        if "sizes" in props:
            item.update(oldlen=full["oldlen"], newlen=full["newlen"])
        items.append(item)
    return items, cont


def list_watchlistraw(wr: Params, p: Params):
    """The signed-in user's watched pages ({ns, title}; a watch covers the talk page too,
    which the API does not list: no namespace here holds talk pages), by title; wrlimit,
    continued by wrcontinue ("ns|Title")."""
    user = p.request.user
    if not user.is_authenticated:
        raise Failure("notloggedin", "Please log in to view or edit items on your watchlist.")
    slugs = list(Watch.objects.filter(user=user).values_list("slug", flat=True))
    titles = {slug: slug.replace("_", " ") for slug in slugs}
    titles.update(Article.objects.by_slugs(slugs).values_list("slug", "title"))
    pages = sorted((0, title) for title in titles.values())
    if cont := wr.get("continue"):
        ns, _, title = cont.partition("|")
        if not ns.isdigit():
            raise Failure("badcontinue", "Invalid continue param.")
        pages = [page for page in pages if page >= (int(ns), title.replace("_", " "))]
    limit = wr.limit()
    items = Items({"ns": ns, "title": title} for ns, title in pages[:limit])
    more = {"wrcontinue": f"{pages[limit][0]}|{pages[limit][1]}"} if len(pages) > limit else {}
    return items, more
