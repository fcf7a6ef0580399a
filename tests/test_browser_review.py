"""In a real browser: an editor cites a source with the editor's helper, a reviewer reviews
the page from its diff, and a reader sees the badge, the infobox and the references, on a
desktop and on a phone. Screenshots land in test-results/."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import expect

from wiki.models import Article, Contributor
from wiki.permissions import REVIEWERS_GROUP, ensure_groups
from wiki.review.models import Review

from .conftest import editors_group
from .helpers import session_for

SHOTS = Path(__file__).resolve().parent.parent / "test-results"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 740}}


def signed_in(browser, live_server, user, viewport):
    context = browser.new_context(viewport=viewport)
    context.add_cookies([{"name": "sessionid", "value": session_for(user), "url": live_server.url}])
    return context


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_editor_cites_a_reviewer_reviews_and_a_reader_sees_it(browser, live_server):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    ensure_groups()
    editor = User.objects.create_user("maya", password="a-long-test-password")
    editor.groups.add(editors_group())
    reviewer = User.objects.create_user("jane", password="a-long-test-password")
    reviewer.groups.add(editors_group(), Group.objects.get(name=REVIEWERS_GROUP))
    Contributor.objects.create(user=reviewer, name="Jane Roe", credentials="MD")
    SHOTS.mkdir(exist_ok=True)

    # The editor adds a citation with the helper: the mark at the cursor, the entry at the end.
    context = signed_in(browser, live_server, editor, VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(f"{live_server.url}/wiki/Migraine/edit?section=1")
    text = page.locator("textarea.markdownx-editor")
    text.evaluate(
        "(t) => { t.focus(); t.setSelectionRange(t.value.indexOf('.') + 1, t.value.indexOf('.') + 1); }"
    )
    page.locator("summary", has_text="Cite a source").click()  # the helper below the editor
    page.get_by_label("Authors").fill("Rivera A, Chen L")
    page.get_by_label("Title", exact=True).fill("Light sensitivity in migraine")
    page.get_by_role("button", name="Insert citation").click()
    expect(page.get_by_role("alert")).to_contain_text("needs: journal")
    page.get_by_role("textbox", name="Journal").fill("Head Studies")
    page.get_by_label("Year").fill("2019")
    page.get_by_label("DOI", exact=True).fill("10.1234/hs.2019.7")
    page.get_by_role("button", name="Insert citation").click()
    value = text.input_value()
    assert "[^Rivera2019]" in value.split("\n")[2]  # where the cursor was, in the first line
    assert value.rstrip().endswith(
        "[^Rivera2019]: cite journal | authors: Rivera A, Chen L | "
        "title: Light sensitivity in migraine | journal: Head Studies | year: 2019 | "
        "doi: 10.1234/hs.2019.7"
    )
    preview = page.locator(".markdownx-preview")
    expect(preview).to_contain_text(
        "Rivera A, Chen L. Light sensitivity in migraine. Head Studies. 2019."
    )
    page.screenshot(path=SHOTS / "cite-helper.png", full_page=True)
    page.get_by_label("Summary").fill("A source for the symptoms")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("Your edit was saved.")
    context.close()
    article = Article.objects.get(title="Migraine")

    # The reviewer opens the change from the history and marks it reviewed, with a note.
    context = signed_in(browser, live_server, reviewer, VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(f"{live_server.url}/wiki/Migraine/history")
    expect(page.locator(".user-links .review-queue-link")).to_contain_text("Review queue")
    page.get_by_role("link", name="review", exact=True).first.click()
    page.get_by_label("Review note (optional)").fill("Checked against the cited sources")
    page.get_by_role(
        "button", name=f"Mark revision {article.latest_revision_id} medically reviewed"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("is marked medically reviewed")
    page.screenshot(path=SHOTS / "review-marked.png", full_page=True)
    context.close()
    review = Review.objects.get()
    assert review.revision_id == article.latest_revision_id and review.reviewer_name == "Jane Roe"

    # A reader, on a desktop and on a phone: the badge under the title, the box, the sources.
    for name, viewport in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(f"{live_server.url}/wiki/Migraine")
        badge = page.locator(".review-badge")
        expect(badge).to_contain_text("Medically reviewed by Jane Roe, MD on")
        expect(badge.get_by_role("link", name="How we review")).to_have_attribute(
            "href", "/how-we-review"
        )
        box = page.locator("table.infobox")
        expect(box).to_contain_text("ICD-10")
        title_box = page.locator("h1").bounding_box()
        infobox = box.bounding_box()
        lead = page.locator(".lead p").first.bounding_box()
        if name == "desktop":  # beside the text, on the right
            assert infobox["x"] > lead["x"] + lead["width"] / 2
        else:  # the width of the page, after the lead's first paragraph
            assert infobox["y"] > title_box["y"] and infobox["y"] > lead["y"]
            assert infobox["width"] > viewport["width"] * 0.8
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        references = page.locator("section[aria-labelledby=References]")
        if name == "phone":  # sections are folded under their headings on a phone
            page.get_by_role("button", name="References").click()
        expect(references.locator("li")).to_have_count(2)
        expect(references).to_contain_text("Cephalalgia")
        expect(references.get_by_role("link", name="10.1234/hs.2019.7")).to_have_attribute(
            "href", "https://doi.org/10.1234/hs.2019.7"
        )
        page.screenshot(path=SHOTS / f"reviewed-article-{name}.png", full_page=True)
        context.close()
