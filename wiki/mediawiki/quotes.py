"""Bold and italic (two, three or five apostrophes) as MediaWiki reads them: marks that
toggle, line by line, so a mark left open closes at the end of its line (mwparserfromhell's
own reading of them can run across paragraphs)."""

import re

QUOTES = re.compile(r"'{2,}")
MARKS = {"i": "*", "b": "**"}


def write_quoted(writer, text: str) -> None:
    """One line's text (no line break) with its quote marks as Markdown emphasis."""
    if "''" not in text:
        writer.text(text)
        return
    runs = list(QUOTES.finditer(text))
    split = _odd_bold(text, runs)
    position = 0
    for n, m in enumerate(runs):
        size = len(m.group())
        literal = {4: 1}.get(size, max(size - 5, 0)) + (n == split)
        _text_after_marks(writer, text[position : m.start()] + "'" * literal)
        toggles = {2: ["i"], 3: ["b"], 4: ["b"]}.get(size, ["i", "b"])
        if n == split:
            toggles = ["i"]
        following = len(runs[n + 1].group()) if n + 1 < len(runs) else 0
        _toggle(writer, toggles, italic_first=following != 2)
        position = m.end()
    _text_after_marks(writer, text[position:])


def unquoted(m: re.Match) -> str:
    """A run of quote marks where emphasis cannot be shown: the apostrophes it stands for."""
    size = len(m.group())
    return "'" * ({4: 1}.get(size, max(size - 5, 0)))


def _text_after_marks(writer, text: str) -> None:
    """Text, with the spaces that follow a mark just opened moved before it (Markdown
    emphasis cannot start before a space)."""
    stripped = text.lstrip(" ")
    if stripped != text and writer.opened_at and writer.opened_at[-1] == len(writer.parts) - 1:
        writer.parts[-1] = " " * (len(text) - len(stripped)) + writer.parts[-1]
        text = stripped
    writer.text(text)


def _odd_bold(text: str, runs: list) -> int | None:
    """MediaWiki's rule for a line with an odd number of both bold and italic marks: one bold
    mark (after a one-letter word, else after a letter) is an apostrophe and an italic."""
    italics = sum(1 for m in runs if len(m.group()) in (2, 5))
    bolds = [n for n, m in enumerate(runs) if len(m.group()) in (3, 5)]
    if not (italics % 2 and len(bolds) % 2):
        return None
    threes = [n for n in bolds if len(runs[n].group()) == 3]
    for n in threes:
        before = text[max(runs[n].start() - 2, 0) : runs[n].start()]
        if len(before) == 2 and before[0] == " " and before[1] != " ":
            return n
    for n in threes:
        if runs[n].start() and text[runs[n].start() - 1] != " ":
            return n
    return threes[0] if threes else None


def _toggle(writer, toggles: list[str], *, italic_first: bool = True) -> None:
    closing = [mark for mark in reversed(writer.marks) if mark in toggles]
    for mark in closing:
        close(writer, mark)
    for mark in ("i", "b") if italic_first else ("b", "i"):
        if mark in toggles and mark not in closing:
            _open(writer, mark)


def _open(writer, mark: str) -> None:
    writer.marks.append(mark)
    writer.write(MARKS[mark], line_start_after=False)
    writer.opened_at.append(len(writer.parts) - 1)


def close(writer, mark: str) -> None:
    """Closes `mark` (and the marks opened inside it, reopened after): Markdown nests."""
    inside = []
    while writer.marks:
        top = writer.marks.pop()
        opened = writer.opened_at.pop()
        if not "".join(writer.parts[opened + 1 :]).strip():
            del writer.parts[opened:]  # nothing between the marks: no emphasis
        else:
            _close_part(writer, MARKS[top])
        if top == mark:
            break
        inside.append(top)
    for top in reversed(inside):
        _open(writer, top)


def close_all(writer) -> None:
    while writer.marks:
        close(writer, writer.marks[-1])


def _close_part(writer, mark: str) -> None:
    """The closing mark right after the text, spaces moved outside (Markdown emphasis cannot
    end after a space)."""
    last = writer.parts[-1]
    kept = last.rstrip(" ")
    writer.parts[-1] = kept
    writer.parts.append(mark + " " * (len(last) - len(kept)))
