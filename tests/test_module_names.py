"""Names that tell rooms apart, and converters whose imports only go down.

A module's file name is what an engineer types to find it and what an import says; when two
modules of the engine share one (`citations.py` for our citation syntax and for MediaWiki's
`{{cite}}` templates), an import such as `from ..titles import …` means one thing in one
package and another in the next. And the MediaWiki and export modules are a pipeline: a module
that imports one that imports it back cannot be read, tested or moved on its own.
"""

import ast
from collections import defaultdict
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
ENGINE = ROOT / "wiki"

# The parts every capability has, the same name in each (STYLE.md: one shape per capability).
SHAPE_NAMES = {
    "__init__",
    "models",
    "views",
    "forms",
    "urls",
    "services",
    "admin",
    "apps",
    "feeds",
    "subscribers",  # what a capability does after a save, connected in WikiConfig.ready
}
# Two modules that share a name today, with the reason; a pair renamed is taken off the list.
AWAITING_RENAME: dict[str, set[str]] = {}
# Packages whose modules must import each other one way only.
PIPELINES = ("wiki.mediawiki", "wiki.exporting")


def engine_modules() -> list[Path]:
    return sorted(p for p in ENGINE.rglob("*.py") if "migrations" not in p.parts)


def modules_by_name() -> dict[str, set[str]]:
    found = defaultdict(set)
    for path in engine_modules():
        found[path.stem].add(str(path.relative_to(ROOT)))
    return found


def test_no_two_engine_modules_share_a_file_name_unless_it_is_a_capabilitys_shape():
    by_name = modules_by_name()
    assert len(by_name["views"]) > 3  # the walk really sees the capabilities
    shared = {
        name: paths
        for name, paths in by_name.items()
        if len(paths) > 1 and name not in SHAPE_NAMES and name not in AWAITING_RENAME
    }
    assert shared == {}, "rename one of each pair so its name says what it holds"


def test_the_modules_awaiting_a_rename_still_share_their_name():
    """An entry of AWAITING_RENAME whose pair was renamed is stale: take it off the list."""
    by_name = modules_by_name()
    stale = {name for name, paths in AWAITING_RENAME.items() if by_name[name] != paths}
    assert stale == set()


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, known: set[str]) -> set[str]:
    """The engine modules `path` imports, at module or function level, as dotted names. A
    module imported from outside its package also runs the package's `__init__`."""
    name = module_name(path)
    package = name if path.stem == "__init__" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            targets.add(module)
            # `from . import tags` imports the module `tags`, not a name of the package
            targets |= {f"{module}.{alias.name}" for alias in node.names}
    found = set()
    for target in targets & known:
        # the module, and the packages above it that the importer is not already inside
        while target and not (package == target or package.startswith(target + ".")):
            if target in known:
                found.add(target)
            target = target.rpartition(".")[0]
    found.discard(name)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = engine_modules()
    known = {module_name(p) for p in paths}
    return {module_name(p): imported_modules(p, known) for p in paths}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other in a loop (strongly connected components
    of more than one module, Tarjan's algorithm), each sorted."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_circle_search_finds_a_loop_and_only_a_loop():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"d"}}
    assert circles(graph) == [["a", "b", "c"]]
    graph["c"].discard("a")
    assert circles(graph) == []


def test_the_import_graph_sees_relative_and_function_level_imports():
    graph = import_graph()
    assert "wiki.mediawiki.tags" in graph["wiki.mediawiki.wikitext"]  # from . import tags
    assert "wiki.mediawiki.footnotes" in graph["wiki.mediawiki.wikitext"]  # from .footnotes …
    assert "wiki.exporting.exported" in graph["wiki.mediawiki.dump_export"]  # from ..exporting…
    assert "wiki.exporting" in graph["wiki.mediawiki.dump_export"]  # runs the package's __init__
    assert "wiki.exporting" not in graph["wiki.exporting.json_document"]  # its own package


def test_the_mediawiki_and_export_modules_import_in_no_circle():
    """Not among themselves, nor through any other engine module: the converters take what
    they share from lower modules (`markup`, `tag_attributes`, `template_args`) and ask the
    converter they are handed for the rest."""
    reached = [
        group
        for group in circles(import_graph())
        if any(member.startswith(PIPELINES) for member in group)
    ]
    assert reached == [], "modules importing each other: " + "; ".join(map(", ".join, reached))
