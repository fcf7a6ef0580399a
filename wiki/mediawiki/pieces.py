"""A page cut into pieces that mwparserfromhell parses in bounded time."""

# The page is parsed in pieces of about this size, cut at headings (else blank lines, else
# lines): mwparserfromhell's time grows with the square of a piece's unclosed constructs.
PIECE_CHARS = 16_000
MAX_UNCLOSED = 40
RISKY_PIECE_CHARS = 2_000


def pieces(wikitext: str) -> list[str]:
    """The page cut where a cut is harmless (module constants): its sections, joined up to
    PIECE_CHARS; a longer section at blank lines, then at line ends."""
    if len(wikitext) <= PIECE_CHARS:
        return _defused(wikitext)
    out: list[str] = []
    for section in _cut(wikitext, _heading_starts(wikitext)):
        if len(section) <= 4 * PIECE_CHARS:
            out.append(section)
            continue
        for paragraph in _fill(section.split("\n\n"), "\n\n"):
            if len(paragraph) <= 4 * PIECE_CHARS:
                out.append(paragraph)
            else:
                lines = _fill(paragraph.split("\n"), "\n")
                size = PIECE_CHARS
                out += [c[i : i + size] for c in lines for i in range(0, len(c), size)]
    return [small for piece in _fill(out, "") for small in _defused(piece)]


def _defused(piece: str) -> list[str]:
    """A piece with many unclosed templates, tables or tags (which only junk holds), in
    RISKY_PIECE_CHARS chunks: parsing it whole would take minutes."""
    opens = piece.count("<") - piece.count("</") * 2 - piece.count("/>")
    voids = sum(piece.count(v) for v in ("<br", "<hr", "<wbr", "<img", "<!--"))
    unclosed = (
        abs(piece.count("{{") - piece.count("}}")),
        abs(piece.count("{|") - piece.count("|}")),
        opens - voids,
    )
    if max(unclosed) <= MAX_UNCLOSED:
        return [piece]
    return [piece[i : i + RISKY_PIECE_CHARS] for i in range(0, len(piece), RISKY_PIECE_CHARS)]


def _heading_starts(text: str) -> list[int]:
    starts, position = [], 0
    for line in text.split("\n"):
        if position and line.startswith("=") and line.rstrip().endswith("="):
            starts.append(position)
        position += len(line) + 1
    return starts


def _cut(text: str, starts: list[int]) -> list[str]:
    bounds = [0, *starts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _fill(parts: list[str], separator: str) -> list[str]:
    """Consecutive parts joined (with their separator) up to PIECE_CHARS."""
    out: list[str] = []
    for n, part in enumerate(parts):
        part = part + (separator if n < len(parts) - 1 else "")
        if out and len(out[-1]) + len(part) <= PIECE_CHARS:
            out[-1] += part
        else:
            out.append(part)
    return out
