"""Retracted and corrected sources: the scheduled check asks Crossref and PubMed (replayed by a
local server) about every cited DOI and PMID, readers see the affected references marked,
editors a queue and a count in the review state."""

import logging
from io import StringIO

import lxml.html
import pytest
from django.core.management import call_command
from django.urls import reverse
from django_q.models import Schedule

from tests.conftest import save
from tests.retraction_services import (
    CITING_SOURCE,
    RetractionServices,
    point_check_at,
    start_retraction_services,
)
from wiki.retractions.models import CitationIndex, CitedWork, SourceCheck, SourceNotice
from wiki.retractions.services import catch_up_index
from wiki.tasks import job_enqueue

JOB = "wiki.retractions.jobs.check_sources_job"


@pytest.fixture(scope="module")
def services():
    server, base = start_retraction_services()
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture
def checking(services, settings):
    point_check_at(settings, services)
    RetractionServices.requests.clear()
    return services


@pytest.fixture
def citing(make_article, editor):
    return make_article("Vaccines and autism", source=CITING_SOURCE, user=editor)


def run_check():
    """The scheduled job, as the queue's worker runs it (inline in tests)."""
    job_enqueue(JOB, inline=True)


def reference(html: str, name: str):
    """The item of the list of references for the footnote `name`."""
    return lxml.html.fromstring(html).get_element_by_id(f"user-content-fn:{name}")


def marks(item) -> list[tuple[str, str, str]]:
    return [
        (span.get("class"), span.text_content(), span.find("a").get("href"))
        for span in item.find_class("source-notice")
    ]


def test_the_check_is_a_scheduled_job_of_the_task_queue(db):
    schedule = Schedule.objects.get(func=JOB)
    assert schedule.schedule_type == Schedule.MINUTES and schedule.repeats == -1


def test_saving_an_article_records_the_dois_and_pmids_its_references_cite(citing, editor):
    cited = set(CitedWork.objects.filter(article=citing).values_list("reference", "identifier"))
    assert cited == {
        ("wakefield", "10.1016/s0140-6736(97)11096-0"),
        ("wakefield", "9500320"),
        ("registry", "32450107"),
        ("athletes", "10.5555/cardio.2019.0042"),
        ("shift", "10.5555/sleep.2018.0113"),
        ("recovery", "10.1056/nejmoa2021436"),
        ("prisma", "19621072"),
    }
    save(citing, editor, CITING_SOURCE.replace("| pmid: 9500320", ""))
    assert not CitedWork.objects.filter(identifier="9500320").exists()
    assert catch_up_index() == 0  # the save kept the index current: the check has nothing to do


def test_the_check_records_what_articles_saved_before_it_existed_cite(checking, citing):
    CitedWork.objects.all().delete()
    CitationIndex.objects.all().delete()
    run_check()
    assert CitedWork.objects.filter(article=citing).count() == 7
    assert SourceNotice.objects.filter(identifier="32450107").exists()


def test_the_check_marks_retracted_doi_and_pmid_references_for_readers(checking, citing, client):
    before = client.get(citing.get_absolute_url()).content.decode()  # cached for readers
    assert "source-notice" not in before

    run_check()

    page = client.get(citing.get_absolute_url()).content.decode()
    assert marks(reference(page, "wakefield")) == [
        (
            "source-notice source-notice--retraction",
            "Retracted in 2010",
            "https://doi.org/10.1016/s0140-6736(10)60175-4",
        )
    ]
    # Known by its PMID alone: PubMed's retraction notice, though a concern came first.
    assert marks(reference(page, "registry")) == [
        (
            "source-notice source-notice--retraction",
            "Retracted in 2020",
            "https://pubmed.ncbi.nlm.nih.gov/32511943/",
        )
    ]
    assert marks(reference(page, "athletes")) == [
        (
            "source-notice source-notice--correction",
            "Corrected in 2021",
            "https://doi.org/10.5555/cardio.2021.0007",
        )
    ]
    assert marks(reference(page, "shift")) == [
        (
            "source-notice source-notice--concern",
            "Expression of concern, 2022",
            "https://doi.org/10.5555/sleep.2022.0001",
        )
    ]
    assert marks(reference(page, "recovery")) == marks(reference(page, "prisma")) == []
    # The mark leads the reference's text.
    assert reference(page, "wakefield").text_content().strip().startswith("Retracted in 2010 ")


def test_the_findings_are_stored_with_their_kind_date_and_notice(checking, citing):
    run_check()
    found = {
        (n.identifier, n.kind, str(n.notice_date), n.notice_doi, n.service)
        for n in SourceNotice.objects.all()
    }
    assert found == {
        ("10.1016/s0140-6736(97)11096-0", "retraction", "2010-02-06", "10.1016/s0140-6736(10)60175-4", "crossref"),
        ("9500320", "retraction", "2010-02-06", "10.1016/s0140-6736(10)60175-4", "pubmed"),
        ("9500320", "retraction", "2004-03-06", "", "pubmed"),
        ("32450107", "retraction", "2020-06-13", "10.1016/s0140-6736(20)31324-6", "pubmed"),
        ("32450107", "concern", "2020-06-13", "10.1016/s0140-6736(20)31290-3", "pubmed"),
        ("10.5555/cardio.2019.0042", "correction", "2021-03-15", "10.5555/cardio.2021.0007", "crossref"),
        ("10.5555/sleep.2018.0113", "concern", "2022-06-01", "10.5555/sleep.2022.0001", "crossref"),
    }  # fmt: skip
    assert SourceCheck.objects.count() == 7  # the clean ones were checked too
    asked = RetractionServices.requests
    # Crossref's polite pool and NCBI are told who asks; PubMed gets the PMIDs in one request.
    assert all("mailto=editors%40example.org" in r for r in asked if r.startswith("/crossref"))
    summaries = [r for r in asked if "esummary" in r]
    assert len(summaries) == 1 and "email=editors%40example.org" in summaries[0]
    assert "filter=updates%3A10.1056%2Fnejmoa2021436" in " ".join(asked)


def test_a_work_is_checked_again_only_after_the_interval(checking, citing, settings):
    run_check()
    RetractionServices.requests.clear()
    run_check()
    assert RetractionServices.requests == []
    settings.CITATION_CHECK_INTERVAL_DAYS = 0
    run_check()
    assert len([r for r in RetractionServices.requests if "/works/" in r]) == 4


def test_an_unreachable_service_leaves_the_findings_and_marks_and_is_logged(
    checking, citing, client, settings, caplog
):
    run_check()
    before = set(SourceNotice.objects.values_list("identifier", "kind", "notice_url", "checked_at"))
    settings.CITATION_CROSSREF_URL = "http://127.0.0.1:9/crossref"  # nothing listens there
    settings.CITATION_EUTILS_URL = "http://127.0.0.1:9/eutils"
    settings.CITATION_TIMEOUT_SECONDS = 2
    settings.CITATION_CHECK_INTERVAL_DAYS = 0  # every work is due again
    with caplog.at_level(logging.WARNING, logger="wiki.retractions.services"):
        run_check()
        said = StringIO()
        call_command("check_cited_sources", "--all", stdout=StringIO(), stderr=said)
    assert {r.getMessage().split(" could")[0] for r in caplog.records} >= {
        "Checking cited sources: Crossref",
        "Checking cited sources: PubMed",
    }
    assert "could not be asked" in caplog.text and "is kept" in caplog.text
    after = set(SourceNotice.objects.values_list("identifier", "kind", "notice_url", "checked_at"))
    assert after == before
    page = client.get(citing.get_absolute_url()).content.decode()
    assert "Retracted in 2010" in page and "Corrected in 2021" in page
    assert said.getvalue() == (
        "Crossref could not be reached: try again later.\n"
        "PubMed could not be reached: try again later.\n"
    )


def test_the_command_checks_now_and_says_what_it_found(checking, citing):
    out = StringIO()
    call_command("check_cited_sources", "--all", stdout=out)
    assert out.getvalue() == (
        "Checked 7 cited works; 5 with new or changed notices; 1 article pages retired.\n"
    )


def test_editors_find_articles_citing_retracted_or_concerned_papers_in_a_queue(
    checking, citing, make_article, editor, client
):
    corrected_only = make_article(
        "Athletes' hearts",
        source="A figure.[^a]\n\n[^a]: cite journal | title: Rates | journal: J | "
        "doi: 10.5555/cardio.2019.0042\n",
        user=editor,
    )
    clean = make_article("Dexamethasone", source=CITING_SOURCE.split("## ")[0], user=editor)
    run_check()
    page = client.get(reverse("wiki:source_notices")).content.decode()
    tree = lxml.html.fromstring(page)
    assert "Retracted or under concern (1)" in page and "Corrected (2)" in page
    rows = tree.find_class("source-notices")[0].findall("li")
    assert [row.find("a").text for row in rows] == ["Vaccines and autism"]
    listed = rows[0].text_content()
    assert "reference [wakefield], DOI 10.1016/s0140-6736(97)11096-0, 6 February 2010" in listed
    assert "reference [registry], PMID 32450107, 13 June 2020" in listed
    assert "Expression of concern" in listed and "reference [shift]" in listed
    assert "athletes" not in listed  # a correction is on the other tab
    corrected = client.get(reverse("wiki:source_notices") + "?show=corrected").content.decode()
    assert corrected_only.title.replace("'", "&#x27;") in corrected
    assert clean.title not in corrected
    assert "reference [athletes], DOI 10.5555/cardio.2019.0042, 15 March 2021" in corrected


def test_the_review_state_says_how_many_cited_papers_each_kind_touches(
    checking, citing, client, editor
):
    def note() -> str:
        page = client.get(citing.get_absolute_url()).content.decode()
        found = lxml.html.fromstring(page).find_class("review-sources")
        return found[0].text_content() if found else ""

    assert note() == ""
    run_check()
    assert note().startswith(
        "Cites 2 retracted papers, 1 paper with an expression of concern, 1 corrected paper, "
        "marked in its references"
    )
    # The editor drops the registry paper: the count follows the text at once.
    text = CITING_SOURCE.replace(" One rests on a registry analysis.[^registry]", "")
    save(citing, editor, "\n".join(x for x in text.split("\n") if "[^registry]:" not in x))
    assert note().startswith("Cites 1 retracted paper, 1 paper with")


def test_a_run_checks_at_most_a_batch_never_checked_works_first(checking, citing, settings):
    settings.CITATION_CHECK_BATCH = 3
    counts = []
    for _ in range(3):
        run_check()
        counts.append(SourceCheck.objects.count())
    assert counts == [3, 6, 7]


def test_a_notice_the_service_no_longer_gives_goes_from_the_page(
    checking, citing, client, settings
):
    run_check()
    assert "Retracted in 2010" in client.get(citing.get_absolute_url()).content.decode()
    point_check_at(settings, checking + "/withdrawn")
    settings.CITATION_CHECK_INTERVAL_DAYS = 0
    run_check()
    assert SourceNotice.objects.count() == 0
    page = client.get(citing.get_absolute_url()).content.decode()
    assert "source-notice" not in page and "review-sources" not in page
