"""Templates: `{{Name|param=value}}` calls expanded to Markdown before rendering.

A template is the page `Template:Name`. Its body is our Markdown with parameters
(`{{{name}}}`, `{{{name|default}}}`) and three conditionals (`{{#if:test|then|else}}`,
`{{#ifeq:a|b|then|else}}`, `{{#switch:value|case=result|…|#default=result}}`): no loops, no
variables, nothing Turing-complete. A fenced block with the info string `templatedata` holds
its parameters' documentation as JSON, TemplateData-style (see docs/editors.md).

Expansion is one pass over a parsed tree, bounded three ways: MAX_DEPTH templates inside one
another, MAX_EXPANSION characters of output and MAX_STEPS nodes visited; past a bound, or in a
loop (a template reaching itself), the call becomes a visible error and the problem is
listed. Code (fenced blocks, `code spans`, <code>, <pre>) is never expanded. `expand` reads
templates through the `lookup` it is given (`stored_template` reads the database).
"""

import bisect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .languages import content_language, default_language
from .models import Article
from .titles import TEMPLATE_PREFIX, normalize_title

MAX_DEPTH = 20  # templates inside templates
MAX_EXPANSION = 500_000  # characters of expanded text a page may reach
MAX_STEPS = 200_000  # tree nodes visited in one expansion
MAX_PARSE_DEPTH = 60  # braces nested deeper than this are text
DATA_INFO = "templatedata"
PARAM_FIELDS = ("label", "type", "required", "default", "description", "example")

# Where code may start: a fence at a line's start, <pre>, <code> or a run of backticks.
CODE_START = re.compile(
    r"^(?P<marks>`{3,}|~{3,})(?P<info>[^\n`]*)$|<(?P<tag>pre|code)\b|(?P<ticks>`+)",
    re.MULTILINE | re.IGNORECASE,
)
TOKEN = re.compile(r"\{\{\{|\{\{|\}\}\}|\}\}|\||\[\[|\]\]")
HOLE = "\ue010{}\ue011"
HOLES = re.compile("\ue010(\\d+)\ue011")


class ExpansionError(Exception):
    """A bound was passed or a loop found: `str(self)` says which, for the editor."""


@dataclass
class Brace:
    """`{{…}}` (a call) or `{{{…}}}` (a parameter): its parts split at `|`, and its text."""

    param: bool
    parts: list
    source: str


@dataclass
class Template:
    nodes: list
    params: dict  # name -> its documentation (a dict of PARAM_FIELDS)
    documented: bool


@dataclass
class Expansion:
    text: str
    used: set[str] = field(default_factory=set)  # titles of the templates expanded
    problems: list[str] = field(default_factory=list)


# Parsing ------------------------------------------------------------------------------------


def _parse(text: str, pos: int, closing: str | None, depth: int):
    """Nodes from `pos` up to `closing` ('}}' or '}}}', None: the end). Returns (parts, end,
    closed); parts are lists of nodes split at `|` (one part at the top level). Linear: an
    unclosed brace becomes text around the nodes already parsed, never parsed again."""
    parts: list[list] = [[]]
    links = 0  # `[[` open in this brace: a `|` inside a wiki link is the link's, as typed
    while True:
        m = TOKEN.search(text, pos)
        if m is None:
            parts[-1].append(text[pos:])
            return parts, len(text), closing is None
        if m.start() > pos:
            parts[-1].append(text[pos : m.start()])
        token = m.group()
        if token in ("{{{", "{{") and depth < MAX_PARSE_DEPTH:
            param = token == "{{{"
            inner, end, closed = _parse(text, m.end(), "}}}" if param else "}}", depth + 1)
            if closed:
                parts[-1].append(Brace(param, inner, text[m.start() : end]))
            else:
                parts[-1].extend(_flatten(token, inner))
            pos = end
        elif token in ("[[", "]]"):
            links = links + 1 if token == "[[" else max(links - 1, 0)
            parts[-1].append(token)
            pos = m.end()
        elif token == "|" and closing is not None and not links:
            parts.append([])
            pos = m.end()
        elif closing is not None and token.startswith(closing):
            return parts, m.start() + len(closing), True
        else:
            parts[-1].append(token)
            pos = m.end()


def _flatten(opening: str, parts: list) -> list:
    out: list = [opening]
    for i, part in enumerate(parts):
        if i:
            out.append("|")
        out.extend(part)
    return out


def parse(text: str) -> list:
    return _parse(text, 0, None, 0)[0][0]


def _code_regions(text: str):
    """(start, end, templatedata body or None) of each code region, in order. Linear: each
    closing is looked for forward of the last, and a closing found missing is not sought
    again."""
    missing: set[str] = set()
    runs: dict[int, list[int]] = {}
    for m in re.finditer(r"`+", text):
        runs.setdefault(len(m.group()), []).append(m.start())
    pos = 0
    for m in CODE_START.finditer(text):
        if m.start() < pos:
            continue
        if m.group("marks"):
            key, closing = m.group("marks"), None
            if key not in missing:
                closing = re.compile(rf"^{re.escape(key)}[ \t]*$", re.MULTILINE).search(
                    text, m.end()
                )
            if closing is None:
                missing.add(key)
                continue
            info = m.group("info").strip().lower()
            body = text[m.end() + 1 : closing.start() - 1] if info == DATA_INFO else None
            pos = closing.end()
        elif m.group("tag"):
            key = f"</{m.group('tag').lower()}>"
            end = -1 if key in missing else text.lower().find(key, m.end())
            if end < 0:
                missing.add(key)
                continue
            body, pos = None, end + len(key)
        else:
            same = runs[len(m.group("ticks"))]
            at = bisect.bisect_right(same, m.start())
            if at >= len(same):
                pos = m.end()
                continue
            body, pos = None, same[at] + len(m.group("ticks"))
        yield m.start(), pos, body


def _protect(text: str, data: Callable[[str], str] | None) -> tuple[str, list[str]]:
    """Code regions replaced by holes (kept as they are); a templatedata block by `data(json)`."""
    kept: list[str] = []
    out, pos = [], 0
    for start, end, body in _code_regions(text):
        found = data(body) if data is not None and body is not None else text[start:end]
        kept.append(found)
        out += [text[pos:start], HOLE.format(len(kept) - 1)]
        pos = end
    out.append(text[pos:])
    return "".join(out), kept


def _restore(text: str, kept: list[str]) -> str:
    return HOLES.sub(lambda m: kept[int(m.group(1))], text) if kept else text


# Documentation ------------------------------------------------------------------------------


def template_data(source: str) -> tuple[dict, list[str]]:
    """The templatedata block of a template's source as {"description", "params"}, and what
    is wrong with it (not JSON, not an object, a parameter that is not an object)."""
    found: list[str] = []
    _protect(source, lambda body: found.append(body) or "")
    if not found:
        return {}, []
    try:
        data = json.loads(found[0])
    except ValueError as exc:
        return {}, [f"The templatedata block is not valid JSON: {exc}."]
    if not isinstance(data, dict) or not isinstance(data.get("params", {}), dict):
        return {}, ['The templatedata block must be a JSON object with a "params" object.']
    bad = [n for n, p in data.get("params", {}).items() if not isinstance(p, dict)]
    if bad:
        return {}, [f"The templatedata parameter “{bad[0]}” must be a JSON object."]
    return data, []


def docs_markdown(data: dict) -> str:
    """The parameters table a template page shows in place of its templatedata block."""
    params = data.get("params", {})
    lines = [str(data.get("description", "")).strip(), ""] if data.get("description") else []
    if not params:
        return "\n".join([*lines, "*This template takes no parameters.*"])
    lines += [
        "| Parameter | Label | Type | Required | Default | Description | Example |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, doc in params.items():
        cells = [f"`{name}`", doc.get("label", ""), doc.get("type", "string")]
        cells += ["yes" if doc.get("required") else "no", doc.get("default", "")]
        cells += [doc.get("description", ""), doc.get("example", "")]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def _cell(value) -> str:
    return " ".join(str(value).split()).replace("|", "\\|")


def load_template(source: str) -> Template:
    data, _ = template_data(source)
    body, kept = _protect(source, lambda _json: "")
    body = _restore(body, kept).strip("\n")
    body, kept = _protect(body, lambda _json: "")
    return Template(_restore_tree(parse(body), kept), data.get("params", {}), bool(data))


def _restore_tree(nodes: list, kept: list[str]) -> list:
    if not kept:
        return nodes
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(_restore(node, kept))
        else:
            parts = [_restore_tree(p, kept) for p in node.parts]
            out.append(Brace(node.param, parts, _restore(node.source, kept)))
    return out


# Expansion ----------------------------------------------------------------------------------


def template_name(raw: str) -> str:
    """'template:foo_bar' or 'foo bar' -> 'Foo bar'."""
    name = normalize_title(raw)
    if name[: len(TEMPLATE_PREFIX)].lower() == TEMPLATE_PREFIX.lower():
        name = normalize_title(name[len(TEMPLATE_PREFIX) :])
    return name


class _Expander:
    def __init__(self, lookup: Callable[[str], str | None]):
        self.lookup = lookup
        self.templates: dict[str, Template | None] = {}
        self.used: set[str] = set()
        self.problems: list[str] = []
        self.size = 0
        self.steps = 0
        self.stack: list[str] = []

    def template(self, name: str) -> Template | None:
        if name not in self.templates:
            source = self.lookup(name)
            self.templates[name] = None if source is None else load_template(source)
        return self.templates[name]

    def problem(self, message: str, shown: str | None = None) -> str:
        if message not in self.problems:
            self.problems.append(message)
        return shown if shown is not None else f"**Template error: {message}**"

    def nodes(self, nodes: list, frame: dict | None) -> str:
        out = []
        for node in nodes:
            self.steps += 1
            if self.steps > MAX_STEPS:
                raise ExpansionError("the templates take too many steps to expand")
            text = node if isinstance(node, str) else self.brace(node, frame)
            self.size += len(text)
            if self.size > MAX_EXPANSION:
                raise ExpansionError(
                    f"the expanded text would be longer than {MAX_EXPANSION:,} characters"
                )
            out.append(text)
        return "".join(out)

    def brace(self, node: Brace, frame: dict | None) -> str:
        if node.param:
            name = self.nodes(node.parts[0], frame).strip()
            if frame is None:  # on a page, not in a template: text as typed
                return node.source
            if name in frame["args"]:
                return frame["args"][name]
            if len(node.parts) > 1:
                return self.nodes(node.parts[1], frame)
            default = frame["params"].get(name, {}).get("default")
            if default is None and frame.get("page"):  # a template's page: shown as typed
                return node.source
            return str(default or "")
        head = self.nodes(node.parts[0], frame)
        if head.lstrip().startswith("#") and ":" in head:
            return self.function(head, node.parts[1:], frame, node)
        return self.call(template_name(head), node, frame)

    def function(self, head: str, rest: list, frame, node: Brace) -> str:
        kind, first = head.strip().split(":", 1)
        kind = kind.lower()
        arg = lambda i: self.nodes(rest[i], frame).strip() if i < len(rest) else ""  # noqa: E731
        if kind == "#if":
            return arg(0) if first.strip() else arg(1)
        if kind == "#ifeq":
            return arg(1) if first.strip() == arg(0) else arg(2)
        if kind == "#switch":
            return self.switch(first.strip(), rest, frame)
        return self.problem(f"unknown function “{kind}” (use #if, #ifeq or #switch)")

    def switch(self, value: str, cases: list, frame) -> str:
        default, matched = "", False
        for part in cases:
            text = self.nodes(part, frame)
            key, eq, result = text.partition("=")
            if not eq:  # a bare value: falls through to the next result
                matched = matched or key.strip() == value
                default = key.strip()
                continue
            if matched or key.strip() == value:
                return result.strip()
            if key.strip() == "#default":
                default = result.strip()
        return default

    def call(self, name: str, node: Brace, frame) -> str:
        title = TEMPLATE_PREFIX + name
        template = self.template(name) if name else None
        if template is None:
            return self.problem(f"there is no template “{title}”", node.source)
        if name in self.stack:
            loop = " → ".join(TEMPLATE_PREFIX + n for n in [*self.stack, name])
            return self.problem(f"template loop: {loop}")
        if len(self.stack) >= MAX_DEPTH:
            return self.problem(f"templates nested more than {MAX_DEPTH} deep at “{title}”")
        self.used.add(title)
        args = self.arguments(node.parts[1:], frame)
        if template.documented:
            for key in args:
                if key not in template.params:
                    self.problem(f"“{title}” has no parameter “{key}”")
            for key, doc in template.params.items():
                if doc.get("required") and not args.get(key, "").strip():
                    self.problem(f"“{title}” needs the parameter “{key}”")
        self.stack.append(name)
        try:
            return self.nodes(template.nodes, {"args": args, "params": template.params})
        finally:
            self.stack.pop()

    def arguments(self, parts: list, frame) -> dict[str, str]:
        args, position = {}, 0
        for part in parts:
            named = part and isinstance(part[0], str) and "=" in part[0]
            if named:
                key, _, first = part[0].partition("=")
                args[key.strip()] = self.nodes([first, *part[1:]], frame).strip()
            else:
                position += 1
                args[str(position)] = self.nodes(part, frame).strip()
        return args


def expand(text: str, lookup: Callable[[str], str | None], *, template_page: str = "") -> Expansion:
    """`text` with its template calls expanded. On a template's own page (`template_page`:
    its name) its parameters show their defaults, its templatedata block shows as a table,
    and a call reaching the template itself is a loop."""
    if "{{" not in text and not (template_page and DATA_INFO in text):
        return Expansion(text)
    expander = _Expander(lookup)
    expander.stack = [template_page] if template_page else []

    def data(body: str) -> str:
        parsed, problems = template_data(f"```{DATA_INFO}\n{body}\n```")
        return "\n".join(f"**{p}**" for p in problems) or docs_markdown(parsed)

    protected, kept = _protect(text, data if template_page else None)
    frame = {"args": {}, "params": {}, "page": True} if template_page else None
    try:
        expanded = expander.nodes(parse(protected), frame)
    except ExpansionError as exc:
        message = f"Templates could not be expanded: {exc}."
        return Expansion(f"**{message}**", expander.used, [*expander.problems, message])
    return Expansion(_restore(expanded, kept), expander.used, expander.problems)


def template_calls(text: str) -> set[str]:
    """The titles of the templates `text` calls by a name written out (`{{Name…}}`)."""
    protected, _ = _protect(text, lambda body: "")
    found: set[str] = set()
    todo = parse(protected)
    while todo:
        node = todo.pop()
        if isinstance(node, Brace):
            head = node.parts[0]
            if not node.param and len(head) == 1 and isinstance(head[0], str):
                name = head[0].strip()
                if name and not name.startswith("#"):
                    found.add(TEMPLATE_PREFIX + template_name(name))
            for part in node.parts:
                todo.extend(part)
    return found


def template_problems(source: str, title: str = "") -> list[str]:
    """What a save of `source` as the page `title` must refuse: unknown templates and
    parameters, missing required ones, loops and bounds, a templatedata block not valid."""
    found = [f"Template {p}" for p in template_data(source)[1]]
    own = template_name(title) if title.startswith(TEMPLATE_PREFIX) else ""
    problems = expand(
        source,
        lambda name: source if name == own else stored_template(name),
        template_page=own,
    ).problems
    return found + [p[0].upper() + p[1:] for p in problems]


def stored_template(name: str) -> str | None:
    """The source of the page `Template:<name>` (of the page it redirects to, once moved),
    None when there is none."""
    article = Article.objects.by_title(TEMPLATE_PREFIX + name).first()
    if article is None and content_language() != default_language():
        # A language without its own copy of a template uses the default language's.
        article = Article.objects.by_title(TEMPLATE_PREFIX + name, default_language()).first()
    if article is not None and article.redirect_to_id:  # a moved template: its new page
        article = Article.objects.filter(pk=article.redirect_to_id).first()
    return None if article is None else article.source


def expand_as(text: str, title: str = "") -> Expansion:
    """`text` expanded from the stored templates as on the page `title` (on a template's own
    page its parameters show their defaults and a call of itself is a loop): what the APIs'
    expandtemplates answer."""
    own = template_name(title) if title.startswith(TEMPLATE_PREFIX) else ""
    return expand(text, stored_template, template_page=own)
