"""Who may edit: editors edit, administrators also edit protected articles, others are told why."""

import re

from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command

from tests.conftest import SAMPLE_SOURCE
from wiki.models import Article
from wiki.permissions import EDITORS_GROUP

EDIT = "/wiki/Sample_condition/edit"


def test_the_editors_group_exists_with_permission_to_add_and_change_articles(db):
    editors = Group.objects.get(name=EDITORS_GROUP)
    codenames = set(editors.permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article"} <= codenames
    assert "delete_article" not in codenames and "edit_protected_article" not in codenames


def test_anonymous_visitors_are_sent_to_sign_in_and_come_back(client, make_article, editor):
    make_article()
    response = client.get(EDIT + "?section=1")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/wiki/Sample_condition/edit%3Fsection%3D1"
    login_page = client.get(response["Location"])
    assert "Sign in to continue." in login_page.content.decode()
    signed_in = client.post(
        "/accounts/login/",
        {
            "username": "edna",
            "password": "pw-edna-123",
            "next": "/wiki/Sample_condition/edit?section=1",
        },
    )
    assert signed_in["Location"] == "/wiki/Sample_condition/edit?section=1"
    assert client.get(signed_in["Location"]).status_code == 200


def test_anonymous_posts_change_nothing(client, make_article):
    article = make_article()
    response = client.post(
        EDIT, {"text": "Vandalism.\n", "base_revision": article.latest_revision_id}
    )
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Article.objects.get().source == SAMPLE_SOURCE


def test_the_create_form_also_needs_an_account(client, db):
    response = client.get("/wiki/Brand_new/edit")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_reader_outside_editors_gets_403_saying_why(client, reader, make_article):
    article = make_article()
    client.force_login(reader)
    for response in (
        client.get(EDIT),
        client.get("/wiki/Brand_new/edit"),
        client.post(EDIT, {"text": "x", "base_revision": article.latest_revision_id}),
    ):
        assert response.status_code == 403
        assert "Your account is not in the Editors group" in response.content.decode()
    assert Article.objects.get().revisions.count() == 1


def test_a_protected_article_admits_only_administrators(
    client, editor, administrator, make_article
):
    article = make_article()
    article.protection = Article.Protection.ADMINS
    article.save()
    client.force_login(editor)
    refused = client.get(EDIT)
    assert refused.status_code == 403
    assert "This article is protected: only administrators can edit it." in (
        refused.content.decode()
    )
    refused = client.post(EDIT, {"text": "x", "base_revision": article.latest_revision_id})
    assert refused.status_code == 403

    client.force_login(administrator)
    form = client.get(EDIT)
    assert form.status_code == 200
    assert "This article is protected" in form.content.decode()
    saved = client.post(
        EDIT + "?section=0",
        {"text": "An administrator's lead.\n\n", "base_revision": article.latest_revision_id},
    )
    assert saved.status_code == 302
    assert Article.objects.get().lead == "An administrator's lead.\n"


def test_a_user_given_the_protected_permission_may_edit_protected_articles(
    client, editor, make_article
):
    article = make_article()
    article.protection = Article.Protection.ADMINS
    article.save()
    editor.user_permissions.add(Permission.objects.get(codename="edit_protected_article"))
    client.force_login(User.objects.get(pk=editor.pk))
    assert client.get(EDIT).status_code == 200


def test_sign_in_and_sign_out_pages(client, editor):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert 'name="username"' in page.content.decode() and 'name="password"' in page.content.decode()
    wrong = client.post("/accounts/login/", {"username": "edna", "password": "nope"})
    assert "did not match" in wrong.content.decode()
    right = client.post("/accounts/login/", {"username": "edna", "password": "pw-edna-123"})
    assert right.status_code == 302
    assert "Sign out" in client.get("/").content.decode()
    out = client.post("/accounts/logout/")
    assert out.status_code == 302
    assert "Sign in" in client.get("/").content.decode()


def test_the_demo_accounts_command_prints_a_working_editor_password(client, db, capsys):
    call_command("demo_accounts")
    printed = capsys.readouterr().out
    assert "/accounts/login/" in printed
    password = re.search(r"editor\s+password (\S+)", printed).group(1)
    assert len(password) >= 12
    assert client.login(username="editor", password=password)
    assert User.objects.get(username="editor").groups.filter(name=EDITORS_GROUP).exists()
    call_command("demo_accounts")  # a second run makes a new password
    assert not client.login(username="editor", password=password)
