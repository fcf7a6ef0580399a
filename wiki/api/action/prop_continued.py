"""The prop= modules whose lists may be long, answered page set by page set as MediaWiki
1.39 answers them: at most `xxlimit` items (10 unless asked) across all the pages, ordered by
page id, and a `continue` saying where the next answer starts: categories (`clcontinue`,
"page id|Category_name"), images (`imcontinue`, "page id|File_name"), contributors
(`pccontinue`, "page id|user id"), extlinks (`elcontinue`, "page id|n") and langlinks
(`llcontinue`, "page id|language")."""

from django.utils import translation
from django.utils.translation import get_language_info

from ...languages import language_name
from ...models import Article, MediaUse, Revision
from .lists_site import FILE_NS, FILE_PREFIX, URL
from .params import CATEGORY_NS, CATEGORY_PREFIX, Failure, Params

Row = tuple[int, object, dict]  # page id, where it sorts in the page, the item


def _resume(rows: list[Row], lp: Params, cast) -> tuple[list[Row], int | None]:
    """The rows from where "page id|key" left off, and that page id."""
    if not lp.get("continue"):
        return rows, None
    page_raw, _, key_raw = lp.get("continue").partition("|")
    try:
        start = (int(page_raw), cast(key_raw))
    except ValueError:
        raise Failure("badcontinue", "Invalid continue param.") from None
    return [row for row in rows if (row[0], row[1]) >= start], start[0]


def _fill(rows: list[Row], entries: dict, key: str, lp: Params, cont: dict, write) -> list[Row]:
    """Puts the first `limit` rows in their pages' entries under `key`; the row after them
    is written into `cont` by `write`. Answers the rows given."""
    limit = lp.limit()
    for page_id, _, item in rows[:limit]:
        entries[page_id].setdefault(key, []).append(item)
    if len(rows) > limit:
        cont[lp.prefix + "continue"] = write(rows[limit])
    return rows[:limit]


def prop_categories(pages, entries: dict, p: Params, cont: dict) -> None:
    ids = [a.pk for a in pages.articles]
    through = Article.categories.through.objects.filter(article_id__in=ids)
    rows = sorted(
        (page_id, name.replace(" ", "_"), {"ns": CATEGORY_NS, "title": CATEGORY_PREFIX + name})
        for page_id, name in through.values_list("article_id", "category__name")
    )
    rows, _ = _resume(rows, p.with_prefix("cl"), str)
    _fill(rows, entries, "categories", p.with_prefix("cl"), cont, lambda r: f"{r[0]}|{r[1]}")


def prop_images(pages, entries: dict, p: Params, cont: dict) -> None:
    uses = MediaUse.objects.filter(article__in=pages.articles)
    pairs = set(uses.values_list("article_id", "media_slug"))
    rows = sorted(
        (page_id, slug, {"ns": FILE_NS, "title": FILE_PREFIX + slug.replace("_", " ")})
        for page_id, slug in pairs
    )
    rows, _ = _resume(rows, p.with_prefix("im"), str)
    _fill(rows, entries, "images", p.with_prefix("im"), cont, lambda r: f"{r[0]}|{r[1]}")


def prop_extlinks(pages, entries: dict, p: Params, cont: dict) -> None:
    """Each page's http(s) addresses, in the order of its text (`elcontinue`: "page id|n")."""
    rows = []
    for article in pages.articles:
        for n, url in enumerate(dict.fromkeys(URL.findall(article.source))):
            rows.append((article.pk, n, {"url": url} if p.v2 else {"*": url}))
    rows, _ = _resume(sorted(rows, key=lambda r: r[:2]), p.with_prefix("el"), int)
    _fill(rows, entries, "extlinks", p.with_prefix("el"), cont, lambda r: f"{r[0]}|{r[1]}")


def prop_contributors(pages, entries: dict, p: Params, cont: dict) -> None:
    """The accounts that edited each page (by user id), and for each page still to be
    listed how many contributors without an account (imported ones) it had."""
    revisions = Revision.objects.filter(article__in=pages.articles)
    accounts = revisions.filter(user__isnull=False).values_list(
        "article_id", "user_id", "user__username"
    )
    rows = sorted(
        (page_id, uid, {"userid": uid, "name": name[:1].upper() + name[1:]})
        for page_id, uid, name in set(accounts)
    )
    pc = p.with_prefix("pc")
    rows, resumed = _resume(rows, pc, int)
    anonymous: dict[int, set] = {}
    for page_id, contributor in revisions.filter(user__isnull=True).values_list(
        "article_id", "contributor_id"
    ):
        if resumed is None or page_id >= resumed:
            anonymous.setdefault(page_id, set()).add(contributor)
    for page_id, contributors in anonymous.items():
        entries[page_id]["anoncontributors"] = len(contributors)
    _fill(rows, entries, "contributors", pc, cont, lambda r: f"{r[0]}|{r[1]}")


def _name_in(code: str, language: str) -> str:
    """A language's name in another ("Spanish", "Español", "الإسبانيّة"): in English where
    Django has no names in that one, and its own name where Django knows none for it."""
    try:
        name = get_language_info(code)["name_translated"]
    except KeyError:
        return language_name(code)
    with translation.override(language):
        return str(name)


def _known_language(code: str | None) -> str | None:
    """`code` if Django knows the language (a code from a request is never made a catalogue
    of its own: only known ones are activated), "en" for any other, None for none."""
    if not code:
        return None
    try:
        return get_language_info(code)["code"]
    except KeyError:
        return "en"


def prop_langlinks(pages, entries: dict, p: Params, cont: dict) -> None:
    """Each page's articles in other languages (its translation group), by language code:
    `lang` and `title`, with llprop=url (the article's address), langname (the language's
    name in llinlanguagecode's language: by default the one the API is asked in) and autonym
    (in itself); lllang keeps one language's, and lltitle (with lllang) only that title."""
    ll = p.with_prefix("ll")
    props, only, title = set(ll.list("prop")), ll.get("lang"), ll.get("title")
    names_in = _known_language(ll.get("inlanguagecode")) or translation.get_language()
    if title and not only:
        raise Failure("invalidparammix", 'The "lltitle" parameter requires "lllang".')
    groups = {a.pk: a.translation_group_id for a in pages.articles if a.translation_group_id}
    members = Article.objects.filter(translation_group_id__in=set(groups.values()))
    if only:
        members = members.filter(language=only, **({"title": title} if title else {}))
    in_group: dict[int, list[Article]] = {}
    for other in members.only("title", "slug", "language", "translation_group_id"):
        in_group.setdefault(other.translation_group_id, []).append(other)
    rows = []
    for page_id, group in groups.items():
        for other in (a for a in in_group.get(group, ()) if a.pk != page_id):
            item = {"lang": other.language}
            if "url" in props:
                item["url"] = p.request.build_absolute_uri(other.get_absolute_url())
            if "langname" in props:
                item["langname"] = _name_in(other.language, names_in)
            if "autonym" in props:
                item["autonym"] = language_name(other.language)
            ll.named(item, "title", other.title)
            rows.append((page_id, other.language, item))
    rows, _ = _resume(sorted(rows, key=lambda r: r[:2]), ll, str)
    _fill(rows, entries, "langlinks", ll, cont, lambda r: f"{r[0]}|{r[1]}")


CONTINUED_PROPS = {
    "langlinks": prop_langlinks,
    "categories": prop_categories,
    "images": prop_images,
    "extlinks": prop_extlinks,
    "contributors": prop_contributors,
}
