"""`manage.py check_integrity`: a wiki that went through the everyday operations (edits,
a section edit, a move, a deletion and undeletion, a revert, uploads and a new version of a
file, a MediaWiki import) is whole; a row changed behind the wiki's back, a tampered snapshot
and a damaged or missing file are each named."""

import json

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from reversion.models import Version

from wiki.editorial.deletion import page_delete, page_undelete
from wiki.history.services import article_restore
from wiki.models import Article, Revision, Section

from .conftest import make_media, save
from .helpers import sample_exports


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def check(capsys) -> tuple[bool, str]:
    try:
        call_command("check_integrity")
    except CommandError as failed:
        return False, capsys.readouterr().err + str(failed)
    return True, capsys.readouterr().out


@pytest.fixture
def lived_in(make_article, editor, administrator):
    """A small wiki after the operations editors and administrators do every day."""
    article = make_article("Sample condition", user=editor)
    first = article.latest_revision_id
    save(article, editor, article.source.replace("Rest helps.", "Rest helps a lot."))
    make_article("Other condition", "Links to [[Sample condition]].\n", user=editor)
    # Texts as browsers and bots send them: CRLF, trailing blanks, no final newline, a box.
    awkward = make_article("Awkward text", "Lead.\r\n\r\n## Signs  \r\nFever.  ", user=editor)
    save(awkward, editor, "::: infobox medical condition\r\nName: Awkward\r\n:::\r\nLead.\t\n\n\n")
    article_restore(revision_id=first, user=editor, summary="Back")
    doomed = make_article("Doomed page", "Short-lived.\n", user=editor)
    page_delete(article=doomed, user=administrator, reason="Test")
    page_undelete(article_id=doomed.pk, user=administrator)
    make_media(editor)
    return article


def test_a_lived_in_wiki_is_whole(lived_in, capsys):
    ok, said = check(capsys)
    assert ok, said
    assert "no problem found" in said
    assert Revision.objects.filter(sha1="").count() == 0


def test_a_row_changed_behind_the_wikis_back_is_named(lived_in, capsys):
    Section.objects.filter(article=lived_in, position=1).update(body="Vandalised in SQL.\n")
    ok, said = check(capsys)
    assert not ok
    assert f"article {lived_in.pk} “Sample condition”: its text differs" in said
    assert "1 problem found" in said


def test_a_tampered_snapshot_is_named(lived_in, capsys):
    revision = Revision.objects.filter(article=lived_in).order_by("pk").first()
    version = Version.objects.filter(revision_id=revision.pk, serialized_data__contains="lead")[0]
    [obj] = json.loads(version.serialized_data)
    obj["fields"]["lead"] += " A dose changed in the backup."
    Version.objects.filter(pk=version.pk).update(serialized_data=json.dumps([obj]))
    ok, said = check(capsys)
    assert not ok
    assert f"revision {revision.pk} of “Sample condition”: its stored text does not match" in said


def test_a_damaged_or_missing_file_is_named(lived_in, capsys):
    from wiki.media.models import MediaFile

    media = MediaFile.objects.get()
    with default_storage.open(media.file, "wb") as stored:
        stored.write(b"not the image any more")
    ok, said = check(capsys)
    assert not ok and "File:Chest scan.png: the bytes of" in said
    default_storage.delete(media.file)
    ok, said = check(capsys)
    assert not ok and "is missing" in said


CHOSEN = ("enwiki-5pages-tables_gensim.xml", "enwiki-Pear-4revs-0.3_pywikibot.xml")


@pytest.mark.parametrize(
    "export", [p for p in sample_exports() if p.name in CHOSEN], ids=lambda p: p.name
)
def test_an_imported_mediawiki_wiki_is_whole(db, export, capsys):
    call_command("import_mediawiki", str(export), verbosity=0)
    assert Article.objects.exists()
    ok, said = check(capsys)
    assert ok, said
