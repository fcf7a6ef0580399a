"""The editors' help pages (demo/help/, loaded by load_demo): protected through the protection
capability, with a log entry naming the maintenance account; reachable by URL and from the
editor, but never listed to readers (the A–Z index, the random article, search results)."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from encyclopedia.management.commands.load_demo import Command as LoadDemo
from tests.conftest import save
from tests.helpers import log_text, sitemap_text
from wiki.editorial.models import LogEntry
from wiki.models import Article, Revision

HELP_TITLES = {
    "Help:Editing",
    "Help:Citing sources",
    "Help:Images",
    "Help:Infoboxes",
    "Help:Linking",
    "Help:Review",
    "Help:Tables",
}


@pytest.fixture
def help_pages(db):
    """load_demo's help pages."""
    LoadDemo(stdout=io.StringIO()).load_help()


@pytest.fixture
def hypertension(make_article, editor):
    return make_article(
        "Hypertension", "High blood pressure. The toolbar of a tonometer.\n", user=editor
    )


@pytest.mark.django_db
def test_help_pages_are_protected_with_a_log_entry_by_the_maintenance_account(
    help_pages, editor_client
):
    pages = Article.objects.filter(title__startswith="Help:")
    assert set(pages.values_list("title", flat=True)) == HELP_TITLES
    entries = LogEntry.objects.filter(type=LogEntry.Type.PROTECT, action="protect")
    assert set(entries.values_list("target", flat=True)) == HELP_TITLES
    assert set(entries.values_list("performer_name", flat=True)) == {"Maintenance script"}
    for page in pages:
        assert page.is_protected and page.protection_expires is None, page.title
        kinds = list(page.revisions.order_by("pk").values_list("kind", flat=True))
        assert kinds == [Revision.Kind.IMPORT, Revision.Kind.PROTECT], page.title
    shown = " ".join(log_text(editor_client, "/log?type=protect").split())
    assert "Maintenance script protected Help:Editing (Administrators only, indefinitely)" in shown
    assert "Help for editors: administrators keep it" in shown
    # Nobody can sign in as the maintenance account.
    account = LogEntry.objects.filter(target="Help:Editing").get().performer
    assert not account.has_usable_password() and not account.is_superuser


@pytest.mark.django_db
def test_an_editor_is_refused_and_loading_again_adds_no_protection(help_pages, editor_client):
    refused = editor_client.post(
        "/wiki/Help:Editing/edit",
        {"text": "Gone", "summary": "x", "base_revision": ""},
    )
    assert refused.status_code in {302, 403}
    assert Article.objects.get(title="Help:Editing").source.startswith("These help pages")
    assert LoadDemo(stdout=io.StringIO()).load_help() == 0
    assert LogEntry.objects.filter(type=LogEntry.Type.PROTECT).count() == len(HELP_TITLES)


@pytest.mark.django_db
def test_readers_lists_leave_the_help_pages_out(help_pages, hypertension, client):
    index = client.get("/index/H").content.decode()
    assert "Hypertension" in index and "Help:" not in index
    for _ in range(20):
        assert client.get("/random")["Location"] == "/wiki/Hypertension"
    assert "Help:" not in client.get("/").content.decode()  # "recently updated"
    sitemap = sitemap_text(client)
    assert "Hypertension" in sitemap and "Help:" not in sitemap


@pytest.mark.django_db
def test_help_pages_stay_reachable_by_url_and_in_their_category(help_pages, client):
    page = client.get("/wiki/Help:Editing")
    assert page.status_code == 200 and "The toolbar" in page.content.decode()
    assert client.get("/search", {"q": "Help:Editing"})["Location"] == "/wiki/Help:Editing"
    category = client.get("/category/Help").content.decode()
    assert "Help:Citing sources" in category and "Help:Images" in category


@pytest.mark.django_db
def test_readers_search_finds_no_help_page_and_editors_are_shown_the_matching_ones(
    help_pages, hypertension, editor_client
):
    query = {"q": "toolbar", "fulltext": "1"}
    reader = Client().get("/search", query).content.decode()
    assert "Hypertension" in reader
    assert "Help:Editing" not in reader and "Help for editors" not in reader
    editor = editor_client.get("/search", query).content.decode()
    assert "Hypertension" in editor
    helps = editor.split('id="help-matches-heading"')[1]
    assert "Help:Editing" in helps
    # Not in the search box's suggestions by a word of their text either.
    assert Client().get("/search/suggest", {"q": "Cit"}).json()[1] == []


@pytest.mark.django_db
def test_a_help_page_saved_again_stays_out_of_the_index_and_a_rebuild_leaves_it_out(
    help_pages, administrator, client
):
    save(Article.objects.get(title="Help:Tables"), administrator, "Tables: rows of toolbar.\n")
    assert (
        "Help:Tables" not in client.get("/search", {"q": "rows", "fulltext": "1"}).content.decode()
    )
    call_command("rebuild_search_index", stdout=io.StringIO())
    found = client.get("/search", {"q": "toolbar", "fulltext": "1"}).content.decode()
    assert "Help:" not in found


@pytest.mark.django_db
def test_the_editor_links_to_help_from_its_help_line_the_cite_form_and_the_image_dialog(
    help_pages, hypertension, editor_client
):
    page = editor_client.get("/wiki/Hypertension/edit").content.decode()
    for target in ("/wiki/Help:Editing", "/wiki/Help:Citing_sources", "/wiki/Help:Images"):
        assert f'href="{target}"' in page
        assert editor_client.get(target).status_code == 200


@pytest.mark.django_db
def test_a_maintenance_account_without_its_permission_is_given_it_back():
    User.objects.create_user("Maintenance script")
    assert LoadDemo(stdout=io.StringIO()).load_help() == len(HELP_TITLES)
    assert Article.objects.get(title="Help:Images").is_protected
