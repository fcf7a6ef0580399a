"""In a real browser, at 1280 and 375 px: an editor follows a red link, picks the Condition
skeleton, sees it in the source editor and in the visual editor, writes a sentence and saves;
the new article shows the skeleton's infobox and sections."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.conftest import editors_group
from tests.helpers import AXE_SOURCE, RUN_AXE, session_for
from wiki.models import Article
from wiki.services import ArticleEdit, article_save
from wiki.transclusion.starters import starters_ship

WIDTHS = {"1280": {"width": 1280, "height": 900}, "375": {"width": 375, "height": 800}}
SHOTS = Path("/tmp/shots-tmpl-api")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_red_link_becomes_an_article_from_the_condition_skeleton(browser, live_server, width):
    SHOTS.mkdir(exist_ok=True)
    starters_ship()
    article_save(
        article=Article(title="Headache disorders"),
        edit=ArticleEdit(
            text="Primary headaches include [[Cluster headache]].\n", base_revision=None
        ),
    )
    editor = User.objects.create_user("ines", password="a-long-test-password")
    editor.groups.add(editors_group())
    context = browser.new_context(viewport=WIDTHS[width])
    context.add_cookies(
        [{"name": "sessionid", "value": session_for(editor), "url": live_server.url}]
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{live_server.url}/wiki/Headache_disorders")
        page.get_by_role("link", name="Cluster headache").click()
        page.wait_for_url("**/wiki/Cluster_headache/edit")
        choice = page.get_by_role("form", name="Start from a skeleton")
        expect(choice.get_by_role("button")).to_have_text(["Condition", "Drug", "Procedure"])
        assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTHS[width]["width"]
        page.screenshot(path=SHOTS / f"starters-{width}-choice.png", full_page=True)

        choice.get_by_role("button", name="Condition").click()
        page.wait_for_url("**/wiki/Cluster_headache/edit?starter=Condition")
        expect(page.get_by_role("button", name="Condition")).to_have_attribute(
            "aria-pressed", "true"
        )
        source = page.locator("textarea.markdownx-editor")
        expect(source).to_have_value(
            re.compile(r"^::: infobox medical condition\nName: Cluster headache\n")
        )
        expect(source).to_have_value(re.compile(r"## Diagnosis\n\n## Treatment"))
        page.evaluate(AXE_SOURCE)
        assert page.evaluate(RUN_AXE) == []
        page.screenshot(path=SHOTS / f"starters-{width}-source.png", full_page=True)

        # The visual editor opens with the same skeleton; a sentence typed into its lead.
        page.get_by_role("button", name="Visual", exact=True).click()
        page.wait_for_function("() => document.querySelector('.ve-host')?.dataset.ready === '1'")
        visual = page.locator(".ve-content")
        expect(visual.locator("h2")).to_contain_text(
            ["Signs and symptoms", "Causes", "Diagnosis", "Treatment", "Prognosis", "References"]
        )
        visual.get_by_text("is a condition in which …").click(click_count=3)  # the paragraph
        page.keyboard.press("Control+b")
        page.keyboard.type("Cluster headache")
        page.keyboard.press("Control+b")
        page.keyboard.type(" is a condition of severe one-sided headaches that come in clusters.")
        page.screenshot(path=SHOTS / f"starters-{width}-visual.png", full_page=True)

        page.get_by_role("button", name="Create article").click()
        page.wait_for_url("**/wiki/Cluster_headache")
        expect(page.locator("main")).to_contain_text("was created")
        expect(page.locator("table.infobox caption")).to_have_text("Cluster headache")
        expect(page.locator("article h2")).to_contain_text(
            ["Signs and symptoms", "Causes", "Diagnosis", "Treatment"]
        )
        expect(page.locator("article")).to_contain_text(
            "Cluster headache is a condition of severe one-sided headaches that come in clusters."
        )
        assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTHS[width]["width"]
        page.screenshot(path=SHOTS / f"starters-{width}-article.png", full_page=True)
        saved = Article.objects.get(title="Cluster headache").source
        assert saved.startswith("::: infobox medical condition\nName: Cluster headache\n")
        assert "\r" not in saved
        assert errors == []
    finally:
        context.close()
