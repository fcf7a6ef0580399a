"""Wiki tables (`{| … |}`) and HTML tables: a Markdown pipe table when the table is simple
(a header row, no spans, no caption, one line per cell), else an HTML table whose cells hold
converted Markdown (see `markup.html_block`)."""

import re
from dataclasses import dataclass, field

from mwparserfromhell import nodes as wn

from .markup import CONTINUATION, html_block, html_escape
from .tag_attributes import attr

ALIGN = re.compile(r"text-align\s*:\s*(left|right|center|justify)", re.I)
SPAN = re.compile(r"^\d{1,3}$")
ATTRIBUTE = re.compile(r"""([a-zA-Z-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"']+)""")
ATTRIBUTES = re.compile(r"""\s*(?:[a-zA-Z-]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"']+)\s*)+""")


@dataclass
class Cell:
    header: bool
    html: str
    attrs: dict = field(default_factory=dict)


@dataclass
class Grid:
    caption: str = ""
    rows: list[list[Cell]] = field(default_factory=list)
    wikitable: bool = False
    lost: int = 0  # content between rows that is not a cell (shown after the table)
    extra: list[str] = field(default_factory=list)


def _cell_attrs(node: wn.Tag, given: dict | None = None) -> dict:
    def value(name: str) -> str:
        return (given or {}).get(name) or attr(node, name)

    attrs = {}
    for name in ("colspan", "rowspan"):
        if SPAN.match(value(name)) and value(name) != "1":
            attrs[name] = value(name)
    align = value("align").lower()
    found = ALIGN.search(value("style"))
    if found:
        align = found.group(1).lower()
    if align in {"left", "right", "center", "justify"}:
        attrs["style"] = f"text-align: {align}"
    return attrs


def read(cv, node: wn.Tag) -> Grid:
    grid = Grid(wikitable="wikitable" in attr(node, "class").split())
    row: list[Cell] | None = None
    children = list(node.contents.nodes) if node.contents is not None else []
    while children:
        child = children.pop(0)
        name = str(child.tag).lower() if isinstance(child, wn.Tag) else ""
        if name in {"tbody", "thead", "tfoot"} and child.contents is not None:
            children[:0] = child.contents.nodes
        elif name == "tr":
            row = []
            grid.rows.append(row)
            for cell in child.contents.nodes if child.contents is not None else []:
                _add(cv, grid, row, cell)
        elif name in {"td", "th", "caption"}:
            if row is None:
                row = []
                grid.rows.append(row)
            _add(cv, grid, row, child)
        else:
            _stray(cv, grid, child)
    grid.rows = [r for r in grid.rows if r]
    return grid


def _add(cv, grid: Grid, row: list, node) -> None:
    if not isinstance(node, wn.Tag) or str(node.tag).lower() not in {"td", "th", "caption"}:
        _stray(cv, grid, node)
        return
    name = str(node.tag).lower()
    first = node.contents.nodes[0] if node.contents is not None and node.contents.nodes else None
    if name == "caption" or (
        name == "td"
        and not grid.rows[:-1]
        and not row
        and str(node.wiki_markup) == "|"
        and isinstance(first, wn.Text)
        and str(first).startswith("+")
    ):
        if isinstance(first, wn.Text) and name == "td":
            cv.replace_text(first, str(first)[1:])
        grid.caption = cv.flat(node.contents)
        return
    given = _attributes_before_template(cv, node)
    row.append(Cell(name == "th", cv.flat(node.contents), _cell_attrs(node, given)))


def _attributes_before_template(cv, node: wn.Tag) -> dict:
    """`| colspan="2" {{yes}}`: the template gives the rest of the cell's attributes and its
    text, so mwparserfromhell reads the attributes as text; taken back here (and removed)."""
    nodes = node.contents.nodes if node.contents is not None else []
    if len(nodes) < 2 or not isinstance(nodes[0], wn.Text):
        return {}
    if not isinstance(nodes[1], wn.Template) or not ATTRIBUTES.fullmatch(str(nodes[0])):
        return {}
    found = {k.lower(): v.strip("\"'") for k, v in ATTRIBUTE.findall(str(nodes[0]))}
    cv.replace_text(nodes[0], "")
    return found


def _stray(cv, grid: Grid, node) -> None:
    """Content between rows (a template, a comment, stray text): kept, after the table."""
    if isinstance(node, wn.Comment) or not str(node).strip():
        return
    grid.extra.append(cv.flat(_wrap(node)))


def _wrap(node):
    from mwparserfromhell.smart_list import SmartList
    from mwparserfromhell.wikicode import Wikicode

    return Wikicode(SmartList([node]))


def simple(grid: Grid) -> bool:
    if grid.caption or len(grid.rows) < 2 or grid.extra:
        return False
    width = len(grid.rows[0])
    if not all(c.header for c in grid.rows[0]) or any(c.header for r in grid.rows[1:] for c in r):
        return False
    return all(
        len(r) == width and all(not c.attrs and "\n" not in c.html and "|" not in c.html for c in r)
        for r in grid.rows
    )


def pipe_table(grid: Grid) -> str:
    def line(cells):
        return "| " + " | ".join(c.html.strip() or " " for c in cells) + " |"

    rows = [line(grid.rows[0]), "|" + "---|" * len(grid.rows[0])]
    return "\n".join(rows + [line(r) for r in grid.rows[1:]])


def html_table(grid: Grid, css_class: str = "") -> str:
    cls = f' class="{css_class}"' if css_class else ""
    out = [f"<table{cls}>"]
    if grid.caption:
        out.append(f"<caption>{grid.caption}</caption>")
    for row in grid.rows:
        cells = []
        for c in row:
            tag = "th" if c.header else "td"
            attrs = "".join(f' {k}="{html_escape(v)}"' for k, v in c.attrs.items())
            cells.append(f"<{tag}{attrs}>{c.html}</{tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def table(cv, node: wn.Tag, writer) -> None:
    grid = read(cv, node)
    cv.counts["tables"] += 1
    cv.counts["tables converted"] += 1
    html = html_table(grid, "wikitable" if grid.wikitable else "")
    flat = html.replace("\n", CONTINUATION)
    markdown = pipe_table(grid) if simple(grid) else html_block(html)
    if grid.extra:
        after = "<br>".join(grid.extra)
        markdown += "\n\n" + after
        flat += after
    cv.write_block(writer, markdown, flat)
