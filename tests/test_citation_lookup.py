"""The cite dialog's look-up: an identifier an editor pastes fills the reference, from
Crossref, PubMed, Open Library or the page itself, replayed by a local server."""

from datetime import date

import pytest
from django.urls import reverse

from tests.citation_services import (
    CitationServices,
    closed_port_url,
    point_settings_at,
    start_citation_services,
)
from wiki.editing.citation_lookup import identifier_kind

RECOVERY = "10.1056/NEJMoa2021436"


@pytest.fixture(scope="module")
def services():
    server, base = start_citation_services()
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture
def lookup(services, settings, editor_client):
    """Posts what the dialog posts: the identifier and the text being edited."""
    point_settings_at(settings, services)
    CitationServices.requests.clear()

    def post(identifier: str, text: str = "", article: str = ""):
        sent = {"identifier": identifier, "text": text, "article": article}
        return editor_client.post(reverse("wiki:cite_lookup"), sent)

    return post


def test_a_doi_fills_a_journal_reference_from_crossref_with_pubmeds_identifiers(lookup):
    answer = lookup(f"https://doi.org/{RECOVERY}")
    assert answer.status_code == 200
    found = answer.json()
    assert found["kind"] == "journal"
    assert found["fields"] == {
        "authors": "Horby P, Lim WS, Emberson JR, Mafham M",
        "title": "Dexamethasone in Hospitalized Patients with Covid-19",
        "year": "2021",
        "doi": RECOVERY,
        "journal": "N Engl J Med",
        "volume": "384",
        "issue": "8",
        "pages": "693-704",
        "pmid": "32678530",
        "pmcid": "PMC7383595",
    }
    assert "Randomized Controlled Trial" in found["hints"]["types"]
    assert found["hints"]["primary"] is True
    # Crossref's polite pool and NCBI are told who asks.
    asked = " ".join(CitationServices.requests)
    assert "mailto=editors%40example.org" in asked and "email=editors%40example.org" in asked


def test_a_second_look_up_of_the_same_doi_comes_from_the_cache(lookup):
    lookup(RECOVERY)
    CitationServices.requests.clear()
    assert lookup(RECOVERY).json()["fields"]["title"].startswith("Dexamethasone")
    assert CitationServices.requests == []


def test_a_pmid_fills_the_reference_with_its_publication_type_and_age(lookup, settings):
    settings.CITATION_OLD_SOURCE_YEARS = 5
    found = lookup("PMID: 19621072").json()
    assert found["fields"]["authors"] == "Moher D, Liberati A, Tetzlaff J, Altman DG"
    assert found["fields"]["title"] == (
        "Preferred reporting items for systematic reviews and meta-analyses: the PRISMA statement"
    )
    assert found["fields"]["journal"] == "PLoS Med"
    assert found["fields"]["pages"] == "e1000097"
    assert found["fields"]["pmcid"] == "PMC2707599"
    hints = found["hints"]
    assert hints["types"] == ["Guideline"]
    assert hints["primary"] is False
    assert hints["age"] == date.today().year - 2009
    assert hints["old"] is True
    assert any("years ago" in message for message in hints["messages"])


def test_a_recent_source_is_not_flagged_old(lookup, settings):
    settings.CITATION_OLD_SOURCE_YEARS = date.today().year - 2021 + 1
    hints = lookup("32678530").json()["hints"]
    assert hints["old"] is False
    assert hints["primary"] is True
    assert [m for m in hints["messages"] if "primary study" in m]


def test_a_pmcid_goes_through_its_pmid_for_the_publication_type(lookup):
    found = lookup("PMC2707599").json()
    assert found["fields"]["pmid"] == "19621072"
    assert found["fields"]["pmcid"] == "PMC2707599"
    assert found["hints"]["types"] == ["Guideline"]


def test_an_isbn_fills_a_book_reference_from_open_library(lookup):
    found = lookup("ISBN 978-1-4391-0795-9").json()
    assert found["kind"] == "book"
    assert found["fields"] == {
        "authors": "Siddhartha Mukherjee",
        "title": "The emperor of all maladies: a biography of cancer",
        "publisher": "Scribner",
        "place": "New York",
        "year": "2010",
        "isbn": "9781439107959",
    }


def test_a_journals_web_page_fills_the_reference_from_its_citation_meta_tags(lookup, services):
    found = lookup(f"{services}/pages/article-page.html").json()
    assert found["kind"] == "journal"
    fields = found["fields"]
    assert fields["title"] == "Dexamethasone in Hospitalized Patients with Covid-19"
    assert fields["authors"] == "Horby P, Lim WS, Emberson JR"
    assert fields["journal"] == "New England Journal of Medicine"
    assert (fields["year"], fields["pages"], fields["doi"]) == ("2021", "693-704", RECOVERY)
    assert fields["url"] == f"{services}/pages/article-page.html"


def test_a_web_page_with_json_ld_fills_a_web_reference(lookup, services):
    found = lookup(f"{services}/pages/json-ld-page.html").json()
    assert found["kind"] == "web"
    assert found["fields"]["title"] == "Living with high blood pressure"
    assert found["fields"]["website"] == "Example Health Service"
    assert found["fields"]["year"] == "2024"
    assert found["fields"]["accessed"]


def test_a_doi_already_cited_in_the_text_is_offered_for_reuse(lookup):
    text = (
        "Dexamethasone lowered mortality.[^horby]\n\n"
        f"[^horby]: cite journal | title: Dexamethasone | journal: N Engl J Med | doi: {RECOVERY}\n"
    )
    assert lookup(RECOVERY, text).json()["reuse"] == "horby"
    assert lookup("19621072", text).json()["reuse"] == ""


def test_a_pmid_already_cited_is_offered_for_reuse(lookup):
    text = "[^prisma]: cite journal | title: PRISMA | journal: PLoS Med | pmid: 19621072\n"
    assert lookup("PMC2707599", text).json()["reuse"] == "prisma"


def test_an_identifier_the_service_does_not_know_says_so(lookup):
    answer = lookup("10.9999/no-such-work")
    assert answer.status_code == 404
    assert answer.json()["error"] == "Crossref does not know that identifier."
    assert lookup("999999999").json()["error"] == "PubMed does not know that identifier."
    assert lookup("9780199206414").status_code == 404


def test_an_unreachable_service_asks_for_the_fields_by_hand(lookup, settings):
    settings.CITATION_CROSSREF_URL = closed_port_url()
    answer = lookup(RECOVERY)
    assert answer.status_code == 502
    assert answer.json()["error"] == (
        "Crossref could not be reached just now; type the reference's fields by hand."
    )


def test_a_service_slower_than_the_timeout_counts_as_unreachable(lookup, settings, services):
    settings.CITATION_EUTILS_URL = f"{services}/slow/eutils"
    settings.CITATION_TIMEOUT_SECONDS = 0.3
    answer = lookup("19621072")
    assert answer.status_code == 502
    assert "PubMed could not be reached" in answer.json()["error"]


def test_a_failed_look_up_is_not_cached(lookup, settings, services):
    settings.CITATION_CROSSREF_URL = closed_port_url()
    lookup(RECOVERY)
    settings.CITATION_CROSSREF_URL = f"{services}/crossref"
    assert lookup(RECOVERY).status_code == 200


@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.1:9/admin",
        "http://localhost/",
        "http://10.0.0.8/internal",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
    ],
)
def test_a_web_address_on_a_private_network_is_refused(lookup, settings, address):
    settings.CITATION_ALLOW_PRIVATE_URLS = False
    answer = lookup(address)
    assert answer.status_code == 400
    assert "private network" in answer.json()["error"]
    assert CitationServices.requests == []


def test_only_http_addresses_are_looked_up(lookup):
    assert lookup("file:///etc/passwd").status_code == 400
    assert lookup("ftp://example.org/paper").status_code == 400


def test_something_that_is_no_identifier_is_refused_with_what_we_take(lookup):
    answer = lookup("Smith 2020 migraine")
    assert answer.status_code == 400
    assert "DOI, PMID, PMCID, ISBN or web address" in answer.json()["error"]


def test_a_signed_out_visitor_cannot_look_up_references(client, services, settings):
    point_settings_at(settings, services)
    answer = client.post(reverse("wiki:cite_lookup"), {"identifier": RECOVERY})
    assert answer.status_code == 403
    assert "editor" in answer.json()["error"]


def test_a_reader_who_is_not_an_editor_cannot_look_up_references(client, reader, services):
    client.force_login(reader)
    assert client.post(reverse("wiki:cite_lookup"), {"identifier": RECOVERY}).status_code == 403


def test_the_look_up_takes_no_get(editor_client):
    assert (
        editor_client.get(reverse("wiki:cite_lookup"), {"identifier": RECOVERY}).status_code == 405
    )


def test_a_doi_cited_in_another_section_of_the_article_is_offered_too(lookup, make_article):
    make_article(
        title="Covid-19 treatment",
        source=(
            "## Steroids\n\nDexamethasone helps.[^recovery]\n\n## Antivirals\n\nSee trials.\n\n"
            f"[^recovery]: cite journal | title: Dexamethasone | journal: NEJM | doi: {RECOVERY}\n"
        ),
    )
    section = "## Antivirals\n\nSee trials.\n"
    answer = lookup(RECOVERY, section, article="Covid-19 treatment")
    assert answer.json()["reuse"] == "recovery"
    assert lookup(RECOVERY, section, article="Another article").json()["reuse"] == ""


def test_a_web_page_larger_than_the_cap_is_not_read(lookup, settings, services):
    settings.CITATION_MAX_PAGE_BYTES = 200
    answer = lookup(f"{services}/pages/article-page.html")
    assert answer.status_code == 502
    assert "more than we read" in answer.json()["error"]


def test_a_web_address_with_a_port_out_of_range_is_refused(lookup):
    assert lookup("http://example.org:99999/paper").status_code == 400


@pytest.mark.parametrize(
    "pasted, understood",
    [
        ("doi:10.1056/NEJMoa2021436", ("doi", RECOVERY)),
        (" https://dx.doi.org/10.1056/NEJMoa2021436 ", ("doi", RECOVERY)),
        ("PMID: 32678530", ("pmid", "32678530")),
        ("pmc7383595", ("pmcid", "PMC7383595")),
        ("ISBN-10: 0-19-920641-4", ("isbn", "0199206414")),
        ("978-1-4391-0795-9", ("isbn", "9781439107959")),
        (
            "https://www.nejm.org/doi/full/10.1056/NEJMoa2021436?x=1",
            ("url", "https://www.nejm.org/doi/full/10.1056/NEJMoa2021436?x=1"),
        ),
    ],
)
def test_what_an_editor_pastes_is_understood_as_the_identifier_it_is(pasted, understood):
    assert identifier_kind(pasted) == understood
