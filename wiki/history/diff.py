"""Compare two revisions section by section, with word-level changes inside paragraphs.

Sections are matched by heading (the lead always matches the lead); a section whose heading
was renamed but whose body is unchanged is matched by its body. Matched sections that changed
their order are "moved". Inside a changed section, paragraphs are aligned with difflib and a
changed paragraph is diffed word by word. Text is escaped before any <ins>/<del> markup is
added, so user content is never trusted as HTML.
"""

import bisect
import difflib
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..snapshots import ArticleSnapshot, SectionSnapshot
from ..sources import SourceSection, split_source, trim_part

TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
BLANK_LINES = re.compile(r"\n[ \t]*\n+")
# Beyond this many token comparisons a paragraph is shown as replaced, not diffed word by word.
MAX_WORD_DIFF = 400_000


@dataclass
class Row:
    """One line of a section's diff: context, added, removed, changed, or skipped paragraphs."""

    kind: str
    old: SafeString = mark_safe("")
    new: SafeString = mark_safe("")
    new_inline: SafeString = mark_safe("")
    skipped: int = 0

    @property
    def inline(self) -> SafeString:
        """The row for the inline mode: one column with both <del> and <ins>."""
        if self.kind == "changed":
            return self.new_inline
        return self.new if self.kind in ("added", "context") else self.old


@dataclass
class SectionDiff:
    status: str  # "unchanged", "changed", "added" or "removed"
    heading: str
    old_number: int | None
    new_number: int | None
    moved: bool = False
    rows: list[Row] = field(default_factory=list)

    @property
    def label(self) -> str:
        return "Lead" if (self.new_number == 0 or self.old_number == 0) else self.heading


@dataclass
class ArticleDiff:
    sections: list[SectionDiff]
    title_change: tuple[str, str] | None = None

    @property
    def changed(self) -> list[SectionDiff]:
        return [s for s in self.sections if s.status != "unchanged" or s.moved]

    @property
    def unchanged_count(self) -> int:
        return len(self.sections) - len(self.changed)


@dataclass
class _Part:
    number: int
    heading: str
    level: int
    text: str


def _parts(snapshot: ArticleSnapshot) -> list[_Part]:
    """Each part's text in canonical form: revisions stored before sources were canonical
    kept separating blank lines in their bodies, which are no change of the text."""
    parts = [_Part(0, "", 0, trim_part(snapshot.lead))]
    for number, s in enumerate(snapshot.sections, start=1):
        parts.append(
            _Part(number, s.heading, s.level, SourceSection(s.heading, s.level, s.body).text)
        )
    return parts


def _paragraphs(text: str) -> list[str]:
    """The heading line and each blank-line separated block of a section's text."""
    head, sep, rest = text.partition("\n")
    blocks = [head] if head.startswith("#") else []
    body = rest if blocks else text
    blocks += [b.strip("\n") for b in BLANK_LINES.split(body) if b.strip()]
    return blocks


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString, SafeString]:
    """(old with <del>, new with <ins>, both inline) for one paragraph, escaped first."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    if len(a) * len(b) > MAX_WORD_DIFF:
        d, i = f"<del>{escape(old)}</del>", f"<ins>{escape(new)}</ins>"
        return mark_safe(d), mark_safe(i), mark_safe(d + " " + i)
    left, right, inline = [], [], []
    for op, i1, i2, j1, j2 in _fold_spaces(
        difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes(), a
    ):
        removed, added = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(removed)
            right.append(added)
            inline.append(added)
            continue
        if removed:
            left.append(f"<del>{removed}</del>")
            inline.append(f"<del>{removed}</del>")
        if added:
            right.append(f"<ins>{added}</ins>")
            inline.append(f"<ins>{added}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right)), mark_safe("".join(inline))


def _fold_spaces(opcodes, a):
    """Join changes separated only by a space, so "<del>a b</del>" reads as one change."""
    merged = []
    for op in opcodes:
        tag, i1, i2, j1, j2 = op
        if (
            len(merged) >= 2
            and tag != "equal"
            and merged[-1][0] == "equal"
            and merged[-2][0] != "equal"
            and not "".join(a[merged[-1][1] : merged[-1][2]]).strip()
        ):
            merged.pop()
            before = merged.pop()
            merged.append(("replace", before[1], i2, before[3], j2))
        elif merged and tag != "equal" and merged[-1][0] != "equal":
            before = merged.pop()
            merged.append(("replace", before[1], i2, before[3], j2))
        else:
            merged.append(op)
    return merged


def _whole(kind: str, text: str) -> Row:
    tag = "ins" if kind == "added" else "del"
    html = mark_safe(f"<{tag}>{escape(text)}</{tag}>")
    return Row(
        kind,
        old=html if kind == "removed" else mark_safe(""),
        new=html if kind == "added" else mark_safe(""),
    )


def _context(text: str) -> Row:
    html = escape(text)
    return Row("context", old=html, new=html)


def paragraph_rows(old: str, new: str, context: int = 1) -> list[Row]:
    """Rows for one section: changed paragraphs with `context` unchanged ones around them."""
    a, b = _paragraphs(old), _paragraphs(new)
    rows: list[Row] = []
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            same = a[i1:i2]
            head = same[:context] if index > 0 else []
            tail = same[-context:] if index < len(opcodes) - 1 else []
            if len(head) + len(tail) + 1 >= len(same):  # never hide a single paragraph
                rows += [_context(p) for p in same]
                continue
            rows += [_context(p) for p in head]
            rows.append(Row("skip", skipped=len(same) - len(head) - len(tail)))
            rows += [_context(p) for p in tail]
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            o = olds[k] if k < len(olds) else None
            n = news[k] if k < len(news) else None
            if o is not None and n is not None:
                left, right, inline = word_diff(o, n)
                rows.append(Row("changed", old=left, new=right, new_inline=inline))
            elif o is not None:
                rows.append(_whole("removed", o))
            else:
                rows.append(_whole("added", n))
    return rows


def _in_place(pairs: list[tuple[int, int]]) -> set[int]:
    """Old indexes of matched sections that kept their relative order (longest increasing run)."""
    olds = [o for o, _ in sorted(pairs, key=lambda p: p[1])]
    tails, tails_at, back = [], [], [-1] * len(olds)
    for i, value in enumerate(olds):
        k = bisect.bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tails_at.append(i)
        else:
            tails[k], tails_at[k] = value, i
        back[i] = tails_at[k - 1] if k else -1
    keep, i = set(), tails_at[-1] if tails_at else -1
    while i >= 0:
        keep.add(olds[i])
        i = back[i]
    return keep


def _match(old: list[_Part], new: list[_Part]) -> dict[int, int]:
    """new index -> old index: the lead to the lead, then by heading in order, then by body."""
    matched = {0: 0}
    free: dict[tuple[str, int], list[int]] = {}
    for i, part in enumerate(old[1:], start=1):
        free.setdefault((part.heading.casefold(), part.level), []).append(i)
    used = {0}
    for j, part in enumerate(new[1:], start=1):
        candidates = free.get((part.heading.casefold(), part.level))
        if candidates:
            matched[j] = candidates.pop(0)
            used.add(matched[j])
    bodies: dict[str, list[int]] = {}
    for i, part in enumerate(old):
        if i not in used:
            bodies.setdefault(part.text.partition("\n")[2], []).append(i)
    for j, part in enumerate(new):
        if j not in matched and (candidates := bodies.get(part.text.partition("\n")[2])):
            matched[j] = candidates.pop(0)
    return matched


def diff_snapshots(old: ArticleSnapshot, new: ArticleSnapshot) -> ArticleDiff:
    """The whole comparison of two revisions of an article."""
    a, b = _parts(old), _parts(new)
    matched = _match(a, b)
    in_place = _in_place(list((o, n) for n, o in matched.items()))
    removed_after = _removed_after(a, matched, in_place)
    sections: list[SectionDiff] = []
    for j, part in enumerate(b):
        if j in matched:
            sections.append(_compared(a[matched[j]], part, moved=matched[j] not in in_place))
        else:
            sections.append(_whole_part("added", part))
        sections += [_whole_part("removed", a[i]) for i in removed_after.get(j, [])]
    title_change = (old.title, new.title) if old.title != new.title else None
    return ArticleDiff(sections=sections, title_change=title_change)


def _removed_after(a, matched, in_place) -> dict[int, list[int]]:
    """Old parts with no match, by the new index they are shown after."""
    matched_old = set(matched.values())
    by_old = {o: n for n, o in matched.items()}
    removed_after: dict[int, list[int]] = {}
    anchor = 0
    for i in range(len(a)):
        if i in by_old and i in in_place:
            anchor = by_old[i]
        elif i not in matched_old:
            removed_after.setdefault(anchor, []).append(i)
    return removed_after


def _compared(o: _Part, part: _Part, *, moved: bool) -> SectionDiff:
    same = o.text == part.text
    return SectionDiff(
        status="unchanged" if same else "changed",
        heading=part.heading,
        old_number=o.number,
        new_number=part.number,
        moved=moved,
        rows=[] if same else paragraph_rows(o.text, part.text),
    )


def _whole_part(status: str, part: _Part) -> SectionDiff:
    """A part only one side has: "added" (new side) or "removed" (old side)."""
    return SectionDiff(
        status=status,
        heading=part.heading,
        old_number=part.number if status == "removed" else None,
        new_number=part.number if status == "added" else None,
        rows=[_whole(status, p) for p in _paragraphs(part.text)],
    )


def diff_sources(title: str, old_source: str, new_source: str) -> ArticleDiff:
    """The comparison of two texts of an article (an edit not yet saved, against the
    revision it started from)."""
    return diff_snapshots(_as_snapshot(title, old_source), _as_snapshot(title, new_source))


def _as_snapshot(title: str, source: str) -> ArticleSnapshot:
    lead, parts = split_source(source)
    return ArticleSnapshot(
        revision_id=0,
        article_id=0,
        title=title,
        lead=lead,
        lead_html="",
        notes_html="",
        category_ids=[],
        protection="",
        sections=[
            SectionSnapshot(position=i, heading=p.heading, level=p.level, body=p.body)
            for i, p in enumerate(parts, start=1)
        ],
    )
