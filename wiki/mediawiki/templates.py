"""Templates: a call of one of the dump's own templates kept as our call (`dump_templates`);
the common ones rendered as text, links, notes or boxes; maintenance templates dropped (and
counted); any other kept visibly as a marker with its name and parameters and listed as
unconverted."""

import re

from mwparserfromhell import nodes as wn

from . import cite_templates, dump_templates, infobox_templates, maintenance, template_text
from .markup import escape_text, html_escape
from .template_args import Args, plain

MARKER_LIMIT = 400  # characters of parameters a marker shows


def key(node: wn.Template) -> str:
    name = " ".join(plain(node.name).replace("_", " ").split()) or str(node.name).strip()
    if name.lower().startswith("template:"):
        name = name[9:].strip()
    return name.lower()


def display_name(node: wn.Template) -> str:
    name = " ".join(plain(node.name).replace("_", " ").split())
    return name.removeprefix("Template:").removeprefix("template:").strip() or "template"


def template(cv, node: wn.Template, writer) -> None:
    if cv.template_body and dump_templates.is_function(node):
        dump_templates.function(cv, node, writer)
        return
    cv.counts["templates"] += 1
    if cv.dump_templates and (ours := dump_templates.call_name(node)) in cv.dump_templates:
        dump_templates.call(cv, node, ours, writer)
        return
    name = key(node)
    args = Args(node)
    drop = maintenance.dropped(name)
    if drop:
        cv.counts["templates converted"] += 1
        cv.counts[f"templates dropped: {drop}"] += 1
        return
    handler = find_handler(name)
    if handler is not None and handler(cv, args, writer, name) is not False:
        cv.counts["templates converted"] += 1
        return
    marker(cv, node, args, writer)


def find_handler(name: str):
    if name.startswith(("cite ", "vcite ", "vcite2 ")) or name in cite_templates.CITATION_NAMES:
        return cite_templates.citation_template
    if infobox_templates.is_infobox(name):
        return infobox_templates.infobox
    return template_text.handler(name)


def marker(cv, node: wn.Template, args: Args, writer) -> None:
    """A template we cannot render: its name and parameters, visibly, and reported."""
    name = display_name(node)
    shown = name.split(":")[0] + ":" if ":" in name else name
    cv.unconverted[f"template: {shown.rstrip(':') if ':' in name else name}"] += 1
    parts = []
    for pname, value in args.order:
        text = cv.flat(value).replace("\n    ", " ")
        parts.append(f"{html_escape(pname)} = {text}" if pname else text)
    body = " · ".join(p for p in parts if p.strip())
    if len(body) > MARKER_LIMIT or "<table" in body or "<ul" in body:
        body = escape_text(_short(" · ".join(plain(v) for _, v in args.order)))
    sep = ": " if body else ""
    writer.write(
        f'<span class="template" title="Template:{html_escape(name)}">'
        f"{escape_text(name)}{sep}{body}</span>"
    )


def _short(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= MARKER_LIMIT else text[:MARKER_LIMIT].rsplit(" ", 1)[0] + " …"
