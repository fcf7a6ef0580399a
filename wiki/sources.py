"""The whole-article Markdown source and its sections.

The source is the lead followed by ATX-heading sections. Splitting keeps every byte of the
lead and of each body, so joining the parts gives the same source back (the round trip).
Headings inside fenced code blocks are not section boundaries.
"""

import re
from dataclasses import dataclass

HEADING_LINE = re.compile(r"^(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class SourceSection:
    heading: str
    level: int
    body: str  # everything after the heading line, verbatim

    @property
    def text(self) -> str:
        """The section as the section editor shows it: heading line then body."""
        return heading_line(self.level, self.heading) + self.body


def heading_line(level: int, heading: str) -> str:
    return "#" * level + " " + heading + "\n"


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
    return "".join(lead), [SourceSection(h, lvl, "".join(body)) for lvl, h, body in sections]


def join_source(lead: str, sections: list[SourceSection]) -> str:
    """Inverse of split_source for sources whose heading lines are in canonical form."""
    parts = [lead]
    for section in sections:
        if parts[-1] and not parts[-1].endswith("\n"):
            parts.append("\n")
        parts.append(section.text)
    return "".join(parts)


def replace_section(source: str, number: int, new_text: str) -> str:
    """Replace section `number` (0 = the lead) with new_text, which may hold new headings."""
    lead, sections = split_source(source)
    new_text = normalize_newlines(new_text)
    if number == 0:
        new_lead, extra = split_source(new_text)
        if not new_lead.endswith("\n") and (extra or sections) and new_lead:
            new_lead += "\n"
        return join_source(new_lead, extra + sections)
    if not 1 <= number <= len(sections):
        raise IndexError(number)
    before = join_source(lead, sections[: number - 1])
    after = join_source("", sections[number:])
    if new_text and not new_text.endswith("\n") and after:
        new_text += "\n"
    if before and not before.endswith("\n"):
        before += "\n"
    return before + new_text + after


def section_text(source: str, number: int) -> str:
    lead, sections = split_source(source)
    if number == 0:
        return lead
    if not 1 <= number <= len(sections):
        raise IndexError(number)
    return sections[number - 1].text
