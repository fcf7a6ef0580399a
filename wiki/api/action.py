"""MediaWiki's Action API at /api.php, enough for existing clients (mwclient, bots) to read,
search, sign in and edit. Content is our Markdown (`contentmodel: markdown`).

Errors are answered as MediaWiki does: HTTP 200 with `{"error": {"code", "info"}}` and a
`MediaWiki-API-Error` header. Lists continue with `continue` (the client sends back what it
got). `formatversion=2` gives lists of pages, booleans and `content` instead of `*`.
"""

import datetime as dt
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth import login, logout
from django.db.models import Q
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt

from .. import search as wiki_search
from ..editing.services import EditRequest, article_edit_submit
from ..excerpts import excerpt
from ..limits import EditLimited, client_address
from ..models import Article, Category, Revision
from ..permissions import EditRefused, is_administrator, is_editor
from ..reading import article_page
from ..rendering import RenderTooComplex, render_markdown
from ..services import ArticleEdit, EditConflict, SourceTooLarge, TitleTaken
from ..snapshots import load_snapshots
from ..sources import normalize_newlines, section_text, source_size, split_source
from ..titles import InvalidTitle, title_to_slug, validate_title

logger = logging.getLogger(__name__)

GENERATOR = "MediaWiki 1.39.0 (Encyclopedia)"
CONTENT_MODEL, CONTENT_FORMAT = "markdown", "text/markdown"
CATEGORY_NS, CATEGORY_PREFIX = 14, "Category:"
NAMESPACES = {0: "", 14: "Category"}
MAX_LIMIT, MAX_CONTENT_LIMIT = 500, 50
EMPTY_TOKEN = "+\\"
# The young-account limits (wiki/limits.py) as MediaWiki names its refusals.
LIMIT_CODES = {"too_many_saves": "ratelimited", "too_many_links": "toomanyexternallinks"}


def refusal_failure(refused: EditRefused) -> "Failure":
    """The edit door's refusal as MediaWiki answers it: its error code, and its words."""
    if isinstance(refused, EditLimited):
        return Failure(LIMIT_CODES[refused.code], str(refused))
    if refused.code == "protected":
        return Failure("protectedpage", "This page has been protected to prevent editing.")
    if refused.code == "blocked":
        return Failure("blocked", str(refused))
    return Failure("permissiondenied", "You don't have permission to edit this page.")


class Failure(Exception):
    def __init__(self, code: str, info: str):
        super().__init__(info)
        self.code, self.info = code, info


class Params:
    """The request's parameters (POST over GET), read as MediaWiki reads them."""

    def __init__(self, request, prefix: str = ""):
        self.request = request
        self.data = request.GET.copy()
        self.data.update(request.POST)
        self.prefix = prefix
        self.v2 = self.data.get("formatversion") in ("2", "latest")

    def with_prefix(self, prefix: str) -> "Params":
        other = object.__new__(Params)
        other.__dict__.update(self.__dict__, prefix=prefix)
        return other

    def get(self, name: str, default=None):
        return self.data.get(self.prefix + name, default)

    def has(self, name: str) -> bool:
        return self.prefix + name in self.data

    def list(self, name: str, default: str = "") -> list[str]:
        raw = self.get(name, default) or ""
        return [v for v in raw.split("|") if v]

    def int(self, name: str, default: int | None = None) -> int | None:
        raw = self.get(name)
        if raw in (None, ""):
            return default
        try:
            return int(raw)
        except ValueError:
            raise Failure(
                "badinteger", f'Invalid value "{raw}" for integer parameter "{self.prefix}{name}".'
            ) from None

    def limit(self, name: str = "limit", default: int = 10, most: int = MAX_LIMIT) -> int:
        if self.get(name) == "max":
            return most
        return max(1, min(self.int(name, default), most))

    def flag(self, name: str) -> bool:
        return self.has(name) and self.get(name) not in ("0", "false")

    def set_flag(self, out: dict, key: str, value: bool) -> None:
        """fv1 writes a present flag as "", leaves a false one out; fv2 writes booleans."""
        if self.v2:
            out[key] = bool(value)
        elif value:
            out[key] = ""

    def text(self, out: dict, value: str) -> None:
        out["content" if self.v2 else "*"] = value


def timestamp(moment) -> str:
    return timezone.localtime(moment, timezone.get_fixed_timezone(0)).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(raw: str):
    """MediaWiki accepts 20260102030405 and ISO 8601."""
    raw = raw.strip()
    for fmt in ("%Y%m%d%H%M%S", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S"):
        try:
            return dt.datetime.strptime(raw, fmt).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    raise Failure("badtimestamp", f'Invalid value "{raw}" for timestamp parameter.')


# Tokens ---------------------------------------------------------------------------------


def csrf_token(request) -> str:
    """Bound to the signed-in session: a new session (sign-in) is a new token."""
    if not request.user.is_authenticated or not request.session.session_key:
        return EMPTY_TOKEN
    key = f"{request.user.pk}:{request.session.session_key}"
    return salted_hmac("wiki.api.action.csrf", key).hexdigest() + EMPTY_TOKEN


def login_token(request) -> str:
    token = request.session.get("api_login_token")
    if token is None:
        token = request.session["api_login_token"] = secrets.token_hex(16) + EMPTY_TOKEN
    return token


def check_token(request, sent: str | None, expected: str, name: str = "token") -> None:
    if not sent:
        raise Failure("missingparam", f'The "{name}" parameter must be set.')
    if expected == EMPTY_TOKEN and sent == EMPTY_TOKEN and request.user.is_authenticated:
        raise Failure("badtoken", "Invalid CSRF token.")
    if not constant_time_compare(sent, expected):
        raise Failure("badtoken", "Invalid CSRF token.")


# Pages ----------------------------------------------------------------------------------


class PageSet:
    """The pages a query acts on: from titles=, pageids=, revids= or a generator."""

    def __init__(self):
        self.articles: list[Article] = []
        self.revids: dict[int, list[int]] = {}  # article id -> revisions asked for by revids=
        self.missing: list[dict] = []
        self.normalized: list[dict] = []
        self.redirects: list[dict] = []

    def add_title(self, raw: str, p: Params):
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
        article = Article.objects.filter(slug=title_to_slug(title)).first()
        if article is not None and p.flag("redirects") and article.redirect_to_id:
            target = article.redirect_to
            self.redirects.append({"from": article.title, "to": target.title})
            article = target
        if article is None:
            self.missing.append({"ns": 0, "title": title})
        elif article not in self.articles:
            self.articles.append(article)

    def add(self, article: Article):
        if article not in self.articles:
            self.articles.append(article)


def page_set(p: Params) -> tuple[PageSet, dict]:
    pages, cont = PageSet(), {}
    if p.get("generator") == "categories":  # the categories of the given pages, as pages
        given = PageSet()
        for raw in p.list("titles"):
            given.add_title(raw, p)
        names = Category.objects.filter(articles__in=given.articles).distinct()
        for name in names.order_by("name").values_list("name", flat=True):
            pages.missing.append({"ns": CATEGORY_NS, "title": CATEGORY_PREFIX + name})
        return pages, cont
    if generator := p.get("generator"):
        if generator not in LISTS:
            raise Failure("badvalue", f'Unrecognized value for parameter "generator": {generator}.')
        items, more = LISTS[generator](p.with_prefix("g" + LIST_PREFIX[generator]), p)
        cont = {"g" + key: value for key, value in more.items()}
        found = Article.objects.in_bulk([i["pageid"] for i in items if i.get("pageid")])
        for item in items:
            if item.get("pageid") in found:
                pages.add(found[item["pageid"]])
    for raw in p.list("titles"):
        pages.add_title(raw, p)
    ids = [int(i) for i in p.list("pageids") if i.isdigit()]
    for article in Article.objects.filter(pk__in=ids).order_by("pk"):
        pages.add(article)
    revids = [int(i) for i in p.list("revids") if i.isdigit()]
    for info in Revision.objects.filter(pk__in=revids).order_by("pk"):
        article = Article.objects.filter(pk=info.article_id).first()
        if article is not None:
            pages.add(article)
            pages.revids.setdefault(article.pk, []).append(info.pk)
    return pages, cont


def page_entry(article: Article, p: Params) -> dict:
    return {"pageid": article.pk, "ns": 0, "title": article.title}


def prop_info(article: Article, entry: dict, p: Params, request) -> None:
    entry.update(
        contentmodel=CONTENT_MODEL,
        pagelanguage=settings.LANGUAGE_CODE.split("-")[0],
        pagelanguagehtmlcode=settings.LANGUAGE_CODE.split("-")[0],
        pagelanguagedir="ltr",
        touched=timestamp(article.updated_at or article.created_at),
        lastrevid=article.latest_revision_id or 0,
        length=article.size,
    )
    p.set_flag(entry, "redirect", bool(article.redirect_to_id))
    props = p.list("inprop")
    if "protection" in props:
        entry["protection"] = (
            [{"type": "edit", "level": "sysop", "expiry": "infinity"}]
            if article.is_protected
            else []
        )
        entry["restrictiontypes"] = ["edit", "move"]
    if "url" in props:
        entry["fullurl"] = request.build_absolute_uri(article.get_absolute_url())
        entry["editurl"] = request.build_absolute_uri(reverse("wiki:edit", args=[article.slug]))
        entry["canonicalurl"] = entry["fullurl"]


def prop_categories(article: Article, entry: dict, p: Params, request) -> None:
    entry["categories"] = [
        {"ns": CATEGORY_NS, "title": CATEGORY_PREFIX + c.name} for c in article.categories.all()
    ]


def revision_entry(info: Revision, text: str | None, p: Params, props: list[str]) -> dict:
    entry: dict = {}
    if "ids" in props:
        entry.update(revid=info.pk, parentid=info.parent_id or 0)
    if "flags" in props:
        p.set_flag(entry, "minor", info.minor)
    if "user" in props:
        entry["user"] = info.contributor.name if info.contributor else "Importer"
        if info.user_id is None and info.contributor is None:
            p.set_flag(entry, "anon", True)
    if "timestamp" in props:
        entry["timestamp"] = timestamp(info.created_at)
    if "size" in props:
        entry["size"] = info.size
    if "comment" in props:
        entry["comment"] = info.summary
    if "sha1" in props and text is not None:
        entry["sha1"] = hashlib.sha1(text.encode()).hexdigest()
    if "contentmodel" in props or "content" in props:
        if "content" in props and text is not None:
            if p.get("rvslots"):
                slot = {"contentmodel": CONTENT_MODEL, "contentformat": CONTENT_FORMAT}
                p.text(slot, text)
                entry["slots"] = {"main": slot}
            else:
                entry.update(contentformat=CONTENT_FORMAT, contentmodel=CONTENT_MODEL)
                p.text(entry, text)
        elif "contentmodel" in props:
            entry["contentmodel"] = CONTENT_MODEL
    return entry


def prop_revisions(pages: PageSet, entries: dict, p: Params, cont: dict) -> None:
    rv = p.with_prefix("rv")
    props = rv.list("prop", "ids|timestamp|flags|comment|user")
    enumerate_mode = any(
        rv.has(n) for n in ("limit", "startid", "endid", "start", "end", "dir", "continue", "user")
    )
    if enumerate_mode and len(pages.articles) > 1:
        raise Failure(
            "multpages",
            "titles, pageids or a generator was used to supply multiple pages, "
            "but the rvlimit, rvstartid, rvendid, rvdir, rvstart and rvend parameters may "
            "only be used on a single page.",
        )
    wanted: dict[int, list[Revision]] = {}
    for article in pages.articles:
        revisions = Revision.objects.filter(article_id=article.pk).select_related("contributor")
        if article.pk in pages.revids:
            wanted[article.pk] = list(revisions.filter(pk__in=pages.revids[article.pk]))
        elif not enumerate_mode:
            wanted[article.pk] = list(revisions.filter(pk=article.latest_revision_id))
        else:
            newer = rv.get("dir", "older") == "newer"
            revisions = revisions.order_by("revision_id" if newer else "-revision_id")
            after = rv.int("continue") if rv.has("continue") else rv.int("startid")
            if after is not None:
                revisions = revisions.filter(**{"pk__gte" if newer else "pk__lte": after})
            if (end := rv.int("endid")) is not None:
                revisions = revisions.filter(**{"pk__lte" if newer else "pk__gte": end})
            if rv.get("start"):
                start = parse_timestamp(rv.get("start"))
                revisions = revisions.filter(
                    **{"created_at__gte" if newer else "created_at__lte": start}
                )
            if rv.get("end"):
                end_at = parse_timestamp(rv.get("end"))
                revisions = revisions.filter(
                    **{"created_at__lte" if newer else "created_at__gte": end_at}
                )
            if user := rv.get("user"):
                revisions = revisions.filter(contributor__name=user.replace("_", " "))
            most = MAX_CONTENT_LIMIT if "content" in props else MAX_LIMIT
            limit = rv.limit(default=10, most=most)
            rows = list(revisions[: limit + 1])
            if len(rows) > limit:
                cont["rvcontinue"] = str(rows[limit].pk)
            wanted[article.pk] = rows[:limit]
    texts = {}
    if "content" in props or "sha1" in props:
        ids = [r.pk for rows in wanted.values() for r in rows]
        texts = {pk: snap.source for pk, snap in load_snapshots(ids).items()}
    section = rv.get("section")
    for article_id, rows in wanted.items():
        out = []
        for info in rows:
            text = texts.get(info.pk)
            if text is not None and section not in (None, ""):
                try:
                    text = section_text(text, int(section))
                except (ValueError, IndexError):
                    raise Failure(
                        "rvnosuchsection", f"There is no section {section} in r{info.pk}."
                    ) from None
            out.append(revision_entry(info, text, p, props))
        entries[article_id]["revisions"] = out


def action_query(request, p: Params) -> dict:
    result: dict = {}
    query: dict = {}
    warnings: list[str] = []
    cont: dict = {}
    pages, generator_cont = page_set(p)
    for name in p.list("list"):
        if name not in LISTS:
            warnings.append(f'Unrecognized value for parameter "list": {name}.')
            continue
        items, more = LISTS[name](p.with_prefix(LIST_PREFIX[name]), p)
        query[name] = items
        cont.update(more)
        if name == "search" and (info := getattr(items, "info", None)):
            query["searchinfo"] = info
    for name in p.list("meta"):
        if name not in META:
            warnings.append(f'Unrecognized value for parameter "meta": {name}.')
            continue
        query.update(META[name](request, p))
    has_pages = pages.articles or pages.missing or p.has("titles") or p.has("generator")
    if has_pages or p.has("pageids") or p.has("revids"):
        entries = {a.pk: page_entry(a, p) for a in pages.articles}
        for name in p.list("prop"):
            if name == "revisions":
                prop_revisions(pages, entries, p, cont)
            elif name in PROPS:
                for article in pages.articles:
                    PROPS[name](article, entries[article.pk], p, request)
            else:
                warnings.append(f'Unrecognized value for parameter "prop": {name}.')
        missing = []
        for index, entry in enumerate(pages.missing, start=1):
            if "invalid" not in entry:
                p.set_flag(entry, "missing", True)
                if "info" in p.list("prop"):
                    entry["contentmodel"] = CONTENT_MODEL
            missing.append((-index, entry))
        if p.v2:
            query["pages"] = [e for _, e in missing] + list(entries.values())
        else:
            query["pages"] = {str(k): e for k, e in missing} | {
                str(k): e for k, e in entries.items()
            }
        if pages.normalized:
            query["normalized"] = pages.normalized
        if pages.redirects:
            query["redirects"] = pages.redirects
    cont.update(generator_cont)
    if cont:
        result["continue"] = {**cont, "continue": "-||"}
    if warnings:
        result["warnings"] = {"query": {"warnings" if p.v2 else "*": "\n".join(warnings)}}
    if p.v2 is False and not query:
        return result
    result["query"] = query
    return result


# Lists (each is also a generator) -------------------------------------------------------


class Items(list):
    """A list's items; `info` is extra output beside them (searchinfo)."""

    info: dict | None = None


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
    if redirects == "redirects":
        articles = articles.filter(redirect_to__isnull=False)
    elif redirects == "nonredirects":
        articles = articles.filter(redirect_to__isnull=True)
    return _paged(articles, ap, "apcontinue", lambda a: a.title)


def _paged(queryset, lp: Params, key: str, next_value):
    limit = lp.limit()
    rows = list(queryset[: limit + 1])
    cont = {key: next_value(rows[limit])} if len(rows) > limit else {}
    return Items({"pageid": a.pk, "ns": 0, "title": a.title} for a in rows[:limit]), cont


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
    articles = Article.objects.filter(outgoing_links__target_slug=slug).order_by("title")
    if start := bl.get("continue"):
        articles = articles.filter(title__gte=start)
    return _paged(articles, bl, "blcontinue", lambda a: a.title)


def list_search(sr: Params, p: Params):
    try:
        results = wiki_search.results_for(sr.get("search", ""))
    except wiki_search.QueryTooLong as exc:
        raise Failure("toolong", str(exc)) from None
    if not results.query:
        raise Failure("missingparam", 'The "srsearch" parameter must be set.')
    limit = sr.limit(most=50)
    offset = max(0, sr.int("offset", 0) or 0)
    hits = results[offset : offset + limit] if offset < len(results) else []
    items = Items()
    props = sr.list("prop", "size|wordcount|timestamp|snippet")
    for hit in hits:
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
        items.append(item)
    items.info = {"totalhits": results.total}
    cont = {"sroffset": offset + limit} if offset + limit < len(results) else {}
    return items, cont


def list_recentchanges(rc: Params, p: Params):
    newer = rc.get("dir", "older") == "newer"
    order = ("created_at", "revision_id") if newer else ("-created_at", "-revision_id")
    revisions = Revision.objects.select_related("contributor").order_by(*order)
    if rc.get("continue"):
        at_raw, _, id_raw = rc.get("continue").partition("|")
        try:
            at = dt.datetime.fromisoformat(at_raw)
        except ValueError:
            raise Failure("badcontinue", "Invalid continue param.") from None
        rid = int(id_raw) if id_raw.isdigit() else 0
        if newer:
            revisions = revisions.filter(Q(created_at__gt=at) | Q(created_at=at, pk__gte=rid))
        else:
            revisions = revisions.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lte=rid))
    if rc.get("start"):
        start = parse_timestamp(rc.get("start"))
        revisions = revisions.filter(**{"created_at__gte" if newer else "created_at__lte": start})
    if rc.get("end"):
        end = parse_timestamp(rc.get("end"))
        revisions = revisions.filter(**{"created_at__lte" if newer else "created_at__gte": end})
    show = rc.list("show")
    if "minor" in show:
        revisions = revisions.filter(minor=True)
    if "!minor" in show:
        revisions = revisions.filter(minor=False)
    if user := rc.get("user"):
        revisions = revisions.filter(contributor__name=user.replace("_", " "))
    types = rc.list("type")
    if types:
        kinds = Q()
        if "new" in types:
            kinds |= Q(kind=Revision.Kind.CREATE)
        if "edit" in types:
            kinds |= ~Q(kind=Revision.Kind.CREATE)
        revisions = revisions.filter(kinds)
    limit = rc.limit()
    rows = list(revisions[: limit + 1])
    cont = {}
    if len(rows) > limit:
        nxt = rows[limit]
        cont["rccontinue"] = f"{nxt.created_at.isoformat()}|{nxt.pk}"  # to the microsecond
    items = Items()
    for info in rows[:limit]:
        item = {
            "type": "new" if info.kind == Revision.Kind.CREATE else "edit",
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
        p.set_flag(item, "new", info.kind == Revision.Kind.CREATE)
        items.append(item)
    return items, cont


# Meta -----------------------------------------------------------------------------------


def meta_siteinfo(request, p: Params) -> dict:
    props = p.list("siprop", "general")
    out = {}
    if "general" in props:
        out["general"] = {
            "mainpage": "Main Page",
            "base": request.build_absolute_uri("/"),
            "sitename": settings.SITE_NAME,
            "generator": GENERATOR,
            "phpversion": "",
            "dbtype": "postgres"
            if "postgres" in settings.DATABASES["default"]["ENGINE"]
            else "sqlite",
            "case": "first-letter",
            "lang": settings.LANGUAGE_CODE.split("-")[0],
            "server": request.build_absolute_uri("/").rstrip("/"),
            "articlepath": "/wiki/$1",
            "scriptpath": "",
            "script": "/index.php",
            "wikiid": "encyclopedia",
            "time": timestamp(timezone.now()),
            "maxarticlesize": settings.WIKI_MAX_SOURCE_BYTES,
            "contentmodel": CONTENT_MODEL,
        }
    if "namespaces" in props:
        out["namespaces"] = {}
        for number, name in NAMESPACES.items():
            entry = {"id": number, "case": "first-letter", "canonical": name or None}
            if p.v2:
                entry["name"] = name
            else:
                entry["*"] = name
            p.set_flag(entry, "content", number == 0)
            if not name:
                entry.pop("canonical")
            out["namespaces"][str(number)] = entry
    if "statistics" in props:
        out["statistics"] = {
            "pages": Article.objects.count(),
            "articles": Article.objects.filter(redirect_to__isnull=True).count(),
            "edits": Revision.objects.count(),
        }
    return out


def rights_of(user) -> list[str]:
    rights = ["read"]
    if is_editor(user):
        rights += ["edit", "createpage", "minoredit", "writeapi", "upload", "applychangetags"]
    if is_administrator(user):
        rights += ["editprotected", "protect", "delete"]
    return rights


def meta_userinfo(request, p: Params) -> dict:
    user = request.user
    if not user.is_authenticated:
        info = {"id": 0, "name": request.META.get("REMOTE_ADDR", "")}
        p.set_flag(info, "anon", True)
    else:
        info = {"id": user.pk, "name": user.get_username()}
    props = p.list("uiprop")
    if "groups" in props:
        groups = ["*"]
        if user.is_authenticated:
            groups.append("user")
        if is_editor(user):
            groups.append("editor")
        if is_administrator(user):
            groups.append("sysop")
        info["groups"] = groups
    if "rights" in props:
        info["rights"] = rights_of(user)
    return {"userinfo": info}


def meta_tokens(request, p: Params) -> dict:
    tokens = {}
    for kind in p.list("type", "csrf"):
        if kind == "login":
            tokens["logintoken"] = login_token(request)
        elif kind in ("csrf", "edit"):
            tokens["csrftoken"] = csrf_token(request)
    return {"tokens": tokens}


# Actions --------------------------------------------------------------------------------


def signed_in_user(request, username: str, password: str):
    """(user, "") when the password is right, else (None, why): the site's sign-in form
    (settings.API_SIGNIN_FORM) decides, so its throttle holds here too."""
    form_class = import_string(
        getattr(settings, "API_SIGNIN_FORM", "django.contrib.auth.forms.AuthenticationForm")
    )
    form = form_class(request, data={"username": username, "password": password})
    if form.is_valid():
        return form.get_user(), ""
    return None, getattr(form, "throttled", "") or (
        "Incorrect username or password entered. Please try again."
    )


def _login_token_matches(request, sent: str | None) -> bool:
    expected = request.session.get("api_login_token")
    return bool(sent and expected and constant_time_compare(sent, expected))


def action_login(request, p: Params) -> dict:
    if not _login_token_matches(request, p.get("lgtoken")):
        return {"login": {"result": "NeedToken", "token": login_token(request)}}
    user, reason = signed_in_user(request, p.get("lgname", ""), p.get("lgpassword", ""))
    if user is None:
        return {"login": {"result": "Failed", "reason": reason}}
    login(request, user)
    return {"login": {"result": "Success", "lguserid": user.pk, "lgusername": user.username}}


def action_clientlogin(request, p: Params) -> dict:
    if not _login_token_matches(request, p.get("logintoken")):
        raise Failure("badtoken", "Invalid login token.")
    user, reason = signed_in_user(request, p.get("username", ""), p.get("password", ""))
    if user is None:
        code = "wrongpassword" if reason.startswith("Incorrect") else "login-throttled"
        return {"clientlogin": {"status": "FAIL", "message": reason, "messagecode": code}}
    login(request, user)
    return {"clientlogin": {"status": "PASS", "username": user.username}}


def action_logout(request, p: Params) -> dict:
    check_token(request, p.get("token"), csrf_token(request))
    logout(request)
    return {}


def action_opensearch(request, p: Params):
    query = p.get("search", "")
    limit = p.limit(default=10, most=100)
    titles = wiki_search.suggest(query, limit)
    urls = [
        request.build_absolute_uri(reverse("wiki:article", args=[title_to_slug(t)])) for t in titles
    ]
    leads = dict(Article.objects.filter(title__in=titles).values_list("title", "lead_html"))
    descriptions = [excerpt(leads.get(t, "")) for t in titles]  # the lead's prose, cut short
    return [query, titles, descriptions, urls]


def action_parse(request, p: Params) -> dict:
    props = p.list("prop", "text|categories|links|sections|revid|displaytitle")
    out: dict = {}
    if p.has("text") and not (p.has("page") or p.has("pageid") or p.has("oldid")):
        try:
            html = render_markdown(p.get("text", ""))
        except RenderTooComplex as exc:
            raise Failure("toocomplex", str(exc)) from None
        out.update(title=p.get("title", "API"), pageid=0)
        if "text" in props:
            out["text"] = html if p.v2 else {"*": html}
        return {"parse": out}
    if p.has("pageid"):
        article = Article.objects.filter(pk=p.int("pageid")).first()
    elif p.has("oldid"):
        info = Revision.objects.filter(pk=p.int("oldid")).first()
        article = Article.objects.filter(pk=info.article_id).first() if info else None
    else:
        try:
            article = Article.objects.by_title(validate_title(p.get("page", ""))).first()
        except InvalidTitle:
            article = None
    if article is None:
        raise Failure("missingtitle", "The page you specified doesn't exist.")
    out.update(title=article.title, pageid=article.pk)
    if "revid" in props:
        out["revid"] = article.latest_revision_id
    if "displaytitle" in props:
        out["displaytitle"] = article.title
    if "text" in props:
        html = article_page(article).content
        if p.v2:
            out["text"] = html
        else:
            out["text"] = {"*": html}
    if "wikitext" in props:
        if p.v2:
            out["wikitext"] = article.source
        else:
            out["wikitext"] = {"*": article.source}
    if "categories" in props:
        out["categories"] = []
        for category in article.categories.all():
            entry = {"sortkey": ""}
            if p.v2:
                entry["category"] = category.name
            else:
                entry["*"] = category.name
            out["categories"].append(entry)
    if "links" in props:
        targets = sorted(article.outgoing_links.values_list("target_slug", flat=True))
        existing = set(Article.objects.filter(slug__in=targets).values_list("slug", flat=True))
        out["links"] = []
        for target in targets:
            entry = {"ns": 0}
            p.set_flag(entry, "exists", target in existing)
            if p.v2:
                entry["title"] = target.replace("_", " ")
            else:
                entry["*"] = target.replace("_", " ")
            out["links"].append(entry)
    if "sections" in props:
        _, sections = split_source(article.source)
        stored = article.ordered_sections
        out["sections"] = [
            {
                "toclevel": max(1, s.level - 1),
                "level": str(s.level),
                "line": s.heading,
                "number": str(n),
                "index": str(n),
                "fromtitle": article.slug,
                "anchor": stored[n - 1].anchor if n <= len(stored) else "",
            }
            for n, s in enumerate(sections, start=1)
        ]
    return {"parse": out}


def _base_revision(article: Article, p: Params) -> int | None:
    """The revision the client started from: baserevid, else the one current at
    basetimestamp, else the latest (MediaWiki does not detect conflicts without either).

    basetimestamp has whole seconds: of several revisions saved in that second, the oldest is
    taken, so a save the client may not have seen is merged (or is a conflict), never lost."""
    if p.has("baserevid"):
        base = p.int("baserevid")
        if not Revision.objects.filter(pk=base, article_id=article.pk).exists():
            raise Failure("nosuchrevid", f"There is no revision with ID {base}.")
        return base
    if p.get("basetimestamp"):
        second = parse_timestamp(p.get("basetimestamp"))
        revisions = Revision.objects.filter(article_id=article.pk).values_list("pk", flat=True)
        found = (
            revisions.filter(
                created_at__gte=second, created_at__lt=second + dt.timedelta(seconds=1)
            )
            .order_by("created_at", "revision_id")
            .first()
        ) or revisions.filter(created_at__lt=second).order_by("-created_at", "-revision_id").first()
        return found or article.latest_revision_id
    return article.latest_revision_id


def action_edit(request, p: Params) -> dict:
    if p.get("assert") == "user" and not request.user.is_authenticated:
        raise Failure("assertuserfailed", "You are no longer logged in.")
    check_token(request, p.get("token"), csrf_token(request))
    if not request.user.is_authenticated:
        raise Failure("notloggedin", "Please log in to edit.")
    raw_title = p.get("title")
    if p.has("pageid"):
        article = Article.objects.filter(pk=p.int("pageid")).first()
        if article is None:
            raise Failure("nosuchpageid", f"There is no page with ID {p.get('pageid')}.")
    else:
        if not raw_title:
            raise Failure("missingparam", 'The "title" parameter must be set.')
        try:
            title = validate_title(raw_title)
        except InvalidTitle as exc:
            raise Failure("invalidtitle", f'Bad title "{raw_title}": {exc}') from None
        article = Article.objects.filter(slug=title_to_slug(title)).first() or Article(title=title)
    creating = article._state.adding
    if creating and p.flag("nocreate"):
        raise Failure("missingtitle", "The page you specified doesn't exist.")
    if not creating and p.flag("createonly"):
        raise Failure("articleexists", "The article you tried to create has been created already.")
    if not any(p.has(n) for n in ("text", "appendtext", "prependtext")):
        raise Failure(
            "missingparam",
            'One of the parameters "text", "appendtext" and "prependtext" is required.',
        )
    section_raw = p.get("section")
    section = None
    current = "" if creating else article.source
    if section_raw == "new":
        heading = p.get("sectiontitle") or p.get("summary", "")
        text = (current.rstrip("\n") + "\n\n" if current else "") + (
            f"## {heading}\n\n{p.get('text', '')}" if heading else p.get("text", "")
        )
    else:
        if section_raw not in (None, ""):
            if not section_raw.isdigit():
                raise Failure(
                    "invalidsection", 'The "section" parameter must be a valid section ID or "new".'
                )
            section = int(section_raw)
        if p.has("text"):
            text = p.get("text", "")
        else:
            try:
                existing = section_text(current, section) if section is not None else current
            except IndexError:
                raise Failure("nosuchsection", f"There is no section {section}.") from None
            text = p.get("prependtext", "") + existing + p.get("appendtext", "")
    text = normalize_newlines(text)  # browsers and bots send CRLF; the wiki stores LF
    if source_size(text) > settings.WIKI_MAX_SOURCE_BYTES:
        raise Failure(
            "contenttoobig",
            f"The content you supplied exceeds the article size limit of "
            f"{settings.WIKI_MAX_SOURCE_BYTES // 1024} kilobytes.",
        )
    old_revid = article.latest_revision_id
    edit = ArticleEdit(
        text=text,
        base_revision=None if creating else _base_revision(article, p),
        section=section,
        user=request.user,
        summary=p.get("summary", "")[:500],
        minor=p.flag("minor") and not p.flag("notminor"),
    )
    door = EditRequest(edit=edit, address=client_address(request), interface="action-api")
    try:
        result = article_edit_submit(article=article, request=door)
    except EditRefused as refused:
        raise refusal_failure(refused) from None
    except EditConflict:
        raise Failure("editconflict", "Edit conflict.") from None
    except SourceTooLarge as exc:
        raise Failure("contenttoobig", str(exc)) from None
    except TitleTaken:
        raise Failure(
            "articleexists", "The article you tried to create has been created already."
        ) from None
    except IndexError:
        raise Failure("nosuchsection", f"There is no section {section}.") from None
    except RenderTooComplex as exc:
        raise Failure("toocomplex", str(exc)) from None
    saved = result.article
    out = {
        "result": "Success",
        "pageid": saved.pk,
        "title": saved.title,
        "contentmodel": CONTENT_MODEL,
    }
    if result.unchanged:
        p.set_flag(out, "nochange", True)
    else:
        out.update(
            oldrevid=old_revid or 0,
            newrevid=result.revision.pk,
            newtimestamp=timestamp(result.revision.created_at),
        )
        p.set_flag(out, "new", creating)
    return {"edit": out}


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
PROPS = {"info": prop_info, "categories": prop_categories}
META = {"siteinfo": meta_siteinfo, "userinfo": meta_userinfo, "tokens": meta_tokens}
ACTIONS = {
    "query": action_query,
    "login": action_login,
    "clientlogin": action_clientlogin,
    "logout": action_logout,
    "edit": action_edit,
    "parse": action_parse,
    "opensearch": action_opensearch,
}
WRITE_ACTIONS = {"login", "clientlogin", "logout", "edit"}


@csrf_exempt
def api_php(request):
    """The one entry point: `action=` picks the module; errors are MediaWiki's."""
    p = Params(request)
    action = p.get("action", "")
    response_format = p.get("format", "json")
    try:
        if response_format not in ("json", "jsonfm"):
            raise Failure(
                "unknown_format", f'Unrecognized value for parameter "format": {response_format}.'
            )
        if action not in ACTIONS:
            raise Failure(
                "badvalue" if action else "missingparam",
                f'Unrecognized value for parameter "action": {action}.'
                if action
                else 'The "action" parameter must be set.',
            )
        if action in WRITE_ACTIONS and request.method != "POST":
            raise Failure("mustbeposted", f'The "{action}" module requires a POST request.')
        try:
            result = ACTIONS[action](request, p)
        except Failure:
            raise
        except Exception as exc:  # answered as MediaWiki does, and logged
            logger.exception("Action API error on %s", request.get_full_path())
            raise Failure(
                f"internal_api_error_{type(exc).__name__}",
                "Something went wrong on our side; nothing was saved.",
            ) from exc
    except Failure as failure:
        error = {"code": failure.code, "info": failure.info}
        docs = "See /api/v1/docs and the README for the modules this wiki supports."
        error["docref" if p.v2 else "*"] = docs
        response = JsonResponse({"error": error})
        response["MediaWiki-API-Error"] = failure.code
        return response
    response = JsonResponse(result, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, must-revalidate, max-age=0"
    return response
