"""The lists paged by key walked in a real browser as a person does, typing and clicking, at
1280 and 375 px: an article's information page → its translation log (an editor links a
translation there first, typing its title); a contributor's page → "Credited on" → the whole
list → its next page; /redirects → "More" double redirects (that list alone, after the ones
shown) → their next page; the broken redirects' pages, full though pages that only mention
"#REDIRECT" lie between them, forwards and back; recent changes, and an editor's watchlist of pages watched with
the star, filtered by a category typed and picked from the suggestions. Pages are
made small (as tests/test_pagination_keyset.py does) so a few saves fill several. Every page
passes axe and has no horizontal scroll; screenshots go to test-results/ and /tmp/leftovers-*."""

from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from playwright.sync_api import expect

import wiki.editorial.views
import wiki.history.views
from tests.helpers import AXE_SOURCE, RUN_AXE, Reader, session_for
from wiki.models import Article
from wiki.services import ArticleEdit, article_save

WIDTHS = {"1280": {"width": 1280, "height": 800}, "375": {"width": 375, "height": 740}}
TMP_SHOTS = Path("/tmp")


class Walker(Reader):
    """A Reader whose screenshots also go to /tmp/leftovers-<journey>-<width>-<step>.png."""

    def shot(self, step: str):
        super().shot(step)
        self.page.screenshot(path=TMP_SHOTS / f"leftovers-{self.name}-{step}.png", full_page=True)


def accessible(walker: Walker, step: str):
    walker.page.evaluate(AXE_SOURCE)
    found = walker.page.evaluate(RUN_AXE)
    violations = [f"{v['id']}: {v['help']} {v['nodes']}" for v in found]
    assert violations == [], f"{step}: {violations}"
    walker.check_page(step)  # one H1, the landmarks, no horizontal scroll; a screenshot


def save(title: str, text: str, user, language: str = "en", categories=None) -> Article:
    return article_save(
        article=Article(title=title, language=language),
        edit=ArticleEdit(text=text, base_revision=None, user=user, categories=categories),
    ).article


@contextmanager
def walking(browser, live_server, width: str, name: str, user=None):
    """A page at `width` (signed in as `user`, if one) and its Walker, for one journey; the
    journey fails at the end if the walker saw a console error or a failed request."""
    context = browser.new_context(viewport=WIDTHS[width])
    if user is not None:
        context.add_cookies(
            [{"name": "sessionid", "value": session_for(user), "url": live_server.url}]
        )
    try:
        page = context.new_page()
        walker = Walker(page, live_server.url, f"{name}-{width}")
        yield page, walker
        assert walker.errors == []
    finally:
        context.close()


def search_for(page, width: str, title: str) -> None:
    """Type a title in the header's search box and press Enter: the article opens."""
    if width == "375":
        page.locator(".search-toggle").click()  # the header's search icon
    page.locator("#search-q").click()
    page.keyboard.type(title)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/wiki/{title.replace(' ', '_')}")


def click_and_wait(page, link, url_glob: str) -> None:
    """Click `link` and wait for the page it opens (which may match the same pattern)."""
    with page.expect_navigation(url=url_glob):
        link.click()


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_from_an_articles_information_to_its_translation_log(
    browser, live_server, transactional_db, editor, width
):
    save("Headache", "Pain in the head.\n", editor)
    save("Cefalea", "Dolor de cabeza.\n", editor, language="es")
    save("Migraine", "A headache that returns.\n", editor)  # another page, not in the log
    with walking(browser, live_server, width, "translation-log", user=editor) as (page, walker):
        page.goto(live_server.url + "/")
        search_for(page, width, "Headache")
        page.locator(".page-tools summary").click()  # the Tools menu
        click_and_wait(page, page.locator(".page-tools a", has_text="Page information"), "**/info")
        accessible(walker, "1-info")

        # The editor links the Spanish article, typing its title; the controls are big enough
        # to tap (WCAG 2.5.8: 24 px; the browser's defaults were 19 px).
        language = page.get_by_label("Language", exact=True)
        title = page.get_by_label("Title in that language")
        button = page.get_by_role("button", name="Link", exact=True)
        for control in (language, title, button):
            assert control.bounding_box()["height"] >= 24, control
        language.select_option("es")
        title.click()
        page.keyboard.type("Cefalea")
        button.click()
        page.wait_for_url("**/wiki/Headache/info#translations")
        expect(page.locator(".translations-list a[lang=es]")).to_have_text("Cefalea")
        accessible(walker, "2-linked")

        click_and_wait(
            page, page.get_by_role("link", name="Translation log of this page"), "**/log?**"
        )
        assert page.locator("#id_type").input_value() == "translate"
        assert page.locator("#id_target").input_value() == "Headache"
        entries = page.locator("main li")
        expect(entries.filter(has_text="Cefalea")).to_have_count(1)
        assert "Migraine" not in page.locator("main").inner_text()
        accessible(walker, "3-log")


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_from_a_contributor_to_the_next_page_of_their_credits(
    browser, live_server, transactional_db, editor, width, monkeypatch
):
    monkeypatch.setattr(wiki.history.views, "CREDITS_SHOWN", 2)
    monkeypatch.setattr(wiki.history.views, "CREDITS_PAGE_SIZE", 3)
    titles = [f"Tremor type {n}" for n in range(5)]
    for title in titles:
        save(title, f"{title} is a shaking.\n", editor)
    newest_first = titles[::-1]
    with walking(browser, live_server, width, "credits") as (page, walker):
        page.goto(live_server.url + "/")
        search_for(page, width, titles[0])
        credits = page.locator(".credits a", has_text="Edna Marsh")
        click_and_wait(page, credits, "**/contributor/**")
        heading = page.get_by_role("heading", name="Credited on")
        expect(heading).to_be_visible()
        shown = page.locator("h2:has-text('Credited on') + ul li a")
        expect(shown).to_have_text(newest_first[:2])
        accessible(walker, "1-contributor")

        click_and_wait(
            page, page.get_by_role("link", name="More articles credited →"), "**/credits"
        )
        listed = page.locator("main ul.columns li a")
        expect(listed).to_have_text(newest_first[:3])
        accessible(walker, "2-credits")

        click_and_wait(page, page.get_by_role("link", name="Next →"), "**/credits?from=*")
        expect(listed).to_have_text(newest_first[3:])
        expect(page.get_by_role("link", name="Next →")).to_have_count(0)
        expect(page.get_by_role("link", name="← Previous")).to_be_visible()
        accessible(walker, "3-next")


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_from_the_redirects_to_fix_to_the_next_page_of_double_redirects(
    browser, live_server, transactional_db, editor, width, monkeypatch
):
    monkeypatch.setattr(wiki.editorial.views, "REDIRECTS_PAGE_SIZE", 2)
    save("Essential tremor", "A shaking of the hands.\n", editor)
    save("Hand tremor", "#REDIRECT [[Essential tremor]]\n", editor)
    doubles = [f"Shaky hands {n}" for n in range(5)]
    for title in doubles:
        save(title, "#REDIRECT [[Hand tremor]]\n", editor)
    assert Article.objects.filter(title__in=doubles, redirect_to__title="Hand tremor").count() == 5
    with walking(browser, live_server, width, "redirects", user=editor) as (page, walker):
        page.goto(live_server.url + "/redirects")
        rows = page.locator(".redirect-list").first.locator("li")
        expect(rows).to_have_count(2)
        expect(rows.first).to_contain_text("Shaky hands 0 → Hand tremor → Essential tremor")
        accessible(walker, "1-both")

        # "More" goes on after the two shown, in the double redirects' list alone.
        more = page.get_by_role("link", name="More double redirects →")
        click_and_wait(page, more, "**/redirects?show=double&from=*")
        expect(page.get_by_role("heading", name="Broken redirects")).to_have_count(0)
        expect(rows.locator("> a:first-child")).to_have_text(doubles[2:4])
        accessible(walker, "2-double")

        next_link = page.get_by_role("link", name="Next →")
        click_and_wait(page, next_link, "**/redirects?show=double&from=*")
        expect(rows.locator("> a:first-child")).to_have_text(doubles[4:])
        expect(next_link).to_have_count(0)
        accessible(walker, "3-next")
        click_and_wait(page, page.get_by_role("link", name="« First"), "**/redirects?show=double")
        expect(rows.locator("> a:first-child")).to_have_text(doubles[:2])

        page.get_by_role("link", name="Both lists").click()
        page.wait_for_url(lambda url: url.endswith("/redirects"))
        expect(page.get_by_role("heading", name="Broken redirects")).to_be_visible()


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_the_broken_redirects_page_on_full_past_pages_that_only_mention_a_redirect(
    browser, live_server, transactional_db, editor, width, monkeypatch
):
    """Pages whose text mentions "#REDIRECT" below their first line lie between the broken
    redirects in title order (the list's index cannot tell them apart): every page still
    shows its two broken redirects, forwards and back."""
    monkeypatch.setattr(wiki.editorial.views, "REDIRECTS_PAGE_SIZE", 2)
    broken = [f"Old tremor page {n}" for n in range(5)]
    for title in broken:
        save(title, "#REDIRECT [[Tremor that was deleted]]\n", editor)
        for letter in "abc":
            save(
                f"{title} {letter}",
                "Notes.\n\nWrite #REDIRECT [[Title]] to send readers on.\n",
                editor,
            )
    with walking(browser, live_server, width, "broken-redirects", user=editor) as (page, walker):
        page.goto(live_server.url + "/redirects")
        rows = page.locator(".redirect-list").last.locator("li")
        expect(rows.locator("> a:first-child")).to_have_text(broken[:2])
        more = page.get_by_role("link", name="More broken redirects →")
        click_and_wait(page, more, "**/redirects?show=broken&from=*")
        expect(rows.locator("> a:first-child")).to_have_text(broken[2:4])
        accessible(walker, "1-more")
        click_and_wait(
            page, page.get_by_role("link", name="Next →"), "**/redirects?show=broken&from=*"
        )
        expect(rows.locator("> a:first-child")).to_have_text(broken[4:])
        expect(page.get_by_role("link", name="Next →")).to_have_count(0)
        click_and_wait(
            page, page.get_by_role("link", name="← Previous"), "**/redirects?show=broken&from=*"
        )
        expect(rows.locator("> a:first-child")).to_have_text(broken[2:4])
        accessible(walker, "2-back")


def lung_articles(author) -> None:
    save("Asthma", "Airways narrow.\n", author, categories=["Lung diseases"])
    save("Lung cancer", "A tumour of the lung.\n", author, categories=["Lung tumours"])
    save("Eczema", "Skin itches.\n", author, categories=["Skin diseases"])


def pick_lung_diseases(page, walker) -> None:
    """Type "lung" in the Category box, see the two categories suggested, and pick the first
    with the keyboard: it fills the box, nothing is sent."""
    box = page.get_by_label("Category")
    box.click()
    page.keyboard.type("lung")
    suggestions = page.get_by_role("listbox", name="Suggested categories").get_by_role("option")
    expect(suggestions).to_have_text(["Lung diseases", "Lung tumours"])
    accessible(walker, "1-suggested")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(box).to_have_value("Lung diseases")
    expect(suggestions).to_have_count(0)


def filter_by_lung_diseases_then_bone(page, walker, rows, url_glob: str) -> None:
    """Pick "Lung diseases" and filter: only Asthma is left (Lung cancer is in "Lung
    tumours"), the box keeps the name; then type a category no article has and filter."""
    pick_lung_diseases(page, walker)
    click_and_wait(page, page.get_by_role("button", name="Filter"), url_glob)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Asthma")
    expect(page.get_by_label("Category")).to_have_value("Lung diseases")
    accessible(walker, "2-filtered")
    page.get_by_label("Category").fill("Bone diseases")
    click_and_wait(page, page.get_by_role("button", name="Filter"), url_glob)


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_recent_changes_filtered_by_a_category_picked_from_suggestions(
    browser, live_server, transactional_db, editor, width
):
    lung_articles(editor)
    with walking(browser, live_server, width, "category-filter") as (page, walker):
        page.goto(live_server.url + "/recent-changes")
        pick_lung_diseases(page, walker)
        click_and_wait(page, page.get_by_role("button", name="Filter"), "**/recent-changes?*")
        rows = page.locator(".recent-changes .history-row")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("Asthma")
        expect(page.get_by_label("Category")).to_have_value("Lung diseases")
        accessible(walker, "2-filtered")


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_a_watchlist_filtered_by_a_category_picked_from_suggestions(
    browser, live_server, transactional_db, editor, other_editor, width
):
    lung_articles(other_editor)
    with walking(browser, live_server, width, "watchlist-category", user=editor) as (page, walker):
        for title in ("Asthma", "Eczema"):  # the star over each article: watched
            page.goto(live_server.url + f"/wiki/{title}")
            click_and_wait(page, page.locator(".watch-star[aria-pressed=false]"), "**/wiki/*")
            expect(page.locator(".watch-star[aria-pressed=true]")).to_be_visible()
        page.goto(live_server.url + "/watchlist")
        rows = page.locator(".recent-changes .history-row")
        expect(rows).to_have_count(2)
        filter_by_lung_diseases_then_bone(page, walker, rows, "**/watchlist?*")
        expect(page.get_by_text("No category is named “Bone diseases”.")).to_be_visible()
        accessible(walker, "3-unknown-category")


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_a_hyphenated_word_typed_in_the_search_box_finds_and_marks_its_article(
    browser, live_server, transactional_db, editor, width
):
    """A reader types a hyphenated word and another in the header's box: the article writing
    it so comes first (on PostgreSQL alone: not the one writing the words apart), its snippet
    marks the words, and its title opens it."""
    save("Drug-induced anemia", "Anemia after a drug-induced loss of red cells.\n", editor)
    save("Anemia of a drug", "A drug induced it, and a loss of iron followed.\n", editor)
    save("Exercise-induced anemia", "Runners may lose red cells.\n", editor)
    with walking(browser, live_server, width, "hyphenated-search") as (page, walker):
        page.goto(live_server.url + "/")
        if width == "375":
            page.locator(".search-toggle").click()
        page.locator("#search-q").click()
        page.keyboard.type("drug-induced loss")
        page.keyboard.press("Enter")
        page.wait_for_url("**/search?*")
        results = page.locator(".search-result")
        if connection.vendor == "postgresql":  # the word as written, with its hyphen
            expect(results).to_have_count(1)
        else:  # SQLite's index holds the words apart: the title holding them ranks first
            expect(results).to_have_count(2)
        expect(results.first.locator(".search-result__title")).to_have_text("Drug-induced anemia")
        expect(results.first.locator("mark").first).to_be_visible()
        accessible(walker, "1-results")
        click_and_wait(
            page,
            results.first.get_by_role("link", name="Drug-induced anemia"),
            "**/wiki/Drug-induced_anemia",
        )
        expect(page.get_by_role("heading", level=1)).to_have_text("Drug-induced anemia")


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_a_reviewer_filters_the_review_queue_by_a_category_picked_from_suggestions(
    browser, live_server, transactional_db, editor, reviewer, width
):
    """The queue's category is typed, with suggestions, as the lists' filters are: a wiki of
    thousands of categories put every one in a <select> on every page of the queue."""
    lung_articles(editor)
    with walking(browser, live_server, width, "review-queue-category", user=reviewer) as (
        page,
        walker,
    ):
        page.goto(live_server.url + "/review-queue?show=never")
        rows = page.locator(".review-queue .history-row")
        expect(rows).to_have_count(3)
        filter_by_lung_diseases_then_bone(page, walker, rows, "**/review-queue?*")
        expect(page.get_by_text("There is no category “Bone diseases”")).to_be_visible()
        expect(rows).to_have_count(3)
