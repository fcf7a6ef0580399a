"""Translating an article in a real browser (issue 32, item 3): an editor opens "Translate this
article" from the English article, picks Spanish, types the title and the translation of each
part beside its source, saves, and reads the Spanish article, on a desktop (1280 px) and a
phone (375 px); then the source changes, the translation says so and is marked brought up to
date. Every page passes axe and has no horizontal scroll. Screenshots in
test-results/journey-translate-<width>-<step>.png."""

import pytest

from tests.helpers import AXE_SOURCE, RUN_AXE, Reader, compiled_catalogues, signed_in_context
from wiki.models import Article
from wiki.services import ArticleEdit, article_save
from wiki.translations import translation_link
from wiki.watching.watches import editor_mode_of

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


def with_cefalea(editor) -> None:
    """The site's languages ready, and Headache translated into Spanish (Cefalea)."""
    compiled_catalogues()
    headache = save("Headache", "Pain in the head.\n", "en", editor)
    translation_link(headache, save("Cefalea", "Dolor de cabeza.\n", "es", editor))


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
    with_cefalea(editor)
    source = save("Glimmer fever", SOURCE, "en", editor)
    context = signed_in_context(browser, live_server, editor, viewport=WIDTHS[width])
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


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_an_editor_translates_in_the_visual_editor_keeping_links_and_references(
    browser, live_server, transactional_db, editor, width
):
    """The translation view's Visual switch: each part in the visual editor, the translator
    replacing the source's words by selecting and typing over them, as on the edit page; the
    bold text, the link and the reference stay as they were, the switch back to Source shows
    the Markdown written, and the Spanish article is saved from it."""
    with_cefalea(editor)
    save("Glimmer fever", SOURCE, "en", editor)
    context = signed_in_context(browser, live_server, editor, viewport=WIDTHS[width])
    page = context.new_page()
    reader = Reader(page, live_server.url, f"translate-visual-{width}")
    try:
        page.goto(live_server.url + "/es/translate/en/Glimmer_fever")
        page.wait_for_function(
            "() => document.querySelector('.translate-form')?.dataset.visualReady"
        )
        switch = page.get_by_role("group", name="Modo de edición")
        switch.get_by_role("button", name="Visual").click()
        lead = page.get_by_role("textbox", name="Traducción de Introducción (editor visual)")
        assert page.locator("#id_part_0").is_hidden() and lead.is_visible()
        page.wait_for_function("() => document.querySelector('.translate-form').dataset.previewed")
        accessible(reader, "visual")

        def type_over(label: str, words: str, typed: str) -> None:
            """Select `words` in the box as a person does (a click before them, a shift-click
            after them) and type over them."""
            page.locator(f'[aria-label="{label}"]').scroll_into_view_if_needed()
            left, right = _ends_of(page, f'[aria-label="{label}"]', words)
            page.mouse.click(*left)
            page.keyboard.down("Shift")
            page.mouse.click(*right)
            page.keyboard.up("Shift")
            page.keyboard.type(typed)

        type_over(
            "Traducción de Introducción (editor visual)",
            "is an invented illness used to test the wiki; see",
            "es una enfermedad inventada; véase",
        )
        type_over("Traducción de Treatment (editor visual)", "Rest and fluids", "Reposo y líquidos")
        reader.shot("typed")
        switch.get_by_role("button", name="Código").click()
        written = page.locator("#id_part_0").input_value()
        assert written.startswith(
            "**Glimmer fever** es una enfermedad inventada; véase [[Cefalea]].[^1]"
        ), written
        assert page.locator("#id_part_1").input_value() == (
            "Reposo y líquidos.\n\n[^1]: Test Committee, 2020.\n"
        )
        switch.get_by_role("button", name="Visual").click()
        page.locator("#id_title").fill("Fiebre centelleante")
        page.locator("#id_heading_1").fill("Tratamiento")
        page.get_by_role("button", name="Guardar la traducción").click()
        page.wait_for_url("**/es/wiki/Fiebre_centelleante")
        spanish = Article.objects.get(language="es", title="Fiebre centelleante")
        assert spanish.source.startswith(
            "**Glimmer fever** es una enfermedad inventada; véase [[Cefalea]].[^1]"
        )
        assert "## Tratamiento\nReposo y líquidos.\n\n[^1]: Test Committee, 2020." in spanish.source
        assert page.locator("a.wikilink[href='/es/wiki/Cefalea']").count() == 1
        assert page.locator(".footnote li").count() == 1
        assert editor_mode_of(editor) == "visual"  # the next translation or edit opens in it
        accessible(reader, "saved")
        assert reader.errors == []
    finally:
        context.close()


def _ends_of(page, selector: str, words: str) -> tuple:
    """The points on the screen just inside the first and the last letter of `words` in the
    element `selector` (a click there puts the caret before the first, after the last)."""
    box = page.evaluate(
        """([selector, words]) => {
          const walker = document.createTreeWalker(document.querySelector(selector), NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(words);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at); range.setEnd(node, at + 1);
            const first = range.getBoundingClientRect();
            range.setStart(node, at + words.length - 1); range.setEnd(node, at + words.length);
            const last = range.getBoundingClientRect();
            return [first.left + 1, first.top + first.height / 2, last.right - 1, last.top + last.height / 2];
          }
          return null;
        }""",
        [selector, words],
    )
    assert box, f"{words!r} is not in {selector}"
    return (box[0], box[1]), (box[2], box[3])
