"""mwclient's remaining everyday operations, unchanged, against a live server: appending and
prepending, redirects, a page's language links, revisions by id, parsing, a chunked upload,
a file's history and download, and protection as mwclient reads it."""

import io
import random

import pytest
from PIL import Image

from tests.conftest import make_media, save
from wiki.editorial.moves import article_move
from wiki.media.models import MediaFile
from wiki.models import Article, Revision
from wiki.services import ArticleEdit, article_save
from wiki.translations import translation_link

from .helpers import mwclient_site

live = pytest.mark.django_db(transaction=True)


@live
def test_mwclient_appends_and_prepends(live_server, two_linked_articles, editor):
    site = mwclient_site(live_server, "edna", "pw-edna-123")
    page = site.pages["Other condition"]
    page.append("\n\nIt is rare.", summary="More")
    page.prepend("In short: ", summary="Lead")
    source = Article.objects.get(title="Other condition").source
    assert source.startswith("In short: Compare") and source.rstrip().endswith("It is rare.")
    revisions = Revision.objects.filter(article__title="Other condition").count()
    page.touch()  # a null edit: no new revision
    assert Revision.objects.filter(article__title="Other condition").count() == revisions


@live
def test_mwclient_follows_redirects_and_reads_revisions_by_id(
    live_server, two_linked_articles, editor
):
    article_move(article=two_linked_articles, new_title="Sample disorder", user=editor)
    site = mwclient_site(live_server)
    old = site.pages["Sample condition"]
    assert old.redirect and old.resolve_redirect().name == "Sample disorder"
    assert old.redirects_to().name == "Sample disorder"
    revid = Article.objects.get(title="Sample disorder").latest_revision_id
    assert [r["revid"] for r in site.revisions([revid])] == [revid]
    assert list(site.pages["Sample disorder"].langlinks()) == []
    spanish = article_save(
        article=Article(title="Trastorno de muestra", language="es"),
        edit=ArticleEdit(text="Un trastorno.\n", base_revision=None, user=editor, summary="Nuevo"),
    ).article
    translation_link(Article.objects.get(title="Sample disorder"), spanish)
    assert list(site.pages["Sample disorder"].langlinks()) == [("es", "Trastorno de muestra")]
    parsed = site.parse(text="Some *words*.", title="Sample disorder")
    assert "<em>words</em>" in parsed["text"]["*"]


@live
def test_mwclient_uploads_in_chunks_and_reads_the_file_back(
    live_server, two_linked_articles, editor
):
    site = mwclient_site(live_server, "edna", "pw-edna-123")
    site.chunk_size = 20 * 1024
    buffer = io.BytesIO()
    Image.frombytes("RGB", (100, 100), random.Random(4).randbytes(30000)).save(buffer, "PNG")
    assert buffer.tell() > 20 * 1024
    buffer.seek(0)
    answer = site.upload(buffer, "Knee scan.png", description="A knee, {{cc0}}", comment="Scan")
    # mwclient hands back a chunked upload's whole answer, not its "upload" part.
    assert answer["upload"]["result"] == "Success"
    media = MediaFile.objects.get(slug="Knee_scan.png")
    assert (media.width, media.height) == (100, 100)
    image = site.images["Knee scan.png"]
    assert [h["user"] for h in image.imagehistory()] == ["Edna Marsh"]
    downloaded = io.BytesIO()
    image.download(downloaded)
    with Image.open(downloaded) as picture:
        assert picture.size == (100, 100)


@live
def test_mwclient_reads_what_a_user_may_do_with_a_page(live_server, two_linked_articles, editor):
    site = mwclient_site(live_server, "edna", "pw-edna-123")
    page = site.pages["Sample condition"]
    assert page.can("edit") and not page.protection


@live
def test_mwclient_purges_looks_up_users_and_a_files_usage(live_server, two_linked_articles, editor):
    media = make_media(editor)
    other = Article.objects.get(title="Other condition")
    save(other, editor, f"Compare [[Sample condition]].\n\n[[File:{media.name}]]\n")
    site = mwclient_site(live_server, "edna", "pw-edna-123")
    assert site.pages["Sample condition"].purge() is None  # answered "purged"
    users = list(site.users(["Edna", "Nobody here"], prop="groups|editcount"))
    assert users[0]["name"] == "Edna" and "editor" in users[0]["groups"]
    assert users[0]["editcount"] == 3  # two creations and this edit
    assert users[1]["name"] == "Nobody here" and "missing" in users[1]
    image = site.images["Chest scan.png"]
    assert [p.name for p in image.imageusage()] == ["Other condition"]
    assert list(image.imageusage(generator=False)) == ["Other condition"]
