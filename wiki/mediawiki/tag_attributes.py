"""A wikitext tag's attributes (`<ref name=…>`, `<table class=…>`, `<math display=…>`), read
as MediaWiki reads them: the name in any case, the value unquoted and its entities decoded."""

import html

from mwparserfromhell import nodes as wn


def attr(node: wn.Tag, name: str) -> str:
    """The value of the attribute `name` (lowercase) of `node`, or "" when it has none."""
    for attribute in node.attributes:
        if str(attribute.name).strip().lower() == name:
            return html.unescape(str(attribute.value or "")).strip().strip("\"'")
    return ""
