"""Infobox types, each defined by a template page (`Template:Infobox <type>`).

A template's templatedata (`transcluding.template_data`) makes it an infobox type when it has
an `infobox` object (`{"schema_type": "MedicalCondition"}`: the schema.org type its boxes
describe, or none). Its parameters, in order, are the box's fields: `label` (what the box shows
and editors type), `aliases` (other names editors may type), `type` (how a value is checked:
see CHECKS; text by default), `schema` (the schema.org property it fills) and `schema_items`
(the value is a list: of names of that schema.org type, "Text" for plain names, "DDxElement"
for differential diagnoses). The fields `name`, `image` and `caption` are the box's caption
and picture, never rows.

Which template answers for a type is up to the renderer's caller (`resolving`): the write path
reads the stored templates; without one, the types shipped with the encyclopedia
(`shipped_templates`) answer. Pure: no database here.
"""

import contextvars
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from .shipped_templates import SHIPPED

INFOBOX_TEMPLATE = "Infobox "  # the type "drug" is the template "Template:Infobox drug"
# The shipped types' older names, kept working in `::: infobox disease` blocks.
TYPE_ALIASES = {"condition": "medical condition", "disease": "medical condition"}
PICTURE = ("name", "image", "caption")  # the caption and the image, not rows


@dataclass(frozen=True)
class Check:
    pattern: re.Pattern
    example: str
    separator: str | None = ","  # several values; None: the value is one


# A parameter type -> how its values are checked. ICD-10 allows a range (A00–B99).
CHECKS = {
    "icd10": Check(
        re.compile(
            r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?"
            r"(?:[–-][A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?)?"
        ),
        "like G43.1 or A00–B99",
    ),
    "icd11": Check(
        re.compile(r"[0-9A-HJ-NP-Z][A-HJ-NP-Z][0-9][0-9A-HJ-NP-Z](?:\.[0-9A-HJ-NP-Z]{1,2})?"),
        "like 8A80 or 6A02.0",
    ),
    "atc": Check(
        re.compile(r"[A-V](?:[0-9]{2}(?:[A-Z](?:[A-Z](?:[0-9]{2})?)?)?)?"), "like N02BE01"
    ),
    "pregnancy": Check(
        re.compile(r"(?:(?:AU|US)\s*:?\s*)?(?:A|B[123]?|C|D|X|N)", re.IGNORECASE),
        "A, B, B1–B3, C, D, X or N, optionally after AU: or US:",
        r"[;,]",
    ),
    "url": Check(
        re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE), "a web address: https://…", None
    ),
    "number": Check(
        re.compile(r"[-+−]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"),
        "a number, like 12, 1.5 or 2,000",
        None,
    ),
    "date": Check(
        re.compile(r"[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?"),
        "a date, like 2024, 2024-05 or 2024-05-01",
        None,
    ),
}
# The types a value is not checked against, TemplateData's own among them.
TEXT_TYPES = {"", "text", "string", "line", "content", "unknown", "wiki-page-name"}
# Codes described in JSON-LD as a schema.org MedicalCode of this coding system.
CODING_SYSTEMS = {"icd10": "ICD-10", "icd11": "ICD-11", "atc": "ATC"}


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    schema: str = ""  # the schema.org property of the box's type, if one fits
    check: str = ""  # a CHECKS key: how its values are checked ("": text)
    aliases: tuple[str, ...] = ()
    items: str = ""  # the value is a list of these (a schema.org type, "Text", "DDxElement")


@dataclass(frozen=True)
class BoxType:
    name: str  # "medical condition"
    fields: tuple[Field, ...]
    schema_type: str = ""  # "MedicalCondition"
    by_name: dict = field(default_factory=dict, compare=False, repr=False)

    def field_named(self, name: str) -> Field | None:
        return self.by_name.get(normal(name))


def normal(name: str) -> str:
    return re.sub(r"[\s_-]+", " ", name).strip().lower()


def type_problems(data: dict) -> list[str]:
    """What is wrong with an infobox template's templatedata (a parameter type we cannot
    check, a label or alias two parameters share); none for another template."""
    if "infobox" not in data:
        return []
    if not isinstance(data["infobox"], dict):
        return ['The templatedata "infobox" must be a JSON object (it may be empty: {}).']
    problems, seen = [], {}
    known = ", ".join(sorted(TEXT_TYPES - {""}) + sorted(CHECKS))
    for key, doc in data.get("params", {}).items():
        kind = str(doc.get("type", "")).lower()
        if kind not in TEXT_TYPES and kind not in CHECKS:
            problems.append(f"The parameter “{key}” has the type “{kind}”: use one of {known}.")
        aliases = doc.get("aliases", [])
        if not isinstance(aliases, list):
            problems.append(f"The parameter “{key}”: “aliases” must be a list of names.")
            aliases = []
        for name in (key, str(doc.get("label", "")), *map(str, aliases)):
            other = seen.setdefault(normal(name), key)
            if name and other != key:
                problems.append(f"The parameters “{other}” and “{key}” are both called “{name}”.")
    return problems


def box_type_of(name: str, data: dict) -> BoxType | None:
    """The infobox type a template's templatedata defines; None when it defines none."""
    if not isinstance(data.get("infobox"), dict) or type_problems(data):
        return None
    fields = []
    for key, doc in data.get("params", {}).items():
        kind = str(doc.get("type", "")).lower()
        fields.append(
            Field(
                key=key,
                label=str(doc.get("label") or key),
                schema=str(doc.get("schema", "")),
                check=kind if kind in CHECKS else "",
                aliases=tuple(str(a) for a in doc.get("aliases", [])),
                items=str(doc.get("schema_items", "")),
            )
        )
    by_name = {}
    for f in fields:
        for label in (f.key, f.label, *f.aliases):
            by_name.setdefault(normal(label), f)
    schema_type = str(data["infobox"].get("schema_type", ""))
    return BoxType(name, tuple(fields), schema_type, by_name)


SHIPPED_TYPES = {kind: box_type_of(kind, data) for kind, data in SHIPPED.items()}


def shipped_box_type(kind: str) -> BoxType | None:
    return SHIPPED_TYPES.get(kind)


_resolver: contextvars.ContextVar[Callable[[str], BoxType | None]] = contextvars.ContextVar(
    "infobox_types", default=shipped_box_type
)


@contextmanager
def resolving(find: Callable[[str], BoxType | None] | None) -> Iterator[None]:
    """Within: infobox types are found by `find` (a type name -> its BoxType or None)."""
    if find is None:
        yield
        return
    token = _resolver.set(find)
    try:
        yield
    finally:
        _resolver.reset(token)


def box_type(kind: str) -> BoxType | None:
    """The type a block names (its older names followed), as the current resolver has it."""
    return _resolver.get()(TYPE_ALIASES.get(kind, kind))
