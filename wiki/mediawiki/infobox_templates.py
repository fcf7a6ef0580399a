"""Infoboxes (`{{Infobox …}}`, `{{Drugbox}}`, `{{Taxobox}}`…) as a box of key facts: an HTML
table with class "infobox", the name as its caption, the image first, then a row per
parameter with a value (label → converted value)."""

import re

from ..infobox_types import CHECKS, shipped_box_type
from .file_links import FILE_NAMESPACES, figure
from .markup import html_block, html_escape

BOXES = {
    "drugbox",
    "chembox",
    "taxobox",
    "speciesbox",
    "automatic taxobox",
    "subspeciesbox",
    "infraspeciesbox",
    "disease",
    "medical condition",
}
NAME_KEYS = ("name", "title", "drug_name", "drug name", "above")
IMAGE_KEYS = ("image", "image_name", "imagename", "image1", "img", "logo")
SKIPPED = (
    {
        "image_size",
        "imagesize",
        "image_width",
        "width",
        "alt",
        "image_alt",
        "upright",
        "bodystyle",
        "embed",
        "child",
        "subbox",
        "caption",
        "image_caption",
        "captionstyle",
        "labelstyle",
        "datastyle",
        "headerstyle",
        "abovestyle",
        "imagestyle",
        "style",
        "class",
        "onlysourced",
        "suppressfields",
        "fetchwikidata",
        "qid",
        "noicon",
        "image2",
        "alt2",
        "caption2",
        "width2",
        "verifiedfields",
        "watchedfields",
        "verifiedrevid",
        "module",
        "embedded",
    }
    | set(NAME_KEYS)
    | set(IMAGE_KEYS)
)
PAIRED = (("_type", "_name"), ("_title", "_name"), ("name", "info"), ("label", "data"))
IMAGE_WORDS = {"image", "logo", "map", "flag", "shield", "seal", "signature", "img", "pushpin"}
DETAIL_WORDS = {
    "size",
    "width",
    "alt",
    "caption",
    "upright",
    "style",
    "relief",
    "position",
    "mark",
    "marksize",
    "label",
    "class",
    "type",
}
FILE_VALUE = re.compile(r"\.(jpe?g|png|gif|svg|tiff?|webp)\s*$", re.I)
LABELS = {
    "icd10": "ICD-10",
    "icd9": "ICD-9-CM",
    "icdo": "ICD-O",
    "omim": "OMIM",
    "medlineplus": "MedlinePlus",
    "emedicine": "eMedicine",
    "meshid": "MeSH",
    "mesh": "MeSH",
    "diseasesdb": "DiseasesDB",
    "atc_prefix": "ATC code",
    "cas_number": "CAS number",
    "pubchem": "PubChem CID",
    "drugbank": "DrugBank",
    "chemspiderid": "ChemSpider",
    "unii": "UNII",
    "kegg": "KEGG",
    "chebi": "ChEBI",
    "routes_of_administration": "Routes of administration",
    "tradename": "Trade names",
    "legal_status": "Legal status",
    "specialty": "Specialty",
    "symptoms": "Symptoms",
}


def is_infobox(name: str) -> bool:
    return name.startswith("infobox") or name in BOXES


def label(name: str) -> str:
    known = LABELS.get(name.lower().replace(" ", "_"))
    if known:
        return known
    text = re.sub(r"[_\s]+", " ", name).strip()
    return text[:1].upper() + text[1:]


def infobox(cv, args, writer, name) -> None:
    kind = name.removeprefix("infobox").strip() or name
    cv.counts["infoboxes"] += 1
    if typed := TYPED.get(kind):
        markdown, html = typed_infobox(cv, args, typed)
        cv.write_block(writer, markdown, html)
        cv.counts[f"infobox: {kind}"] += 1
        return
    title = _value(cv, args, *NAME_KEYS) or html_escape(cv.title)
    rows = []
    image = args.raw(*IMAGE_KEYS)
    if image:
        caption = _value(cv, args, "caption", "image_caption")
        rows.append(_image_row(cv, image, caption=caption, alt=args.raw("alt")))
    rows += _rows(cv, args)
    caption = f"<caption>{title}</caption>" if title else ""
    html = f'<table class="infobox">{caption}\n' + "\n".join(rows) + "\n</table>"
    cv.write_block(writer, html_block(html), html.replace("\n", "\n    "))
    if kind:
        cv.counts[f"infobox: {kind}"] += 1


def _rows(cv, args) -> list[str]:
    """A row per parameter: paired ones (`x_type` and `x_name`, `labelN` and `dataN`…) as
    one row labelled by the first's value; other images as images; notes (`…footnotes`)
    after the row before them."""
    pairs = _pairs(args)
    seconds = set(pairs.values())
    rows: list[str] = []
    for key, value in args.order:
        low = key.lower()
        if not key or low in SKIPPED or low in seconds or not str(value).strip():
            continue
        words = set(re.split(r"[_\s\d]+", low))
        if words & IMAGE_WORDS:
            if not words & DETAIL_WORDS and FILE_VALUE.search(args.raw(low)):
                rows.append(_image_row(cv, args.raw(low)))
            elif not words & DETAIL_WORDS:
                cv.unconverted["infobox: image made by a template"] += 1
            continue
        text = cv.flat(value)
        if "footnotes" in low and rows:
            rows[-1] = rows[-1].removesuffix("</td></tr>") + text + "</td></tr>"
        elif low in pairs:
            rows.append(_row(text, cv.flat(args.code(pairs[low]))))
        elif text.strip():
            rows.append(_row(html_escape(label(key)), text))
    return rows


def _pairs(args) -> dict[str, str]:
    """Parameters whose value labels another's: {label parameter: value parameter}."""
    pairs = {}
    for key in args.named:
        for first, second in PAIRED:
            at = key.rfind(first)
            if at >= 0:
                partner = key[:at] + second + key[at + len(first) :]
                if partner in args.named:
                    pairs[key] = partner
                    break
    return pairs


def _row(label_html: str, value_html: str) -> str:
    return f'<tr><th scope="row">{label_html}</th><td>{value_html}</td></tr>'


def _image_row(cv, image: str, *, caption: str = "", alt: str = "") -> str:
    prefix, colon, rest = image.partition(":")
    if colon and prefix.strip().lower() in FILE_NAMESPACES:
        image = rest
    shown = figure(cv, image.split("|")[0], caption=caption, alt=alt, thumb=False)
    return f'<tr><td colspan="2">{shown}</td></tr>'


def _value(cv, args, *names) -> str:
    code = args.code(*names)
    return cv.flat(code).replace("\n    ", " ") if code is not None else ""


# Medical condition and drug boxes become ours (`wiki.infoboxes`): a typed block of the fields
# we know (the shipped types'), by the parameters MediaWiki's templates use for them.
TYPED = {
    "medical condition": "medical condition",
    "medical condition (new)": "medical condition",
    "disease": "medical condition",
    "drug": "drug",
    "drugbox": "drug",
}
CONDITION_PARAMETERS = {
    "name": "name",
    "synonyms": "synonyms",
    "synonym": "synonyms",
    "pronounce": "pronunciation",
    "pronunciation": "pronunciation",
    "field": "specialty",
    "specialty": "specialty",
    "symptoms": "symptoms",
    "complications": "complications",
    "onset": "onset",
    "duration": "duration",
    "types": "types",
    "causes": "causes",
    "risks": "risk_factors",
    "diagnosis": "diagnosis",
    "differential": "differential",
    "prevention": "prevention",
    "treatment": "treatment",
    "medication": "medication",
    "prognosis": "prognosis",
    "frequency": "frequency",
    "deaths": "deaths",
    "icd10": "icd10",
    "icd11": "icd11",
}
DRUG_PARAMETERS = {
    "name": "name",
    "drug_name": "name",
    "tradename": "trade_names",
    "synonyms": "synonyms",
    "class": "drug_class",
    "drug_class": "drug_class",
    "routes_of_administration": "routes",
    "bioavailability": "bioavailability",
    "metabolism": "metabolism",
    "elimination_half-life": "half_life",
    "excretion": "excretion",
}
PARAMETERS = {"medical condition": CONDITION_PARAMETERS, "drug": DRUG_PARAMETERS}
BREAKS = re.compile(r"\s*(?:<br\s*/?>|\n)+\s*", re.IGNORECASE)


def typed_infobox(cv, args, kind: str) -> tuple[str, str]:
    """`::: infobox <kind>` with a line per field we know (what we do not know is reported),
    and the same as an HTML table for where a block cannot stand (a table cell)."""
    values: dict[str, str] = {}
    for key, value in args.order:
        low = key.lower().strip()
        ours = PARAMETERS[kind].get(low)
        if ours is None:
            if key and str(value).strip() and low not in SKIPPED:
                cv.unconverted[f"infobox field: {low}"] += 1
            continue
        text = _line(cv.flat(value))
        if ours in {"icd10", "icd11"}:
            text = ", ".join(dict.fromkeys(CHECKS[ours].pattern.findall(text)))
        if text and ours not in values:
            values[ours] = text
    if kind == "drug":
        values.update(_drug_codes(args))
    image = args.raw(*IMAGE_KEYS)
    if image:
        caption = _value(cv, args, "caption", "image_caption")
        values["image"] = _line(_image_row(cv, image, caption="", alt=args.raw("alt")))
        values["image"] = (
            values["image"].removeprefix('<tr><td colspan="2">').removesuffix("</td></tr>")
        )
        if caption:
            values["caption"] = _line(caption)
    labels = {f.key: f.label for f in shipped_box_type(kind).fields}
    lines = [f"::: infobox {kind}"]
    lines += [f"{labels[k]}: {values[k]}" for k in labels if values.get(k)]
    caption = f"<caption>{values.get('name') or html_escape(cv.title)}</caption>"
    rows = [
        _row(html_escape(labels[k]), values[k])
        for k in labels
        if values.get(k) and k not in {"name", "image", "caption"}
    ]
    html = f'<table class="infobox">{caption}' + "".join(rows) + "</table>"
    return "\n".join(lines + [":::"]), html


def _line(text: str) -> str:
    return " ".join(BREAKS.sub(", ", text.strip()).split())


def _drug_codes(args) -> dict[str, str]:
    """ATC (prefix + suffix), pregnancy categories and legal status, as their fields take them."""
    found = {}
    prefix, suffix = args.raw("atc_prefix", "ATC_prefix"), args.raw("atc_suffix", "ATC_suffix")
    if prefix and CHECKS["atc"].pattern.fullmatch(prefix + suffix):
        found["atc"] = prefix + suffix
    categories = [
        f"{country}: {args.raw(f'pregnancy_{country}')}"
        for country in ("AU", "US")
        if CHECKS["pregnancy"].pattern.fullmatch(args.raw(f"pregnancy_{country}"))
    ]
    if categories:
        found["pregnancy"] = "; ".join(categories)
    legal = [
        f"{country}: {args.raw(f'legal_{country}')}"
        for country in ("AU", "CA", "UK", "US", "EU")
        if args.raw(f"legal_{country}")
    ]
    if args.raw("legal_status"):
        legal.append(args.raw("legal_status"))
    if legal:
        found["legal_status"] = "; ".join(legal)
    return found
