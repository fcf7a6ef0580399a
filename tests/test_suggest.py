"""Title suggestions for the search box (OpenSearch JSON), the OpenSearch description, and the
search box itself in a real browser."""

from pathlib import Path

import pytest


@pytest.fixture
def titles(make_article):
    for title in [
        "Dystonia",
        "Paroxysmal dystonia",
        "Dysentery",
        "Cervical dystonia",
        "Asthma",
        "Dyslexia",
    ]:
        make_article(title, f"{title} is described here in a few words.\n")


def test_suggestions_answer_opensearch_json_with_title_prefixes_first(client, titles):
    response = client.get("/search/suggest", {"q": "dys"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-suggestions+json"
    query, suggestions = response.json()
    assert query == "dys"
    assert suggestions == [
        "Dysentery",
        "Dyslexia",
        "Dystonia",
        "Cervical dystonia",
        "Paroxysmal dystonia",
    ]


def test_suggestions_ignore_the_case_of_what_was_typed(client, titles):
    assert client.get("/search/suggest", {"q": "ASTH"}).json() == ["ASTH", ["Asthma"]]


def test_a_typo_still_suggests_the_title(client, titles):
    suggestions = client.get("/search/suggest", {"q": "dystona"}).json()[1]
    assert suggestions[0] == "Dystonia"


def test_nothing_typed_suggests_nothing(client, titles):
    assert client.get("/search/suggest").json() == ["", []]
    assert client.get("/search/suggest", {"q": "zzzzqqq"}).json() == ["zzzzqqq", []]


def test_suggestions_are_limited_to_ten(client, make_article):
    for number in range(14):
        make_article(f"Vitamin B{number}", "A vitamin.\n")
    assert len(client.get("/search/suggest", {"q": "vitamin"}).json()[1]) == 10


def test_the_site_describes_itself_for_browsers_search_engines(client, db):
    home = client.get("/").content.decode()
    assert (
        'rel="search" type="application/opensearchdescription+xml" href="/opensearch.xml"' in home
    )
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    body = response.content.decode()
    assert 'template="http://testserver/search?q={searchTerms}"' in body
    assert 'type="application/x-suggestions+json"' in body
    assert 'template="http://testserver/search/suggest?q={searchTerms}"' in body


# A reader's journey in a real browser.


@pytest.mark.browser
def test_typing_in_the_search_box_suggests_titles_to_pick_with_the_keyboard(
    transactional_db, live_server, page, titles
):
    screenshots = Path("test-results")
    screenshots.mkdir(exist_ok=True)
    page.goto(live_server.url + "/wiki/Asthma")
    box = page.locator("#search-q")
    box.press_sequentially("dys", delay=40)
    options = page.get_by_role("option")
    options.first.wait_for()
    assert options.all_text_contents()[:3] == ["Dysentery", "Dyslexia", "Dystonia"]
    assert box.get_attribute("aria-expanded") == "true"

    box.press("ArrowDown")
    box.press("ArrowDown")
    box.press("ArrowDown")
    third = options.nth(2)
    assert third.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == third.get_attribute("id")
    page.screenshot(path=str(screenshots / "suggest-keyboard.png"))

    box.press("Escape")
    assert page.get_by_role("listbox").is_hidden()
    box.press("ArrowDown")  # opens the list again
    options.first.wait_for()
    box.press("ArrowUp")  # wraps to the last suggestion
    box.press("ArrowUp")
    box.press("Enter")
    page.wait_for_url("**/wiki/Cervical_dystonia")
    assert page.locator("h1").inner_text() == "Cervical dystonia"


@pytest.mark.browser
def test_searching_from_the_box_shows_highlighted_results(
    transactional_db, live_server, page, titles
):
    page.goto(live_server.url + "/")
    page.locator("#search-q").fill("described")
    page.locator("#search-q").press("Enter")
    page.wait_for_url("**/search?q=described")
    assert page.locator(".search-result").count() == 6
    assert page.locator(".search-result__snippet mark").first.inner_text() == "described"
    page.screenshot(path="test-results/search-results.png", full_page=True)
