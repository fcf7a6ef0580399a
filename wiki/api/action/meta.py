"""The query's meta= modules: siteinfo, userinfo and tokens."""

from django.conf import settings
from django.utils import timezone

from ...models import Article, Revision
from ...permissions import is_administrator, is_editor
from .login import csrf_token, login_token
from .params import CONTENT_MODEL, Params, timestamp

GENERATOR = "MediaWiki 1.39.0 (Encyclopedia)"
NAMESPACES = {0: "", 14: "Category"}


def site_general(request, p: Params) -> dict:
    return {
        "mainpage": "Main Page",
        "base": request.build_absolute_uri("/"),
        "sitename": settings.SITE_NAME,
        "generator": GENERATOR,
        "phpversion": "",
        "dbtype": "postgres" if "postgres" in settings.DATABASES["default"]["ENGINE"] else "sqlite",
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


def site_namespaces(request, p: Params) -> dict:
    namespaces = {}
    for number, name in NAMESPACES.items():
        entry = {"id": number, "case": "first-letter", "canonical": name or None}
        p.named(entry, "name", name)
        p.set_flag(entry, "content", number == 0)
        if not name:
            entry.pop("canonical")
        namespaces[str(number)] = entry
    return namespaces


def site_statistics(request, p: Params) -> dict:
    return {
        "pages": Article.objects.count(),
        "articles": Article.objects.filter(redirect_to__isnull=True).count(),
        "edits": Revision.objects.count(),
    }


SITEINFO = {"general": site_general, "namespaces": site_namespaces, "statistics": site_statistics}


def meta_siteinfo(request, p: Params) -> dict:
    props = p.list("siprop", "general")
    return {name: part(request, p) for name, part in SITEINFO.items() if name in props}


def rights_of(user) -> list[str]:
    rights = ["read"]
    if is_editor(user):
        rights += ["edit", "createpage", "minoredit", "writeapi", "upload", "applychangetags"]
    if is_administrator(user):
        rights += ["editprotected", "protect", "delete"]
    return rights


def groups_of(user) -> list[str]:
    groups = ["*"]
    if user.is_authenticated:
        groups.append("user")
    if is_editor(user):
        groups.append("editor")
    if is_administrator(user):
        groups.append("sysop")
    return groups


def meta_userinfo(request, p: Params) -> dict:
    user = request.user
    if not user.is_authenticated:
        info = {"id": 0, "name": request.META.get("REMOTE_ADDR", "")}
        p.set_flag(info, "anon", True)
    else:
        info = {"id": user.pk, "name": user.get_username()}
    props = p.list("uiprop")
    if "groups" in props:
        info["groups"] = groups_of(user)
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


META = {"siteinfo": meta_siteinfo, "userinfo": meta_userinfo, "tokens": meta_tokens}
