"""Contributor pages: every name a user can choose has a link that leads to its own page."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import User

from tests.conftest import editors_group, save
from wiki.models import Contributor

NAMES = [
    "Dr. Ada #2",
    "Who? Me",
    "Smith/Jones",
    "100% sure",
    "jane_doe",
    "Jane Roe",
    "a_b c",
    "Zoë Ångström-Łukasiewicz",
    "...Dots...",
    "(Anon)!",
    "&amp; <b>",
]


def contributor_links(html: str) -> set[str]:
    return {unescape(href) for href in re.findall(r'href="(/contributor/[^"]*)"', html)}


def editor_named(name: str) -> User:
    user = User.objects.create_user(f"user{abs(hash(name))}", password="pw-x-123456")
    user.groups.add(editors_group())
    Contributor.objects.create(name=name, user=user)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_every_page_that_names_a_contributor_links_to_their_own_page(client, make_article, name):
    user = editor_named(name)
    article = make_article(title="Named condition", user=user)
    save(article, user, article.source + "\nMore text.\n", summary="More")
    client.force_login(user)
    pages = [
        article.get_absolute_url(),
        f"/wiki/{article.slug}/history",
        f"/wiki/{article.slug}/info",
        "/recent-changes",
        "/accounts/profile",
    ]
    links = set()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        links |= contributor_links(response.content.decode())
    assert links, "the pages link the contributor"
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert response.context["person"].name == name


@pytest.mark.django_db
def test_a_user_name_with_an_underscore_leads_to_its_page(client, make_article):
    user = User.objects.create_user("jane_doe", password="pw-jane-123")
    user.groups.add(editors_group())
    make_article(title="Underscored", user=user)
    links = contributor_links(client.get("/wiki/Underscored").content.decode())
    assert links == {"/contributor/jane_doe"}
    response = client.get("/contributor/jane_doe")
    assert response.status_code == 200
    assert response.context["person"].user == user


@pytest.mark.django_db
def test_old_links_with_underscores_for_spaces_keep_working(client, make_article):
    Contributor.objects.create(name="Jane Roe")
    response = client.get("/contributor/Jane_Roe")
    assert response.status_code == 200
    assert response.context["person"].name == "Jane Roe"


@pytest.mark.django_db
def test_an_unknown_contributor_is_a_404(client, db):
    assert client.get("/contributor/Nobody_here%23").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed, message",
    [
        ("Bell\x07Ringer", "cannot contain control characters"),
        ("Tab\x1bEscape", "cannot contain control characters"),
        ("..", "cannot be"),
        ("Me/../You", "cannot be"),
    ],
)
def test_a_display_name_with_refused_characters_is_a_form_error(editor_client, typed, message):
    response = editor_client.post("/accounts/profile", {"name": typed, "credentials": ""})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contributor.objects.filter(name=typed).exists()


@pytest.mark.django_db
def test_a_name_that_only_differs_by_underscores_from_anothers_is_refused(editor_client):
    Contributor.objects.create(name="jane_doe")  # made from a user name
    response = editor_client.post("/accounts/profile", {"name": "jane doe", "credentials": ""})
    assert response.status_code == 200
    assert "already" in response.content.decode()
    assert not Contributor.objects.filter(name="jane doe").exists()


@pytest.mark.django_db
def test_a_new_profile_never_takes_a_name_another_contributors_link_uses(make_article):
    Contributor.objects.create(name="jane doe")
    user = User.objects.create_user("jane_doe", password="pw-jane-123")
    user.groups.add(editors_group())
    make_article(title="Second Jane", user=user)
    assert user.contributor.name == "jane_doe (jane_doe)"
