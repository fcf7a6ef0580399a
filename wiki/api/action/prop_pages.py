"""The simple prop= modules that say more of each page, in MediaWiki 1.39's shapes: imageinfo
for File: pages; pageprops answers nothing (no page here has any), so MediaWiki leaves its key
out. (images, extlinks, langlinks and contributors, whose lists may be long, are in
`prop_continued`.)"""

from ...media.models import MediaFile
from ...models import Article
from .lists_site import FILE_NS, FILE_PREFIX, image_info
from .params import CATEGORY_NS, CATEGORY_PREFIX, Params


def prop_nothing(article: Article, entry: dict, p: Params, request) -> None:
    """pageprops: no page here has any, and MediaWiki then leaves the key out."""


def file_pages(missing: list[dict], p: Params) -> None:
    """prop=imageinfo: each File: page asked for that names an uploaded file gets its
    `imageinfo` (iiprop, timestamp|user by default) and `imagerepository`. A file here has no
    wiki page of its own, so its entry stays `missing` and is `known`, as MediaWiki shows a
    file from a shared repository."""
    props = p.with_prefix("ii").list("prop", "timestamp|user")
    for entry in missing:
        if entry.get("ns") != FILE_NS:
            continue
        name = entry["title"].removeprefix(FILE_PREFIX)
        media = MediaFile.objects.filter(slug=name.replace(" ", "_")).first()
        if media is None:
            entry["imagerepository"] = ""
            continue
        p.set_flag(entry, "known", True)
        entry["imagerepository"] = "local"
        entry["imageinfo"] = [image_info(media, props, p.request)]


PAGE_PROPS = {
    "pageprops": prop_nothing,
    "imageinfo": prop_nothing,  # for File: pages (file_pages); an article has no file
}


def category_pages(missing: list[dict], p: Params) -> None:
    """prop=categoryinfo: each Category: page asked for gets its counts (a category here has
    articles and no files or subcategories), as MediaWiki gives them for a category that has
    members but no page of its own."""
    for entry in missing:
        if entry.get("ns") != CATEGORY_NS:
            continue
        name = entry["title"].removeprefix(CATEGORY_PREFIX)
        count = Article.objects.filter(categories__name=name).count()
        if count:
            entry["categoryinfo"] = {"size": count, "pages": count, "files": 0, "subcats": 0}
