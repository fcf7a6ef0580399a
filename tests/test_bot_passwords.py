"""Bot passwords (MediaWiki's Special:BotPasswords), the Bots group's flag on recent changes,
and the checks the Action API makes before any module: maxlag and assert=user|bot."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests.conftest import save
from wiki.api.models import BotPassword
from wiki.editorial.models import Block
from wiki.models import Article, Revision
from wiki.permissions import BOTS_GROUP, ensure_groups

API = "/api.php"


def make_bot_password(client, appname="fixer", grants=("editpage",)):
    return client.post(
        "/accounts/profile/bot-passwords",
        {"bot-appname": appname, "bot-grants": list(grants)},
        follow=True,
    )


def shown_password(page) -> str:
    return re.search(r'bot-password-text">([0-9a-f]+)<', page.content.decode()).group(1)


def bot_login(name: str, password: str) -> tuple[Client, dict]:
    """A fresh client signed in with action=login as a bot does; the login answer."""
    bot = Client()
    token = bot.post(API, {"action": "login", "format": "json"}).json()["login"]["token"]
    answer = bot.post(
        API,
        {"action": "login", "lgname": name, "lgpassword": password, "lgtoken": token},
    ).json()
    return bot, answer["login"]


def csrf(client) -> str:
    return client.get(API, {"action": "query", "meta": "tokens"}).json()["query"]["tokens"][
        "csrftoken"
    ]


def api_edit(client, title, text, **extra):
    data = {"action": "edit", "title": title, "text": text, "token": csrf(client), **extra}
    return client.post(API, {**data, "format": "json"})


def test_an_editor_makes_a_bot_password_sees_it_once_and_signs_in_with_it(editor_client, editor):
    page = make_bot_password(editor_client)
    assert "edna@fixer" in page.content.decode()
    password = shown_password(page)
    stored = BotPassword.objects.get(user=editor)
    assert stored.grants == ["basic", "editpage"]
    assert password not in stored.password_hash
    again = editor_client.get("/accounts/profile").content.decode()
    assert password not in again and "edna@fixer" in again  # listed, never shown again

    bot, answer = bot_login("Edna@fixer", password)
    assert answer["result"] == "Success" and answer["lgusername"] == "Edna"
    info = bot.get(API, {"action": "query", "meta": "userinfo", "uiprop": "rights"}).json()
    rights = info["query"]["userinfo"]["rights"]
    assert "edit" in rights and "createpage" not in rights and "move" not in rights

    assert bot_login("Edna@fixer", "wrong")[1]["result"] == "Failed"
    assert bot_login("Edna@other", password)[1]["result"] == "Failed"


def test_clientlogin_refuses_a_bot_password(editor_client):
    password = shown_password(make_bot_password(editor_client))
    bot = Client()
    token = bot.get(API, {"action": "query", "meta": "tokens", "type": "login"}).json()
    answer = bot.post(
        API,
        {
            "action": "clientlogin",
            "username": "Edna@fixer",
            "password": password,
            "logintoken": token["query"]["tokens"]["logintoken"],
            "loginreturnurl": "http://localhost/",
        },
    ).json()
    assert answer["clientlogin"]["status"] == "FAIL"


def test_only_the_rights_the_editor_has_are_offered(editor_client, administrator):
    offered = editor_client.get("/accounts/profile").content.decode()
    assert "Edit existing pages" in offered and "Create, edit and move pages" in offered
    assert "Delete and undelete pages" not in offered and "Protect" not in offered
    admin = Client()
    admin.force_login(administrator)
    assert "Delete and undelete pages" in admin.get("/accounts/profile").content.decode()
    make_bot_password(editor_client, grants=("editpage", "delete"))  # a forged choice
    assert not BotPassword.objects.exists()


def test_a_bot_password_edits_only_what_it_was_granted(editor_client, make_article, editor):
    make_article(title="Sample condition", user=editor)
    bot, _ = bot_login("Edna@fixer", shown_password(make_bot_password(editor_client)))

    assert api_edit(bot, "Sample condition", "Rest helps.").json()["edit"]["result"] == "Success"
    assert Article.objects.get(title="Sample condition").latest_revision.user == editor

    refused = api_edit(bot, "Brand new page", "Text.")
    assert refused["MediaWiki-API-Error"] == "permissiondenied"
    error = refused.json()["error"]
    assert error["info"].startswith("You don't have permission to create this page")
    assert not Article.objects.filter(title="Brand new page").exists()
    moved = bot.post(
        API,
        {"action": "move", "from": "Sample condition", "to": "Sample disorder", "token": csrf(bot)},
    ).json()
    assert moved["error"]["code"] == "permissiondenied"


def test_a_bot_password_session_does_not_reach_the_sites_pages(editor_client):
    bot, _ = bot_login("Edna@fixer", shown_password(make_bot_password(editor_client)))
    assert bot.get("/accounts/profile")["Location"].startswith("/accounts/login")
    assert (
        bot.get(API, {"action": "query", "meta": "userinfo"}).json()["query"]["userinfo"]["name"]
        == "Edna"
    )


def test_a_revoked_bot_password_no_longer_signs_in_nor_edits(editor_client, make_article, editor):
    make_article(title="Sample condition", user=editor)
    password = shown_password(make_bot_password(editor_client))
    bot, _ = bot_login("Edna@fixer", password)
    token = csrf(bot)
    stored = BotPassword.objects.get()
    page = editor_client.post(f"/accounts/profile/bot-passwords/{stored.pk}/revoke", follow=True)
    assert "was revoked" in page.content.decode()

    refused = bot.post(
        API, {"action": "edit", "title": "Sample condition", "text": "Gone.", "token": token}
    ).json()
    assert refused["error"]["code"] in ("notloggedin", "badtoken")
    assert bot_login("Edna@fixer", password)[1]["result"] == "Failed"
    assert "Gone." not in Article.objects.get(title="Sample condition").source


def test_a_blocked_bot_is_refused_by_the_edit_door(editor_client, make_article, editor):
    make_article(title="Sample condition", user=editor)
    bot, _ = bot_login("Edna@fixer", shown_password(make_bot_password(editor_client)))
    Block.objects.create(user=editor, reason="Runaway bot")
    refused = api_edit(bot, "Sample condition", "Vandalised.")
    assert refused.json()["error"]["code"] == "blocked"
    assert "Vandalised." not in Article.objects.get(title="Sample condition").source


@pytest.fixture
def bot_edit(make_article, editor, other_editor):
    """Sample condition by Edna, then Otto (in the Bots group) edits it: Otto's is a bot's."""
    ensure_groups()
    other_editor.groups.add(Group.objects.get(name=BOTS_GROUP))
    article = make_article(title="Sample condition", user=editor)
    save(article, other_editor, article.source + "\nFixed a reference.\n", summary="Bot fix")
    return Revision.objects.get(summary="Bot fix")


def test_bot_edits_are_flagged_and_filtered_in_list_recentchanges(client, bot_edit):
    def changes(**extra):
        answer = client.get(API, {"action": "query", "list": "recentchanges", **extra}).json()
        return [(c["comment"], "bot" in c) for c in answer["query"]["recentchanges"]]

    assert changes() == [("Bot fix", True), ("Created", False)]
    assert changes(rcshow="!bot") == [("Created", False)]
    assert changes(rcshow="bot") == [("Bot fix", True)]
    v2 = client.get(API, {"action": "query", "list": "recentchanges", "formatversion": "2"}).json()
    assert [c["bot"] for c in v2["query"]["recentchanges"]] == [True, False]


def test_recent_changes_hide_bots_unless_shown(client, bot_edit):
    page = client.get("/recent-changes").content.decode()
    assert "Bot fix" not in page and "Created" in page and "Show bots" in page
    shown = client.get("/recent-changes", {"showbots": "1"}).content.decode()
    assert "Bot fix" in shown and 'class="bot-edit"' in shown
    feed = client.get("/recent-changes/feed").content.decode()
    assert "Bot fix" not in feed
    assert "Bot fix" in client.get("/recent-changes/feed", {"showbots": "1"}).content.decode()


def test_rest_recent_changes_hide_bots_unless_showbots(client, bot_edit):
    def changes(query=""):
        items = client.get(f"/api/v1/recent-changes{query}").json()["items"]
        return [(c["summary"], c["bot"]) for c in items]

    assert changes() == [("Created", False)]
    assert changes("?showbots=true") == [("Bot fix", True), ("Created", False)]
    assert changes("?showbots=false") == [("Created", False)]
    assert client.get("/api/v1/recent-changes?showbots=maybe").status_code == 400
    document = client.get("/api/v1/schema").json()
    parameters = document["paths"]["/api/v1/recent-changes"]["get"]["parameters"]
    showbots = next(p for p in parameters if p["name"] == "showbots")
    assert showbots["schema"]["type"] == "boolean" and "Bots group" in showbots["description"]


def test_assert_user_and_bot(editor_client, other_editor):
    query = {"action": "query", "meta": "userinfo"}
    anonymous = Client().get(API, {**query, "assert": "user"})
    assert anonymous["MediaWiki-API-Error"] == "assertuserfailed"
    assert editor_client.get(API, {**query, "assert": "user"}).json()["query"]
    not_bot = editor_client.get(API, {**query, "assert": "bot"}).json()
    assert not_bot["error"]["code"] == "assertbotfailed"
    ensure_groups()
    other_editor.groups.add(Group.objects.get(name=BOTS_GROUP))
    bot = Client()
    bot.force_login(other_editor)
    answer = bot.get(API, {**query, "assert": "bot", "uiprop": "groups|rights"}).json()
    assert "bot" in answer["query"]["userinfo"]["groups"]
    assert "bot" in answer["query"]["userinfo"]["rights"]


def test_maxlag_passes_without_a_replica_and_answers_mediawikis_error_past_it(client, db):
    assert client.get(API, {"action": "query", "meta": "userinfo", "maxlag": "5"}).json()["query"]
    # maxlag=-1 always fails, as on MediaWiki (how a client tests its handling).
    lagged = client.get(API, {"action": "query", "meta": "userinfo", "maxlag": "-1"})
    assert lagged["MediaWiki-API-Error"] == "maxlag"
    assert lagged["Retry-After"] == "5" and lagged["X-Database-Lag"] == "0"
    error = lagged.json()["error"]
    assert error["code"] == "maxlag" and error["lag"] == 0
    newer = client.get(
        API, {"action": "query", "meta": "userinfo", "maxlag": "-1", "errorformat": "plaintext"}
    )
    assert newer["Retry-After"] == "5"
    assert newer.json()["errors"][0]["data"] == {"host": "replica", "lag": 0}
