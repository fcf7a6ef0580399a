"""The sanitizer policy: the tags, attributes and classes content may use, and its depth."""

import re

import nh3

from .budget import TOO_COMPLEX, RenderTooComplex
from .content import content_rules

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "var",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},  # rel is ours alone (`content_rules`)
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style", "scope"},
    "ol": {"start"},
    "li": {"id"},
    "sup": {"id"},
    "code": {"class"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
}
ALLOWED_CLASSES = {  # "new" (red links) and "external" are added after sanitizing, not taken
    "a": {"wikilink", "footnote-ref", "footnote-backref"},
    "div": {"footnote", "gallery"},
    # Imported from MediaWiki (`wiki.mediawiki`): tables, boxes, figures, template markers.
    "table": {"wikitable", "infobox"},
    "span": {"template", "math", "wiki-block", "citation-error", "backlinks"},
    "figure": {
        "thumb",
        "file-missing",
        "left",
        "right",
        "center",
        "media",
        "upright",
        "frameless",
        "gallery-item",
    },
}
INLINE_TAGS = {
    "a",
    "abbr",
    "b",
    "code",
    "del",
    "em",
    "i",
    "ins",
    "kbd",
    "mark",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "u",
    "var",
}


def sanitize(html: str, *, tags=ALLOWED_TAGS) -> str:
    check_html_depth(html)
    html = nh3.clean(
        html,
        tags=tags,
        attributes={t: a for t, a in ALLOWED_ATTRIBUTES.items() if t in tags},
        allowed_classes={t: c for t, c in ALLOWED_CLASSES.items() if t in tags},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        filter_style_properties={"text-align"},
        strip_comments=True,
    )
    return content_rules(html)


# The HTML parser behind nh3 takes time growing with the square of the nesting depth:
# deeper HTML than this is refused before it gets there.
MAX_HTML_DEPTH = 1000
HTML_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
# Tags that never nest (void) or whose end tag may be left out: not counted as depth.
UNCOUNTED_TAGS = frozenset(
    "area base br col colgroup embed hr img input link meta param source track wbr "
    "p li dt dd tr td th thead tbody tfoot caption option optgroup rp rt".split()
)


def check_html_depth(html: str) -> None:
    if html.count("<") <= MAX_HTML_DEPTH:
        return
    depth = 0
    for m in HTML_TAG.finditer(html):
        if m.group(2).lower() in UNCOUNTED_TAGS:
            continue
        if m.group(1):
            depth = max(depth - 1, 0)
        else:
            depth += 1
            if depth > MAX_HTML_DEPTH:
                raise RenderTooComplex(TOO_COMPLEX)
