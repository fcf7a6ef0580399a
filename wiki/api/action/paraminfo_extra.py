"""paraminfo's descriptions of the later modules (uploads, rollback, patrol, watching,
compare, the site lists and the page props beside links), in the form of paraminfo.MODULES:
path: (prefix, must be posted, {parameter: type})."""

EXTRA_PROPS = ("contributors", "extlinks", "imageinfo", "images", "langlinks", "pageprops")
EXTRA_LISTS = (
    "allcategories",
    "allimages",
    "allusers",
    "embeddedin",
    "exturlusage",
    "imageusage",
    "random",
    "users",
    "watchlist",
    "watchlistraw",
)
TOKEN = {"token": "string"}

EXTRA_MODULES: dict[str, tuple[str, bool, dict]] = {
    "expandtemplates": (
        "",
        False,
        {
            "title": "string",
            "text": "text",
            "revid": "integer",
            "prop": "wikitext|categories|properties|volatile|ttl|modules|jsconfigvars|"
            "encodedjsconfigvars|parsetree*",
            "includecomments": "boolean",
        },
    ),
    "upload": (
        "",
        True,
        {
            "filename": "string",
            "comment": "string",
            "text": "text",
            "watchlist": "watch|preferences|nochange",
            "ignorewarnings": "boolean",
            "file": "upload",
            "url": "string",
            "filekey": "string",
            "stash": "boolean",
            "filesize": "integer",
            "offset": "integer",
            "chunk": "upload",
            "checkstatus": "boolean",
            **TOKEN,
        },
    ),
    "rollback": (
        "",
        True,
        {
            "title": "string",
            "pageid": "integer",
            "user": "user",
            "summary": "string",
            "markbot": "boolean",
            **TOKEN,
        },
    ),
    "patrol": ("", True, {"rcid": "integer", "revid": "integer", **TOKEN}),
    "watch": ("", True, {"title": "string", "titles": "string*", "unwatch": "boolean", **TOKEN}),
    "clearhasmsg": ("", True, {}),
    "purge": ("", True, {"titles": "string*", "pageids": "integer*"}),
    "query+users": (
        "us",
        False,
        {"users": "user*", "prop": "blockinfo|groups|editcount|registration*"},
    ),
    "query+watchlistraw": (
        "wr",
        False,
        {"limit": "limit", "continue": "string", "prop": "changed*"},
    ),
    "query+imageusage": (
        "iu",
        False,
        {"title": "string", "limit": "limit", "continue": "string"},
    ),
    "compare": (
        "",
        False,
        {
            "fromtitle": "string",
            "fromid": "integer",
            "fromrev": "integer",
            "totitle": "string",
            "toid": "integer",
            "torev": "integer",
            "torelative": "cur|next|prev",
        },
    ),
    "query+images": ("im", False, {"limit": "limit", "continue": "string"}),
    "query+imageinfo": (
        "ii",
        False,
        {"prop": "timestamp|user|comment|url|size|sha1|mime*", "limit": "limit"},
    ),
    "query+extlinks": ("el", False, {"limit": "limit", "continue": "string"}),
    "query+langlinks": (
        "ll",
        False,
        {
            "prop": "url|langname|autonym*",
            "lang": "string",
            "title": "string",
            "inlanguagecode": "string",
            "limit": "limit",
            "continue": "string",
        },
    ),
    "query+pageprops": ("pp", False, {"continue": "string", "prop": "string*"}),
    "query+contributors": ("pc", False, {"limit": "limit", "continue": "string"}),
    "query+allusers": (
        "au",
        False,
        {
            "from": "string",
            "prefix": "string",
            "prop": "editcount|groups|registration*",
            "limit": "limit",
        },
    ),
    "query+random": (
        "rn",
        False,
        {"namespace": "0*", "filterredir": "all|nonredirects|redirects", "limit": "limit"},
    ),
    "query+allcategories": (
        "ac",
        False,
        {
            "from": "string",
            "continue": "string",
            "prefix": "string",
            "prop": "size*",
            "limit": "limit",
        },
    ),
    "query+allimages": (
        "ai",
        False,
        {
            "from": "string",
            "continue": "string",
            "prefix": "string",
            "prop": "timestamp|user|comment|url|size|sha1|mime*",
            "limit": "limit",
        },
    ),
    "query+embeddedin": (
        "ei",
        False,
        {
            "title": "string",
            "pageid": "integer",
            "namespace": "0|10*",
            "filterredir": "all|redirects|nonredirects",
            "dir": "ascending|descending",
            "continue": "string",
            "limit": "limit",
        },
    ),
    "query+exturlusage": (
        "eu",
        False,
        {
            "query": "string",
            "protocol": "http|https",
            "continue": "string",
            "limit": "limit",
        },
    ),
    "query+watchlist": (
        "wl",
        False,
        {
            "start": "timestamp",
            "end": "timestamp",
            "dir": "newer|older",
            "prop": "ids|title|flags|user|comment|timestamp|sizes*",
            "show": "minor|!minor*",
            "continue": "string",
            "limit": "limit",
        },
    ),
}
