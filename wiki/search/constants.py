"""Limits and markers shared by the search package and its backends (imported by both, so
neither imports the other for them)."""

import re

PER_PAGE = 20
# 50 pages of 20. Deeper pages cost more than anyone reads; so does counting further, and
# ranking more than this many articles whose title or lead holds the query.
MAX_OFFSET = 1_000
COUNT_UP_TO = MAX_OFFSET + 1  # engines stop counting here: "more than 1,000" results
MAX_QUERY_LENGTH = 300
# Markers the engines put around matched words (private-use characters, removed from
# indexed text, so only an engine can have put them there).
MARK_START, MARK_END = "\ue000", "\ue001"
# Before a language's code in SQLite's index: a word no text or query holds (removed from
# indexed text too), so finding it needs no column filter.
LANGUAGE_MARK = "\ue002"
WORD = re.compile(r"[^\W\d_]{3,40}")  # words spell-checked and collected for "did you mean"
HEADING_SEPARATOR = " · "  # between the lead and each heading in the indexed text
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
