"""Infoboxes: the key facts of a medical condition or a drug, typed by editors as a readable
block in the Markdown source and shown as a box at the top right of the article (under the
title on phones):

    ::: infobox medical condition
    Other names: Sick headache
    Specialty: [[Neurology]]
    Symptoms: Headache, nausea, sensitivity to light
    ICD-10: G43
    :::

Labels are the ones the box shows (or their short keys: `icd10`, `risk_factors`); values are
inline Markdown. Unknown fields and malformed codes (ICD-10, ICD-11, ATC, pregnancy category)
are form errors (`infobox_problems`); the parsed box is stored with the article
(`Article.infobox`), searched with its text and described to search engines in JSON-LD
(`schema_org`).
"""

import re
from dataclasses import dataclass, field

START = re.compile(r"^:::[ \t]*infobox(?:[ \t]+(.*?))?[ \t]*$", re.IGNORECASE)
END = re.compile(r"^:::[ \t]*$")
LINE = re.compile(r"^[ \t]*([^:]{1,40}?)[ \t]*:[ \t]*(.*)$")


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    schema: str = ""  # the schema.org property of the box's type, if one fits
    code: str = ""  # the coding system a value's codes are checked against
    aliases: tuple[str, ...] = ()


CONDITION = (
    Field("name", "Name"),
    Field("image", "Image"),
    Field("caption", "Caption"),
    Field("synonyms", "Other names", "alternateName", aliases=("synonym", "also called")),
    Field("pronunciation", "Pronunciation"),
    Field("specialty", "Specialty", "relevantSpecialty", aliases=("field", "speciality")),
    Field("symptoms", "Symptoms", "signOrSymptom", aliases=("signs and symptoms",)),
    Field("complications", "Complications", "possibleComplication"),
    Field("onset", "Usual onset", "", aliases=("usual onset",)),
    Field("duration", "Duration"),
    Field("types", "Types", "", aliases=("subtypes",)),
    Field("causes", "Causes", "cause", aliases=("cause",)),
    Field("risk_factors", "Risk factors", "riskFactor", aliases=("risks", "risk factor")),
    Field("diagnosis", "Diagnostic method", "typicalTest", aliases=("diagnostic method",)),
    Field("differential", "Differential diagnosis", "differentialDiagnosis"),
    Field("prevention", "Prevention", "primaryPrevention"),
    Field("treatment", "Treatment", "possibleTreatment"),
    Field("medication", "Medication", "drug", aliases=("medications", "drugs")),
    Field("prognosis", "Prognosis", "expectedPrognosis"),
    Field("frequency", "Frequency", "epidemiology", aliases=("prevalence",)),
    Field("deaths", "Deaths"),
    Field("icd10", "ICD-10", code="ICD-10", aliases=("icd-10",)),
    Field("icd11", "ICD-11", code="ICD-11", aliases=("icd-11",)),
)
DRUG = (
    Field("name", "Name"),
    Field("image", "Image"),
    Field("caption", "Caption"),
    Field("trade_names", "Trade names", "proprietaryName", aliases=("tradename", "brand names")),
    Field("synonyms", "Other names", "alternateName"),
    Field("drug_class", "Drug class", "drugClass", aliases=("class",)),
    Field(
        "routes",
        "Routes of administration",
        "administrationRoute",
        aliases=("route", "routes of administration"),
    ),
    Field("atc", "ATC code", code="ATC", aliases=("atc code", "atc_code")),
    Field(
        "pregnancy",
        "Pregnancy category",
        "pregnancyCategory",
        code="pregnancy",
        aliases=("pregnancy category",),
    ),
    Field("legal_status", "Legal status", "legalStatus", aliases=("legal",)),
    Field("bioavailability", "Bioavailability"),
    Field("metabolism", "Metabolism"),
    Field("half_life", "Elimination half-life", aliases=("half-life", "elimination half-life")),
    Field("excretion", "Excretion"),
)
TYPES = {"medical condition": CONDITION, "drug": DRUG}
TYPE_ALIASES = {"condition": "medical condition", "disease": "medical condition"}
SCHEMA_TYPES = {"medical condition": "MedicalCondition", "drug": "Drug"}

# One code each; several are separated by commas. ICD-10 allows a range (A00–B99).
CODES = {
    "ICD-10": re.compile(
        r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?(?:[–-][A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?)?"
    ),
    "ICD-11": re.compile(r"[0-9A-HJ-NP-Z][A-HJ-NP-Z][0-9][0-9A-HJ-NP-Z](?:\.[0-9A-HJ-NP-Z]{1,2})?"),
    "ATC": re.compile(r"[A-V](?:[0-9]{2}(?:[A-Z](?:[A-Z](?:[0-9]{2})?)?)?)?"),
    "pregnancy": re.compile(r"(?:(?:AU|US)\s*:?\s*)?(?:A|B[123]?|C|D|X|N)", re.IGNORECASE),
}
CODE_EXAMPLES = {
    "ICD-10": "like G43.1 or A00–B99",
    "ICD-11": "like 8A80 or 6A02.0",
    "ATC": "like N02BE01",
    "pregnancy": "A, B, B1–B3, C, D, X or N, optionally after AU: or US:",
}
CODE_SEPARATORS = {"pregnancy": r"[;,]"}


def skeletons() -> dict[str, list[str]]:
    """Each type's field labels, in order: what the editor's Infobox button writes out."""
    return {kind: [f.label for f in fields] for kind, fields in TYPES.items()}


def _fields_by_name(fields) -> dict[str, Field]:
    names = {}
    for f in fields:
        for name in (f.key, f.label, *f.aliases):
            names[_normal(name)] = f
    return names


def _normal(name: str) -> str:
    return re.sub(r"[\s_-]+", " ", name).strip().lower()


BY_NAME = {kind: _fields_by_name(fields) for kind, fields in TYPES.items()}


@dataclass
class Infobox:
    kind: str  # "medical condition" or "drug"
    values: dict[str, str] = field(default_factory=dict)  # key -> Markdown, in TYPES order
    problems: list[str] = field(default_factory=list)

    def rows(self) -> list[tuple[Field, str]]:
        return [
            (f, self.values[f.key])
            for f in TYPES[self.kind]
            if f.key in self.values and f.key not in {"name", "image", "caption"}
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


def parse_block(lines: list[str]) -> Infobox:
    """The block's lines, from its `::: infobox` line to before its closing `:::`."""
    kind = " ".join((START.match(lines[0]).group(1) or "").lower().split())
    kind = TYPE_ALIASES.get(kind, kind)
    if kind not in TYPES:
        shown = kind or "(no type)"
        box = Infobox("medical condition")
        box.problems.append(
            f"“{shown}” is not an infobox type: write “::: infobox medical condition” or "
            "“::: infobox drug”."
        )
        return box
    box = Infobox(kind)
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
        known = BY_NAME[kind].get(_normal(name))
        if known is None:
            labels = ", ".join(f.label for f in TYPES[kind])
            box.problems.append(
                f"“{name.strip()}” is not a field of the {kind} infobox (its fields: {labels})."
            )
        elif known.key in found:
            box.problems.append(f"“{known.label}” is given twice in the infobox.")
        elif value:
            found[known.key] = value
            if known.code:
                box.problems += _code_problems(known, value)
    box.values = {f.key: found[f.key] for f in TYPES[kind] if f.key in found}
    return box


def _code_problems(f: Field, value: str) -> list[str]:
    pattern = CODES[f.code]
    codes = [c.strip() for c in re.split(CODE_SEPARATORS.get(f.code, ","), value) if c.strip()]
    wrong = [c for c in codes if not pattern.fullmatch(c)]
    return [f"“{c}” is not a valid {f.label} ({CODE_EXAMPLES[f.code]})." for c in wrong]


def codes_of(value: str, f: Field) -> list[str]:
    return [c.strip() for c in re.split(CODE_SEPARATORS.get(f.code, ","), value) if c.strip()]


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


THING_TYPES = {
    "signOrSymptom": "MedicalSignOrSymptom",
    "possibleTreatment": "MedicalTherapy",
    "primaryPrevention": "MedicalTherapy",
    "riskFactor": "MedicalRiskFactor",
    "cause": "MedicalCause",
    "typicalTest": "MedicalTest",
    "drug": "Drug",
    "drugClass": "DrugClass",
}


def schema_org(data: dict, *, name: str, url: str, text_of) -> dict | None:
    """The schema.org MedicalCondition or Drug a stored infobox describes; `text_of` turns a
    value's Markdown into plain text."""
    kind = data.get("type")
    if kind not in TYPES:
        return None
    values = data.get("fields", {})
    thing = {
        "@type": SCHEMA_TYPES[kind],
        "name": text_of(values.get("name", "")) or name,
        "url": url,
    }
    codes = []
    for f in TYPES[kind]:
        value = values.get(f.key)
        if not value:
            continue
        if f.code in {"ICD-10", "ICD-11", "ATC"}:
            codes += [
                {"@type": "MedicalCode", "codeValue": c, "codingSystem": f.code}
                for c in codes_of(value, f)
            ]
        elif f.schema in THING_TYPES:
            thing[f.schema] = [
                {"@type": THING_TYPES[f.schema], "name": text_of(i)} for i in _items(value)
            ]
        elif f.schema == "differentialDiagnosis":
            thing[f.schema] = [_differential(text_of(i)) for i in _items(value)]
        elif f.schema in {"alternateName", "proprietaryName", "administrationRoute"}:
            thing[f.schema] = [text_of(i) for i in _items(value)]
        elif f.schema:
            thing[f.schema] = text_of(value)
    if codes:
        thing["code"] = codes if len(codes) > 1 else codes[0]
    return thing


def _differential(name: str) -> dict:
    return {"@type": "DDxElement", "diagnosis": {"@type": "MedicalCondition", "name": name}}
