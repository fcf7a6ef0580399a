"""Infoboxes (`{{Infobox …}}`, `{{Drugbox}}`, `{{Taxobox}}`…) as a box of key facts: an HTML
table with class "infobox", the name as its caption, the image first, then a row per
parameter with a value (label → converted value)."""

import re

from .markup import html_escape
from .media import FILE_NAMESPACES, figure

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
    title = _value(cv, args, *NAME_KEYS) or html_escape(cv.title)
    rows = []
    image = args.raw(*IMAGE_KEYS)
    if image:
        prefix, colon, rest = image.partition(":")
        if colon and prefix.strip().lower() in FILE_NAMESPACES:
            image = rest
        caption = _value(cv, args, "caption", "image_caption")
        shown = figure(cv, image.split("|")[0], caption=caption, alt=args.raw("alt"), thumb=False)
        rows.append(f'<tr><td colspan="2">{shown}</td></tr>')
    for key, value in args.order:
        if not key or key.lower() in SKIPPED or not str(value).strip():
            continue
        text = cv.flat(value)
        if text.strip():
            rows.append(f'<tr><th scope="row">{html_escape(label(key))}</th><td>{text}</td></tr>')
    caption = f"<caption>{title}</caption>" if title else ""
    html = f'<table class="infobox">{caption}\n' + "\n".join(rows) + "\n</table>"
    from .markup import html_block

    cv.write_block(writer, html_block(html), html.replace("\n", "\n    "))
    if kind:
        cv.counts[f"infobox: {kind}"] += 1


def _value(cv, args, *names) -> str:
    code = args.code(*names)
    return cv.flat(code).replace("\n    ", " ") if code is not None else ""
