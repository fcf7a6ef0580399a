"""Translation groups leave a trace and survive an undeletion: linking and unlinking are in the
public log (who, when, which pages in which languages; filtered by either page; in the reader's
language), and an article deleted and undeleted is back in its language and its group."""

import re

import pytest

from tests import helpers
from wiki.editorial.deletion import page_delete, page_undelete
from wiki.editorial.models import LogEntry
from wiki.models import Article, TranslationGroup
from wiki.services import ArticleEdit, article_save
from wiki.translations import translation_link


def write(title, text, language="en"):
    edit = ArticleEdit(text=text, base_revision=None, user=None, summary="test")
    return article_save(article=Article(title=title, language=language), edit=edit).article


def log_text(client, url: str) -> str:
    """The log page's text, as a reader reads it."""
    return re.sub(r"\s+", " ", helpers.log_text(client, url))


@pytest.fixture
def three(db):
    english = write("Migraine", "Migraine is a headache disorder.\n")
    spanish = write("Migraña", "La migraña es un trastorno.\n", "es")
    arabic = write("صداع نصفي", "الصداع النصفي اضطراب.\n", "ar")
    return english, spanish, arabic


def test_linking_and_unlinking_are_logged_and_found_from_either_page(client, editor, three):
    client.force_login(editor)
    client.post(
        "/wiki/Migraine/translations", {"action": "link", "language": "es", "title": "Migraña"}
    )
    entry = LogEntry.objects.get(type="translate")
    assert (entry.action, entry.performer, entry.target) == ("link", editor, "Migraine")
    assert (entry.params["language"], entry.params["other_language"]) == ("en", "es")
    # Filtered by either page, the entry is there, its page linked in its language.
    for target in ("Migraine", "Migra%C3%B1a"):
        text = log_text(client, f"/log?type=translate&target={target}")
        assert "edna linked Migraine (English) and Migraña (Español) as translations" in text
    html = client.get("/log?type=translate&target=Migra%C3%B1a").content.decode()
    assert 'href="/wiki/Migraine"' in html
    # In Spanish, the sentence is Spanish; the page's information links to its log.
    spanish_log = log_text(client, "/es/log?type=translate&target=Migraine")
    assert "edna enlazó Migraine (English) y Migraña (Español) como traducciones" in spanish_log
    info = client.get("/es/wiki/Migra%C3%B1a/info").content.decode()
    assert "/es/log?type=translate&amp;target=Migra%C3%B1a" in info

    client.post(
        "/es/wiki/Migra%C3%B1a/translations",
        {"action": "link", "language": "ar", "title": "صداع نصفي"},
    )
    client.post("/es/wiki/Migra%C3%B1a/translations", {"action": "unlink"})
    unlinked = LogEntry.objects.filter(type="translate").first()
    assert (unlinked.action, unlinked.target, unlinked.performer) == ("unlink", "Migraña", editor)
    # Both pages it was taken from find it.
    for target in ("Migraine", "صداع نصفي"):
        text = log_text(client, f"/log?type=translate&target={target}")
        assert "edna unlinked Migraña (Español) from its translations" in text
    arabic_log = log_text(client, "/ar/log?type=translate&target=Migraine")
    assert "edna ألغى ربط Migraña (Español) بترجماته" in arabic_log


def test_the_translation_view_and_an_import_are_logged_too(three):
    english, spanish, _arabic = three
    translation_link(english, spanish)  # the importer: nobody asked
    entry = LogEntry.objects.get(type="translate")
    assert entry.performer is None and entry.performer_name == "the system"


def test_an_undeleted_article_is_back_in_its_language_and_group(administrator, three):
    english, spanish, arabic = three
    translation_link(english, spanish)
    translation_link(arabic, english)
    group = english.translation_group_id
    page_delete(article=spanish, user=administrator, reason="test")
    assert set(
        Article.objects.filter(translation_group_id=group).values_list("language", flat=True)
    ) == {"en", "ar"}
    restored = page_undelete(article_id=spanish.pk, user=administrator).article
    assert restored.language == "es"  # undeleted outside a Spanish request, still Spanish
    assert Article.objects.get(pk=spanish.pk).translation_group_id == group
    assert LogEntry.objects.filter(type="translate", performer=administrator).exists()


def test_an_undeleted_article_of_a_group_of_two_is_linked_again(administrator, three):
    english, spanish, _arabic = three
    translation_link(english, spanish)
    page_delete(article=spanish, user=administrator)
    assert not TranslationGroup.objects.exists()  # a group of one is none
    page_undelete(article_id=spanish.pk, user=administrator)
    english.refresh_from_db()
    assert english.translation_group_id is not None
    assert Article.objects.get(pk=spanish.pk).translation_group_id == english.translation_group_id


def test_an_undeleted_article_leaves_a_newer_translation_of_its_language_in_place(
    administrator, three
):
    english, spanish, _arabic = three
    translation_link(english, spanish)
    page_delete(article=spanish, user=administrator)
    newer = write("Jaqueca", "La jaqueca.\n", "es")
    translation_link(english, newer)
    page_undelete(article_id=spanish.pk, user=administrator)
    assert Article.objects.get(pk=spanish.pk).translation_group_id is None
    newer.refresh_from_db()
    assert newer.translation_group_id == Article.objects.get(pk=english.pk).translation_group_id
