"""The simple prop= modules that say more of each page, in MediaWiki 1.39's shapes: images
(the media files the text shows), extlinks, contributors, and imageinfo for File: pages;
langlinks and pageprops answer nothing (no page here has any), so MediaWiki leaves their
keys out."""

from ...media.models import MediaFile
from ...models import Article, MediaUse, Revision
from .lists_site import FILE_NS, FILE_PREFIX, URL, image_info
from .params import Params


def prop_images(article: Article, entry: dict, p: Params, request) -> None:
    slugs = sorted(
        set(MediaUse.objects.filter(article=article).values_list("media_slug", flat=True))
    )
    if slugs:
        entry["images"] = [
            {"ns": FILE_NS, "title": FILE_PREFIX + s.replace("_", " ")} for s in slugs
        ]


def prop_extlinks(article: Article, entry: dict, p: Params, request) -> None:
    urls = list(dict.fromkeys(URL.findall(article.source)))
    if urls:
        entry["extlinks"] = [p.wrapped(url) if not p.v2 else {"url": url} for url in urls]


def prop_contributors(article: Article, entry: dict, p: Params, request) -> None:
    """The accounts that edited the page (by id), and how many edits came from no account."""
    revisions = Revision.objects.filter(article_id=article.pk)
    users = (
        revisions.filter(user__isnull=False)
        .values_list("user_id", "user__username")
        .distinct()
        .order_by("user_id")
    )
    if users:
        entry["contributors"] = [
            {"userid": uid, "name": name[:1].upper() + name[1:]} for uid, name in users
        ]
    anonymous = revisions.filter(user__isnull=True).count()
    if anonymous:
        entry["anoncontributors"] = anonymous


def prop_nothing(article: Article, entry: dict, p: Params, request) -> None:
    """langlinks, pageprops: no page here has any, and MediaWiki then leaves the key out."""


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
    "images": prop_images,
    "extlinks": prop_extlinks,
    "contributors": prop_contributors,
    "langlinks": prop_nothing,
    "pageprops": prop_nothing,
    "imageinfo": prop_nothing,  # for File: pages (file_pages); an article has no file
}
