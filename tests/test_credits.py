"""Articles credit the people who wrote them; contributors keep their name and credentials."""

import os

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
    assert 'rel="next"' in page and 'Edits <span class="muted">(52)</span>' in page
    assert "(Created)" in client.get("/contributor/Edna_Marsh?dir=last").content.decode()


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


def test_every_name_of_the_demo_credits_is_traced_to_the_import_that_credited_it(db, client):
    from django.core.management import call_command

    call_command("load_demo", stdout=open(os.devnull, "w"))
    line = credits_line(client, "Asthma")
    assert "Kenji Watanabe, MD" in line and "Lucía Ferrer, RN" in line
    assert 'href="/wiki/Asthma/credits"' in line
    imported = Revision.objects.get(article__slug="Asthma")
    # The history's import row says who it credited.
    history = client.get("/wiki/Asthma/history").content.decode()
    row = history.split('<span class="history-credits">', 1)[1].split("</span>", 1)[0]
    assert "credited by this import" in row
    assert "Kenji Watanabe, MD" in row and "Lucía Ferrer, RN" in row
    # The credits page: each name, from which import, when.
    page = client.get("/wiki/Asthma/credits").content.decode()
    for name in ("Kenji Watanabe, MD", "Lucía Ferrer, RN"):
        entry = page.split(f">{name}</a>", 1)[1].split("</li>", 1)[0]
        assert "credited by an import" in entry
        assert f'href="/wiki/Asthma/revision/{imported.pk}"' in entry
        assert f"{imported.created_at:%-d %B %Y}" in entry and "Demo content" in entry
    # Loading again credits nobody new and records nothing.
    call_command("load_demo", stdout=open(os.devnull, "w"))
    assert Revision.objects.filter(article__slug="Asthma").count() == 1


def test_an_import_crediting_new_names_to_an_unchanged_text_is_in_the_history(
    client, make_article, editor
):
    article = make_article(user=editor)
    added = Contributor.objects.create(name="Ruth Added", credentials="RN")
    result = article_save(
        article=article,
        edit=ArticleEdit(
            user=None,
            text=SAMPLE_SOURCE,
            base_revision=article.latest_revision_id,
            imported_credits=[added],
            kind="import",
            summary="Import from the old site",
        ),
    )
    assert result.revision is not None and result.revision.kind == "import"
    history = client.get(f"/wiki/{article.slug}/history").content.decode()
    assert "credited by this import" in history and "Ruth Added, RN" in history
    page = client.get(f"/wiki/{article.slug}/credits").content.decode()
    ruth = page.split(">Ruth Added, RN</a>", 1)[1].split("</li>", 1)[0]
    assert f"revision {result.revision.pk}" in ruth and "Import from the old site" in ruth
    edna = page.split(">Edna Marsh</a>", 1)[1].split("</li>", 1)[0]
    assert "an editor of the article since" in edna


def test_a_batch_markdown_import_traces_its_credits(db, tmp_path, client):
    from wiki.markdown_import import import_paths

    (tmp_path / "a.md").write_text(
        "---\ntitle: Bulk one\ncontributors: [Ada Bulk]\n---\nText.\n", encoding="utf-8"
    )
    import_paths([tmp_path / "a.md"])
    revision = Revision.objects.get(article__slug="Bulk_one")
    page = client.get("/wiki/Bulk_one/credits").content.decode()
    ada = page.split(">Ada Bulk</a>", 1)[1].split("</li>", 1)[0]
    assert f"revision {revision.pk}" in ada and "credited by an import" in ada
