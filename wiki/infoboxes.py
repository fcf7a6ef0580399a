"""Infoboxes: the key facts of a medical condition, a drug or another type, typed by editors
as a readable block in the Markdown source and shown as a box at the top right of the article
(under the title on phones):

    ::: infobox medical condition
    Other names: Sick headache
    Specialty: [[Neurology]]
    Symptoms: Headache, nausea, sensitivity to light
    ICD-10: G43
    :::

The block is the box of the template `Template:Infobox medical condition`: its templatedata
defines the type's fields, their checks and their schema.org properties
(`infobox_types`); a call `{{Infobox medical condition|icd10=G43}}` writes the same block.
Labels are the ones the box shows (or the parameters' names and aliases: `icd10`,
`risk_factors`); values are inline Markdown. Unknown fields and malformed values (ICD-10,
ICD-11, ATC, pregnancy category, a web address, a number, a date) are form errors
(`infobox_problems`); the parsed box is stored with the article (`Article.infobox`), searched
with its text and described to search engines in JSON-LD (`schema_org`).
"""

import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace

from .infobox_types import (
    CHECKS,
    CODING_SYSTEMS,
    INFOBOX_TEMPLATE,
    PICTURE,
    TYPE_ALIASES,
    BoxType,
    Field,
    box_type,
)
from .titles import TEMPLATE_PREFIX

START = re.compile(r"^:::[ \t]*infobox(?:[ \t]+(.*?))?[ \t]*$", re.IGNORECASE)
END = re.compile(r"^:::[ \t]*$")
LINE = re.compile(r"^[ \t]*([^:]{1,40}?)[ \t]*:[ \t]*(.*)$")


def box_template_titles(text: str) -> set[str]:
    """The titles of the templates the infobox blocks of `text` are boxes of: a block is a use
    of its template, as a call is."""
    found = set()
    for line in text.split("\n"):
        if (match := START.match(line)) and match.group(1):
            kind = " ".join(match.group(1).lower().split())
            found.add(TEMPLATE_PREFIX + INFOBOX_TEMPLATE + TYPE_ALIASES.get(kind, kind))
    return found


def skeletons(types) -> dict[str, list[str]]:
    """Each type's field labels, in order: what the editor's Infobox button writes out."""
    return {t.name: [f.label for f in t.fields] for t in types}


@dataclass
class Infobox:
    kind: str  # "medical condition", "drug" or an administrator's type
    values: dict[str, str] = field(default_factory=dict)  # key -> Markdown, in field order
    problems: list[str] = field(default_factory=list)
    type: BoxType | None = None

    def rows(self) -> list[tuple[Field, str]]:
        fields = self.type.fields if self.type else ()
        return [
            (f, self.values[f.key]) for f in fields if f.key in self.values and f.key not in PICTURE
        ]

    def as_data(self) -> dict:
        """What the article stores (`Article.infobox`)."""
        return {"type": self.kind, "fields": dict(self.values)}


def find_block(lines: list[str], start: int = 0) -> tuple[int, int] | None:
    """(first, last) line of the first infobox block at or after `start`; last is None when
    it is not closed."""
    for i in range(start, len(lines)):
        if START.match(lines[i]):
            for j in range(i + 1, len(lines)):
                if END.match(lines[j]):
                    return i, j
            return i, None
    return None


# Within `parsed_once()`: the boxes parsed so far, by their text.
_parsed: ContextVar[dict | None] = ContextVar("infoboxes_parsed", default=None)


@contextmanager
def parsed_once():
    """Within it a block is parsed once, however often it is asked for: `composing.compose`
    renders the box (`InfoboxBlock`) and stores it (`infobox_of`) from one parse. The types
    must not change meanwhile (compose holds one `infobox_types.resolving`)."""
    token = _parsed.set({})
    try:
        yield
    finally:
        _parsed.reset(token)


def parse_block(lines: list[str]) -> Infobox:
    """The block's lines, from its `::: infobox` line to before its closing `:::`; a copy
    of the box parsed before from the same lines, within `parsed_once()`."""
    memo = _parsed.get()
    if memo is None:
        return _parse_block(lines)
    key = "\n".join(lines)
    box = memo.get(key)
    if box is None:
        box = memo[key] = _parse_block(lines)
    return replace(box, values=dict(box.values), problems=list(box.problems))


def _parse_block(lines: list[str]) -> Infobox:
    kind = " ".join((START.match(lines[0]).group(1) or "").lower().split())
    kind = TYPE_ALIASES.get(kind, kind)
    found_type = box_type(kind) if kind else None
    if found_type is None:
        shown = kind or "(no type)"
        box = Infobox("medical condition", type=box_type("medical condition"))
        box.problems.append(
            f"“{shown}” is not an infobox type: write “::: infobox medical condition” or "
            "“::: infobox drug”."
        )
        return box
    box = Infobox(kind, type=found_type)
    found: dict[str, str] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        match = LINE.match(line)
        if not match:
            box.problems.append(
                f"Infobox line {number} (“{line.strip()[:60]}”) is not “Label: value”."
            )
            continue
        name, value = match.group(1), " ".join(match.group(2).split())
        known = found_type.field_named(name)
        if known is None:
            labels = ", ".join(f.label for f in found_type.fields)
            box.problems.append(
                f"“{name.strip()}” is not a field of the {kind} infobox (its fields: {labels})."
            )
        elif known.key in found:
            box.problems.append(f"“{known.label}” is given twice in the infobox.")
        elif value:
            found[known.key] = value
            if known.check and "{{{" not in value:  # a template's own `{{{atc|}}}`: unchecked
                box.problems += _check_problems(known, value)
    box.values = {f.key: found[f.key] for f in found_type.fields if f.key in found}
    return box


def _check_problems(f: Field, value: str) -> list[str]:
    check = CHECKS[f.check]
    wrong = [c for c in codes_of(value, f) if not check.pattern.fullmatch(c)]
    return [f"“{c}” is not a valid {f.label} ({check.example})." for c in wrong]


def codes_of(value: str, f: Field) -> list[str]:
    separator = CHECKS[f.check].separator if f.check in CHECKS else ","
    if separator is None:
        return [value.strip()] if value.strip() else []
    return [c.strip() for c in re.split(separator, value) if c.strip()]


def infobox_of(source: str) -> Infobox | None:
    """The article's infobox (the first block in its source), problems included."""
    lines = source.split("\n")
    found = find_block(lines)
    if found is None:
        return None
    first, last = found
    box = parse_block(lines[first : last if last is not None else len(lines)])
    if last is None:
        box.problems.append("The infobox has no closing “:::” line.")
    if find_block(lines, (last if last is not None else first) + 1):
        box.problems.append("An article has one infobox: remove the second “::: infobox” block.")
    return box


def infobox_problems(source: str) -> list[str]:
    box = infobox_of(source)
    return list(box.problems) if box else []


# JSON-LD -------------------------------------------------------------------------------------


def _items(value_text: str) -> list[str]:
    """A value's items (split at commas and semicolons outside parentheses)."""
    items, depth, current = [], 0, ""
    for c in value_text:
        depth += c in "([" and 1 or 0
        depth -= c in ")]" and 1 or 0
        if c in ",;" and depth <= 0:
            items.append(current)
            current = ""
        else:
            current += c
    items.append(current)
    return [i.strip() for i in items if i.strip()]


def schema_org(
    data: dict, box_type: BoxType | None, *, name: str, url: str, text_of
) -> dict | None:
    """The schema.org thing (MedicalCondition, Drug…) a stored infobox describes, as its type's
    template maps it; `text_of` turns a value's Markdown into plain text."""
    if box_type is None or not box_type.schema_type or data.get("type") != box_type.name:
        return None
    values = data.get("fields", {})
    thing = {
        "@type": box_type.schema_type,
        "name": text_of(values.get("name", "")) or name,
        "url": url,
    }
    codes = []
    for f in box_type.fields:
        value = values.get(f.key)
        if not value:
            continue
        if f.check in CODING_SYSTEMS:
            system = CODING_SYSTEMS[f.check]
            codes += [
                {"@type": "MedicalCode", "codeValue": c, "codingSystem": system}
                for c in codes_of(value, f)
            ]
        elif f.schema and f.items == "DDxElement":
            thing[f.schema] = [_differential(text_of(i)) for i in _items(value)]
        elif f.schema and f.items == "Text":
            thing[f.schema] = [text_of(i) for i in _items(value)]
        elif f.schema and f.items:
            thing[f.schema] = [{"@type": f.items, "name": text_of(i)} for i in _items(value)]
        elif f.schema:
            thing[f.schema] = text_of(value)
    if codes:
        thing["code"] = codes if len(codes) > 1 else codes[0]
    return thing


def _differential(name: str) -> dict:
    return {"@type": "DDxElement", "diagnosis": {"@type": "MedicalCondition", "name": name}}
