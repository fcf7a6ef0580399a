"""Wiki links, categories, interlanguage and interwiki links, external links."""

import html
import re
from urllib.parse import quote

from mwparserfromhell import nodes as wn

from . import file_links
from .markup import escape_text, label_text

LINK_TRAIL = re.compile(r"^[a-z]+")
PIPE_TRICK = re.compile(r"\s*\([^()]*\)\s*$|,.*$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[a-z]{2,8}){0,2}$")
INTERWIKI = {
    "w": "https://en.wikipedia.org/wiki/",
    "wikipedia": "https://en.wikipedia.org/wiki/",
    "wikt": "https://en.wiktionary.org/wiki/",
    "wiktionary": "https://en.wiktionary.org/wiki/",
    "commons": "https://commons.wikimedia.org/wiki/",
    "c": "https://commons.wikimedia.org/wiki/",
    "s": "https://en.wikisource.org/wiki/",
    "wikisource": "https://en.wikisource.org/wiki/",
    "q": "https://en.wikiquote.org/wiki/",
    "wikiquote": "https://en.wikiquote.org/wiki/",
    "b": "https://en.wikibooks.org/wiki/",
    "wikibooks": "https://en.wikibooks.org/wiki/",
    "n": "https://en.wikinews.org/wiki/",
    "wikinews": "https://en.wikinews.org/wiki/",
    "v": "https://en.wikiversity.org/wiki/",
    "wikiversity": "https://en.wikiversity.org/wiki/",
    "voy": "https://en.wikivoyage.org/wiki/",
    "wikivoyage": "https://en.wikivoyage.org/wiki/",
    "species": "https://species.wikimedia.org/wiki/",
    "wikispecies": "https://species.wikimedia.org/wiki/",
    "d": "https://www.wikidata.org/wiki/",
    "wikidata": "https://www.wikidata.org/wiki/",
    "m": "https://meta.wikimedia.org/wiki/",
    "meta": "https://meta.wikimedia.org/wiki/",
    "mw": "https://www.mediawiki.org/wiki/",
}
# Two- and three-letter prefixes that are namespaces or interwikis rather than languages.
LONG_LANGUAGE_CODES = {
    "simple",
    "be-x-old",
    "zh-min-nan",
    "roa-rup",
    "map-bms",
    "bat-smg",
    "fiu-vro",
    "cbk-zam",
    "nds-nl",
    "roa-tara",
    "zh-classical",
    "zh-yue",
}
NOT_LANGUAGES = {"wp", "mw", "wikt", "doi", "isbn", "pmid", "rfc"}
LINKABLE_SCHEMES = ("http://", "https://", "mailto:")
URL_UNSAFE = re.compile(r"[\s<>()\"\\]")
FORBIDDEN = set("<>[]|{}")


def is_language(prefix: str) -> bool:
    """A link prefix that names a Wikipedia language, as interlanguage links write it: in
    lower case (`[[de:Asthma]]`), which a title such as `[[Ra: A Story]]` is not."""
    prefix = prefix.strip()
    if prefix in LONG_LANGUAGE_CODES:
        return True
    return bool(LANGUAGE_CODE.match(prefix)) and prefix not in NOT_LANGUAGES


def clean_title(raw: str) -> str:
    """A link target as a title: entities decoded, underscores as spaces, trimmed."""
    return " ".join(html.unescape(raw).replace("_", " ").split())


def wikilink(cv, nodes: list, i: int, writer) -> int:
    node = nodes[i]
    target = clean_title(str(node.title))
    colon = target.startswith(":")
    target = target.lstrip(":").strip()
    prefix, _, rest = target.partition(":")
    namespace = prefix.strip().lower()
    if not colon and namespace == "category":
        cv.counts["categories"] += 1
        cv.categories.append(clean_title(rest)[:1].upper() + clean_title(rest)[1:])
        return i + 1
    if not colon and namespace in file_links.FILE_NAMESPACES:
        file_links.file_link(cv, node, rest.strip(), writer)
        return i + 1
    if not colon and rest and is_language(prefix):
        cv.counts["interlanguage links"] += 1
        title = clean_title(rest).lstrip(":")
        if title and not FORBIDDEN & set(title):
            cv.interlanguage.append((prefix.strip().lower(), title))
        return i + 1
    label, i = _label(cv, node, nodes, i, target)
    markdown = _link_markdown(cv, target, namespace, rest, label, colon)
    cv.report("links", markdown is not None, "link: not a valid title")
    writer.write(label if markdown is None else markdown)
    return i + 1


def _label(cv, node, nodes: list, i: int, target: str) -> tuple[str, int]:
    """The link's label in Markdown, with the link trail taken along; the last index used."""
    if node.text is None:
        label = escape_text(target.lstrip("#") if target.startswith("#") else target)
    elif not str(node.text).strip():  # the pipe trick: [[Foo (bar)|]] -> "Foo"
        label = escape_text(PIPE_TRICK.sub("", target.partition(":")[2] or target))
    else:
        label = cv.flat(node.text)
    nxt = nodes[i + 1] if i + 1 < len(nodes) else None
    if isinstance(nxt, wn.Text):
        trail = LINK_TRAIL.match(cv.node_text(nxt))
        if trail:
            label += trail.group()
            cv.replace_text(nxt, cv.node_text(nxt)[trail.end() :])
    return label_text(label), i


def _link_markdown(
    cv, target: str, namespace: str, rest: str, label: str, colon: bool
) -> str | None:
    if target.startswith("#"):
        anchor = target[1:].strip().replace(" ", "_")
        return f"[{label}](#{quote(anchor, safe='_.-:~')})"
    if namespace == "category":
        name = clean_title(rest).replace(" ", "_")
        return f"[{label}](/category/{quote(name, safe='_.-:~')})"
    if namespace in INTERWIKI and rest:
        url = INTERWIKI[namespace] + quote(rest.strip().replace(" ", "_"), safe="_.-:~/#")
        return f"[{label}]({url})"
    if colon and rest and is_language(target.partition(":")[0]):
        url = f"https://{namespace}.wikipedia.org/wiki/" + quote(rest.strip().replace(" ", "_"))
        return f"[{label}]({url})"
    if target.startswith("/") and cv.title:
        target = cv.title + target.rstrip("/")
    title = target.partition("#")[0]
    if not title.strip() or FORBIDDEN & set(target) or title.startswith((".", "/")):
        return None  # no page can have that title: the label alone
    if label == escape_text(target):
        return f"[[{target}]]"
    return f"[[{target}|{label}]]"


PAGE_NAME_WORDS = {"pagename", "pagenamee", "fullpagename", "fullpagenamee", "basepagename"}


def url_text(cv, code) -> str | None:
    """A link's URL as text (a page-name variable inside it filled in); None when another
    template makes it up, which only MediaWiki could expand."""
    parts = []
    for node in code.nodes:
        if isinstance(node, wn.Template):
            if str(node.name).strip().lower() not in PAGE_NAME_WORDS:
                return None
            parts.append(quote(cv.title.replace(" ", "_")))
        elif not isinstance(node, wn.Comment):
            parts.append(str(node))
    return "".join(parts).strip()


def external_link(cv, node: wn.ExternalLink, writer) -> None:
    url = url_text(cv, node.url)
    if url is None:
        cv.counts["external links"] += 1
        cv.unconverted["external link: made by a template"] += 1
        if node.title is not None:
            writer.write(cv.flat(node.title))
        return
    if url.startswith("//"):
        url = "https:" + url
    cv.counts["external links"] += 1
    if node.title is not None and str(node.title).strip():
        label = cv.flat(node.title)
    elif node.brackets:
        cv.external_numbers += 1
        label = f"\\[{cv.external_numbers}\\]"
    else:
        label = escape_text(url)
    if not url.lower().startswith(LINKABLE_SCHEMES):
        writer.write(label if node.title or not node.brackets else escape_text(url))
        return
    cv.counts["external links converted"] += 1
    writer.write(f"[{label}]({safe_url(url)})")


def safe_url(url: str) -> str:
    """A URL written so Markdown's link syntax keeps all of it."""
    url = html.unescape(url)
    return URL_UNSAFE.sub(lambda m: quote(m.group()), url)
