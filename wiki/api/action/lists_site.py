"""The query's list= modules about the whole site, in MediaWiki 1.39's shapes: allusers,
random, allcategories, allimages, embeddedin (in `templates`) and exturlusage. Each takes its
prefixed parameters and answers (items, continue)."""

import random
import re

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db.models import Count, Q

from ...media.models import MediaFile
from ...models import Article, Category
from .lists import Items
from .meta import user_entry
from .params import Failure, Params, timestamp
from .template_links import list_embeddedin

FILE_NS, FILE_PREFIX = 6, "File:"
URL = re.compile(r"https?://[^\s<>\"'\])]+")


def user_name(name: str) -> str:
    return name[:1].upper() + name[1:]


def _rest(rows: list, limit: int, key: str, value) -> tuple[list, dict]:
    if len(rows) > limit:
        return rows[:limit], {key: value(rows[limit])}
    return rows, {}


def list_allusers(au: Params, p: Params):
    """aufrom, auprefix, aulimit, auprop=editcount|groups|registration; continues by aufrom."""
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    if start := au.get("from"):
        users = users.filter(username__gte=start.replace("_", " "))
    if prefix := au.get("prefix"):
        users = users.filter(username__istartswith=prefix.replace("_", " "))
    limit = au.limit()
    rows, cont = _rest(list(users[: limit + 1]), limit, "aufrom", lambda u: u.username)
    props = au.list("prop")
    items = Items(user_entry(user, props, p) for user in rows)
    return items, cont


def list_random(rn: Params, p: Params):
    """rnlimit random articles (rnnamespace=0; rnfilterredir)."""
    if rn.list("namespace") and "0" not in rn.list("namespace"):
        return Items(), {}
    articles = Article.objects.all()
    redirects = rn.get("filterredir", "nonredirects")
    if redirects != "all":
        articles = articles.filter(redirect_to__isnull=redirects == "nonredirects")
    chosen = articles.order_by("?")[: rn.limit(default=1)]
    # As MediaWiki, always where to go on: the next answer is another random draw.
    cont = {"rncontinue": f"{random.random():.16f}|{random.random():.16f}|0|0"}
    return Items({"id": a.pk, "ns": 0, "title": a.title} for a in chosen), cont


def list_allcategories(ac: Params, p: Params):
    """acfrom, acprefix, aclimit, acprop=size; continues by accontinue (the next name)."""
    categories = Category.objects.order_by("name")
    start = ac.get("continue") or ac.get("from")
    if start:
        categories = categories.filter(name__gte=start.replace("_", " "))
    if prefix := ac.get("prefix"):
        categories = categories.filter(name__startswith=prefix.replace("_", " "))
    categories = categories.annotate(n_pages=Count("articles", distinct=True))
    categories = categories.annotate(n_files=Count("media", distinct=True))
    limit = ac.limit()
    rows, cont = _rest(list(categories[: limit + 1]), limit, "accontinue", lambda c: c.name)
    items = Items()
    for category in rows:
        item: dict = {}
        p.named(item, "category", category.name)
        if "size" in ac.list("prop"):
            subcats = category.children.count()
            item.update(
                size=category.n_pages + category.n_files + subcats,
                pages=category.n_pages,
                files=category.n_files,
                subcats=subcats,
            )
        items.append(item)
    return items, cont


def image_info(media: MediaFile, props: list[str], request) -> dict:
    """One version of a file as MediaWiki's imageinfo (and allimages) describe it."""
    info: dict = {}
    first = media.revisions.select_related("contributor").order_by("created_at").first()
    if "timestamp" in props:
        info["timestamp"] = timestamp(media.updated_at)
    if "user" in props:
        who = first.contributor.name if first and first.contributor else "Importer"
        info["user"] = user_name(who)
    if "size" in props:
        info.update(size=0, width=media.width, height=media.height)
        try:
            info["size"] = default_storage.size(media.file)
        except OSError:
            pass
    if "sha1" in props:
        info["sha1"] = media.sha256[:40]
    if "mime" in props:
        info["mime"] = f"image/{media.format.lower()}"
    if "url" in props:
        info["url"] = request.build_absolute_uri(default_storage.url(media.file))
        info["descriptionurl"] = request.build_absolute_uri(media.get_absolute_url())
        info["descriptionshorturl"] = info["descriptionurl"]
    if "comment" in props:
        info["comment"] = first.summary if first else ""
    return info


def list_allimages(ai: Params, p: Params):
    """aifrom, aiprefix, ailimit, aiprop (timestamp|url by default); continues by aicontinue."""
    files = MediaFile.objects.order_by("name")
    start = ai.get("continue") or ai.get("from")
    if start:
        files = files.filter(name__gte=start.replace("_", " "))
    if prefix := ai.get("prefix"):
        files = files.filter(name__startswith=prefix.replace("_", " "))
    limit = ai.limit()
    rows, cont = _rest(list(files[: limit + 1]), limit, "aicontinue", lambda m: m.slug)
    props = ai.list("prop", "timestamp|url")
    items = Items()
    for media in rows:
        item = {"name": media.slug}
        item.update(image_info(media, props, p.request))
        item.update(ns=FILE_NS, title=FILE_PREFIX + media.name)
        items.append(item)
    return items, cont


def _urls_matching(source: str, query: str, protocol: str) -> list[str]:
    found = []
    for url in URL.findall(source):
        scheme, _, rest = url.partition("://")
        if protocol and scheme != protocol:
            continue
        if not query or rest.startswith(query) or rest.startswith(query.lstrip("*.")):
            found.append(url)
    return found


def list_exturlusage(eu: Params, p: Params):
    """The articles whose current text links to euquery (a host and path; no query: every
    link), by euprotocol; continues by eucontinue (here a count of links given)."""
    query, protocol = eu.get("query", ""), eu.get("protocol", "")
    protocol = protocol.rstrip(":/")
    needle = query.lstrip("*.") or "://"
    articles = Article.objects.filter(Q(lead__contains=needle) | Q(sections__body__contains=needle))
    found = []
    for article in articles.distinct().order_by("pk"):
        for url in _urls_matching(article.source, query, protocol):
            found.append({"pageid": article.pk, "ns": 0, "title": article.title, "url": url})
    raw = eu.get("continue") or "0"
    if not raw.isdigit():
        raise Failure("badcontinue", "Invalid continue param.")
    offset, limit = int(raw), eu.limit()
    cont = {"eucontinue": str(offset + limit)} if offset + limit < len(found) else {}
    return Items(found[offset : offset + limit]), cont


SITE_LISTS = {
    "allusers": list_allusers,
    "random": list_random,
    "allcategories": list_allcategories,
    "allimages": list_allimages,
    "embeddedin": list_embeddedin,
    "exturlusage": list_exturlusage,
}
SITE_PREFIX = {
    "allusers": "au",
    "random": "rn",
    "allcategories": "ac",
    "allimages": "ai",
    "embeddedin": "ei",
    "exturlusage": "eu",
}
