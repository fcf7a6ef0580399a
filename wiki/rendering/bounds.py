"""Bounds: Markdown constructs whose cost grows faster than their length, made linear."""

import re

import markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .budget import BudgetCheck

# Python-Markdown scans forward from every `[` for its `]` and from every `](` for its `)`, so
# a run of thousands of them costs time growing with the square of its length. Brackets and
# parentheses that cannot take part in a link (no partner) or that are nested deeper than any
# link needs are hidden from the link patterns as stand-ins (private-use characters), which
# `RestoreLinkSyntax` turns back into themselves: the text shows them as typed.
MAX_BRACKET_DEPTH = 6
MAX_PAREN_DEPTH = 6
LINK_SYNTAX = re.compile(r"[\[\]()]")
STAND_INS = {"[": "\uf8f1", "]": "\uf8f2", "(": "\uf8f3", ")": "\uf8f4"}
RESTORE_STAND_INS = str.maketrans({v: k for k, v in STAND_INS.items()})
# The inline pass works on one paragraph's text at a time and copies it at each match: a huge
# paragraph is cut (at a line break, a sentence or a word where it can) into pieces of this
# size; markup spanning a cut (rare: emphasis over a line break) then shows as typed.
INLINE_PIECE = 8_000
# Abbreviation definitions past this many are ignored: each one is tried at every word.
MAX_ABBREVIATIONS = 300
# A line starting with more nested list markers than this ("- - - - …") keeps the rest as text.
MAX_MARKERS_ON_A_LINE = 20
MARKER_RUN = re.compile(
    rf"^((?:[ ]{{0,3}}(?:[-*+]|\d{{1,9}}[.)])[ \t]+){{{MAX_MARKERS_ON_A_LINE}}})"
    r"([-*+]|\d{1,9}[.)])(?=[ \t])"
)


def bound_link_syntax(data: str) -> str:
    """`data` with unmatched `[`, unmatched `(` right after a `]` (a link that cannot close),
    and pairs nested deeper than the limits replaced by stand-ins. Linear in the number of
    brackets; text with no excess comes back unchanged."""
    if "[" not in data and "(" not in data:
        return data
    partners: dict[int, int] = {}
    stacks: dict[str, list[int]] = {"[": [], "(": []}
    positions = [(m.start(), m.group()) for m in LINK_SYNTAX.finditer(data)]
    for i, c in positions:
        if c in stacks:
            stacks[c].append(i)
        else:
            stack = stacks["[" if c == "]" else "("]
            if stack:
                partners[stack.pop()] = i
    hide = set(stacks["["]) | {i for i in stacks["("] if i and data[i - 1] == "]"}
    depth = {"[": 0, "(": 0}
    limit = {"[": MAX_BRACKET_DEPTH, "(": MAX_PAREN_DEPTH}
    closers: dict[int, str] = {}
    for i, c in positions:
        if i in partners:
            depth[c] += 1
            closers[partners[i]] = c
            if depth[c] > limit[c]:
                hide.update((i, partners[i]))
        elif i in closers:
            depth[closers.pop(i)] -= 1
    if not hide:
        return data
    chars = list(data)
    for i in hide:
        chars[i] = STAND_INS[chars[i]]
    return "".join(chars)


def inline_pieces(data: str) -> list[str]:
    """A paragraph's text cut into pieces of about INLINE_PIECE characters."""
    pieces, start = [], 0
    while len(data) - start > INLINE_PIECE:
        end = start + INLINE_PIECE
        for boundary in ("\n", ". ", " "):  # a line, a sentence, a word: what spans less
            cut = data.rfind(boundary, start + INLINE_PIECE // 2, end)
            if cut >= 0:
                cut += len(boundary)
                break
        else:
            cut = end
        opened = data.rfind("[[", start, cut)
        if opened > start and opened > data.rfind("]]", start, cut):  # not inside a wiki link
            cut = opened
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return pieces


class RestoreLinkSyntax(Postprocessor):
    def run(self, text):
        return text.translate(RESTORE_STAND_INS) if "\uf8f1" <= max(text, default="") else text


class BoundAbbreviations(Treeprocessor):
    """Keeps the first MAX_ABBREVIATIONS definitions for the abbreviation pass that follows."""

    def run(self, root):
        abbrs = self.md.treeprocessors["abbr"].abbrs
        for key in list(abbrs)[MAX_ABBREVIATIONS:]:
            del abbrs[key]


class BoundListMarkers(Preprocessor):
    """`- - - - … x` nests a list per marker, one recursion each: markers past
    MAX_MARKERS_ON_A_LINE on a line are escaped, so they show as text."""

    def run(self, lines):
        return [MARKER_RUN.sub(r"\1\\\2", line) if len(line) > 40 else line for line in lines]


class BoundsExtension(markdown.Extension):
    """Rendering in bounded time: the budget checks, and the constructs whose cost grows
    faster than their length made linear (each bound changes nothing below its limit)."""

    def extendMarkdown(self, md):
        md.treeprocessors["inline"].bounded = True
        md.parser.blockprocessors.register(BudgetCheck(md.parser), "budget", 200)
        md.preprocessors.register(BoundListMarkers(md), "bound_list_markers", 22)
        md.treeprocessors.register(BoundAbbreviations(md), "bound_abbreviations", 8)
        md.postprocessors.register(RestoreLinkSyntax(md), "restore_link_syntax", 1)
