"""Templates through the Action API, in MediaWiki 1.39's shapes: prop=templates (and
generator=templates), list=embeddedin, both read from the recorded template uses
(`transclusion.services`) and counting uses through other templates as MediaWiki's
templatelinks does, and action=expandtemplates (our wikitext is our Markdown)."""

import re
from xml.sax.saxutils import escape

from ...models import Article
from ...titles import (
    TEMPLATE_PREFIX,
    InvalidTitle,
    is_template_title,
    title_to_slug,
    validate_title,
)
from ...transcluding import Brace, expand_as, parse
from ...transclusion.services import pages_using, templates_used
from .lists import Items
from .params import Failure, Params

TEMPLATE_NS = 10
EXPAND_PROPS = (
    "wikitext",
    "categories",
    "properties",
    "volatile",
    "ttl",
    "modules",
    "jsconfigvars",
    "encodedjsconfigvars",
    "parsetree",
)
LEGACY = (
    'Because "prop" was not specified, a legacy format has been used for the output. This '
    "format is deprecated, and in the future the new format will always be used."
)
ANNOUNCE = (
    "Subscribe to the mediawiki-api-announce mailing list at "
    "<https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/> "
    "for notice of API deprecations and breaking changes."
)


def namespace_of(title: str) -> int:
    """The MediaWiki namespace number of a page here: Template (10) or the main one (0)."""
    return TEMPLATE_NS if is_template_title(title) else 0


def _title_of(slug: str) -> str:
    return slug.replace("_", " ")


# prop=templates --------------------------------------------------------------------------


def _template_pairs(articles, tl: Params) -> list[tuple[int, str]]:
    """(page id, template title) of every template the pages use, in MediaWiki's order."""
    wanted = {title_to_slug(t) for t in tl.list("templates")}
    namespaces = tl.list("namespace")
    if namespaces and str(TEMPLATE_NS) not in namespaces:
        return []  # every template here is in the Template namespace
    pairs = []
    for article_id, slugs in templates_used([a.pk for a in articles]).items():
        pairs += [(article_id, _title_of(s)) for s in slugs if not wanted or s in wanted]
    return sorted(pairs, reverse=tl.get("dir") == "descending")


def templates_of(articles, tl: Params) -> tuple[list[tuple[int, str]], dict]:
    """As many (page id, template title) pairs as tllimit allows, from tlcontinue
    ("page id|10|Name", as MediaWiki writes it), and the next continue under "continue"."""
    pairs = _template_pairs(articles, tl)
    if raw := tl.get("continue"):
        page, _, rest = raw.partition("|")
        ns, _, name = rest.partition("|")
        if not (page.isdigit() and ns.isdigit()):
            raise Failure("badcontinue", "Invalid continue param.")
        start = (int(page), TEMPLATE_PREFIX + _title_of(name))
        descending = tl.get("dir") == "descending"
        pairs = [pair for pair in pairs if (pair <= start if descending else pair >= start)]
    limit = tl.limit()
    cont = {}
    if len(pairs) > limit:
        page, title = pairs[limit]
        cont["continue"] = f"{page}|{TEMPLATE_NS}|{title_to_slug(title[len(TEMPLATE_PREFIX) :])}"
    return pairs[:limit], cont


def prop_templates(pages, entries: dict, p: Params, cont: dict) -> None:
    """Each page's templates (MediaWiki leaves the key out of a page without any)."""
    pairs, more = templates_of(pages.articles, p.with_prefix("tl"))
    for article_id, title in pairs:
        entries[article_id].setdefault("templates", []).append({"ns": TEMPLATE_NS, "title": title})
    if more:
        cont["tlcontinue"] = more["continue"]


# list=embeddedin -------------------------------------------------------------------------


def _embedded_title(ei: Params) -> str:
    if ei.has("pageid"):
        article = Article.objects.filter(pk=ei.int("pageid")).first()
        if article is None:
            raise Failure("nosuchpageid", f"There is no page with ID {ei.get('pageid')}.")
        return article.title
    raw = ei.get("title", "")
    try:
        return validate_title(raw)
    except InvalidTitle:
        raise Failure("invalidtitle", f'Bad title "{raw}".') from None


def list_embeddedin(ei: Params, p: Params):
    """The pages using the template eititle (or eipageid), directly or through another
    template; einamespace, eifilterredir, eilimit, eidir, eicontinue ("namespace|page id")."""
    if not (ei.get("title") or ei.get("pageid")):
        raise Failure(
            "invalidparammix", 'One of the parameters "eititle" and "eipageid" is required.'
        )
    users = Article.objects.filter(pk__in=pages_using(title_to_slug(_embedded_title(ei))))
    redirects = ei.get("filterredir", "all")
    if redirects in ("redirects", "nonredirects"):
        users = users.filter(redirect_to__isnull=redirects == "nonredirects")
    keys = sorted(
        ((namespace_of(title), pk, title) for pk, title in users.values_list("pk", "title")),
        reverse=ei.get("dir") == "descending",
    )
    if namespaces := ei.list("namespace"):
        keys = [k for k in keys if str(k[0]) in namespaces]
    if raw := ei.get("continue"):
        ns, _, page = raw.partition("|")
        if not (ns.isdigit() and page.isdigit()):
            raise Failure("badcontinue", "Invalid continue param.")
        start = (int(ns), int(page))
        descending = ei.get("dir") == "descending"
        keys = [k for k in keys if (k[:2] <= start if descending else k[:2] >= start)]
    limit = ei.limit()
    cont = {"eicontinue": f"{keys[limit][0]}|{keys[limit][1]}"} if len(keys) > limit else {}
    return Items({"pageid": pk, "ns": ns, "title": t} for ns, pk, t in keys[:limit]), cont


# action=expandtemplates ------------------------------------------------------------------


COMMENT = re.compile(r"(<!--.*?(?:-->|$))", re.S)


def _xml_text(text: str) -> str:
    """Text of the tree, its HTML comments as MediaWiki's <comment> elements."""
    pieces = COMMENT.split(text)
    return "".join(
        f"<comment>{escape(piece)}</comment>" if i % 2 else escape(piece)
        for i, piece in enumerate(pieces)
    )


def _xml_part(nodes: list, index: int) -> tuple[str, bool]:
    """One `|` part: `name=value` when a text node holds `=`, else positional."""
    for i, node in enumerate(nodes):
        if isinstance(node, str) and "=" in node:
            before, _, after = node.partition("=")
            name = _xml_nodes([*nodes[:i], before])
            value = _xml_nodes([after, *nodes[i + 1 :]])
            return f"<part><name>{name}</name><equals>=</equals><value>{value}</value></part>", True
    return f'<part><name index="{index}"/><value>{_xml_nodes(nodes)}</value></part>', False


def _xml_nodes(nodes: list) -> str:
    out = []
    for node in nodes:
        if not isinstance(node, Brace):
            out.append(_xml_text(node))
            continue
        tag = "tplarg" if node.param else "template"
        parts, index = [], 0
        for part in node.parts[1:]:
            xml, named = _xml_part(part, index + 1)
            index += 0 if named else 1
            parts.append(xml)
        title = _xml_nodes(node.parts[0])
        out.append(f"<{tag}><title>{title}</title>{''.join(parts)}</{tag}>")
    return "".join(out)


def parse_tree(text: str) -> str:
    """The text's template calls and parameters as MediaWiki's preprocessor XML (prop=parsetree)."""
    return f"<root>{_xml_nodes(parse(text))}</root>"


def _expand_title(p: Params) -> str:
    raw = p.get("title", "API")
    try:
        return validate_title(raw)
    except InvalidTitle:
        raise Failure("invalidtitle", f'Bad title "{raw}".') from None


def _warning(p: Params, text: str) -> dict:
    return {"warnings" if p.v2 else "*": text}


def action_expandtemplates(request, p: Params) -> dict:
    """text (required), title (default "API"), prop: `wikitext` is the text expanded,
    `parsetree` its calls as MediaWiki's XML; the other parts MediaWiki can answer are empty
    here (no modules, no page properties). No prop is MediaWiki's deprecated legacy answer,
    with its warnings."""
    if not p.has("text"):
        raise Failure("missingparam", 'The "text" parameter must be set.')
    text = expand_as(p.get("text"), _expand_title(p)).text
    if not p.has("prop"):
        legacy = {"wikitext" if p.v2 else "*": text}
        warnings = {"main": _warning(p, ANNOUNCE), "expandtemplates": _warning(p, LEGACY)}
        return {"warnings": warnings, "expandtemplates": legacy}
    props = p.list("prop")
    out: dict = {}
    if "wikitext" in props:
        out["wikitext"] = text
    if "volatile" in props and p.v2:
        out["volatile"] = False
    if "modules" in props:
        out.update(modules=[], modulescripts=[], modulestyles=[])
    if "jsconfigvars" in props:
        out["jsconfigvars"] = {}
    if "encodedjsconfigvars" in props:
        out["encodedjsconfigvars"] = "{}"
    if "parsetree" in props:
        out = {"parsetree": parse_tree(p.get("text")), **out}
    answer: dict = {"expandtemplates": out or []}
    if unknown := [name for name in props if name not in EXPAND_PROPS]:
        said = "; ".join(f'Unrecognized value for parameter "prop": {name}' for name in unknown)
        answer = {"warnings": {"expandtemplates": _warning(p, said)}, **answer}
    return answer
