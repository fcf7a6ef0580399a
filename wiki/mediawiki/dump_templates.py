"""A dump's own templates: its `Template:` pages become our templates, and a page's calls of
them stay calls (`{{Name|p=v}}`) that our template language expands.

A template page's wikitext is first cut as MediaWiki transcludes it (`<onlyinclude>` alone if
it has one, `<noinclude>` parts left out, `<includeonly>` kept), then converted like any page
with the converter in template mode: a parameter `{{{name|default}}}` stays a parameter, the
parser functions `#if`, `#ifeq` and `#switch` stay ours, a call of another of the dump's
templates stays a call. What our language lacks (other parser functions, magic words such as
`{{PAGENAME}}`, modules) is kept visibly as code and reported by name. A `<templatedata>`
block (usually in the `<noinclude>` documentation) becomes our ```templatedata``` block.
"""

import json
import re

from mwparserfromhell import nodes as wn

from ..titles import TEMPLATE_PREFIX, normalize_title
from .markup import code_span

# As `transcluding` reads them (this module, like the converter, runs without Django).
DATA_INFO = "templatedata"
PARAM_FIELDS = ("label", "type", "required", "default", "description", "example")
MAPPED_FUNCTIONS = {"#if", "#ifeq", "#switch"}
# Names (before any ":") MediaWiki reads as a variable or function, not a template.
MAGIC = {
    "pagename", "fullpagename", "basepagename", "subpagename", "rootpagename", "namespace",
    "pagenamee", "fullpagenamee", "talkpagename", "sitename", "server", "servername",
    "scriptpath", "currentyear", "currentmonth", "currentday", "currenttimestamp",
    "localyear", "revisionid", "revisionyear", "numberofarticles", "lc", "uc", "lcfirst",
    "ucfirst", "urlencode", "anchorencode", "fullurl", "localurl", "canonicalurl", "formatnum",
    "padleft", "padright", "plural", "grammar", "gender", "int", "ns", "nse", "tag",
    "displaytitle", "defaultsort", "filepath", "safesubst", "subst", "msg", "raw", "!", "=",
}  # fmt: skip
CALL_COUNT = "templates through the dump's templates"
ONLYINCLUDE = re.compile(r"<onlyinclude>(.*?)</onlyinclude>", re.S | re.I)
NOINCLUDE = re.compile(r"<noinclude\s*>.*?(?:</noinclude\s*>|\Z)", re.S | re.I)
INCLUDEONLY = re.compile(r"</?includeonly\s*>", re.I)
TEMPLATEDATA = re.compile(r"<templatedata>(.*?)</templatedata>", re.S | re.I)


def transcluded(wikitext: str) -> str:
    """What of a template page's wikitext a call includes."""
    if ONLYINCLUDE.search(wikitext):
        wikitext = "".join(ONLYINCLUDE.findall(wikitext))
    return INCLUDEONLY.sub("", NOINCLUDE.sub("", wikitext))


def template_data_block(wikitext: str) -> str:
    """The page's `<templatedata>` JSON as our ```templatedata``` block ("" without one, or
    when it is not JSON): labels and descriptions in English where they are translated."""
    found = TEMPLATEDATA.search(wikitext)
    if found is None:
        return ""
    try:
        data = json.loads(found.group(1))
    except ValueError:
        return ""
    params = data.get("params") if isinstance(data, dict) else None
    if not isinstance(params, dict):
        return ""
    ours = {"params": {}}
    if data.get("description"):
        ours["description"] = _english(data["description"])
    for name, doc in params.items():
        if not isinstance(doc, dict):
            continue
        ours["params"][name] = {k: _english(doc[k]) for k in PARAM_FIELDS if k in doc}
    return f"\n\n```{DATA_INFO}\n{json.dumps(ours, ensure_ascii=False, indent=1)}\n```\n"


def _english(value):
    if isinstance(value, dict):  # {"en": "…", "de": "…"}
        return value.get("en") or next(iter(value.values()), "")
    return value


def template_name(raw: str) -> str:
    """'template:foo_bar' or 'foo bar' -> 'Foo bar' (as `transcluding.template_name`)."""
    name = normalize_title(raw)
    if name[: len(TEMPLATE_PREFIX)].lower() == TEMPLATE_PREFIX.lower():
        name = normalize_title(name[len(TEMPLATE_PREFIX) :])
    return name


def dump_template_name(title: str) -> str:
    """`Template:foo_bar` (or `Vorlage:…`, any prefix) -> our template name `Foo bar`."""
    return template_name(title.partition(":")[2])


def call_name(node: wn.Template) -> str:
    """A call's template name as ours (`foo_bar` -> `Foo bar`); "" for a parser function or
    a magic word."""
    raw = " ".join(str(node.name).replace("_", " ").split())
    head = raw.split(":", 1)[0].strip().lower()
    if not raw or raw.startswith("#") or head in MAGIC:
        return ""
    return template_name(raw)


def is_function(node: wn.Template) -> bool:
    raw = str(node.name).strip()
    return raw.startswith("#") or raw.split(":", 1)[0].strip().lower() in MAGIC


def call(cv, node: wn.Template, name: str, writer) -> None:
    """A call of one of the dump's templates, kept as our call with converted values."""
    cv.counts[CALL_COUNT] += 1
    cv.counts["templates converted"] += 1
    parts, position = [name], 0
    for param in node.params:
        value = _value(cv, param.value)
        if param.showkey:
            parts.append(f"{' '.join(str(param.name).split())}={value}")
        else:
            position += 1
            parts.append(f"{position}={value}" if "=" in value else value)
    writer.write("{{" + "|".join(parts) + "}}", line_start_after=False)


def function(cv, node: wn.Template, writer) -> None:
    """In a template: `#if`, `#ifeq`, `#switch` written as ours; any other parser function
    or magic word kept as code and reported by name."""
    raw = str(node.name).strip()
    kind = raw.split(":", 1)[0].strip().lower()
    if kind not in MAPPED_FUNCTIONS:
        cv.counts["template functions"] += 1
        cv.unconverted[
            f"parser function: {kind if kind.startswith('#') else raw.split(':')[0]}"
        ] += 1
        writer.write(code_span(str(node)), line_start_after=False)
        return
    cv.counts["template functions"] += 1
    cv.counts["template functions converted"] += 1
    parts = [_value(cv, node.name)]
    for param in node.params:
        value = _value(cv, param.value)
        parts.append(f"{_value(cv, param.name)}={value}" if param.showkey else value)
    writer.write("{{" + "|".join(parts) + "}}", line_start_after=False)


def argument(cv, node: wn.Argument, writer) -> None:
    """`{{{name}}}` or `{{{name|default}}}` in a template: our parameter."""
    cv.counts["template arguments"] += 1
    cv.counts["template arguments converted"] += 1
    name = " ".join(str(node.name).split())
    default = "" if node.default is None else "|" + _value(cv, node.default)
    writer.write("{{{" + name + default + "}}}", line_start_after=False)


def _value(cv, code) -> str:
    """A value as one line of our Markdown (a list or a table inside it as HTML)."""
    text = cv.flat(code).replace("\n    ", " ").strip()
    return text[1:] if text.startswith("\\#") else text  # `#default`, `#if:` as typed


def has_parameters(node: wn.Wikilink) -> bool:
    """A link whose target a template's parameter or function fills in."""
    return bool(node.title.filter_arguments() or node.title.filter_templates())


def link(cv, node: wn.Wikilink, writer) -> None:
    """`[[{{{1}}}|{{{2}}}]]` in a template: our wiki link with the parameters in it."""
    cv.counts["links"] += 1
    cv.counts["links converted"] += 1
    label = "" if node.text is None else "|" + _value(cv, node.text)
    writer.write(f"[[{_value(cv, node.title)}{label}]]", line_start_after=False)
