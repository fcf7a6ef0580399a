"""The whole-article Markdown source and its sections.

The source is the lead followed by ATX-heading sections. The blank lines that separate two
parts belong to neither: splitting drops them, joining puts exactly one blank line between
parts. So a source is stored in one canonical form (`normalize_source`), joining the parts of
a split gives that form back (the round trip), and editing one section never changes the
text of its neighbour. Headings inside fenced code blocks are not section boundaries.
"""

import re
from dataclasses import dataclass

HEADING_LINE = re.compile(r"^(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
TRAILING_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+\Z")


@dataclass(frozen=True)
class SourceSection:
    heading: str
    level: int
    body: str  # everything after the heading line, without the blank lines that end it

    @property
    def text(self) -> str:
        """The section as the section editor shows it: heading line then body."""
        return heading_line(self.level, self.heading) + trim_part(self.body)


def heading_line(level: int, heading: str) -> str:
    return "#" * level + " " + heading + "\n"


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def trim_part(text: str) -> str:
    """A lead or section body without the blank lines that separate it from the next part,
    ending in one newline (or empty when it holds nothing but blank lines)."""
    if not text.strip():
        return ""
    if not text.endswith("\n"):
        text += "\n"
    return TRAILING_BLANK_LINES.sub("\n", text)


def normalize_source(source: str) -> str:
    """The canonical form of a source: what saving it stores and shows again."""
    return join_source(*split_source(source))


def source_size(source: str) -> int:
    """The size an article's limit (`WIKI_MAX_SOURCE_BYTES`) is measured on: the bytes of the
    source as it is stored, in its canonical form (LF endings, one final newline)."""
    return len(normalize_source(source).encode())


def split_source(source: str) -> tuple[str, list[SourceSection]]:
    """Split Markdown into (lead, sections)."""
    lead: list[str] = []
    sections: list[tuple[int, str, list[str]]] = []
    fence = None
    for line in normalize_newlines(source).splitlines(keepends=True):
        match = None
        stripped = line.rstrip("\n")
        fence_match = FENCE.match(stripped)
        if fence is None and fence_match:
            fence = fence_match.group(1)
        elif (
            fence is not None
            and fence_match
            and fence_match.group(1).startswith(fence[0] * len(fence))
        ):
            fence = None
        elif fence is None:
            match = HEADING_LINE.match(stripped)
        if match:
            sections.append((len(match.group(1)), match.group(2).strip(), []))
        elif sections:
            sections[-1][2].append(line)
        else:
            lead.append(line)
    return trim_part("".join(lead)), [
        SourceSection(h, lvl, trim_part("".join(body))) for lvl, h, body in sections
    ]


def join_source(lead: str, sections: list[SourceSection]) -> str:
    """The source of these parts: one blank line between parts, whatever their bodies end in
    (bodies stored before sources were canonical end in blank lines)."""
    texts = [trim_part(lead)] + [section.text for section in sections]
    return "\n".join(text for text in texts if text)


def replace_section(source: str, number: int, new_text: str) -> str:
    """Replace section `number` (0 = the lead) with new_text, which may hold new headings."""
    lead, sections = split_source(source)
    if number == 0:
        pieces = [new_text, join_source("", sections)]
    elif 1 <= number <= len(sections):
        pieces = [
            join_source(lead, sections[: number - 1]),
            new_text,
            join_source("", sections[number:]),
        ]
    else:
        raise IndexError(number)
    return normalize_source("\n".join(trim_part(normalize_newlines(p)) for p in pieces if p))


def section_text(source: str, number: int) -> str:
    lead, sections = split_source(source)
    if number == 0:
        return lead
    if not 1 <= number <= len(sections):
        raise IndexError(number)
    return sections[number - 1].text
