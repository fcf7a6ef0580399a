"""action=paraminfo: MediaWiki 1.39's description of the modules this wiki implements (and
only those), which pywikibot reads before anything else: each module's prefix, whether it
must be POSTed, and its parameters (types, multi-value, limits, submodules)."""

from .paraminfo_extra import EXTRA_LISTS, EXTRA_MODULES, EXTRA_PROPS
from .params import MAX_LIMIT, Params

LIMIT = {"type": "limit", "default": 10, "min": 1, "max": MAX_LIMIT, "highmax": 5000}
PROPS = tuple(
    sorted(
        (
            "categories",
            "categoryinfo",
            "flagged",
            "info",
            "links",
            "revisions",
            "templates",
            *EXTRA_PROPS,
        )
    )
)
LISTS = tuple(
    sorted(
        (
            "allpages",
            "backlinks",
            "categorymembers",
            "logevents",
            "recentchanges",
            "search",
            "usercontribs",
            *EXTRA_LISTS,
        )
    )
)
METAS = ("allmessages", "siteinfo", "tokens", "userinfo")
GENERATORS = (
    "allcategories",
    "allimages",
    "allpages",
    "backlinks",
    "categories",
    "categorymembers",
    "embeddedin",
    "images",
    "links",
    "random",
    "recentchanges",
    "search",
    "templates",
)
SITEINFO_PROPS = (
    "general|namespaces|namespacealiases|interwikimap|extensions|usergroups|statistics|"
    "rightsinfo|magicwords|restrictions"
)
LOG_TYPES = ("block", "delete", "import", "move", "patrol", "protect", "review", "rights", "upload")
CONTRIBS_SHOWN = "minor|!minor|patrolled|!patrolled|autopatrolled|!autopatrolled|top|!top|new|!new*"
REVISION_PROPS = "ids|flags|timestamp|user|size|sha1|contentmodel|comment|content|flagged"

# path: (prefix, must be posted, {parameter: type}); a type "a|b" is a list of values, a
# trailing "*" takes several values at once (multi).
MODULES: dict[str, tuple[str, bool, dict]] = {
    "query": (
        "",
        False,
        {
            "titles": "string*",
            "pageids": "integer*",
            "revids": "integer*",
            "redirects": "boolean",
            "indexpageids": "boolean",
            "continue": "string",
        },
    ),
    "edit": (
        "",
        True,
        {
            "title": "string",
            "pageid": "integer",
            "section": "string",
            "sectiontitle": "string",
            "text": "text",
            "summary": "string",
            "minor": "boolean",
            "notminor": "boolean",
            "bot": "boolean",
            "baserevid": "integer",
            "basetimestamp": "timestamp",
            "starttimestamp": "timestamp",
            "recreate": "boolean",
            "createonly": "boolean",
            "nocreate": "boolean",
            "appendtext": "text",
            "prependtext": "text",
            "captchaid": "string",
            "captchaword": "string",
            "token": "string",
        },
    ),
    "login": ("lg", True, {"name": "string", "password": "password", "token": "string"}),
    "clientlogin": (
        "login",
        True,
        {"requests": "string*", "returnurl": "string", "continue": "boolean", "token": "string"},
    ),
    "logout": ("", True, {"token": "string"}),
    "parse": ("", False, {"title": "string", "text": "text", "page": "string", "prop": "string*"}),
    "opensearch": ("", False, {"search": "string", "limit": "limit", "namespace": "integer*"}),
    "paraminfo": ("", False, {"modules": "string*", "helpformat": "html|wikitext|raw|none"}),
    "query+flagged": ("", False, {}),
    "review": (
        "",
        True,
        {"revid": "integer", "flag_accuracy": "1|2", "comment": "string", "token": "string"},
    ),
    "query+info": ("in", False, {"prop": "protection|talkid|url|displaytitle*"}),
    "query+categories": (
        "cl",
        False,
        {"prop": "sortkey|timestamp|hidden*", "limit": "limit", "continue": "string"},
    ),
    "query+categoryinfo": ("ci", False, {"continue": "string"}),
    "query+templates": (
        "tl",
        False,
        {
            "namespace": "0|10|14*",
            "limit": "limit",
            "continue": "string",
            "templates": "string*",
            "dir": "ascending|descending",
        },
    ),
    "query+revisions": (
        "rv",
        False,
        {
            "prop": REVISION_PROPS + "*",
            "slots": "main*",
            "limit": "limit",
            "section": "string",
            "startid": "integer",
            "endid": "integer",
            "start": "timestamp",
            "end": "timestamp",
            "dir": "newer|older",
            "user": "user",
            "continue": "string",
            "diffto": "string",
        },
    ),
    "query+allpages": (
        "ap",
        False,
        {
            "from": "string",
            "continue": "string",
            "to": "string",
            "prefix": "string",
            "namespace": "0|10|14",
            "filterredir": "all|nonredirects|redirects",
            "limit": "limit",
        },
    ),
    "query+backlinks": (
        "bl",
        False,
        {
            "title": "string",
            "namespace": "0|10|14*",
            "filterredir": "all|nonredirects|redirects",
            "continue": "string",
            "limit": "limit",
        },
    ),
    "query+categorymembers": (
        "cm",
        False,
        {
            "title": "string",
            "namespace": "0|10|14*",
            "type": "page|subcat|file*",
            "continue": "string",
            "limit": "limit",
        },
    ),
    "query+search": (
        "sr",
        False,
        {
            "search": "string",
            "namespace": "0|10|14*",
            "what": "text|title|nearmatch",
            "prop": "size|wordcount|timestamp|snippet*",
            "offset": "integer",
            "limit": "limit",
        },
    ),
    "query+recentchanges": (
        "rc",
        False,
        {
            "start": "timestamp",
            "end": "timestamp",
            "dir": "newer|older",
            "user": "user",
            "show": "minor|!minor|bot|!bot|anon|!anon|redirect|!redirect*",
            "type": "edit|new*",
            "namespace": "0|10|14*",
            "continue": "string",
            "limit": "limit",
        },
    ),
    "move": (
        "",
        True,
        {
            "from": "string",
            "fromid": "integer",
            "to": "string",
            "reason": "string",
            "noredirect": "boolean",
            "token": "string",
        },
    ),
    "delete": (
        "",
        True,
        {"title": "string", "pageid": "integer", "reason": "string", "token": "string"},
    ),
    "undelete": ("", True, {"title": "string", "reason": "string", "token": "string"}),
    "protect": (
        "",
        True,
        {
            "title": "string",
            "pageid": "integer",
            "protections": "string*",
            "expiry": "string*",
            "reason": "string",
            "token": "string",
        },
    ),
    "query+links": (
        "pl",
        False,
        {"namespace": "0|10|14*", "limit": "limit", "continue": "string"},
    ),
    "query+logevents": (
        "le",
        False,
        {
            "prop": "ids|title|type|user|timestamp|comment|details*",
            "type": "|".join(LOG_TYPES),
            "action": "string",
            "start": "timestamp",
            "end": "timestamp",
            "dir": "newer|older",
            "user": "user",
            "title": "string",
            "continue": "string",
            "limit": "limit",
        },
    ),
    "query+usercontribs": (
        "uc",
        False,
        {
            "limit": "limit",
            "start": "timestamp",
            "end": "timestamp",
            "continue": "string",
            "user": "user*",
            "dir": "newer|older",
            "prop": "ids|title|timestamp|comment|size|sizediff|flags*",
            "show": CONTRIBS_SHOWN,
        },
    ),
    "query+siteinfo": ("si", False, {"prop": SITEINFO_PROPS + "*"}),
    "query+tokens": ("", False, {"type": "csrf|login|patrol|rollback|watch*"}),
    "query+allmessages": ("am", False, {"messages": "string*", "lang": "string"}),
    "query+userinfo": ("ui", False, {"prop": "blockinfo|hasmsg|groups|rights|editcount*"}),
    **EXTRA_MODULES,
}


def _submodules(names, parent: str = "query") -> dict:
    return {name: f"{parent}+{name}" for name in names}


def _choice(name: str, values, submodules: dict | None = None, multi: bool = False) -> dict:
    param = {"name": name, "type": sorted(values)}
    if submodules is not None:
        param["submodules"] = submodules
    if multi:
        param.update(multi="", limit=50, lowlimit=50, highlimit=500)
    return param


def _main_parameters(actions) -> list[dict]:
    return [
        _choice("action", actions, {name: name for name in actions}),
        {"name": "format", "type": ["json", "jsonfm"], "default": "jsonfm"},
        {"name": "maxlag", "type": "integer"},
        {"name": "assert", "type": ["anon", "bot", "user"]},
        {"name": "formatversion", "type": ["1", "2", "latest"], "default": "1"},
    ]


def _query_parameters() -> list[dict]:
    return [
        _choice("prop", PROPS, _submodules(PROPS), multi=True),
        _choice("list", LISTS, _submodules(LISTS), multi=True),
        _choice("meta", METAS, _submodules(METAS), multi=True),
        _choice("generator", GENERATORS, _submodules(GENERATORS)),
    ]


def _parameter(name: str, kind: str) -> dict:
    multi = kind.endswith("*")
    kind = kind.removesuffix("*")
    if kind == "limit":
        return {"name": name, **LIMIT}
    param = {"name": name, "type": kind.split("|") if "|" in kind else kind}
    if multi:
        param.update(multi="", limit=50, lowlimit=50, highlimit=500)
    return param


def module_info(path: str, actions, p: Params) -> dict:
    name = path.rpartition("+")[2]
    info = {
        "name": name,
        "classname": "",
        "path": path,
        "group": "action" if "+" not in path else path.partition("+")[0].removeprefix("query"),
        "prefix": "",
        "source": "MediaWiki",
        "sourcename": "mediawiki",
        "licensetag": "GPL-2.0-or-later",
        "licenselink": "https://www.gnu.org/copyleft/gpl.html",
        "helpurls": [],
        "parameters": [],
        "templatedparameters": [],
    }
    if path == "main":
        info.update(name="main", group="", parameters=_main_parameters(actions))
    else:
        prefix, posted, parameters = MODULES[path]
        info["prefix"] = prefix
        p.set_flag(info, "mustbeposted", posted)
        p.set_flag(info, "writerights", posted)
        info["parameters"] = [_parameter(n, kind) for n, kind in parameters.items()]
        if path == "query":
            info["parameters"] = _query_parameters() + info["parameters"]
    for index, param in enumerate(info["parameters"], start=1):
        param["index"] = index
    return info


def paraminfo(request, p: Params, actions) -> dict:
    """The modules asked for (modules=, also query+…); an unknown one is a warning."""
    modules, warnings = [], []
    for path in p.list("modules"):
        if path == "main" or path in MODULES:
            modules.append(module_info(path, actions, p))
        else:
            parent, _, child = path.rpartition("+")
            warnings.append(f'The module "{parent or "main"}" does not have a submodule "{child}".')
    result: dict = {"paraminfo": {"modules": modules}}
    if warnings:
        text = "\n".join(warnings)
        result["warnings"] = {"paraminfo": {"warnings": text} if p.v2 else {"*": text}}
    return result
