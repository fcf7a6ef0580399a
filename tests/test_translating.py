"""Translating an article (wiki/translating.py, wiki/editing/translate.py): the translation view
posted as a browser posts it, into Spanish and Arabic; the group linked both ways and the source
revision recorded; the source edited, the translation outdated with the diff of the source
since, then marked up to date; the language's lists; review per language."""

from urllib.parse import quote

import pytest
from django.test import Client, override_settings

from tests.conftest import make_media
from tests.helpers import form_as_submitted
from wiki.models import Article
from wiki.services import ArticleEdit, article_save
from wiki.translations import translation_link

SOURCE = (
    "**Migraine** is a headache disorder; see [[Headache]] and [[Aura|auras]].[^1]\n\n"
    "## Treatment\n\n"
    "Rest in a dark room. Compare [[Headache]].\n\n"
    "[^1]: Headache Classification Committee, 2018.\n"
)


def write(title, text, language="en", user=None):
    article = Article.objects.by_title(title, language).first() or Article(
        title=title, language=language
    )
    edit = ArticleEdit(text=text, base_revision=article.latest_revision_id, user=user)
    return article_save(article=article, edit=edit).article


@pytest.fixture
def source(db):
    headache = write("Headache", "Headache is pain in the head.\n")
    cefalea = write("Cefalea", "La cefalea es dolor de cabeza.\n", "es")
    translation_link(headache, cefalea)
    return write("Migraine", SOURCE)


def translate(client, path: str, title: str, replace: dict) -> tuple[object, dict]:
    """Open the translation view, fill the title and replace words in the boxes, post."""
    page = client.get(path)
    assert page.status_code == 200
    data = form_as_submitted(page.content.decode(), form="//form[@class='translate-form']")
    data["title"] = title
    for name, value in list(data.items()):
        if name.startswith(("part_", "heading_")):
            for old, new in replace.items():
                value = value.replace(old, new)
            data[name] = value
    return client.post(path, data), data


def test_translate_into_spanish_and_arabic_linked_both_ways(
    editor_client, editor, source, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    make_media(editor)
    box = "::: infobox medical condition\nICD-10: G43\n:::\n"
    source = write("Migraine", box + SOURCE + "\n[[File:Chest scan.png|A scan]]\n")
    english = client_get(editor_client, "/wiki/Migraine")
    # The article offers both languages it lacks.
    assert 'href="/es/translate/en/Migraine"' in english
    assert 'href="/ar/translate/en/Migraine"' in english
    page = client_get(editor_client, "/es/translate/en/Migraine")
    # The link to Headache is offered as its Spanish title; Aura has none (red).
    assert "[[Cefalea]]" in page and "[[Aura|auras]]" in page
    assert 'href="/es/wiki/Cefalea"' in page and 'class="new" href="/es/wiki/Aura"' in page
    response, _ = translate(
        editor_client,
        "/es/translate/en/Migraine",
        "Migraña",
        {
            "is a headache disorder; see": "es un trastorno de cefalea; véase",
            "Treatment": "Tratamiento",
            "Rest in a dark room. Compare": "Reposo en un cuarto oscuro. Compárese",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/es/wiki/Migra%C3%B1a"
    spanish = Article.objects.get(language="es", title="Migraña")
    source.refresh_from_db()
    assert spanish.translated_from_id == source.latest_revision_id
    assert spanish.translation_group_id == source.translation_group_id is not None
    assert "[^1]: Headache Classification Committee, 2018." in spanish.source  # kept as is
    assert "## Tratamiento" in spanish.source and "[[Cefalea]]" in spanish.source
    html = client_get(editor_client, "/es/wiki/Migra%C3%B1a")
    assert "Dr Ana Rivera" in html  # the image kept, with its credit
    assert spanish.infobox == source.infobox and "G43" in str(spanish.infobox)  # the infobox
    assert 'class="wikilink" href="/es/wiki/Cefalea"' in html
    assert 'hreflang="en"' in html  # its menu names the English article

    response, _ = translate(
        editor_client,
        "/ar/translate/en/Migraine",
        "صداع نصفي",
        {"is a headache disorder; see": "اضطراب صداع؛ انظر"},
    )
    assert response.status_code == 302
    arabic = Article.objects.get(language="ar")
    assert arabic.translation_group_id == source.translation_group_id
    english = client_get(editor_client, "/wiki/Migraine")
    assert 'hreflang="es"' in english and 'hreflang="ar"' in english
    assert "/es/translate/en/Migraine" not in english  # nothing left to translate into
    # Translated already: the view sends to the translation.
    again = editor_client.get("/es/translate/en/Migraine")
    assert again.status_code == 302 and again["Location"] == "/es/wiki/Migra%C3%B1a"


def client_get(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_a_bad_submit_keeps_the_typed_text(editor_client, source):
    write("Migraña", "Ya existe.\n", "es")  # the title is taken
    response, data = translate(
        editor_client, "/es/translate/en/Migraine", "Migraña", {"Rest in": "Reposo en"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Reposo en a dark room" in html and "Ya existe un artículo con este título" in html
    assert not Article.objects.filter(language="es", translated_from__isnull=False).exists()


def test_the_source_edited_outdates_the_translation(editor_client, editor, source):
    translate(editor_client, "/es/translate/en/Migraine", "Migraña", {"Rest": "Reposo"})
    spanish = Article.objects.get(language="es", title="Migraña")
    made_from = spanish.translated_from_id
    notice = "El artículo en inglés ha cambiado desde que se hizo esta traducción"
    assert notice not in client_get(editor_client, "/es/wiki/Migra%C3%B1a")
    newer = write("Migraine", SOURCE + "\n## Prevention\n\nSleep well.\n", user=editor)
    html = client_get(editor_client, "/es/wiki/Migra%C3%B1a")
    # In the reader's interface language (Spanish here), naming the source's language.
    assert "El artículo en inglés ha cambiado desde que se hizo esta traducción" in html
    diff = f"/wiki/Migraine/diff?from={made_from}&amp;to={newer.latest_revision_id}"
    assert diff in html
    assert editor_client.get(diff.replace("&amp;", "&")).status_code == 200
    # Readers are not told, unless the site says so.
    editor_client.logout()
    assert "El artículo en inglés" not in client_get(editor_client, "/es/wiki/Migra%C3%B1a")
    with override_settings(WIKI_SHOW_OUTDATED_TO_READERS=True):
        # The reader's cached page drops when the source is saved: the notice appears.
        newer = write("Migraine", SOURCE + "\n## Prevention\n\nSleep.\n", user=editor)
        assert "El artículo en inglés" in client_get(editor_client, "/es/wiki/Migra%C3%B1a")
    editor_client.force_login(editor)
    # The language's list names it; marking it up to date takes it off.
    listed = client_get(editor_client, "/es/translations")
    assert 'href="/es/wiki/Migra%C3%B1a"' in listed
    assert "/es/translate/en/Headache" not in listed  # Headache has its Cefalea
    response = editor_client.post(f"/es/wiki/{quote('Migraña')}/translation-current")
    assert response.status_code == 302
    spanish.refresh_from_db()
    assert spanish.translated_up_to_id == newer.latest_revision_id
    assert "El artículo en inglés" not in client_get(editor_client, "/es/wiki/Migra%C3%B1a")
    assert 'href="/es/wiki/Migra%C3%B1a"' not in client_get(editor_client, "/es/translations")


def test_untranslated_list_most_linked_first(client, source):
    write("Aura", "An aura comes before a migraine.\n")
    write("Nausea", "Nausea, see [[Aura]].\n")
    html = client_get(client, "/es/translations")
    # Aura is linked from Migraine and Nausea: before Migraine and Nausea (no links in).
    assert html.index("/es/translate/en/Aura") < html.index("/es/translate/en/Migraine")
    assert "/es/translate/en/Headache" not in html


def test_review_is_per_language(editor_client, reviewer, source):
    client = Client()
    client.force_login(reviewer)
    assert client.post(f"/wiki/Migraine/review/{source.latest_revision_id}", {}).status_code == 302
    translate(editor_client, "/es/translate/en/Migraine", "Migraña", {"Rest": "Reposo"})
    spanish = Article.objects.get(language="es", title="Migraña")
    assert spanish.reviewed_revision_id is None  # its own review state
    html = client_get(editor_client, "/es/wiki/Migra%C3%B1a")
    assert "Traducido de una revisión con revisión médica del artículo en inglés" in html
    response = client.post(f"/es/wiki/{quote('Migraña')}/review/{spanish.latest_revision_id}", {})
    assert response.status_code == 302
    spanish.refresh_from_db()
    assert spanish.reviewed_revision_id == spanish.latest_revision_id
    source.refresh_from_db()
    assert source.reviewed_revision_id != spanish.reviewed_revision_id
