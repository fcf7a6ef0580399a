"""Links from a migrated MediaWiki (WikiMD) site keep working: permanent redirects to our URLs."""

import re

import pytest

from encyclopedia import legacy
from wiki.models import Category

from .conftest import SAMPLE_SOURCE, save


def moved_to(client, url):
    response = client.get(url)
    assert response.status_code == 301, (url, response.status_code)
    return response["Location"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/index.php?title=Sample_condition", "/wiki/Sample_condition"),
        ("/index.php?title=sample condition", "/wiki/Sample_condition"),
        ("/index.php/Sample_condition", "/wiki/Sample_condition"),
        ("/index.php?title=Sample_condition&action=edit", "/wiki/Sample_condition/edit"),
        (
            "/index.php?title=Sample_condition&action=edit&section=2",
            "/wiki/Sample_condition/edit?section=2",
        ),
        (
            "/index.php?title=Sample_condition&action=edit&section=0",
            "/wiki/Sample_condition/edit?section=0",
        ),
        (
            "/index.php?title=Sample_condition&action=edit&section=new",
            "/wiki/Sample_condition/edit",
        ),
        ("/index.php?title=Sample_condition&action=history", "/wiki/Sample_condition/history"),
        ("/index.php?title=Sample_condition&action=info", "/wiki/Sample_condition/info"),
        ("/index.php?title=Sample_condition&printable=yes", "/wiki/Sample_condition?printable=yes"),
        ("/index.php?title=Special:Search&search=head+ache", "/search?q=head+ache"),
        ("/index.php?search=rash", "/search?q=rash"),
        ("/wiki/Special:Search?search=sleep", "/search?q=sleep"),
        ("/wiki/Special:Search/sleep", "/search?q=sleep"),
        ("/wiki/Special:Random", "/random"),
        ("/wiki/Special:AllPages", "/index/"),
        ("/wiki/Special:WhatLinksHere/Other_condition", "/wiki/Other_condition/links"),
        (
            "/index.php?title=Special:WhatLinksHere&target=Other+condition",
            "/wiki/Other_condition/links",
        ),
        ("/index.php?title=Category:Disease_Index", "/category/Disease_Index"),
        ("/wiki/Category:Disease_Index", "/category/Disease_Index"),
        ("/index.php", "/"),
        ("/index.php?title=Main_Page", "/"),
    ],
)
def test_old_mediawiki_urls_redirect_permanently(client, make_article, old, new):
    make_article()
    assert moved_to(client, old) == new


def test_oldid_goes_to_that_revision(client, make_article, editor):
    article = make_article(user=editor)
    first = article.latest_revision_id
    url = moved_to(client, f"/index.php?title=Sample_condition&oldid={first}")
    assert url == f"/wiki/Sample_condition/revision/{first}"
    assert "This is the current revision" in client.get(url).content.decode()


def test_oldid_without_a_title_finds_the_article(client, make_article, editor):
    article = make_article(user=editor)
    rev = article.latest_revision_id
    assert moved_to(client, f"/index.php?oldid={rev}") == f"/wiki/Sample_condition/revision/{rev}"


def test_diff_links_go_to_our_comparison(client, make_article, editor):
    article = make_article(user=editor)
    first = article.latest_revision_id
    second = save(article, editor, SAMPLE_SOURCE + "\nMore.\n").revision.pk
    assert (
        moved_to(client, f"/index.php?title=Sample_condition&diff={second}&oldid={first}")
        == f"/wiki/Sample_condition/diff?from={first}&to={second}"
    )
    assert (
        moved_to(client, f"/index.php?title=Sample_condition&diff={second}")
        == f"/wiki/Sample_condition/diff?from={first}&to={second}"
    )
    assert (
        moved_to(client, f"/index.php?title=Sample_condition&diff=prev&oldid={second}")
        == f"/wiki/Sample_condition/diff?from={first}&to={second}"
    )


def test_the_redirected_addresses_answer(client, make_article):
    Category.objects.create(name="Disease Index")
    make_article(categories=["Disease Index"])
    for old in ["/index.php?title=Sample_condition", "/wiki/Category:Disease_Index"]:
        response = client.get(old, follow=True)
        assert response.status_code == 200 and "Sample condition" in response.content.decode()


def test_an_invalid_title_is_a_404_not_an_error(client, db):
    assert client.get("/index.php?title=Bad[title]").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/index.php?oldid=99999999999999999999",
        "/index.php?title=Sample_condition&oldid=99999999999999999999",
        "/index.php?diff=99999999999999999999",
        "/index.php?title=Sample_condition&diff=99999999999999999999&oldid=1",
        "/index.php?title=Sample_condition&diff=prev&oldid=99999999999999999999",
        "/index.php?curid=99999999999999999999",
    ],
)
def test_an_old_link_with_a_number_too_big_to_exist_is_not_found(client, make_article, url):
    make_article()
    assert client.get(url, follow=True).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/wiki/Special:Version",
        "/wiki/Special:SpecialPages",
        "/wiki/Special:Diff/abc",
        "/wiki/Special:Diff/99999999",
        "/wiki/Special:PermanentLink/99999999999999999999",
        "/wiki/Special:PermanentLink",
        "/index.php?title=Special:Nuke",
        "/index.php?curid=3",
        "/index.php?curid=abc",
    ],
)
def test_an_old_page_we_do_not_have_is_a_404_with_the_search_box(client, make_article, url):
    make_article()
    response = client.get(url)
    assert response.status_code == 404
    assert 'name="q"' in response.content.decode()


def test_old_contributions_links_go_to_the_contributor_page(client, make_article, editor):
    make_article(user=editor)
    for old in [
        "/wiki/Special:Contributions/Edna_Marsh",
        "/index.php?title=Special:Contributions&target=Edna+Marsh",
    ]:
        new = moved_to(client, old)
        assert new == "/contributor/Edna_Marsh"
        assert client.get(new).context["person"].user == editor


# Every MediaWiki special page this site has a page for, and where its old links land.
SPECIAL_PAGES = [
    ("/wiki/Special:Search?search=sleep", "/search?q=sleep"),
    ("/wiki/Special:Random", "/random"),
    ("/wiki/Special:RandomPage", "/random"),
    ("/wiki/Special:AllPages", "/index/"),
    ("/wiki/Special:RecentChanges", "/recent-changes"),
    ("/wiki/Special:WhatLinksHere/Sample_condition", "/wiki/Sample_condition/links"),
    ("/wiki/Special:Contributions/ada", "/contributor/ada"),
    ("/wiki/Special:Log/delete", "/log?type=delete"),
    ("/wiki/Special:Upload", "/upload"),
    ("/wiki/Special:MovePage/Sample_condition", "/wiki/Sample_condition/move"),
    (
        "/index.php?title=Special:Export&pages=Sample_condition",
        "/wiki/Special:Export/Sample_condition",
    ),
    ("/wiki/Special:PendingChanges", "/review-queue"),
    ("/wiki/Special:Watchlist", "/watchlist"),
    ("/wiki/Special:EditWatchlist", "/watchlist/edit"),
    ("/wiki/Special:EditWatchlist/raw", "/watchlist/edit"),
    ("/wiki/Special:CreateAccount", "/accounts/register"),
    ("/index.php?title=Special:UserLogin&type=signup", "/accounts/register"),
    ("/wiki/Special:UserLogin", "/accounts/login/"),
    (
        "/index.php?title=Special:UserLogin&returnto=Sample+condition",
        "/accounts/login/?next=%2Fwiki%2FSample_condition",
    ),
    ("/wiki/Special:Preferences", "/accounts/preferences"),
    ("/wiki/Special:ChangePassword", "/accounts/password_change/"),
    ("/wiki/Special:ChangeCredentials", "/accounts/password_change/"),
    ("/wiki/Special:PasswordReset", "/accounts/password_reset/"),
    ("/wiki/Special:PermanentLink/{first}", "/wiki/Sample_condition/revision/{first}"),
    ("/wiki/Special:Diff/{second}", "/wiki/Sample_condition/diff?from={first}&to={second}"),
    ("/wiki/Special:Diff/{first}/{second}", "/wiki/Sample_condition/diff?from={first}&to={second}"),
    ("/wiki/Special:DoubleRedirects", "/redirects"),
    ("/wiki/Special:BrokenRedirects", "/redirects"),
]


def test_the_table_above_covers_every_special_page_the_site_answers():
    named = {re.split(r"[/?&]", old.split("Special:")[1])[0].lower() for old, _ in SPECIAL_PAGES}
    aliases = {"index", "login", "unreviewedpages", "oldreviewedpages"}
    elsewhere = {"undelete", "block"}  # tests/test_logs.py (they need a deleted page, a user)
    assert set(legacy.SPECIAL_PAGES) - aliases - elsewhere == named


@pytest.mark.parametrize(("old", "new"), SPECIAL_PAGES)
def test_every_special_page_we_have_is_reached_from_its_old_link(
    client, administrator, make_article, old, new, settings
):
    settings.REGISTRATION_OPEN = True
    article = make_article(user=administrator)
    first = article.latest_revision_id
    second = save(article, administrator, SAMPLE_SOURCE + "\nMore.\n").revision.pk
    old, new = old.format(first=first, second=second), new.format(first=first, second=second)
    client.force_login(administrator)
    if "returnto" in old or "type=signup" in old:
        client.logout()
    assert moved_to(client, old) == new
    assert client.get(new, follow=True).status_code == 200
