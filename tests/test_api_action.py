"""MediaWiki's Action API at /api.php: mwclient, the real client, reads, searches, signs in
and edits against a live server; the Django test client checks the answers' shapes and the
errors MediaWiki clients expect."""

import mwclient
import pytest
from mwclient.errors import EditError, LoginError

from tests.conftest import SAMPLE_SOURCE, save
from wiki.models import Article, Revision

from .helpers import mwclient_site


@pytest.fixture
def wiki(two_linked_articles):
    return two_linked_articles


# With mwclient against a live server ---------------------------------------------------------

live = pytest.mark.django_db(transaction=True)


@live
def test_mwclient_reads_a_pages_text_a_section_and_its_history(live_server, wiki):
    site = mwclient_site(live_server)
    assert site.site["sitename"] and site.version[:2] == (1, 39)
    page = site.pages["Sample condition"]
    assert page.exists and page.contentmodel == "markdown"
    assert page.text() == wiki.source
    assert page.text(section=2) == "## Causes\n\nNobody knows the causes.\n"
    history = list(page.revisions())
    assert [r["comment"] for r in history] == ["More rest", "Created"]
    assert [r["user"] for r in history] == ["otto", "Edna Marsh"]
    assert "minor" in history[0] and "minor" not in history[1]
    texts = list(page.revisions(prop="ids|content", slots="main", dir="newer"))
    assert texts[0]["slots"]["main"]["*"] == SAMPLE_SOURCE
    assert not site.pages["No such page"].exists


@live
def test_mwclient_pages_through_long_lists_with_continue(live_server, wiki, editor):
    for n in range(3):
        save(wiki, editor, wiki.source + f"\nLine {n}.\n", summary=f"line {n}")
    site = mwclient_site(live_server)
    history = list(site.pages["Sample condition"].revisions(api_chunk_size=2))
    assert [r["comment"] for r in history] == ["line 2", "line 1", "line 0", "More rest", "Created"]
    titles = [p.name for p in site.allpages(api_chunk_size=1)]
    assert titles == ["Other condition", "Sample condition"]


@live
def test_mwclient_lists_recent_changes_category_members_backlinks_and_searches(live_server, wiki):
    site = mwclient_site(live_server)
    changes = list(site.recentchanges(api_chunk_size=2))
    assert [c["title"] for c in changes] == [
        "Other condition",
        "Sample condition",
        "Sample condition",
    ]
    assert changes[0]["type"] == "new" and "minor" in changes[1]
    members = [p.name for p in site.categories["Rare diseases"]]
    assert members == ["Other condition", "Sample condition"]
    assert [p.name for p in site.pages["Sample condition"].backlinks()] == ["Other condition"]
    hits = list(site.search("rash"))
    assert [h["title"] for h in hits] == ["Sample condition"]
    assert '<span class="searchmatch">rash</span>' in hits[0]["snippet"]
    categories = [c.name for c in site.pages["Sample condition"].categories()]
    assert categories == ["Category:Rare diseases"]


@live
def test_an_editor_signs_in_with_mwclient_and_edits_a_section(live_server, wiki, editor):
    site = mwclient_site(live_server)
    site.login("edna", "pw-edna-123")
    assert site.logged_in and "edit" in site.rights
    page = site.pages["Sample condition"]
    page.text(section=2)
    result = page.edit("## Causes\n\nA virus is suspected.", section=2, summary="Causes")
    assert result["result"] == "Success"
    wiki.refresh_from_db()
    assert "A virus is suspected." in wiki.source
    assert "Rest helps a lot." in wiki.source  # the rest of the article stays
    revision = Revision.objects.get(pk=wiki.latest_revision_id)
    assert (revision.user, revision.summary, revision.section) == (editor, "Causes", 2)
    assert result["newrevid"] == revision.pk


@live
def test_clientlogin_works_and_a_wrong_password_is_refused(live_server, wiki):
    site = mwclient_site(live_server)
    with pytest.raises(LoginError):
        site.login("edna", "wrong password")
    assert site.clientlogin(username="edna", password="pw-edna-123") is True
    site.site_init()
    assert site.username == "Edna"  # MediaWiki capitalises user names


@live
def test_mwclient_creates_a_page_and_an_overlapping_edit_is_an_edit_conflict(
    live_server, wiki, other_editor
):
    site = mwclient_site(live_server)
    site.login("edna", "pw-edna-123")
    site.pages["Brand new"].edit("A new page.\n\n## Part\n\nText.", summary="Start")
    assert Article.objects.get(title="Brand new").source.startswith("A new page.")

    page = site.pages["Sample condition"]
    page.text()  # the editor starts from the current text
    save(
        Article.objects.get(pk=wiki.pk),
        other_editor,
        wiki.source.replace("Rest helps a lot.", "Rest is key."),
    )
    with pytest.raises(EditError):
        page.edit(wiki.source.replace("Rest helps a lot.", "Drink water."), summary="Mine")
    assert "Rest is key." in Article.objects.get(pk=wiki.pk).source


@live
def test_mwclient_cannot_edit_without_signing_in(live_server, wiki):
    site = mwclient_site(live_server)
    with pytest.raises(mwclient.errors.AssertUserFailedError):
        site.pages["Sample condition"].edit("Vandalism.")


# Shapes and errors, with the Django test client -------------------------------------------


def api(client, method="get", **params):
    params.setdefault("format", "json")
    return getattr(client, method)("/api.php", params).json()


@pytest.mark.django_db
def test_formatversion_2_gives_lists_booleans_and_content(client, wiki):
    data = api(
        client,
        action="query",
        prop="revisions|info",
        titles="Sample condition|Missing one",
        rvprop="content|ids|flags",
        rvslots="main",
        formatversion="2",
    )
    pages = {p["title"]: p for p in data["query"]["pages"]}
    assert pages["Missing one"]["missing"] is True
    revision = pages["Sample condition"]["revisions"][0]
    assert revision["slots"]["main"]["content"] == wiki.source
    assert revision["slots"]["main"]["contentmodel"] == "markdown"
    assert revision["minor"] is True


@pytest.mark.django_db
def test_siteinfo_says_the_content_is_markdown_and_tokens_are_given(client, wiki):
    data = api(client, action="query", meta="siteinfo|tokens", type="csrf|login")
    assert data["query"]["general"]["generator"].startswith("MediaWiki ")
    assert data["query"]["general"]["contentmodel"] == "markdown"
    assert data["query"]["tokens"]["csrftoken"] == "+\\"  # signed out
    assert data["query"]["tokens"]["logintoken"].endswith("+\\")


def test_siteinfo_lists_the_file_types_an_upload_may_be(client, wiki):
    data = api(client, action="query", meta="siteinfo", siprop="fileextensions")
    extensions = {entry["ext"] for entry in data["query"]["fileextensions"]}
    assert {"png", "jpg"} <= extensions and "exe" not in extensions


@pytest.mark.django_db
def test_parse_gives_the_rendered_page_sections_categories_and_links(client, wiki):
    data = api(client, action="parse", page="Sample_condition")["parse"]
    assert data["title"] == "Sample condition"
    assert "<p>Rest helps a lot.</p>" in data["text"]["*"]
    assert [s["line"] for s in data["sections"]] == ["Symptoms", "Causes", "Treatment", "See also"]
    assert data["categories"][0]["*"] == "Rare diseases"
    assert data["links"] == [{"ns": 0, "exists": "", "*": "Other condition"}]
    text = api(client, action="parse", text="Hi <script>x</script> **there**")["parse"]
    assert "<strong>there</strong>" in text["text"]["*"] and "<script" not in text["text"]["*"]


@pytest.mark.django_db
def test_opensearch_suggests_titles_with_their_addresses(client, wiki):
    query, titles, _, urls = api(client, action="opensearch", search="samp")
    assert (query, titles) == ("samp", ["Sample condition"])
    assert urls == ["http://testserver/wiki/Sample_condition"]


@pytest.mark.parametrize(
    "params, code",
    [
        ({}, "missingparam"),
        ({"action": "nonsense"}, "badvalue"),
        ({"action": "query", "format": "xml"}, "unknown_format"),
        ({"action": "edit", "title": "X", "text": "Y"}, "mustbeposted"),
        ({"action": "query", "list": "search"}, "missingparam"),
        ({"action": "query", "list": "allpages", "aplimit": "many"}, "badinteger"),
        ({"action": "query", "list": "categorymembers", "cmtitle": "Rare"}, "invalidcategory"),
        ({"action": "parse", "page": "Nothing here"}, "missingtitle"),
        (
            {
                "action": "query",
                "prop": "revisions",
                "titles": "Sample condition|Other condition",
                "rvlimit": "5",
            },
            "multpages",
        ),
    ],
)
@pytest.mark.django_db
def test_bad_requests_get_mediawiki_errors(client, wiki, params, code):
    response = client.get("/api.php", params)
    assert response.status_code == 200  # as MediaWiki answers
    assert response.json()["error"]["code"] == code
    assert response["MediaWiki-API-Error"] == code


@pytest.mark.django_db
def test_an_edit_needs_the_sessions_csrf_token(client, wiki, editor):
    client.force_login(editor)
    edit = {"action": "edit", "title": "Sample condition", "text": "Changed."}
    assert api(client, "post", **edit)["error"]["code"] == "missingparam"
    assert api(client, "post", **edit, token="+\\")["error"]["code"] == "badtoken"
    assert api(client, "post", **edit, token="forged+\\")["error"]["code"] == "badtoken"
    token = api(client, action="query", meta="tokens")["query"]["tokens"]["csrftoken"]
    assert token != "+\\"
    done = api(client, "post", **edit, token=token)["edit"]
    assert done["result"] == "Success" and done["contentmodel"] == "markdown"
    again = api(client, "post", **edit, token=token)["edit"]
    assert "nochange" in again


@pytest.mark.django_db
def test_a_reader_may_not_edit_and_only_administrators_edit_protected_pages(
    client, wiki, reader, editor
):
    client.force_login(reader)
    token = api(client, action="query", meta="tokens")["query"]["tokens"]["csrftoken"]
    refused = api(client, "post", action="edit", title="Sample condition", text="X", token=token)
    assert refused["error"]["code"] == "permissiondenied"
    Article.objects.filter(pk=wiki.pk).update(protection=Article.Protection.ADMINS)
    client.force_login(editor)
    token = api(client, action="query", meta="tokens")["query"]["tokens"]["csrftoken"]
    refused = api(client, "post", action="edit", title="Sample condition", text="X", token=token)
    assert refused["error"]["code"] == "protectedpage"
    info = api(client, action="query", prop="info", inprop="protection", titles="Sample condition")
    [page] = info["query"]["pages"].values()
    assert page["protection"] == [  # a protected page cannot be moved by editors either
        {"type": "edit", "level": "sysop", "expiry": "infinity"},
        {"type": "move", "level": "sysop", "expiry": "infinity"},
    ]


@pytest.mark.django_db
def test_edit_options_createonly_nocreate_new_section_and_append(client, wiki, editor):
    client.force_login(editor)
    token = api(client, action="query", meta="tokens")["query"]["tokens"]["csrftoken"]

    def edit(**params):
        return api(client, "post", action="edit", token=token, **params)

    assert edit(title="Sample condition", text="X", createonly="1")["error"]["code"] == (
        "articleexists"
    )
    assert edit(title="Not here", text="X", nocreate="1")["error"]["code"] == "missingtitle"
    assert edit(title="Sample condition", section="9", text="X")["error"]["code"] == (
        "nosuchsection"
    )
    assert (
        edit(title="Sample condition", section="new", sectiontitle="Outlook", text="Good.")["edit"][
            "result"
        ]
        == "Success"
    )
    assert (
        edit(title="Sample condition", section="1", appendtext="\nAlso itching.\n")["edit"][
            "result"
        ]
        == "Success"
    )
    source = Article.objects.get(pk=wiki.pk).source
    assert source.endswith("## Outlook\n\nGood.\n")
    assert "mild rash.\n\nAlso itching." in source
    assert (
        edit(title="Sample condition", text="x" * (2 * 1024 * 1024 + 1))["error"]["code"]
        == "contenttoobig"
    )


@pytest.mark.django_db
def test_recent_changes_filters_and_a_stale_login_token_asks_again(client, wiki):
    data = api(client, action="query", list="recentchanges", rcshow="!minor", rctype="new")
    assert [c["title"] for c in data["query"]["recentchanges"]] == [
        "Other condition",
        "Sample condition",
    ]
    answer = api(
        client, "post", action="login", lgname="edna", lgpassword="pw-edna-123", lgtoken="stale+\\"
    )
    assert answer["login"]["result"] == "NeedToken"


@pytest.mark.django_db
def test_api_sign_in_is_throttled_like_the_sign_in_form(client, wiki, settings):
    settings.SIGNIN_FAILURES_PER_ACCOUNT = 2
    token = api(client, action="query", meta="tokens", type="login")["query"]["tokens"]

    def sign_in(password):
        return api(
            client,
            "post",
            action="login",
            lgname="edna",
            lgpassword=password,
            lgtoken=token["logintoken"],
        )["login"]

    assert sign_in("guess one")["result"] == "Failed"
    assert sign_in("guess two")["result"] == "Failed"
    refused = sign_in("pw-edna-123")  # the right password, but the account is locked
    assert refused["result"] == "Failed"
    assert "Too many failed sign-in attempts" in refused["reason"]
    answer = api(
        client,
        "post",
        action="clientlogin",
        username="edna",
        password="pw-edna-123",
        logintoken=token["logintoken"],
        loginreturnurl="http://testserver/",
    )["clientlogin"]
    assert (answer["status"], answer["messagecode"]) == ("FAIL", "login-throttled")


@pytest.mark.django_db
def test_an_inactive_account_cannot_sign_in(client, wiki, editor):
    editor.is_active = False
    editor.save()
    token = api(client, action="query", meta="tokens", type="login")["query"]["tokens"]
    answer = api(
        client,
        "post",
        action="login",
        lgname="edna",
        lgpassword="pw-edna-123",
        lgtoken=token["logintoken"],
    )["login"]
    assert answer["result"] == "Failed"


@pytest.mark.django_db
def test_logout_needs_the_token_and_signs_out(client, wiki, editor):
    client.force_login(editor)
    assert api(client, "post", action="logout")["error"]["code"] == "missingparam"
    token = api(client, action="query", meta="tokens")["query"]["tokens"]["csrftoken"]
    assert api(client, "post", action="logout", token=token) == {}
    info = api(client, action="query", meta="userinfo")["query"]["userinfo"]
    assert "anon" in info


@pytest.mark.django_db
def test_a_redirect_is_followed_when_asked(client, wiki, make_article):
    alias = make_article(title="Sample illness", source="Another name.")
    Article.objects.filter(pk=alias.pk).update(redirect_to=wiki)
    data = api(client, action="query", titles="Sample illness", redirects="1", prop="info")
    assert data["query"]["redirects"] == [{"from": "Sample illness", "to": "Sample condition"}]
    assert [p["title"] for p in data["query"]["pages"].values()] == ["Sample condition"]


@pytest.mark.django_db
def test_an_edit_never_conflicts_with_its_own_authors_later_edits(
    client, wiki, editor, other_editor
):
    """As MediaWiki: a bot that loaded the page, saved, then saves again from what it loaded
    is not refused (its own edit is no conflict); another account's edit in between is."""
    first = wiki.latest_revision_id
    client.force_login(editor)
    token = api(client, action="query", meta="tokens")["query"]["tokens"]["csrftoken"]

    def edit(**params):
        return api(client, "post", action="edit", title="Sample condition", token=token, **params)

    loaded = wiki.source  # what the bot loaded, at revision `first`
    saved = edit(text=loaded.replace("Rest helps a lot.", "Rest helps."), baserevid=first)
    assert saved["edit"]["result"] == "Success"
    # The same line again, from the text it loaded: its own edit is no conflict.
    again = edit(text=loaded.replace("Rest helps a lot.", "Rest is best."), baserevid=first)
    assert again["edit"]["result"] == "Success"
    source = Article.objects.get(pk=wiki.pk).source
    assert "Rest is best." in source and "Rest helps." not in source

    mine = Article.objects.get(pk=wiki.pk).latest_revision_id
    save(Article.objects.get(pk=wiki.pk), other_editor, source.replace("Rest is best.", "Rest."))
    refused = edit(text=source.replace("Rest is best.", "Sleep."), baserevid=mine)
    assert refused["error"]["code"] == "editconflict"
