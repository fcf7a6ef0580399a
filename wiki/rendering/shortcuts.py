"""Two shortcuts of Python-Markdown's passes that change nothing in the HTML."""

from markdown.blockprocessors import ParagraphProcessor
from markdown.treeprocessors import InlineProcessor as InlinePass
from markdown.util import AtomicString

from .bounds import INLINE_PIECE, bound_link_syntax, inline_pieces
from .budget import check_budget

# Text an inline pattern needs before it can match, by the pattern's registered name: a pattern
# whose every trigger is absent from a piece of text cannot match it and is not tried there.
INLINE_TRIGGERS = {
    "backtick": ("`",),
    "escape": ("\\",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_reference": ("[",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  \n",),
    "html": ("<", "&"),
    "entity": ("&",),
    "em_strong": ("*", "_"),
    "em_strong2": ("_",),
    "not_strong": ("*", "_"),
    "strong_em": ("*", "_"),
    "footnote": ("[^",),
    "wikilink": ("[[",),
}


# The same as (first character, the whole trigger or None when it is that one character).
_TRIGGER_TESTS = {
    name: tuple((t[0], t if len(t) > 1 else None) for t in triggers)
    for name, triggers in INLINE_TRIGGERS.items()
}


class TriggeredInlinePass(InlinePass):
    """Python-Markdown's inline pass, with the same result, that skips the patterns whose
    triggers (`INLINE_TRIGGERS`) are absent from the text; most text holds one or two.
    Patterns of unknown names are always tried."""

    bounded = False  # link syntax bounded, huge paragraphs in pieces (`BoundsExtension`)

    def run(self, tree, ancestors=None):
        patterns = tuple(self.inlinePatterns)
        if getattr(self, "planned_for", None) != patterns:  # made once per Markdown instance
            registry = self.inlinePatterns
            names = {registry.get_index_for_name(n): n for n in INLINE_TRIGGERS if n in registry}
            self.plan = [
                (pattern, _TRIGGER_TESTS.get(names.get(index)))
                for index, pattern in enumerate(patterns)
            ]
            # Link syntax is bounded once code spans and escapes have been taken out.
            self.bound_at = registry.get_index_for_name("escape") + 1 if "escape" in registry else 0
            self.planned_for = patterns
        self.steps = 0
        return super().run(tree, ancestors)

    # Replaces the base class's private loop (Markdown 3.11.3, pinned), which calls it by this
    # (mangled) name: the only use of Markdown's internals; the test comparing our HTML with
    # the stock pass's catches a change of them.
    def _InlineProcessor__handleInline(self, data, patternIndex=0):
        if isinstance(data, AtomicString):
            return data
        if self.bounded and len(data) > INLINE_PIECE:
            return "".join(
                self._InlineProcessor__handleInline(piece, patternIndex)
                for piece in inline_pieces(data)
            )
        apply = self._InlineProcessor__applyPattern
        chars = set(data)  # matches only remove triggers, so this stays a safe overestimate
        start = 0
        while patternIndex < len(self.plan):
            self.steps += 1
            if not self.steps & 31:
                check_budget()
            if patternIndex == self.bound_at and self.bounded and start == 0:
                data = bound_link_syntax(data)
            pattern, triggers = self.plan[patternIndex]
            if triggers is not None:
                for first, whole in triggers:
                    if first in chars and (whole is None or whole in data):
                        break
                else:
                    patternIndex += 1  # it cannot match: what trying it would have given
                    start = 0
                    continue
            data, matched, start = apply(pattern, data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


class PlainParagraphProcessor(ParagraphProcessor):
    """A block whose every line starts with a letter is a paragraph: each other block syntax
    needs a line that starts with a space, a digit or a mark (`#`, `>`, `-`, `*`, `|`, `:`,
    `[`, `=`...). Tried first, it spares such a block (most of an article) the tests of the
    other dozen block processors; others go the usual way."""

    def test(self, parent, block):
        return all(line[:1].isalpha() for line in block.split("\n"))
