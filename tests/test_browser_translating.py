"""Translating an article in a real browser (issue 32, item 3): an editor opens "Translate this
article" from the English article, picks Spanish, types the title and the translation of each
part beside its source, saves, and reads the Spanish article, on a desktop (1280 px) and a
phone (375 px); then the source changes, the translation says so and is marked brought up to
date. Every page passes axe and has no horizontal scroll. Screenshots in
test-results/journey-translate-<width>-<step>.png."""

import pytest

from tests.helpers import AXE_SOURCE, RUN_AXE, Reader, compiled_catalogues, session_for
from wiki.models import Article
from wiki.services import ArticleEdit, article_save
from wiki.translations import translation_link

WIDTHS = {"1280": {"width": 1280, "height": 800}, "375": {"width": 375, "height": 740}}
SOURCE = (
    "**Glimmer fever** is an invented illness used to test the wiki; see [[Headache]].[^1]\n\n"
    "## Treatment\n\nRest and fluids.\n\n"
    "[^1]: Test Committee, 2020.\n"
)


def accessible(reader: Reader, step: str):
    page = reader.page
    page.evaluate(AXE_SOURCE)
    found = page.evaluate(RUN_AXE)
    violations = [f"{v['id']}: {v['help']} {v['nodes']}" for v in found]
    assert violations == [], f"{step}: {violations}"
    reader.check_page(step)  # one H1, the landmarks, no horizontal scroll; a screenshot


def save(title, text, language, user):
    return article_save(
        article=Article(title=title, language=language),
        edit=ArticleEdit(text=text, base_revision=None, user=user),
    ).article


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_an_editor_translates_an_article_into_spanish(
    browser, live_server, transactional_db, editor, width
):
    compiled_catalogues()
    headache = save("Headache", "Pain in the head.\n", "en", editor)
    translation_link(headache, save("Cefalea", "Dolor de cabeza.\n", "es", editor))
    source = save("Glimmer fever", SOURCE, "en", editor)
    context = browser.new_context(viewport=WIDTHS[width])
    context.add_cookies(
        [{"name": "sessionid", "value": session_for(editor), "url": live_server.url}]
    )
    page = context.new_page()
    reader = Reader(page, live_server.url, f"translate-{width}")
    try:
        page.goto(live_server.url + "/wiki/Glimmer_fever")
        page.locator(".translate-menu > summary").click()
        reader.shot("menu")
        page.locator(".translate-menu a[lang=es]").click()
        page.wait_for_url("**/es/translate/en/Glimmer_fever")
        # The source's link to Headache is offered as the Spanish article's title.
        first = page.locator("#id_part_0")
        assert "[[Cefalea]]" in first.input_value()
        accessible(reader, "view")

        page.locator("#id_title").fill("Fiebre centelleante")
        first.fill(
            "La **fiebre centelleante** es una enfermedad inventada; véase [[Cefalea]].[^1]\n\n"
            "[^1]: Test Committee, 2020."
        )
        page.locator("#id_heading_1").fill("Tratamiento")
        page.locator("#id_part_1").fill("Reposo y líquidos.")
        page.get_by_role("button", name="Guardar la traducción").click()
        page.wait_for_url("**/es/wiki/Fiebre_centelleante")
        main = page.locator("main").text_content()  # a phone folds the sections
        assert "Reposo y líquidos." in main and "Tratamiento" in main
        assert page.locator("a.wikilink[href='/es/wiki/Cefalea']").count() == 1
        accessible(reader, "translation")
        spanish = Article.objects.get(language="es", title="Fiebre centelleante")
        source.refresh_from_db()
        assert spanish.translated_from_id == source.latest_revision_id
        assert spanish.translation_group_id == source.translation_group_id

        # The source moves on: the translation says so, links the diff, and is marked current.
        article_save(
            article=source,
            edit=ArticleEdit(
                text=SOURCE + "\n## Prevention\n\nSleep.\n",
                base_revision=source.latest_revision_id,
                user=editor,
            ),
        )
        page.goto(live_server.url + "/es/wiki/Fiebre_centelleante")
        notice = page.locator(".translation-outdated")
        assert "El artículo en inglés ha cambiado" in notice.inner_text()
        accessible(reader, "outdated")
        notice.get_by_role("link", name="Ver qué cambió").click()
        page.wait_for_url("**/wiki/Glimmer_fever/diff?**")
        assert "Prevention" in page.locator("main").text_content()
        page.go_back()
        page.get_by_role("button", name="Marcar como actualizada").click()
        page.wait_for_url("**/es/wiki/Fiebre_centelleante")
        assert page.locator(".translation-outdated").count() == 0
        assert reader.errors == []
    finally:
        context.close()
