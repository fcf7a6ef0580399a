"""The query's list= modules that look things up by name, in MediaWiki 1.39's shapes: users
(named accounts, `missing` for a name no account has) and imageusage (the articles whose
current text shows a file; also as a generator), continued by iucontinue."""

from django.contrib.auth import get_user_model

from ...models import Article, MediaUse
from .lists import Items
from .lists_site import FILE_PREFIX, user_name
from .meta import user_entry
from .params import Failure, Params


def list_users(us: Params, p: Params):
    """ususers=A|B, usprop=blockinfo|groups|editcount|registration."""
    props, items = us.list("prop"), Items()
    accounts = get_user_model().objects.filter(is_active=True)
    for raw in us.list("users"):
        name = raw.replace("_", " ").strip()
        user = accounts.filter(username__iexact=name).first()
        if user is None:
            item = {"name": user_name(name)}
            p.set_flag(item, "missing", True)
            items.append(item)
            continue
        items.append(user_entry(user, props, p))
    return items, {}


def list_imageusage(iu: Params, p: Params):
    """iutitle (a File: title), iulimit; the articles by id, continued by "0|page id"."""
    title = iu.get("title")
    if not title:
        raise Failure("missingparam", 'The "iutitle" parameter must be set.')
    slug = title.removeprefix(FILE_PREFIX).strip().replace(" ", "_")
    ids = MediaUse.objects.filter(media_slug=slug).values_list("article_id", flat=True)
    articles = Article.objects.filter(pk__in=ids).order_by("pk")
    if cont := iu.get("continue"):
        start = cont.rpartition("|")[2]
        if not start.isdigit():
            raise Failure("badcontinue", "Invalid continue param.")
        articles = articles.filter(pk__gte=int(start))
    limit = iu.limit()
    rows = list(articles[: limit + 1])
    items = Items({"pageid": a.pk, "ns": 0, "title": a.title} for a in rows[:limit])
    return items, ({"iucontinue": f"0|{rows[limit].pk}"} if len(rows) > limit else {})


LOOKUP_LISTS = {"users": list_users, "imageusage": list_imageusage}
LOOKUP_PREFIX = {"users": "us", "imageusage": "iu"}
