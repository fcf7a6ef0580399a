"""Personal API tokens on the profile page: made, shown once, used, revoked."""

import pytest

from wiki.api.models import ApiToken

pytestmark = pytest.mark.django_db


def make_token(client, name="reference bot"):
    return client.post("/accounts/profile/tokens", {"token-name": name}, follow=True)


def test_an_editor_makes_a_token_sees_it_once_and_it_works(editor_client, make_article, editor):
    make_article()
    page = make_token(editor_client).content.decode()
    token = ApiToken.objects.get(user=editor)
    assert "Copy it now: it is not shown again." in page
    text = page.split('<code class="token-text">')[1].split("</code>")[0]
    assert text.startswith(token.hint) and token.digest not in page
    again = editor_client.get("/accounts/profile").content.decode()
    assert text not in again  # shown once
    assert "reference bot" in again and token.hint in again
    response = editor_client.put(
        "/api/v1/articles/Sample_condition",
        {"text": "## Causes\n\nA virus.", "section": 2, "base_revision": None},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {text}",
    )
    assert response.status_code == 200
    assert (
        "never"
        not in editor_client.get("/accounts/profile")
        .content.decode()
        .split("reference bot")[1]
        .split("</tr>")[0]
    )


def test_a_revoked_token_no_longer_works(editor_client, editor):
    make_token(editor_client)
    token = ApiToken.objects.get(user=editor)
    page = editor_client.post(f"/accounts/profile/tokens/{token.pk}/revoke", follow=True)
    assert "was revoked" in page.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "You have no API tokens." in page.content.decode()


def test_nobody_revokes_another_users_token(client, editor, other_editor):
    token, _ = ApiToken.issue(user=editor, name="mine")
    client.force_login(other_editor)
    response = client.post(f"/accounts/profile/tokens/{token.pk}/revoke")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_needs_a_name_and_a_signed_in_user(client, editor_client, editor):
    page = make_token(editor_client, name="").content.decode()
    assert "Give the token a name" in page
    assert not ApiToken.objects.exists()
    client.logout()
    response = client.post("/accounts/profile/tokens", {"token-name": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_making_a_token_is_a_post_with_csrf(editor):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post("/accounts/profile/tokens", {"token-name": "x"}).status_code == 403
    assert strict.get("/accounts/profile/tokens").status_code == 405


def test_every_page_links_the_api_documentation_from_its_footer(client):
    page = client.get("/").content.decode()
    footer = page.split('<footer class="site-footer">')[1]
    assert '<a href="/api/v1/docs">API</a>' in footer


def test_an_administrator_revokes_a_token_in_the_admin(admin_client_, editor):
    token, _ = ApiToken.issue(user=editor, name="stray bot")
    listing = admin_client_.get("/admin/wiki_api/apitoken/").content.decode()
    assert "stray bot" in listing and token.digest not in listing
    admin_client_.post(
        "/admin/wiki_api/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
