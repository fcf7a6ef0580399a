"""Hints on sources (never a refusal): the publication type PubMed gives, the age, and flags
for primary studies and old sources; the edit page's Sources panel lists them for every
reference of the text; look-ups that reach a service are limited per editor."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tests.citation_services import (
    CitationServices,
    closed_port_url,
    point_settings_at,
    start_citation_services,
)
from wiki.editing.source_hints import source_hints

TODAY = date(2026, 12, 6)
REVIEW, CASE_REPORT, PRISMA, RECOVERY = "35027572", "32004427", "19621072", "32678530"


def journal(name: str, pmid: str = "", year: str = "", title: str = "A study") -> str:
    fields = [f"title: {title}", "journal: J Med"]
    fields += [f"year: {year}"] if year else []
    fields += [f"pmid: {pmid}"] if pmid else []
    return f"[^{name}]: cite journal | " + " | ".join(fields)


ARTICLE = "\n".join(
    [
        "Migraine is common.[^ferrari] A case was reported.[^holshue] Reporting matters.[^prisma]",
        "A textbook says so.[^book]",
        "",
        journal("ferrari", REVIEW, "2022", "Migraine"),
        journal("holshue", CASE_REPORT, "2020", "First case of 2019 novel coronavirus"),
        journal("prisma", PRISMA, "2009", "The PRISMA statement"),
        "[^book]: cite book | title: Harrison's Principles | publisher: McGraw Hill | year: 2022",
        "",
    ]
)


# The classification ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "types, primary",
    [
        (["Journal Article", "Review"], False),
        (["Systematic Review", "Journal Article"], False),
        (["Meta-Analysis"], False),
        (["Practice Guideline"], False),
        (["Case Reports", "Journal Article"], True),
        (["Randomized Controlled Trial", "Multicenter Study"], True),
        (["Observational Study"], True),
        # A trial's systematic review is secondary, whatever else it is tagged with.
        (["Randomized Controlled Trial", "Systematic Review"], False),
        (["Journal Article"], False),
        ([], False),
    ],
)
def test_primary_studies_are_told_from_reviews_and_guidelines(settings, types, primary):
    settings.CITATION_OLD_SOURCE_YEARS = 5
    hints = source_hints(types, "2025", today=TODAY)
    assert hints["primary"] is primary
    assert ("A primary study" in " ".join(hints["messages"])) is primary
    assert "Journal Article" not in hints["types"]


@pytest.mark.parametrize(
    "year, age, old",
    [("2026", 0, False), ("2021", 5, False), ("2020", 6, True), ("2009 Jul 21", 17, True)],
)
def test_a_source_is_old_past_the_configured_years(settings, year, age, old):
    settings.CITATION_OLD_SOURCE_YEARS = 5
    hints = source_hints(["Review"], year, today=TODAY)
    assert (hints["age"], hints["old"]) == (age, old)
    if old:
        assert f"Published {age} years ago" in hints["messages"][-1]
        assert "the last 5 years" in hints["messages"][-1]


def test_the_limit_is_a_setting_and_a_source_without_year_has_no_age(settings):
    settings.CITATION_OLD_SOURCE_YEARS = 20
    assert source_hints(["Review"], "2009", today=TODAY)["old"] is False
    assert source_hints([], "", today=TODAY) == {
        "types": [],
        "age": None,
        "primary": False,
        "old": False,
        "messages": [],
    }


# The Sources panel's endpoint -----------------------------------------------------------


@pytest.fixture(scope="module")
def services():
    server, base = start_citation_services()
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture
def pubmed(services, settings):
    point_settings_at(settings, services)
    settings.CITATION_OLD_SOURCE_YEARS = date.today().year - 2020  # 2020 and 2022: recent
    CitationServices.requests.clear()
    return CitationServices.requests


def panel(client, text: str, article: str = ""):
    return client.post(reverse("wiki:sources_panel"), {"text": text, "article": article})


def by_name(answer) -> dict:
    return {source["name"]: source for source in answer.json()["sources"]}


def test_the_panel_lists_each_reference_with_pubmeds_type_its_age_and_its_flags(
    pubmed, editor_client
):
    answer = panel(editor_client, ARTICLE)
    assert answer.status_code == 200
    assert answer.json()["old_years"] == date.today().year - 2020
    found = by_name(answer)
    assert list(found) == ["ferrari", "holshue", "prisma", "book"]
    review, case, prisma, book = found.values()
    assert review["title"] == "Migraine" and review["year"] == "2022"
    assert review["hints"]["types"] == ["Review"]
    assert not review["hints"]["primary"] and not review["hints"]["old"]
    assert case["hints"]["types"] == ["Case Reports"]
    assert case["hints"]["primary"] and not case["hints"]["old"]
    assert prisma["hints"]["types"] == ["Guideline"]
    assert prisma["hints"]["old"] and not prisma["hints"]["primary"]
    assert prisma["hints"]["age"] == date.today().year - 2009
    assert book["hints"]["types"] == [] and book["kind"] == "book" and not book["note"]
    # Opened again: the answers come from the cache, PubMed is not asked twice.
    asked = len(pubmed)
    assert by_name(panel(editor_client, ARTICLE)) == found
    assert len(pubmed) == asked


def test_a_section_sees_the_references_its_marks_use_from_the_rest_of_the_article(
    pubmed, editor_client, make_article
):
    make_article("Migraine", ARTICLE)
    section = "## Cause\n\nA case was reported.[^holshue]\n"
    found = by_name(panel(editor_client, section, article="Migraine"))
    assert list(found) == ["holshue"]
    assert found["holshue"]["hints"]["primary"]


def test_a_reference_without_identifier_or_unreadable_says_why_its_type_is_unknown(
    pubmed, editor_client
):
    text = "\n".join(
        [
            journal("bare", "", "2024", "An unindexed study"),
            "[^broken]: cite journal | year: 2024",
            journal("gone", "999999999", "2024"),
        ]
    )
    found = by_name(panel(editor_client, text))
    assert "add its PMID or DOI" in found["bare"]["note"]
    assert "Cannot be read" in found["broken"]["note"]
    assert "PubMed does not know" in found["gone"]["note"]
    assert found["gone"]["hints"]["age"] == date.today().year - 2024


def test_only_editors_may_ask(pubmed, reader):
    client = Client()
    assert panel(client, ARTICLE).status_code == 403
    client.force_login(reader)
    assert panel(client, ARTICLE).status_code == 403
    assert pubmed == []


# The look-up limit ----------------------------------------------------------------------


def test_the_cite_look_up_answers_429_past_the_editors_limit_but_the_cache_still_answers(
    pubmed, settings, editor_client, other_editor
):
    settings.CITATION_LOOKUPS_PER_MINUTE = 2
    url = reverse("wiki:cite_lookup")
    assert editor_client.post(url, {"identifier": REVIEW}).status_code == 200
    assert editor_client.post(url, {"identifier": f"PMID {CASE_REPORT}"}).status_code == 200
    refused = editor_client.post(url, {"identifier": PRISMA})
    assert refused.status_code == 429
    assert refused.json()["error"] == (
        "You looked up 2 references in the last minute, the most the site allows. "
        "Wait a minute before the next look-up."
    )
    asked = len(pubmed)
    # What is cached answers without counting; another editor has a limit of their own.
    assert editor_client.post(url, {"identifier": REVIEW}).status_code == 200
    assert len(pubmed) == asked
    other = Client()
    other.force_login(other_editor)
    assert other.post(url, {"identifier": PRISMA}).status_code == 200


def test_the_panel_stops_looking_up_at_the_limit_and_says_so(pubmed, settings, editor_client):
    settings.CITATION_LOOKUPS_PER_MINUTE = 1
    found = by_name(panel(editor_client, ARTICLE))
    assert found["ferrari"]["hints"]["types"] == ["Review"]
    assert "You looked up 1 reference in the last minute" in found["holshue"]["note"]
    assert "limit was reached" in found["prisma"]["note"]
    assert found["prisma"]["hints"]["age"] == date.today().year - 2009  # the age still shows


def test_when_pubmed_is_unreachable_the_panel_asks_it_once_and_still_shows_the_ages(
    pubmed, settings, editor_client
):
    settings.CITATION_EUTILS_URL = closed_port_url()
    found = by_name(panel(editor_client, ARTICLE))
    assert "PubMed could not be reached just now" in found["ferrari"]["note"]
    assert "a service did not answer" in found["holshue"]["note"]
    assert "a service did not answer" in found["prisma"]["note"]
    assert found["prisma"]["hints"]["old"] and found["holshue"]["hints"]["types"] == []
