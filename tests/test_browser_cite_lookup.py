"""An editor cites a paper from its DOI in a real browser: the cite dialog is filled by our
server's look-up (replayed by a local server, tests/citation_services.py), shows PubMed's
publication type and the hint on a primary study, inserts the reference, offers to reuse it
when the same DOI is pasted again, and the article is saved with it."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.citation_services import point_settings_at, start_citation_services
from tests.helpers import AXE_SOURCE, RUN_AXE, session_for
from wiki.models import Article

DOI = "10.1056/NEJMoa2021436"


@pytest.fixture
def services(settings):
    server, base = start_citation_services()
    point_settings_at(settings, base)
    yield base
    server.shutdown()
    server.server_close()


def paste(page, field, value: str) -> None:
    """Puts `value` on the clipboard and pastes it into `field` with the keyboard."""
    page.evaluate("(value) => navigator.clipboard.writeText(value)", value)
    field.click()
    field.press("ControlOrMeta+V")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_an_editor_cites_a_paper_from_its_doi_and_saves(
    live_server, page, make_article, editor, services, output_path, width
):
    make_article()
    page.set_viewport_size({"width": width, "height": 900})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.context.add_cookies(
        [{"name": "sessionid", "value": session_for(editor), "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/wiki/Sample_condition/edit?section=3")
    text = page.locator("textarea.markdownx-editor")
    text.click()
    text.press("ControlOrMeta+End")
    text.press_sequentially("Dexamethasone lowered mortality.")

    page.locator(".cite-helper summary").click()
    paste(page, page.get_by_label("Paste a DOI, PMID, PMCID, ISBN or web address"), DOI)
    dialog = page.locator(".cite-helper")
    expect(dialog.get_by_role("textbox", name="Title", exact=True)).to_have_value(
        "Dexamethasone in Hospitalized Patients with Covid-19"
    )
    expect(dialog.get_by_role("textbox", name="Journal", exact=True)).to_have_value("N Engl J Med")
    expect(dialog.get_by_role("textbox", name="PMID", exact=True)).to_have_value("32678530")
    expect(dialog.locator("[data-cite-facts]")).to_contain_text("Randomized Controlled Trial")
    expect(dialog.locator("[data-cite-facts]")).to_contain_text("published 2021")
    expect(dialog.locator(".cite-flags")).to_contain_text("A primary study")
    dialog.scroll_into_view_if_needed()
    page.screenshot(path=Path(output_path) / f"cite-filled-{width}.png", full_page=True)

    dialog.get_by_role("button", name="Insert citation").click()
    expect(text).to_have_value(
        "## Treatment\n\nRest helps.\nDexamethasone lowered mortality.[^Horby2021]\n\n"
        "[^Horby2021]: cite journal | authors: Horby P, Lim WS, Emberson JR, Mafham M | "
        "title: Dexamethasone in Hospitalized Patients with Covid-19 | journal: N Engl J Med | "
        f"year: 2021 | volume: 384 | issue: 8 | pages: 693-704 | doi: {DOI} | pmid: 32678530 | "
        "pmcid: PMC7383595\n"
    )

    # The same DOI pasted again offers the reference already there instead of a duplicate.
    text.press("End")
    paste(page, page.get_by_label("Paste a DOI, PMID, PMCID, ISBN or web address"), DOI)
    expect(dialog.locator("[data-cite-reuse-name]")).to_have_text("[^Horby2021]")
    page.screenshot(path=Path(output_path) / f"cite-reuse-{width}.png", full_page=True)
    # The open dialog, its hints and the offer, as axe checks every page.
    page.evaluate(AXE_SOURCE)
    assert page.evaluate(RUN_AXE) == []
    dialog.get_by_role("button", name="Cite that reference again").click()
    assert text.input_value().count("[^Horby2021]") == 3  # two marks and the definition

    page.get_by_label("Summary").fill("Dexamethasone, cited from its DOI")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("Your edit was saved.")
    expect(page.locator(".footnote, .footnotes").first).to_contain_text("N Engl J Med")
    source = Article.objects.get(title="Sample condition").source
    assert f"doi: {DOI}" in source
    assert source.count("[^Horby2021]:") == 1
