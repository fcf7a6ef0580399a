"""The texts the render-identity test renders: the demo's articles and help pages, every
revision of the MediaWiki samples as the importer converts them, and generated articles mixing
every construct an editor types (made from a fixed seed, so the same each run)."""

import hashlib
import json
import random
import xml.etree.ElementTree as ET
from pathlib import Path

from django.conf import settings

from wiki.markdown_import import parse_markdown_file
from wiki.mediawiki.dump_import import stored_markdown
from wiki.mediawiki.wikitext import convert

from .helpers import sample_exports

DEMO = Path(settings.BASE_DIR) / "demo"
BASELINE = Path(__file__).parent / "data" / "infobox_render_baseline.json"


# An infobox type an administrator adds, as its template, and an article using it.
ANATOMY = """::: infobox anatomy
Name: {{{name|}}}
Latin: {{{latin|}}}
System: {{{system|}}}
Artery: {{{artery|}}}
Nerve: {{{nerve|}}}
FMA ID: {{{fma|}}}
Atlas page: {{{atlas|}}}
:::

```templatedata
{
  "description": "A part of the body: its Latin name, supply and identifiers.",
  "infobox": {"schema_type": "AnatomicalStructure"},
  "params": {
    "name": {"label": "Name"},
    "latin": {"label": "Latin", "aliases": ["latin name"], "schema": "alternateName",
              "schema_items": "Text"},
    "system": {"label": "System", "schema": "partOfSystem", "schema_items": "AnatomicalSystem"},
    "artery": {"label": "Artery", "aliases": ["arteries"], "schema": "arterialSupply",
               "schema_items": "Artery"},
    "nerve": {"label": "Nerve", "schema": "nerveSupply", "schema_items": "Nerve"},
    "fma": {"label": "FMA ID", "type": "number", "description": "Foundational Model of Anatomy"},
    "atlas": {"label": "Atlas page", "type": "url"}
  }
}
```
"""

HUMERUS = """::: infobox anatomy
Name: Humerus
Latin name: os humeri
System: Skeletal system
Arteries: Posterior circumflex humeral artery, anterior circumflex humeral artery
Nerve: Axillary nerve
FMA ID: 13303
Atlas page: https://atlas.example.org/humerus
:::
The **humerus** is the long bone of the upper arm.
"""


# Boxes the demo and samples lack: every field, the aliases, and each kind of problem.
CASES = {
    "condition, every field": """::: infobox medical condition
Name: Migraine
Image: [[File:Migraine.png]]
Caption: A drawing
Other names: Sick headache; hemicrania
Pronunciation: /ˈmaɪɡreɪn/
Specialty: [[Neurology]]
Symptoms: Headache, nausea (often), sensitivity to light
Complications: Status migrainosus
Usual onset: Puberty
Duration: Hours to days
Types: With aura, without aura
Causes: Environmental and genetic
Risk factors: Family history, female sex
Diagnostic method: Based on symptoms
Differential diagnosis: Subarachnoid hemorrhage, tension headache
Prevention: Propranolol
Treatment: Rest in a dark room
Medication: Ibuprofen, paracetamol
Prognosis: Good in the long term
Frequency: About 15% of people
Deaths: Rare
ICD-10: G43, G43.1, A00–B99
ICD-11: 8A80
:::
Migraine is a headache disorder.
""",
    "drug, every field by key": """::: infobox drug
name: Paracetamol
trade_names: Tylenol, Panadol
synonyms: Acetaminophen
drug_class: Analgesic
routes: By mouth, rectal, intravenous
atc: N02BE01
pregnancy: AU: A; US: C
legal_status: Over the counter
bioavailability: 63–89%
metabolism: Liver
half_life: 1–4 hours
excretion: Kidney
:::
""",
    "aliases and case": """::: infobox disease
SYMPTOMS: Cough
also called: Grippe
icd-10: J11
:::

Text.

::: infobox condition
:::
""",
    "problems": """::: infobox medical condition
Colour: Red
ICD-10: G4, 123
ICD-10: G43
ICD-11: I0I0
This line has no colon
:::

::: infobox drug
ATC code: N02BE01X, Q01
Pregnancy category: AU: E
:::

::: infobox vehicle
Wheels: 4
:::

::: infobox drug
Name: Unclosed
""",
}


# Pieces of Markdown the generated articles are made of; {w} a word, {t} a title, {n} a number.
PIECES = (
    "{w} **{w}** and *{w}* with [[{t}]] and [[{t}|{w} {w}]] in a sentence.",
    "A [web page](https://example.org/{w}) about `{w}` and {w}&nbsp;{w} &amp; {w} < {n}.",
    "- {w} [[{t}]]\n- {w} **{w}**\n    - {w} nested\n- {w}",
    "1. {w}\n2. *{w}* {n}\n3. [[{t}]]",
    "> {w} said [[{t}]] was {w}.\n>\n> {w} {n}.",
    "| {w} | {w} |\n|---|---|\n| [[{t}]] | {n} |\n| *{w}* | `{w}` |",
    "```\n{w} = {n}  # [[not a link]]\n```",
    "{w} {w} cited.[^{w}{n}]\n\n[^{w}{n}]: {w} J. *{w}*. 20{n}.",
    "{w} <sup>{n}</sup> <sub>{w}</sub> {w}<br>{w}",
    "[[File:{w}.png|thumb|{w} [[{t}]]]]",
    "### {w} {w}\n\n{w} ~~{w}~~ {w}: {n} mg/kg.",
    "::: infobox medical condition\nOther names: {w}\nSpecialty: [[{t}]]\nICD-10: G4{n}\n:::",
    "::: infobox drug\nTrade names: {w}\nATC code: N02BE0{n}\nRoutes: By mouth\n:::",
    "{w}\\*{w}\\* \\[[{w}]] [[{t}#{w}|{w}]] *[[{t}]]*",
    "Term\n: {w} definition [[{t}]]",
)
WORDS = "fever cough asthma renal cardiac dose lung liver migraine nausea aspirin cortex".split()
TOPICS = ["Asthma", "Heart failure", "Aspirin", "Kidney", "Migraine (headache)", "Lung cancer"]


def generated(count: int = 60, seed: int = 34) -> dict[str, str]:
    """`count` articles of 3-8 sections, each of 2-6 random pieces."""
    rng = random.Random(seed)

    def piece() -> str:
        text = rng.choice(PIECES)
        while any(k in text for k in ("{w}", "{t}", "{n}")):
            text = text.replace("{w}", rng.choice(WORDS), 1).replace("{t}", rng.choice(TOPICS), 1)
            text = text.replace("{n}", str(rng.randint(0, 9)), 1)
        return text

    texts = {}
    for number in range(count):
        parts = [piece() for _ in range(rng.randint(1, 4))]
        for section in range(rng.randint(3, 8)):
            parts.append(f"## {rng.choice(WORDS).capitalize()} {section}")
            parts += [piece() for _ in range(rng.randint(2, 6))]
        texts[f"generated/{number}"] = "\n\n".join(parts) + "\n"
    return texts


def corpus() -> dict[str, str]:
    """Key -> Markdown source, in a stable order."""
    texts = {f"case/{name}": text for name, text in CASES.items()}
    texts.update(generated())
    for folder in ("articles", "help"):
        for path in sorted((DEMO / folder).glob("*.md")):
            if path.name != "SOURCES.md":
                texts[f"demo/{folder}/{path.name}"] = parse_markdown_file(
                    path.read_text(encoding="utf-8")
                ).source
    for path in sample_exports():
        for _, el in ET.iterparse(path):
            if el.tag.rsplit("}", 1)[-1] != "page":
                continue
            title = el.findtext("{*}title")
            for revision in el.findall("{*}revision"):
                key = f"{path.name}/{title}/{revision.findtext('{*}id')}"
                conversion = convert(revision.findtext("{*}text") or "", title=title)
                texts[key] = stored_markdown(conversion)
            el.clear()
    return texts


def body_html(composition) -> str:
    """The article body as stored: lead, each section's heading and body, the notes."""
    rendered = composition.rendered
    parts = [rendered.lead_html]
    for section in rendered.sections:
        parts += [section.heading_html, section.anchor, section.html]
    return "\n".join([*parts, rendered.notes_html])


def stored_form(composition) -> str:
    """What composing stores of a text: the body's HTML, the infobox's data, the links."""
    data = json.dumps(composition.infobox, sort_keys=True, ensure_ascii=False)
    return "\n".join([body_html(composition), data, " ".join(sorted(composition.rendered.links))])


def digest(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()
