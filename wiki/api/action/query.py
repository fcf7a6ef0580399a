"""action=query: the pages asked for with their prop= modules, the list= and meta= modules,
warnings for the names it does not know, and where to continue."""

from .lists import LIST_PREFIX, LISTS
from .lists_history import HISTORY_LISTS, HISTORY_PREFIX
from .lists_lookup import LOOKUP_LISTS, LOOKUP_PREFIX
from .lists_site import SITE_LISTS, SITE_PREFIX
from .meta import META
from .page_sets import PROPS, PageSet, page_entry, page_set
from .params import CONTENT_MODEL, Params
from .prop_continued import CONTINUED_PROPS
from .prop_links import prop_links
from .prop_pages import category_pages, file_pages
from .prop_revisions import prop_revisions
from .template_links import prop_templates
from .watch import list_watchlist, list_watchlistraw


def _unknown(parameter: str, name: str) -> str:
    return f'Unrecognized value for parameter "{parameter}": {name}.'


DEPRECATIONS = "rvdiffto is deprecated in MediaWiki 1.39 (use action=compare); it is served."
PROP_PREFIXES = {"pl", "rv", "cl", "tl", "im", "el", "ll", "pp", "pc", "ii"}
WATCH_LISTS = {"watchlist": list_watchlist, "watchlistraw": list_watchlistraw}
WATCH_PREFIX = {"watchlist": "wl", "watchlistraw": "wr"}
ALL_LISTS = LISTS | HISTORY_LISTS | SITE_LISTS | LOOKUP_LISTS | WATCH_LISTS
ALL_PREFIXES = LIST_PREFIX | HISTORY_PREFIX | SITE_PREFIX | LOOKUP_PREFIX | WATCH_PREFIX


def _add_lists(p: Params, query: dict, cont: dict, warnings: list[str]) -> None:
    for name in p.list("list"):
        if name not in ALL_LISTS:
            warnings.append(_unknown("list", name))
            continue
        items, more = ALL_LISTS[name](p.with_prefix(ALL_PREFIXES[name]), p)
        query[name] = items
        cont.update(more)
        if name == "search" and (info := getattr(items, "info", None)):
            query["searchinfo"] = info


def _add_metas(request, p: Params, query: dict, warnings: list[str]) -> None:
    for name in p.list("meta"):
        if name not in META:
            warnings.append(_unknown("meta", name))
            continue
        query.update(META[name](request, p))


def _asks_for_pages(pages: PageSet, p: Params) -> bool:
    return bool(pages.articles or pages.missing) or any(
        p.has(name) for name in ("titles", "generator", "pageids", "revids")
    )


def _page_entries(request, pages: PageSet, p: Params, cont: dict, warnings: list[str]) -> dict:
    """The entry of each page found, by article id, with what each prop= module says."""
    entries = {a.pk: page_entry(a, p) for a in pages.articles}
    for name in p.list("prop"):
        if name == "revisions":
            prop_revisions(pages, entries, p, cont)
        elif name == "links":
            prop_links(pages, entries, p, cont)
        elif name == "templates":
            prop_templates(pages, entries, p, cont)
        elif name in CONTINUED_PROPS:
            CONTINUED_PROPS[name](pages, entries, p, cont)
        elif name in PROPS:
            for article in pages.articles:
                PROPS[name](article, entries[article.pk], p, request)
        else:
            warnings.append(_unknown("prop", name))
    return entries


def _missing_entries(pages: PageSet, p: Params) -> list[tuple[int, dict]]:
    """Pages not found (or not valid), numbered -1, -2, … as MediaWiki does."""
    missing = []
    for index, entry in enumerate(pages.missing, start=1):
        if "invalid" not in entry:
            p.set_flag(entry, "missing", True)
            if "info" in p.list("prop"):
                entry["contentmodel"] = CONTENT_MODEL
        missing.append((-index, entry))
    return missing


def _add_pages(request, pages: PageSet, p: Params, query: dict, cont, warnings) -> None:
    entries = _page_entries(request, pages, p, cont, warnings)
    missing = _missing_entries(pages, p)
    if "imageinfo" in p.list("prop"):
        file_pages([e for _, e in missing], p)
    if "categoryinfo" in p.list("prop"):
        category_pages([e for _, e in missing], p)
    if p.v2:
        query["pages"] = [e for _, e in missing] + list(entries.values())
    else:
        query["pages"] = {str(k): e for k, e in missing} | {str(k): e for k, e in entries.items()}
    if p.flag("indexpageids"):
        query["pageids"] = [str(k) for k, _ in missing] + [str(k) for k in entries]
    if pages.normalized:
        query["normalized"] = pages.normalized
    if pages.redirects:
        query["redirects"] = pages.redirects


def _generator_position(p: Params) -> dict:
    """The generator's continuation as the client sent it (gapcontinue, gsroffset…)."""
    return {
        key: value
        for key, value in p.data.items()
        if key.startswith("g") and key.endswith(("continue", "offset")) and value
    }


def action_query(request, p: Params) -> dict:
    query: dict = {}
    warnings: list[str] = []
    cont: dict = {}
    pages, generator_cont = page_set(p)
    _add_lists(p, query, cont, warnings)
    _add_metas(request, p, query, warnings)
    if _asks_for_pages(pages, p):
        _add_pages(request, pages, p, query, cont, warnings)
    props_complete = not any(key[:2] in PROP_PREFIXES for key in cont)
    if props_complete:
        cont.update(generator_cont)
    elif p.get("generator"):  # as MediaWiki: the generator stays on these pages until
        cont.update(_generator_position(p))  # their props are complete
    result: dict = {}
    if props_complete:
        result["batchcomplete"] = True if p.v2 else ""
    if cont:
        result["continue"] = {**cont, "continue": "-||"}
    if warnings:
        result["warnings"] = {"query": {"warnings" if p.v2 else "*": "\n".join(warnings)}}
    if p.has("rvdiffto") and "revisions" in p.list("prop"):
        notes = result.setdefault("warnings", {})
        notes["main"] = {"warnings" if p.v2 else "*": DEPRECATIONS}
        notes["revisions"] = {
            "warnings" if p.v2 else "*": 'The parameter "rvdiffto" has been deprecated.'
        }
    if p.v2 is False and not query:
        return result
    result["query"] = query
    return result
