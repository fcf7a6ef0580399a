"""The infobox types shipped with the encyclopedia, as the templates `Template:Infobox medical
condition` and `Template:Infobox drug` (written by the post-migrate step after migration 0024,
`transclusion.shipping`, and answering for their type wherever no stored template does:
`infobox_types.shipped_box_type`). Administrators edit them like any template; their
templatedata is documented in docs/editors.md ("Infobox types").
"""

import json

DESCRIPTIONS = {
    "medical condition": "The key facts of a disease, disorder or syndrome, at the top right of "
    "its article. Search engines read it as a schema.org MedicalCondition.",
    "drug": "The key facts of a medicine, at the top right of its article. Search engines read "
    "it as a schema.org Drug.",
}
SHIPPED = {
    "medical condition": {
        "description": DESCRIPTIONS["medical condition"],
        "infobox": {"schema_type": "MedicalCondition"},
        "params": {
            "name": {"label": "Name", "type": "text"},
            "image": {"label": "Image", "type": "text"},
            "caption": {"label": "Caption", "type": "text"},
            "synonyms": {
                "label": "Other names",
                "type": "text",
                "aliases": ["synonym", "also called"],
                "schema": "alternateName",
                "schema_items": "Text",
            },
            "pronunciation": {"label": "Pronunciation", "type": "text"},
            "specialty": {
                "label": "Specialty",
                "type": "text",
                "aliases": ["field", "speciality"],
                "schema": "relevantSpecialty",
            },
            "symptoms": {
                "label": "Symptoms",
                "type": "text",
                "aliases": ["signs and symptoms"],
                "schema": "signOrSymptom",
                "schema_items": "MedicalSignOrSymptom",
            },
            "complications": {
                "label": "Complications",
                "type": "text",
                "schema": "possibleComplication",
            },
            "onset": {"label": "Usual onset", "type": "text", "aliases": ["usual onset"]},
            "duration": {"label": "Duration", "type": "text"},
            "types": {"label": "Types", "type": "text", "aliases": ["subtypes"]},
            "causes": {
                "label": "Causes",
                "type": "text",
                "aliases": ["cause"],
                "schema": "cause",
                "schema_items": "MedicalCause",
            },
            "risk_factors": {
                "label": "Risk factors",
                "type": "text",
                "aliases": ["risks", "risk factor"],
                "schema": "riskFactor",
                "schema_items": "MedicalRiskFactor",
            },
            "diagnosis": {
                "label": "Diagnostic method",
                "type": "text",
                "aliases": ["diagnostic method"],
                "schema": "typicalTest",
                "schema_items": "MedicalTest",
            },
            "differential": {
                "label": "Differential diagnosis",
                "type": "text",
                "schema": "differentialDiagnosis",
                "schema_items": "DDxElement",
            },
            "prevention": {
                "label": "Prevention",
                "type": "text",
                "schema": "primaryPrevention",
                "schema_items": "MedicalTherapy",
            },
            "treatment": {
                "label": "Treatment",
                "type": "text",
                "schema": "possibleTreatment",
                "schema_items": "MedicalTherapy",
            },
            "medication": {
                "label": "Medication",
                "type": "text",
                "aliases": ["medications", "drugs"],
                "schema": "drug",
                "schema_items": "Drug",
            },
            "prognosis": {"label": "Prognosis", "type": "text", "schema": "expectedPrognosis"},
            "frequency": {
                "label": "Frequency",
                "type": "text",
                "aliases": ["prevalence"],
                "schema": "epidemiology",
            },
            "deaths": {"label": "Deaths", "type": "text"},
            "icd10": {"label": "ICD-10", "type": "icd10", "aliases": ["icd-10"]},
            "icd11": {"label": "ICD-11", "type": "icd11", "aliases": ["icd-11"]},
        },
    },
    "drug": {
        "description": DESCRIPTIONS["drug"],
        "infobox": {"schema_type": "Drug"},
        "params": {
            "name": {"label": "Name", "type": "text"},
            "image": {"label": "Image", "type": "text"},
            "caption": {"label": "Caption", "type": "text"},
            "trade_names": {
                "label": "Trade names",
                "type": "text",
                "aliases": ["tradename", "brand names"],
                "schema": "proprietaryName",
                "schema_items": "Text",
            },
            "synonyms": {
                "label": "Other names",
                "type": "text",
                "schema": "alternateName",
                "schema_items": "Text",
            },
            "drug_class": {
                "label": "Drug class",
                "type": "text",
                "aliases": ["class"],
                "schema": "drugClass",
                "schema_items": "DrugClass",
            },
            "routes": {
                "label": "Routes of administration",
                "type": "text",
                "aliases": ["route", "routes of administration"],
                "schema": "administrationRoute",
                "schema_items": "Text",
            },
            "atc": {"label": "ATC code", "type": "atc", "aliases": ["atc code", "atc_code"]},
            "pregnancy": {
                "label": "Pregnancy category",
                "type": "pregnancy",
                "aliases": ["pregnancy category"],
                "schema": "pregnancyCategory",
            },
            "legal_status": {
                "label": "Legal status",
                "type": "text",
                "aliases": ["legal"],
                "schema": "legalStatus",
            },
            "bioavailability": {"label": "Bioavailability", "type": "text"},
            "metabolism": {"label": "Metabolism", "type": "text"},
            "half_life": {
                "label": "Elimination half-life",
                "type": "text",
                "aliases": ["half-life", "elimination half-life"],
            },
            "excretion": {"label": "Excretion", "type": "text"},
        },
    },
}


def body(kind: str, data: dict) -> str:
    """What a call `{{Infobox <kind>|key=value…}}` writes: the block, a line per field."""
    lines = [f"::: infobox {kind}"]
    lines += [f"{doc['label']}: {{{{{{{key}|}}}}}}" for key, doc in data["params"].items()]
    return "\n".join([*lines, ":::"])


def template_source(kind: str) -> str:
    """The shipped page's source: the block its calls write, then its templatedata."""
    data = SHIPPED[kind]
    shown = json.dumps(data, indent=2, ensure_ascii=False)
    return f"{body(kind, data)}\n\n```templatedata\n{shown}\n```\n"


def shipped_sources() -> dict[str, str]:
    """Template title -> source, for each shipped infobox type."""
    return {f"Template:Infobox {kind}": template_source(kind) for kind in SHIPPED}
