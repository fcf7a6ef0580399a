"""Articles credit the people who wrote them; contributors keep their name and credentials."""

import pytest

from wiki.models import Article, Contributor, Revision
from wiki.services import ArticleEdit, article_save

from .conftest import SAMPLE_SOURCE, save


def credits_line(client, slug="Sample_condition"):
    page = client.get(f"/wiki/{slug}").content.decode()
    return page.split('<p class="credits">', 1)[1].split("</p>", 1)[0]


def test_contributors_are_credited_in_order_of_first_contribution_with_credentials(
    client, make_article, editor, other_editor
):
    article = make_article(user=other_editor)
    save(article, editor, SAMPLE_SOURCE + "\nMore.\n")
    save(article, other_editor, SAMPLE_SOURCE + "\nEven more.\n")
    Contributor.objects.filter(user=editor).update(credentials="MD")
    line = credits_line(client)
    assert line.index(">otto<") < line.index(">Edna Marsh, MD<")
    assert line.count(">otto<") == 1


def test_imported_credits_are_merged_with_editors(client, editor):
    imported = Contributor.objects.create(name="Ruth Imported", credentials="RN")
    result = article_save(
        article=Article(title="Sample condition"),
        edit=ArticleEdit(
            user=None,
            text=SAMPLE_SOURCE,
            base_revision=None,
            imported_credits=[imported],
            kind="import",
        ),
    )
    save(result.article, editor, SAMPLE_SOURCE + "\nMore.\n")
    line = credits_line(client)
    assert line.index("Ruth Imported, RN") < line.index("Edna Marsh")


def test_a_user_edits_their_own_display_name_and_credentials(client, make_article, editor):
    make_article(user=editor)
    client.force_login(editor)
    form = client.get("/accounts/profile").content.decode()
    assert 'value="Edna Marsh"' in form
    response = client.post(
        "/accounts/profile",
        {"name": "Edna  Marsh-Hale", "credentials": "MD, MPH", "bio": "Family doctor."},
        follow=True,
    )
    assert "Your profile was saved." in response.content.decode()
    assert ">Edna Marsh-Hale, MD, MPH<" in credits_line(client)
    person = client.get("/contributor/Edna_Marsh-Hale").content.decode()
    assert "Family doctor." in person and "Edna Marsh-Hale, MD, MPH" in person


def test_a_display_name_already_taken_is_refused(client, make_article, editor, other_editor):
    make_article(user=other_editor)
    client.force_login(editor)
    response = client.post("/accounts/profile", {"name": "otto", "credentials": ""})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert not Contributor.objects.filter(user=editor).exists()


def test_signing_in_is_needed_to_edit_a_profile(client):
    response = client.get("/accounts/profile")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_admins_edit_anyones_credentials_in_the_admin(admin_client_, client, make_article, editor):
    make_article(user=editor)
    person = Contributor.objects.get(user=editor)
    response = admin_client_.post(
        f"/admin/wiki/contributor/{person.pk}/change/",
        {
            "name": "Edna Marsh",
            "credentials": "PhD",
            "user": editor.pk,
            "bio": "",
        },
    )
    assert response.status_code == 302
    assert ">Edna Marsh, PhD<" in credits_line(client)


def test_the_contributor_page_lists_edits_and_credited_articles(client, make_article, editor):
    article = make_article(user=editor)
    make_article(title="Other condition", source="Other.\n", user=editor)
    save(article, editor, SAMPLE_SOURCE + "\nMore.\n", summary="Added more")
    page = client.get("/contributor/Edna_Marsh").content.decode()
    credited = page.split("Credited on", 1)[1].split("<h2>", 1)[0]
    assert (
        'href="/wiki/Other_condition"' in credited and 'href="/wiki/Sample_condition"' in credited
    )
    assert "Added more" in page and 'Edits <span class="muted">(3)</span>' in page


def test_the_contributor_page_is_paginated(client, make_article, editor):
    article = make_article(user=editor, source="Start.\n")
    for n in range(51):
        save(article, editor, f"Start.\n\nLine {n}.\n")
    page = client.get("/contributor/Edna_Marsh").content.decode()
    assert "Page 1 of 2" in page
    assert "(Created)" in client.get("/contributor/Edna_Marsh?page=2").content.decode()


@pytest.mark.parametrize("revisions", [3, 30])
def test_the_contributor_page_makes_a_constant_number_of_queries(
    client, make_article, editor, django_assert_max_num_queries, revisions
):
    article = make_article(user=editor)
    for n in range(revisions - 1):
        save(article, editor, SAMPLE_SOURCE + f"\nEdit {n}.\n")
    assert Revision.objects.filter(contributor__user=editor).count() == revisions
    with django_assert_max_num_queries(5):  # the navigation bar's portals are one of them
        assert client.get("/contributor/Edna_Marsh").status_code == 200


def test_a_new_user_saves_a_profile_before_their_first_edit(client, reader):
    client.force_login(reader)
    assert 'value="rita"' in client.get("/accounts/profile").content.decode()
    assert not Contributor.objects.filter(user=reader).exists()  # looking creates nothing
    client.post("/accounts/profile", {"name": "Rita Reads", "credentials": "RN"})
    assert Contributor.objects.get(user=reader).display_name == "Rita Reads, RN"
