"""The pages a query acts on (titles=, pageids=, revids= or a generator) and what the simple
prop= modules (info, categories) say of each."""

from django.urls import reverse

from ...languages import is_rtl
from ...models import Article, Category, MediaUse, Revision
from ...titles import InvalidTitle, title_to_slug, validate_title
from .flagged import prop_flagged
from .lists import LIST_PREFIX, LISTS
from .lists_lookup import LOOKUP_PREFIX, list_imageusage
from .lists_site import FILE_NS, FILE_PREFIX, SITE_LISTS, SITE_PREFIX
from .params import CATEGORY_NS, CATEGORY_PREFIX, CONTENT_MODEL, Failure, Params, timestamp
from .prop_links import links_of
from .prop_pages import PAGE_PROPS
from .template_links import list_embeddedin, namespace_of, templates_of
from .watch import list_watchlistraw

SITE_GENERATORS = ("allcategories", "allimages", "random")
# The other lists of articles, as generators.
PAGE_LISTS = {"exturlusage": SITE_LISTS["exturlusage"], "imageusage": list_imageusage}


class PageSet:
    """The pages a query acts on: from titles=, pageids=, revids= or a generator."""

    def __init__(self):
        self.articles: list[Article] = []
        self.revids: dict[int, list[int]] = {}  # article id -> revisions asked for by revids=
        self.missing: list[dict] = []
        self.normalized: list[dict] = []
        self.redirects: list[dict] = []

    def add_title(self, raw: str, p: Params):
        if raw.startswith(FILE_PREFIX):
            name = raw[len(FILE_PREFIX) :].replace("_", " ").strip()
            self.missing.append({"ns": FILE_NS, "title": FILE_PREFIX + name})
            return
        if raw.startswith(CATEGORY_PREFIX):
            name = raw[len(CATEGORY_PREFIX) :].replace("_", " ").strip()
            self.missing.append({"ns": CATEGORY_NS, "title": CATEGORY_PREFIX + name})
            return
        try:
            title = validate_title(raw)
        except InvalidTitle as exc:
            entry = {"title": raw, "invalidreason": str(exc)}
            p.set_flag(entry, "invalid", True)
            self.missing.append(entry)
            return
        if title != raw:
            self.normalized.append({"from": raw, "to": title})
        article = Article.objects.by_slug(title_to_slug(title)).first()
        if article is not None and p.flag("redirects") and article.redirect_to_id:
            target = article.redirect_to
            self.redirects.append({"from": article.title, "to": target.title})
            article = target
        if article is None:
            self.missing.append({"ns": namespace_of(title), "title": title})
        else:
            self.add(article)

    def add(self, article: Article):
        if article not in self.articles:
            self.articles.append(article)


def _categories_of_titles(p: Params) -> PageSet:
    """generator=categories: the categories of the given pages, as (missing) pages."""
    given, pages = PageSet(), PageSet()
    for raw in p.list("titles"):
        given.add_title(raw, p)
    names = Category.objects.filter(articles__in=given.articles).distinct()
    for name in names.order_by("name").values_list("name", flat=True):
        pages.missing.append({"ns": CATEGORY_NS, "title": CATEGORY_PREFIX + name})
    return pages


def _images_of_titles(p: Params) -> PageSet:
    """generator=images: the files the given pages show, as File: pages (see imageinfo)."""
    given, pages = PageSet(), PageSet()
    for raw in p.list("titles"):
        given.add_title(raw, p)
    slugs = MediaUse.objects.filter(article__in=given.articles).values_list("media_slug", flat=True)
    for slug in sorted(set(slugs)):
        pages.missing.append({"ns": FILE_NS, "title": FILE_PREFIX + slug.replace("_", " ")})
    return pages


def _links_of_titles(p: Params) -> tuple[PageSet, dict]:
    """generator=links: the pages the given pages link to (missing ones as missing pages)."""
    given, pages = PageSet(), PageSet()
    for raw in p.list("titles"):
        given.add_title(raw, p)
    ids = [int(i) for i in p.list("pageids") if i.isdigit()]
    given.articles += Article.objects.filter(pk__in=ids).order_by("pk")
    pairs, more = links_of(given.articles, p.with_prefix("gpl"))
    for _, title in pairs:
        pages.add_title(title, p)
    return pages, {"gplcontinue": more["continue"]} if more else {}


def _templates_of_titles(p: Params) -> tuple[PageSet, dict]:
    """generator=templates: the templates the given pages use (missing ones as missing)."""
    given, pages = PageSet(), PageSet()
    for raw in p.list("titles"):
        given.add_title(raw, p)
    ids = [int(i) for i in p.list("pageids") if i.isdigit()]
    given.articles += Article.objects.filter(pk__in=ids).order_by("pk")
    pairs, more = templates_of(given.articles, p.with_prefix("gtl"))
    for title in sorted({title for _, title in pairs}):
        pages.add_title(title, p)
    return pages, {"gtlcontinue": more["continue"]} if more else {}


def _site_generated(pages: PageSet, generator: str, p: Params) -> dict:
    """generator=allcategories|allimages: the category or file pages (which have no page
    of their own here, so are `missing`), and generator=random: articles."""
    items, more = SITE_LISTS[generator](p.with_prefix("g" + SITE_PREFIX[generator]), p)
    for item in items:
        if generator == "random":
            pages.add(Article.objects.get(pk=item["id"]))
        elif generator == "allimages":
            pages.missing.append({"ns": FILE_NS, "title": item["title"]})
        else:
            name = item.get("category", item.get("*"))
            pages.missing.append({"ns": CATEGORY_NS, "title": CATEGORY_PREFIX + name})
    return {"g" + key: value for key, value in more.items()}


def _watched(pages: PageSet, p: Params) -> dict:
    """generator=watchlistraw: the watched articles."""
    items, more = list_watchlistraw(p.with_prefix("gwr"), p)
    for item in items:
        pages.add_title(item["title"], p)
    return {"g" + key: value for key, value in more.items()}


def _add_generated(pages: PageSet, generator: str, p: Params) -> dict:
    """The pages a list module gives as a generator; answers its continue, g-prefixed."""
    if generator in SITE_GENERATORS:
        return _site_generated(pages, generator, p)
    if generator == "watchlistraw":
        return _watched(pages, p)
    lists = LISTS | PAGE_LISTS | {"embeddedin": list_embeddedin}
    prefixes = LIST_PREFIX | SITE_PREFIX | LOOKUP_PREFIX | {"embeddedin": "ei"}
    if generator not in lists:
        raise Failure("badvalue", f'Unrecognized value for parameter "generator": {generator}.')
    items, more = lists[generator](p.with_prefix("g" + prefixes[generator]), p)
    found = Article.objects.in_bulk([i["pageid"] for i in items if i.get("pageid")])
    for item in items:
        if item.get("pageid") in found:
            pages.add(found[item["pageid"]])
    return {"g" + key: value for key, value in more.items()}


def _add_revisions(pages: PageSet, p: Params) -> None:
    """revids=: each revision's article, remembering which of its revisions were asked for."""
    revids = [int(i) for i in p.list("revids") if i.isdigit()]
    for info in Revision.objects.filter(pk__in=revids).order_by("pk"):
        article = Article.objects.filter(pk=info.article_id).first()
        if article is not None:
            pages.add(article)
            pages.revids.setdefault(article.pk, []).append(info.pk)


def page_set(p: Params) -> tuple[PageSet, dict]:
    if p.get("generator") == "categories":
        return _categories_of_titles(p), {}
    if p.get("generator") == "links":
        return _links_of_titles(p)
    if p.get("generator") == "images":
        return _images_of_titles(p), {}
    if p.get("generator") == "templates":
        return _templates_of_titles(p)
    pages, cont = PageSet(), {}
    if generator := p.get("generator"):
        cont = _add_generated(pages, generator, p)
    for raw in p.list("titles"):
        pages.add_title(raw, p)
    ids = [int(i) for i in p.list("pageids") if i.isdigit()]
    for article in Article.objects.filter(pk__in=ids).order_by("pk"):
        pages.add(article)
    _add_revisions(pages, p)
    return pages, cont


def page_entry(article: Article, p: Params) -> dict:
    return {"pageid": article.pk, "ns": namespace_of(article.title), "title": article.title}


def prop_info(article: Article, entry: dict, p: Params, request) -> None:
    entry.update(
        contentmodel=CONTENT_MODEL,
        pagelanguage=article.language,
        pagelanguagehtmlcode=article.language,
        pagelanguagedir="rtl" if is_rtl(article.language) else "ltr",
        touched=timestamp(article.updated_at or article.created_at),
        lastrevid=article.latest_revision_id or 0,
        length=article.size,
    )
    p.set_flag(entry, "redirect", bool(article.redirect_to_id))
    if not article.revisions.exclude(pk=article.latest_revision_id).exists():
        entry["new"] = True if p.v2 else ""  # one revision, as MediaWiki marks it
    props = p.list("inprop")
    if "protection" in props:
        expiry = article.protection_expires
        until = timestamp(expiry) if expiry else "infinity"
        entry["protection"] = (
            [{"type": kind, "level": "sysop", "expiry": until} for kind in ("edit", "move")]
            if article.is_protected
            else []
        )
        entry["restrictiontypes"] = ["edit", "move"]
    if "url" in props:
        entry["fullurl"] = request.build_absolute_uri(article.get_absolute_url())
        entry["editurl"] = request.build_absolute_uri(reverse("wiki:edit", args=[article.slug]))
        entry["canonicalurl"] = entry["fullurl"]


def prop_categoryinfo(article: Article, entry: dict, p: Params, request) -> None:
    """Only a category page has category info; an article (which pywikibot's preloading asks
    about) has none, and MediaWiki then leaves the key out."""


PROPS = {
    "info": prop_info,
    "categoryinfo": prop_categoryinfo,
    "flagged": prop_flagged,
    **PAGE_PROPS,
}
