"""Search per language: each language's articles found with its own stemming, diacritics folded,
and a reader finds, is suggested, corrected towards and sent by Go only to articles of the
language of the address they search at — on SQLite and PostgreSQL."""

import re

import pytest
from django.db import connection

from wiki.models import Article
from wiki.search.backends import BACKENDS
from wiki.search.stemming import STEMMERS, postgres_config
from wiki.services import ArticleEdit, article_save

HEADACHE = "A headache is pain in the head. Migraines and tension headaches are common.\n"
MIGRAÑA = (
    "La migraña es un dolor de cabeza intenso que vuelve una y otra vez; en inglés, "
    "migraine o headache.\n\n## Tratamiento\n\nUna canción suave y el descanso alivian.\n"
)
ARABIC = "الصداع النصفي مرض شائع يسبب ألما شديدا في الرأس.\n"


def write(title, text, language):
    """An article saved through the write path in `language`."""
    edit = ArticleEdit(text=text, base_revision=None, user=None, summary="test")
    return article_save(article=Article(title=title, language=language), edit=edit).article


def result_titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'class="search-result__title"><a href="[^"]*">([^<]*)</a>', html)


def find(client, language: str, query: str):
    prefix = "" if language == "en" else f"/{language}"
    return client.get(f"{prefix}/search", {"q": query, "fulltext": 1})


def suggestions(client, language: str, prefix: str) -> list[str]:
    start = "" if language == "en" else f"/{language}"
    return client.get(f"{start}/search/suggest", {"q": prefix}).json()[1]


def did_you_mean(response) -> str:
    found = re.search(r'class="did-you-mean">.*?<em>([^<]*)</em>', response.content.decode())
    return found.group(1) if found else ""


@pytest.fixture
def shelves(db):
    """The same subject in English, Spanish and Arabic, each mentioning the others' words."""
    write("Headache", HEADACHE, "en")
    write("Migraine", "Migraine (in Spanish, migraña) is a recurring headache.\n", "en")
    write("Migraña", MIGRAÑA, "es")
    write("Cefalea", "La cefalea es cualquier dolor de cabeza.\n", "es")
    write("صداع نصفي", ARABIC, "ar")


def test_a_spanish_plural_finds_its_singular(client, shelves):
    assert result_titles(find(client, "es", "migrañas")) == ["Migraña"]
    assert set(result_titles(find(client, "es", "dolores cabezas"))) == {"Cefalea", "Migraña"}


def test_spanish_words_are_stemmed_as_spanish(client, shelves):
    """Forms an English stemmer leaves apart: "intensa" and "intenso", "alivio" and "alivian"."""
    assert result_titles(find(client, "es", "intensa")) == ["Migraña"]
    assert result_titles(find(client, "es", "alivio")) == ["Migraña"]
    assert result_titles(find(client, "en", "intensa")) == []


def test_an_english_plural_finds_its_singular(client, shelves):
    assert set(result_titles(find(client, "en", "headaches"))) == {"Headache", "Migraine"}
    assert result_titles(find(client, "en", "pains")) == ["Headache"]


def test_diacritics_are_folded_in_what_is_typed(client, shelves):
    assert result_titles(find(client, "es", "migrana")) == ["Migraña"]
    assert result_titles(find(client, "es", "cancion")) == ["Migraña"]
    assert result_titles(find(client, "es", "canciónes")) == ["Migraña"]


def test_the_snippet_marks_the_words_as_written(client, shelves):
    html = find(client, "es", "migrañas").content.decode()
    assert "<mark>migraña</mark>" in html.lower()


def test_arabic_text_is_searchable_with_its_stemming(client, shelves):
    assert result_titles(find(client, "ar", "صداع")) == ["صداع نصفي"]
    assert result_titles(find(client, "ar", "رأس")) == ["صداع نصفي"]  # "الرأس", "the head"
    assert result_titles(find(client, "ar", "مَرَض")) == ["صداع نصفي"]  # short vowels written
    assert result_titles(find(client, "en", "صداع")) == []


def test_an_english_search_never_shows_spanish_articles_nor_the_other_way(client, shelves):
    # The Spanish article says "migraine" and "headache"; the English one says "migraña".
    assert set(result_titles(find(client, "en", "headache"))) == {"Headache", "Migraine"}
    assert result_titles(find(client, "es", "headache")) == ["Migraña"]
    assert result_titles(find(client, "en", "migraña")) == ["Migraine"]
    assert result_titles(find(client, "es", "migraine")) == ["Migraña"]
    assert result_titles(find(client, "ar", "migraine")) == []


def test_counts_and_pages_are_within_the_readers_language(client, shelves):
    """The index answers within the language: 25 English articles saying "cefalea" take no
    place on the Spanish page and add nothing to its count."""
    for number in range(25):
        write(f"Note {number}", "Cefalea is the Spanish word for headache.\n", "en")
    spanish = find(client, "es", "cefalea")
    assert result_titles(spanish) == ["Cefalea"]
    assert re.search(r"Resultados 1–1 de\s+1</p>", spanish.content.decode())
    assert len(result_titles(find(client, "en", "cefalea"))) == 20


def test_with_many_matches_the_tiers_are_within_the_language_too(client, shelves, monkeypatch):
    """Past `rank_all_up_to` matches the engines rank titles and leads first, then the rest."""
    for backend in BACKENDS.values():
        monkeypatch.setattr(backend, "rank_all_up_to", 1)
    write("Aura", "Introducción.\n\n## Más\n\nAntes de algunas migrañas.\n", "es")
    write("Migraine aura", "An aura before migrañas, as Spanish says.\n", "en")
    titles = result_titles(find(client, "es", "migrañas"))
    assert titles[0] == "Migraña" and set(titles) == {"Migraña", "Aura"}
    assert result_titles(find(client, "es", "migrañas -aura")) == ["Migraña"]


def test_suggestions_are_titles_of_the_readers_language(client, shelves):
    assert suggestions(client, "es", "Migr") == ["Migraña"]
    assert suggestions(client, "en", "Migr") == ["Migraine"]
    assert suggestions(client, "es", "migran") == ["Migraña"]  # ñ typed as n
    assert suggestions(client, "ar", "صداع") == ["صداع نصفي"]
    assert suggestions(client, "en", "صداع") == []


def test_did_you_mean_offers_words_of_the_readers_language(client, shelves):
    assert did_you_mean(find(client, "es", "cefalia")) == "cefalea"
    assert did_you_mean(find(client, "en", "cefalia")) == ""  # no English article says it
    assert did_you_mean(find(client, "en", "headahce")) == "headache"
    assert did_you_mean(find(client, "ar", "headahce")) == ""


def test_go_leads_to_the_title_in_the_readers_language(client, shelves):
    write("Aspirin", "La aspirina es un analgésico.\n", "es")
    write("Aspirin", "Aspirin is a painkiller.\n", "en")
    assert client.get("/es/search", {"q": "aspirin"})["Location"] == "/es/wiki/Aspirin"
    assert client.get("/search", {"q": "aspirin"})["Location"] == "/wiki/Aspirin"
    assert client.get("/es/search", {"q": "migraña"})["Location"] == "/es/wiki/Migra%C3%B1a"
    english = client.get("/search", {"q": "migraña"})  # no English article of that title
    assert english.status_code == 200 and result_titles(english) == ["Migraine"]
    assert client.get("/es/search", {"q": "Migraine"}).status_code == 200


def test_the_rest_api_searches_and_suggests_within_its_language(client, shelves):
    spanish = client.get("/es/api/v1/search", {"q": "migrañas"}).json()
    assert [hit["title"] for hit in spanish["results"]] == ["Migraña"]
    english = client.get("/api/v1/search", {"q": "migraña"}).json()
    assert [hit["title"] for hit in english["results"]] == ["Migraine"]
    english = client.get("/api/v1/suggestions", {"q": "Mig"}).json()
    assert english["titles"] == ["Migraine"]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's configurations")
def test_every_language_with_a_stemmer_has_its_postgres_configuration(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config WHERE cfgname LIKE 'folded_%%'")
        configurations = {row[0] for row in cursor.fetchall()}
        assert {postgres_config(code) for code in [*STEMMERS, "zz"]} <= configurations
        cursor.execute("SELECT to_tsvector(%s::regconfig, 'Migrañas')::text", ["folded_spanish"])
        assert cursor.fetchone()[0] == "'migran':1"
