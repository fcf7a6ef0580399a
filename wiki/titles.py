"""Article titles as MediaWiki treats them: spaces and underscores are one, first letter upper."""

import re

MAX_TITLE_LENGTH = 255
# Characters MediaWiki never allows in a title, plus control characters.
FORBIDDEN_TITLE_CHARS = set("#<>[]|{}") | {chr(c) for c in range(32)} | {"\x7f"}
# A title may contain "/", but must not end in a segment our URLs use for actions.
RESERVED_LAST_SEGMENTS = {"edit", "history", "diff", "links", "info", "cite", "revision", "print"}


class InvalidTitle(ValueError):
    """Raised with a message an editor can act on."""


def normalize_title(raw: str) -> str:
    """'paroxysmal_exercise  dystonia ' -> 'Paroxysmal exercise dystonia'."""
    title = re.sub(r"[\s_]+", " ", raw or "").strip()
    return title[:1].upper() + title[1:]


def title_to_slug(title: str) -> str:
    return normalize_title(title).replace(" ", "_")


def validate_title(raw: str) -> str:
    """Return the normalized title or raise InvalidTitle saying what is wrong."""
    title = normalize_title(raw)
    if not title:
        raise InvalidTitle("The title is empty.")
    if len(title) > MAX_TITLE_LENGTH:
        raise InvalidTitle(f"The title is longer than {MAX_TITLE_LENGTH} characters.")
    bad = sorted({c for c in title if c in FORBIDDEN_TITLE_CHARS})
    if bad:
        shown = " ".join(repr(c)[1:-1] for c in bad)
        raise InvalidTitle(f"A title cannot contain these characters: {shown}")
    if title.startswith(("/", ".")) or "//" in title or "/./" in title or "/../" in title:
        raise InvalidTitle("A title cannot start with '/' or '.', or contain empty path segments.")
    last = title.rsplit("/", 1)[-1].strip().lower() if "/" in title else ""
    if last in RESERVED_LAST_SEGMENTS or title.lower().startswith("special:"):
        raise InvalidTitle("That title is reserved for the wiki's own pages.")
    return title
