"""meta=siteinfo: what MediaWiki 1.39 says of itself, in the parts clients read (`siprop`):
general, namespaces, namespacealiases, interwikimap, extensions, usergroups, statistics,
rightsinfo, magicwords, restrictions and fileextensions. An unknown siprop is a warning, as
MediaWiki answers it."""

from django.conf import settings
from django.utils import timezone

from ...languages import content_language
from ...media.services import EXTENSIONS
from ...models import Article, Revision
from .params import CONTENT_MODEL, Params, timestamp

GENERATOR = "MediaWiki 1.39.0 (Encyclopedia)"
# Template (10) is empty: Markdown pages include none, but clients ask for it. User (2) has
# no pages either: it names accounts, as the log's blocks and a client's User objects do.
NAMESPACES = {0: "", 2: "User", 6: "File", 10: "Template", 14: "Category"}
# The characters a title may have (MediaWiki's $wgLegalTitleChars) and the letters a link's
# trail glues onto it ([[page]]s).
LEGAL_TITLE_CHARS = " %!\"$&'()*,\\-.\\/0-9:;=?@A-Z\\\\^_`a-z~\\x80-\\xFF+"
LINK_TRAIL = "/^([a-z]+)(.*)$/sD"


def _language() -> str:
    """The language of this API's address (/api.php, /es/api.php)."""
    return content_language()


def _database() -> str:
    return "postgres" if "postgres" in settings.DATABASES["default"]["ENGINE"] else "sqlite"


def site_general(request, p: Params) -> dict:
    server = request.build_absolute_uri("/").rstrip("/")
    general = {
        "mainpage": "Main Page",
        "base": server + "/",
        "sitename": settings.SITE_NAME,
        "generator": GENERATOR,
        "phpversion": "",
        "phpsapi": "",
        "dbtype": _database(),
        "dbversion": "",
        "linkprefixcharset": "",
        "linkprefix": "",
        "linktrail": LINK_TRAIL,
        "legaltitlechars": LEGAL_TITLE_CHARS,
        "invalidusernamechars": "@:",
        "case": "first-letter",
        "lang": _language(),
        "fallback": [],
        "fallback8bitEncoding": "windows-1252",
        "maxarticlesize": settings.WIKI_MAX_SOURCE_BYTES,
        "timezone": "UTC",
        "timeoffset": 0,
        "articlepath": "/wiki/$1",
        "scriptpath": "",
        "script": "/index.php",
        "variantarticlepath": False,
        "server": server,
        "servername": request.get_host().split(":")[0],
        "wikiid": "encyclopedia",
        "time": timestamp(timezone.now()),
        "maxuploadsize": getattr(settings, "WIKI_MAX_UPLOAD_BYTES", 0),
        "minuploadchunksize": 1024,
        "thumblimits": {str(i): width for i, width in enumerate((120, 150, 180, 200, 250, 300))},
        "imagelimits": {
            str(i): {"width": w, "height": h}
            for i, (w, h) in enumerate(((320, 240), (640, 480), (800, 600), (1024, 768)))
        },
        "favicon": server + "/favicon.ico",
        "centralidlookupprovider": "local",
        "allcentralidlookupproviders": ["local"],
        "magiclinks": {"ISBN": False, "PMID": False, "RFC": False},
        "categorycollation": "uppercase",
        "contentmodel": CONTENT_MODEL,
    }
    p.set_flag(general, "writeapi", True)
    p.set_flag(general, "uploadsenabled", True)  # action=upload, to the media pages
    for flag in ("imagewhitelistenabled", "interwikimagic", "misermode"):
        p.set_flag(general, flag, False)
    for flag in ("langconversion", "titleconversion", "linkconversion"):
        p.set_flag(general, flag, False)
    return general


def site_namespaces(request, p: Params) -> dict:
    namespaces = {}
    for number, name in NAMESPACES.items():
        entry = {"id": number, "case": "first-letter"}
        p.named(entry, "name", name)
        if name:
            entry["canonical"] = name
        p.set_flag(entry, "subpages", False)
        p.set_flag(entry, "content", number == 0)
        p.set_flag(entry, "nonincludable", False)
        namespaces[str(number)] = entry
    return namespaces


def site_namespacealiases(request, p: Params) -> list:
    """No namespace has a second name here."""
    return []


def site_interwikimap(request, p: Params) -> list:
    """No interwiki prefixes: a link is to this wiki."""
    return []


def site_extensions(request, p: Params) -> list:
    """FlaggedRevs, whose API (action=review, prop=flagged) the review marks answer, so that
    clients that look for it (pywikibot's review_revision) use it; nothing else."""
    return [
        {
            "type": "api",
            "name": "FlaggedRevs",
            "descriptionmsg": "flaggedrevs-desc",
            "author": "Encyclopedia (the review marks, in FlaggedRevs' API)",
            "url": "/api/v1/docs",
        }
    ]


EDITOR_RIGHTS = ["edit", "createpage", "minoredit", "writeapi", "upload", "applychangetags", "move"]
EDITOR_RIGHTS += ["patrol", "rollback", "review"]
ADMINISTRATOR_RIGHTS = ["editprotected", "protect", "delete", "undelete", "block", "patrol"]
USER_RIGHTS = ["read", "viewmywatchlist", "editmywatchlist"]
USER_GROUPS = (
    ("*", ["read", "createaccount"]),
    ("user", USER_RIGHTS),
    ("editor", EDITOR_RIGHTS),
    ("sysop", ADMINISTRATOR_RIGHTS),
    ("bot", ["bot"]),
)


def site_usergroups(request, p: Params) -> list:
    return [{"name": name, "rights": rights} for name, rights in USER_GROUPS]


def site_statistics(request, p: Params) -> dict:
    pages = Article.objects.count()
    return {
        "pages": pages,
        "articles": Article.objects.filter(redirect_to__isnull=True).count(),
        "edits": Revision.objects.count(),
        "images": 0,
        "users": 0,
        "activeusers": 0,
        "admins": 0,
        "jobs": 0,
    }


def site_rightsinfo(request, p: Params) -> dict:
    return {
        "url": getattr(settings, "SITE_LICENSE_URL", ""),
        "text": getattr(settings, "SITE_LICENSE_NAME", ""),
    }


# The magic words the wiki's text understands: redirects (#REDIRECT [[…]]).
MAGIC_WORDS = (("redirect", ["#REDIRECT"], False),)


def site_magicwords(request, p: Params) -> list:
    words = []
    for name, aliases, case_sensitive in MAGIC_WORDS:
        entry = {"name": name, "aliases": aliases}
        p.set_flag(entry, "case-sensitive", case_sensitive)
        words.append(entry)
    return words


def site_restrictions(request, p: Params) -> dict:
    """One protection: editing and moving, by administrators only (MediaWiki's sysop)."""
    return {
        "types": ["edit", "move"],
        "levels": ["", "sysop"],
        "cascadinglevels": [],
        "semiprotectedlevels": [],
    }


def site_fileextensions(request, p: Params) -> list:
    """The file types an upload may be (the media pages' image formats)."""
    return [{"ext": ext} for ext in sorted(EXTENSIONS)]


SITEINFO = {
    "general": site_general,
    "namespaces": site_namespaces,
    "namespacealiases": site_namespacealiases,
    "interwikimap": site_interwikimap,
    "extensions": site_extensions,
    "usergroups": site_usergroups,
    "statistics": site_statistics,
    "rightsinfo": site_rightsinfo,
    "magicwords": site_magicwords,
    "restrictions": site_restrictions,
    "fileextensions": site_fileextensions,
}


def meta_siteinfo(request, p: Params) -> dict:
    props = p.list("siprop", "general")
    return {name: part(request, p) for name, part in SITEINFO.items() if name in props}
