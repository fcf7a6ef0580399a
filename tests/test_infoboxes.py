"""Infoboxes: the typed block in the source, its box, its validation, search and JSON-LD."""

import pytest

from tests.helpers import json_ld
from wiki.infobox_types import SHIPPED_TYPES
from wiki.infoboxes import infobox_of
from wiki.models import Article
from wiki.rendering import render_markdown

CONDITION = SHIPPED_TYPES["medical condition"].fields
DRUG = SHIPPED_TYPES["drug"].fields

CONDITION_BOX = """\
::: infobox medical condition
Name: Migraine
Other names: Sick headache; hemicrania
Specialty: [[Neurology]]
Symptoms: Headache, nausea, sensitivity to light
Complications: Status migrainosus
Usual onset: Puberty
Duration: Hours to days
Causes: Environmental and genetic
Risk factors: Family history, female sex
Diagnostic method: Based on symptoms
Differential diagnosis: Subarachnoid hemorrhage, tension headache
Treatment: Rest in a dark room
Medication: Ibuprofen, paracetamol
Prognosis: Good in the long term
Frequency: About 15% of people
ICD-10: G43, G43.1
ICD-11: 8A80
:::
Migraine is a headache disorder.
"""

DRUG_BOX = """\
::: infobox drug
Name: Paracetamol
Trade names: Tylenol, Panadol
Drug class: Analgesic
Routes of administration: By mouth, rectal, intravenous
ATC code: N02BE01
Pregnancy category: AU: A; US: C
Legal status: Over the counter
:::
Paracetamol relieves pain.
"""


def test_every_condition_field_becomes_a_labelled_row():
    html = render_markdown(CONDITION_BOX)
    assert '<table class="infobox"><caption>Migraine</caption>' in html
    for field in CONDITION:
        if field.key in {
            "name",
            "image",
            "caption",
            "pronunciation",
            "types",
            "prevention",
            "deaths",
        }:
            continue
        assert f'<th scope="row">{field.label}</th>' in html, field.label
    assert '<a class="wikilink" href="/wiki/Neurology">Neurology</a>' in html
    assert "<p>Migraine is a headache disorder.</p>" in html  # the text after it


def test_every_drug_field_becomes_a_labelled_row():
    html = render_markdown(DRUG_BOX)
    for label in (
        "Trade names",
        "Drug class",
        "Routes of administration",
        "ATC code",
        "Pregnancy category",
        "Legal status",
    ):
        assert f'<th scope="row">{label}</th>' in html


def test_labels_keys_and_aliases_are_one_field_case_and_spacing_aside():
    box = infobox_of(
        "::: infobox condition\nicd10: G43\nRISK_FACTORS: Stress\nfield: Neurology\n:::"
    )
    assert box.kind == "medical condition" and not box.problems
    assert box.values == {"specialty": "Neurology", "risk_factors": "Stress", "icd10": "G43"}


@pytest.mark.parametrize(
    "box, problem",
    [
        (
            "::: infobox medical condition\nColour: Blue\n:::",
            "“Colour” is not a field of the medical condition infobox",
        ),
        ("::: infobox medical condition\nICD-10: 123\n:::", "“123” is not a valid ICD-10"),
        ("::: infobox medical condition\nICD-11: G43.1\n:::", "“G43.1” is not a valid ICD-11"),
        ("::: infobox drug\nATC code: N2BE01\n:::", "“N2BE01” is not a valid ATC code"),
        ("::: infobox drug\nPregnancy category: Q\n:::", "“Q” is not a valid Pregnancy category"),
        ("::: infobox drug\nICD-10: G43\n:::", "“ICD-10” is not a field of the drug infobox"),
        ("::: infobox vehicle\nName: Car\n:::", "“vehicle” is not an infobox type"),
        ("::: infobox drug\nName: A\nName: B\n:::", "“Name” is given twice"),
        ("::: infobox drug\nName: A\n", "has no closing “:::” line"),
        ("::: infobox drug\njust words\n:::", "is not “Label: value”"),
        (
            "::: infobox drug\nName: A\n:::\n\n::: infobox drug\nName: B\n:::",
            "An article has one infobox",
        ),
    ],
)
def test_unknown_fields_and_malformed_codes_are_form_errors(
    editor_client, make_article, editor, box, problem
):
    article = make_article(user=editor)
    before = article.source
    response = editor_client.post(
        f"/wiki/{article.slug}/edit",
        {"text": box + "\n\n" + before, "base_revision": article.latest_revision_id},
    )
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert Article.objects.get(pk=article.pk).source == before


def test_the_admin_refuses_a_malformed_infobox_too(make_article, editor):
    from wiki.admin import ArticleAdminForm, SectionForm

    article = make_article(user=editor)
    form = ArticleAdminForm(
        data={"title": article.title, "lead": "::: infobox drug\nATC code: zzz\n:::\n"},
        instance=article,
    )
    assert not form.is_valid()
    assert "“zzz” is not a valid ATC code" in str(form.errors["lead"])
    section = SectionForm(
        data={
            "position": 1,
            "level": 2,
            "heading": "H",
            "body": "A.[^a]\n\n[^a]: cite web | title: T\n",
        }
    )
    assert not section.is_valid()
    assert "A cite web needs a url." in str(section.errors["body"])


def test_the_infobox_is_stored_with_the_article_and_searchable(make_article, editor, client):
    article = make_article(title="Migraine", source=CONDITION_BOX, user=editor)
    article.refresh_from_db()
    assert article.infobox["type"] == "medical condition"
    assert article.infobox["fields"]["icd10"] == "G43, G43.1"
    found = client.get("/search", {"q": "migrainosus"}).content.decode()
    assert 'href="/wiki/Migraine"' in found


def test_a_condition_infobox_gives_json_ld_its_medical_condition(make_article, editor, client):
    article = make_article(title="Migraine", source=CONDITION_BOX, user=editor)
    about = json_ld(client.get(article.get_absolute_url()).content.decode())["about"]
    assert about["@type"] == "MedicalCondition" and about["name"] == "Migraine"
    assert about["code"] == [
        {"@type": "MedicalCode", "codeValue": "G43", "codingSystem": "ICD-10"},
        {"@type": "MedicalCode", "codeValue": "G43.1", "codingSystem": "ICD-10"},
        {"@type": "MedicalCode", "codeValue": "8A80", "codingSystem": "ICD-11"},
    ]
    assert about["alternateName"] == ["Sick headache", "hemicrania"]
    assert about["relevantSpecialty"] == "Neurology"  # the link's text
    assert [s["name"] for s in about["signOrSymptom"]] == [
        "Headache",
        "nausea",
        "sensitivity to light",
    ]
    assert about["signOrSymptom"][0]["@type"] == "MedicalSignOrSymptom"
    assert about["possibleTreatment"] == [
        {"@type": "MedicalTherapy", "name": "Rest in a dark room"}
    ]
    assert about["riskFactor"][1] == {"@type": "MedicalRiskFactor", "name": "female sex"}
    assert about["cause"] == [{"@type": "MedicalCause", "name": "Environmental and genetic"}]
    assert about["typicalTest"] == [{"@type": "MedicalTest", "name": "Based on symptoms"}]
    assert about["differentialDiagnosis"][0] == {
        "@type": "DDxElement",
        "diagnosis": {"@type": "MedicalCondition", "name": "Subarachnoid hemorrhage"},
    }
    assert [d["name"] for d in about["drug"]] == ["Ibuprofen", "paracetamol"]
    assert about["possibleComplication"] == "Status migrainosus"
    assert about["expectedPrognosis"] == "Good in the long term"
    assert about["epidemiology"] == "About 15% of people"


def test_a_drug_infobox_gives_json_ld_its_drug(make_article, editor, client):
    article = make_article(title="Paracetamol", source=DRUG_BOX, user=editor)
    about = json_ld(client.get(article.get_absolute_url()).content.decode())["about"]
    assert about["@type"] == "Drug"
    assert about["drugClass"] == [{"@type": "DrugClass", "name": "Analgesic"}]
    assert about["proprietaryName"] == ["Tylenol", "Panadol"]
    assert about["administrationRoute"] == ["By mouth", "rectal", "intravenous"]
    assert about["code"] == {"@type": "MedicalCode", "codeValue": "N02BE01", "codingSystem": "ATC"}
    assert about["pregnancyCategory"] == "AU: A; US: C"
    assert about["legalStatus"] == "Over the counter"
    assert {f.key for f in DRUG} >= {"trade_names", "drug_class", "routes", "atc", "pregnancy"}


def test_infobox_values_are_sanitized(make_article, editor, client):
    html = render_markdown(
        "::: infobox drug\nName: <script>alert(1)</script>X\nDrug class: <img src=x onerror=alert(1)>\n:::"
    )
    assert "<script" not in html and "onerror" not in html


def test_a_box_shown_as_code_stays_as_typed():
    html = render_markdown("```\n::: infobox drug\nName: A\n:::\n```\n")
    assert "<table" not in html and "::: infobox drug" in html
