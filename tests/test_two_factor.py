"""Two-step sign-in: an account sets it up with the key an authenticator app reads (codes
computed here from the key the page shows, as a phone would), then signs in with a code or a
single-use backup code; the admin's form and old sessions are held to the code; roles that
require it set it up before anything else; the Action API asks for the code as MediaWiki's
OATHAuth does (with mwclient, a real client), while bot passwords and API tokens keep
working."""

import time

import mwclient
import pytest
from django.contrib.auth.models import User
from django.test import Client
from lxml import html

from wiki.api.models import ApiToken, BotPassword
from wiki.models import Article

from .conftest import editors_group
from .helpers import mwclient_site
from .totp import next_totp, totp

PASSWORD = "a-long-test-password"


@pytest.fixture
def edna(db):
    user = User.objects.create_user("edna", password=PASSWORD)
    user.groups.add(editors_group())
    return user


def shown_key(page) -> str:
    return html.fromstring(page.content).get_element_by_id("otp-key").text_content()


def set_up(client) -> tuple[str, list[str]]:
    """Turn it on from the set-up page; (the key, the backup codes shown)."""
    key = shown_key(client.get("/accounts/two-step"))
    answer = client.post("/accounts/two-step", {"code": totp(key)})
    assert answer.status_code == 200, answer.content.decode()
    codes = html.fromstring(answer.content).xpath("//ol[@class='backup-codes']//code/text()")
    return key, codes


def password_step(client, username="edna", next_="/"):
    return client.post(
        "/accounts/login/", {"username": username, "password": PASSWORD, "next": next_}
    )


def signed_in_as(client) -> str:
    return client.get("/api.php?action=query&meta=userinfo&format=json").json()["query"][
        "userinfo"
    ]["name"]


def test_an_account_sets_it_up_then_signs_in_with_a_code_or_a_backup_code(client, edna):
    client.force_login(edna)
    page = client.get("/accounts/two-step")
    assert page.status_code == 200
    assert b"<svg" in page.content and "QR code" in page.content.decode()
    key = shown_key(page)
    wrong = client.post("/accounts/two-step", {"code": "000000" if totp(key) != "000000" else "1"})
    assert wrong.status_code == 400 and "does not match" in wrong.content.decode()
    time.sleep(1.1)  # django-otp slows the next try down after a wrong code
    key, codes = set_up(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "10 backup codes left" in client.get("/accounts/two-step").content.decode()
    client.logout()

    first = password_step(client, next_="/wiki/Special:Random")
    assert first.status_code == 302 and first["Location"].startswith("/accounts/login/code")
    assert signed_in_as(client) != "Edna"  # the password alone signs nobody in
    assert client.get("/accounts/profile").status_code == 302
    refused = client.post(first["Location"], {"code": "123456", "next": "/accounts/profile"})
    assert refused.status_code == 400 and "not right" in refused.content.decode()
    time.sleep(1.1)
    done = client.post(first["Location"], {"code": next_totp(key), "next": "/accounts/profile"})
    assert (done.status_code, done["Location"]) == (302, "/accounts/profile")
    assert signed_in_as(client) == "Edna"
    client.logout()

    for attempt in range(2):  # a backup code signs in once
        password_step(client)
        answer = client.post("/accounts/login/code", {"code": codes[0], "next": "/"})
        assert answer.status_code == (302 if attempt == 0 else 400)
        client.logout()
    client.force_login(edna)
    assert "9 backup codes left" in client.get("/accounts/two-step").content.decode()


def test_wrong_codes_are_throttled_like_passwords(client, edna, settings):
    settings.SIGNIN_FAILURES_PER_ACCOUNT = 3
    client.force_login(edna)
    key, _ = set_up(client)
    client.logout()
    password_step(client)
    statuses = [
        client.post("/accounts/login/code", {"code": "111111"}).status_code for _ in range(3)
    ]
    assert statuses == [400, 400, 400]
    locked = client.post("/accounts/login/code", {"code": next_totp(key)})
    assert locked.status_code == 429 and "Too many failed" in locked.content.decode()
    assert signed_in_as(client) != "Edna"


def test_the_admin_form_and_sessions_from_before_are_held_to_the_code(
    client, administrator, make_article
):
    second = Client()
    second.force_login(administrator)  # a session from before it was turned on
    client.force_login(administrator)
    key, _ = set_up(client)
    client.logout()

    answer = client.post(
        "/admin/login/?next=/admin/", {"username": "ada", "password": "pw-ada-123"}
    )
    assert answer.status_code == 302  # the password was right…
    held = client.get("/admin/")
    assert held.status_code == 302 and held["Location"].startswith("/accounts/login/code")
    assert client.get("/admin/").status_code == 302  # …but the admin stays closed
    client.post("/accounts/login/code", {"code": next_totp(key)})
    assert client.get("/admin/").status_code == 200

    make_article("Sample", "Text.\n")
    typed = "A careful paragraph the administrator typed before the second step was on."
    posted = second.post("/wiki/Sample/edit", {"text": typed, "summary": "s"})
    assert posted.status_code == 403
    assert typed in posted.content.decode()  # handed back, not dropped
    assert Article.objects.get(title="Sample").source == "Text.\n"


def test_a_role_that_requires_it_sets_it_up_before_anything_else(client, reviewer, settings):
    settings.TWO_FACTOR_REQUIRED_FOR = ["reviewers", "administrators"]
    reviewer.set_password(PASSWORD)
    reviewer.save()
    password_step(client, username="jane")
    sent = client.get("/review-queue")
    assert sent.status_code == 302 and sent["Location"].startswith("/accounts/two-step")
    page = client.get(sent["Location"])
    assert "Your role on this site requires two-step sign-in" in page.content.decode()
    set_up(client)
    assert client.get("/review-queue").status_code == 200
    turn_off = client.post("/accounts/two-step", {"code": "000000", "action": "off"})
    assert turn_off.status_code == 400
    assert "it stays on" in client.get("/accounts/two-step").content.decode()


def test_an_account_not_required_turns_it_off_with_a_code(client, edna):
    client.force_login(edna)
    key, _ = set_up(client)
    answer = client.post("/accounts/two-step", {"code": next_totp(key), "action": "off"})
    assert answer.status_code == 200 and "now off" in answer.content.decode()
    client.logout()
    assert password_step(client)["Location"] == "/"


@pytest.mark.django_db(transaction=True)
def test_api_clients_give_the_code_in_clientlogin_and_bots_keep_working(live_server):
    edna = User.objects.create_user("edna", password=PASSWORD)
    edna.groups.add(editors_group())
    web = Client()
    web.force_login(edna)
    key, _ = set_up(web)
    _, token = ApiToken.issue(user=edna, name="script")  # made once signed in, both steps
    _, bot_password = BotPassword.issue(user=edna, appname="fixer", grants=["editpage"])

    with pytest.raises(mwclient.errors.LoginError) as refused:
        mwclient_site(live_server).login("Edna", PASSWORD)  # action=login: the password alone
    assert "two steps" in str(refused.value)

    site = mwclient_site(live_server)
    asked = site.clientlogin(username="Edna", password=PASSWORD)
    assert asked["status"] == "UI" and "OATHToken" in asked["requests"][0]["fields"]
    again = site.clientlogin(logincontinue=True, OATHToken="000001")
    assert again["status"] == "UI" and again["messagecode"] == "oathauth-login-failed"
    time.sleep(1.1)
    assert site.clientlogin(logincontinue=True, OATHToken=next_totp(key)) is True
    site.site_init()
    assert site.logged_in and site.username == "Edna"
    site.pages["Made by a signed-in client"].edit("Text.\n", summary="first")
    assert Article.objects.filter(title="Made by a signed-in client").exists()

    bot = mwclient_site(live_server)
    bot.login("Edna@fixer", bot_password)  # bot passwords: no code, as on MediaWiki
    bot.pages["Made by a signed-in client"].edit("Text, fixed.\n", summary="bot")
    made = Client().post(
        "/api/v1/articles",
        {"title": "Made with a token", "text": "Text.\n", "summary": "token"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert made.status_code == 201, made.content
