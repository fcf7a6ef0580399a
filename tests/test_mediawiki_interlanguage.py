"""MediaWiki interlanguage links in and out (wiki/interlanguage.py): `[[es:Migraña]]` in an
English dump and `[[en:Migraine]]` in a Spanish one make one translation group whichever dump
comes first (or when the other article is written here); a link to a language the site lacks
is kept out of the text and written back by the export, whose output imports to the same
group. The dumps are written here (tests/mediawiki_dumps.py)."""

import io

import pytest
from django.core.management import call_command

from wiki.interlanguage import links_of
from wiki.languages import reading_in
from wiki.models import Article, InterlanguageLink, TranslationGroup
from wiki.services import ArticleEdit, article_save

from .mediawiki_dumps import Page, Rev, Site, dump

ENGLISH = (
    "'''Migraine''' is a headache disorder; see [[Tension headache]].\n\n"
    "== Treatment ==\nRest in a dark room.\n\n"
    "[[Category:Neurology]]\n[[es:Migraña]]\n[[fr:Migraine]]\n[[de:Migräne]]\n"
)
SPANISH = "La '''migraña''' es un trastorno de cefalea; véase [[Cefalea tensional]].\n"


def english_dump(tmp_path, text=ENGLISH):
    pages = [
        Page("Migraine", [Rev(11, "2020-01-01T00:00:00Z", text, user="Ann")], id=1),
        Page("Tension headache", [Rev(12, "2020-01-02T00:00:00Z", "Pain.\n", user="Ann")], id=2),
    ]
    path = tmp_path / "enwiki.xml"
    path.write_text(dump(pages, site=Site(dbname="enwiki")), encoding="utf-8")
    return path


def spanish_dump(tmp_path, *, link_back=True, said="es"):
    text = SPANISH + ("\n[[en:Migraine]]\n" if link_back else "")
    pages = [Page("Migraña", [Rev(21, "2020-02-01T00:00:00Z", text, user="Bea")], id=1)]
    path = tmp_path / "eswiki.xml"
    path.write_text(dump(pages, site=Site(dbname="eswiki", language=said)), encoding="utf-8")
    return path


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_mediawiki", *map(str, args), "-v0", stdout=out, stderr=out)
    return out.getvalue()


def assert_one_group(client):
    english = Article.objects.get(title="Migraine", language="en")
    spanish = Article.objects.get(title="Migraña", language="es")
    assert english.translation_group_id and (
        english.translation_group_id == spanish.translation_group_id
    )
    html = client.get("/wiki/Migraine").content.decode()
    assert '<a href="/es/wiki/Migra%C3%B1a" lang="es" hreflang="es">Español' in html
    spanish_html = client.get("/es/wiki/Migra%C3%B1a").content.decode()
    assert 'href="/wiki/Migraine" lang="en" hreflang="en"' in spanish_html
    # The Spanish page's links are Spanish pages (rendered in its language, by any worker).
    assert 'href="/es/wiki/Cefalea_tensional/edit"' in spanish_html  # red
    # The links are not text; the languages the site lacks are kept for the export.
    for page in (html, spanish_html):
        assert "es:Migra" not in page and "Migräne" not in page and "fr:" not in page
    assert sorted(InterlanguageLink.objects.values_list("language", "title")) == [
        ("de", "Migräne"),
        ("fr", "Migraine"),
    ]
    return english, spanish


@pytest.mark.parametrize(
    "order, link_back",
    [("en es", True), ("es en", True), ("en es", False), ("es en", False)],
    ids=["english-first", "spanish-first", "english-first-one-way", "spanish-first-one-way"],
)
def test_two_language_dumps_in_either_order_make_one_group(client, db, tmp_path, order, link_back):
    files = {"en": english_dump(tmp_path), "es": spanish_dump(tmp_path, link_back=link_back)}
    for language in order.split():
        said = run(files[language], "--jobs", "0")
        assert "Problems: 0." in said
    assert_one_group(client)
    assert TranslationGroup.objects.count() == 1


def test_the_language_option_and_a_dump_language_the_site_lacks(client, db, tmp_path):
    run(english_dump(tmp_path), "--jobs", "0")
    # A Spanish dump that says it is English: --language says otherwise.
    run(spanish_dump(tmp_path, said="en"), "--language", "es", "--jobs", "0")
    assert_one_group(client)
    german = tmp_path / "dewiki.xml"
    page = Page("Kopfschmerz", [Rev(31, "2020-03-01T00:00:00Z", "Text.\n", user="Cem")])
    german.write_text(dump([page], site=Site(dbname="dewiki", language="de")), encoding="utf-8")
    said = run(german, "--jobs", "0")
    assert "the dump's language is “de”, which this site does not have" in said
    assert Article.objects.get(title="Kopfschmerz").language == "en"


def test_an_article_written_here_takes_its_place(client, db, tmp_path):
    run(english_dump(tmp_path), "--jobs", "0")
    with reading_in("es"):
        spanish = Article(title="Migraña", language="es")
        article_save(article=spanish, edit=ArticleEdit(text=SPANISH, base_revision=None))
    assert_one_group(client)


def test_the_export_writes_them_back_and_imports_to_the_same_group(client, db, tmp_path):
    run(english_dump(tmp_path), spanish_dump(tmp_path), "--jobs", "0")
    english_xml, spanish_xml = tmp_path / "en-out.xml", tmp_path / "es-out.xml"
    call_command("export", "--format", "mediawiki", "--output", str(english_xml), "-v0")
    call_command(
        "export", "--format", "mediawiki", "--language", "es", "--output", str(spanish_xml), "-v0"
    )
    english_text, spanish_text = english_xml.read_text(), spanish_xml.read_text()
    assert 'xml:lang="en"' in english_text and 'xml:lang="es"' in spanish_text
    assert "[[Category:Neurology]]\n\n[[de:Migräne]]\n[[es:Migraña]]\n[[fr:Migraine]]\n" in (
        english_text
    )
    assert "<title>Migraña</title>" not in english_text  # one language's wiki per document
    assert "[[en:Migraine]]\n</text>" in spanish_text
    special = client.get("/es/wiki/Special:Export/Migra%C3%B1a")
    assert 'xml:lang="es"' in b"".join(special.streaming_content).decode()
    # Into an empty wiki, Spanish first: the same group, the same links kept.
    Article.objects.all().delete()
    TranslationGroup.objects.all().delete()
    run(spanish_xml, english_xml, "--jobs", "0")
    english, _spanish = assert_one_group(client)
    assert links_of(english.pk, english.translation_group_id) == [
        ("de", "Migräne"),
        ("es", "Migraña"),
        ("fr", "Migraine"),
    ]


def test_a_parallel_import_keeps_them(client, transactional_db, tmp_path):
    run(english_dump(tmp_path), spanish_dump(tmp_path), "--jobs", "2", "--batch-size", "4")
    assert_one_group(client)
