"""prop=links and generator=links: the wiki links in the pages' current text, from the stored
Link table (to pages that exist or not yet), in title order per page, continued by
plcontinue ("page id|namespace|title", as MediaWiki writes it)."""

from ...models import Article, Link
from .params import Failure, Params


def _link_titles(slugs) -> dict[str, str]:
    """Each target's title: the page's own where it exists, else the slug's words."""
    titles = {slug: slug.replace("_", " ") for slug in slugs}
    titles.update(Article.objects.by_slugs(titles).values_list("slug", "title"))
    return titles


def _after(pairs: list[tuple[int, str]], pl: Params) -> list[tuple[int, str]]:
    if not pl.get("continue"):
        return pairs
    page_raw, _, rest = pl.get("continue").partition("|")
    title = rest.partition("|")[2]
    if not page_raw.isdigit():
        raise Failure("badcontinue", "Invalid continue param.")
    start = (int(page_raw), title)
    return [pair for pair in pairs if pair >= start]


def links_of(articles: list[Article], pl: Params) -> tuple[list[tuple[int, str]], dict]:
    """(page id, linked title) pairs of `articles`, as many as pllimit allows, and where the
    next answer continues (under the key "continue", to be prefixed by the caller)."""
    rows = Link.objects.filter(source__in=articles).values_list("source_id", "target_slug")
    titles = _link_titles({slug for _, slug in rows})
    namespaces = pl.list("namespace")
    if namespaces and "0" not in namespaces:
        return [], {}  # every link here is to an article
    pairs = _after(sorted((source, titles[slug]) for source, slug in rows), pl)
    limit = pl.limit()
    cont = {}
    if len(pairs) > limit:
        source, title = pairs[limit]
        cont["continue"] = f"{source}|0|{title}"
    return pairs[:limit], cont


def prop_links(pages, entries: dict, p: Params, cont: dict) -> None:
    """Each page's links (MediaWiki leaves the key out of a page without any)."""
    pairs, more = links_of(pages.articles, p.with_prefix("pl"))
    for source, title in pairs:
        entries[source].setdefault("links", []).append({"ns": 0, "title": title})
    if more:
        cont["plcontinue"] = more["continue"]
