"""pywikibot, unchanged, against a live server: the family file and user-config a bot owner
writes, then the everyday operations (load the site, read, list, search, sign in, edit) as
pywikibot's API does them."""

import pytest

from tests.conftest import SAMPLE_SOURCE, save
from tests.helpers import HATNOTE
from wiki.editorial.blocks import user_block
from wiki.editorial.deletion import page_delete
from wiki.editorial.models import Block
from wiki.editorial.moves import article_move
from wiki.editorial.protection import article_protect
from wiki.models import Article, Revision

live = pytest.mark.django_db(transaction=True)


@pytest.fixture
def wiki(history_minutes_apart):
    return history_minutes_apart


@live
def test_pywikibot_loads_the_site(site, wiki):
    assert site.siteinfo["sitename"]
    assert site.mw_version >= "1.39"
    assert site.namespaces[14].custom_name == "Category"
    assert site.namespaces[0].content


@live
def test_pywikibot_reads_a_pages_text_and_history(pywikibot, site, wiki):
    page = pywikibot.Page(site, "Sample condition")
    assert page.exists() and page.text == wiki.source
    assert page.latest_revision_id == wiki.latest_revision_id
    history = list(page.revisions(content=True))
    assert [r.comment for r in history] == ["More rest", "Created"]
    assert [r.user for r in history] == ["otto", "Edna Marsh"]
    assert [r.minor for r in history] == [True, False]
    assert history[-1].text == SAMPLE_SOURCE
    assert not pywikibot.Page(site, "No such page").exists()


@live
def test_pywikibot_lists_categories_members_backlinks_search_and_changes(pywikibot, site, wiki):
    page = pywikibot.Page(site, "Sample condition")
    assert [c.title() for c in page.categories()] == ["Category:Rare diseases"]
    category = pywikibot.Category(site, "Category:Rare diseases")
    assert [p.title() for p in category.articles()] == ["Other condition", "Sample condition"]
    assert [p.title() for p in page.backlinks()] == ["Other condition"]
    assert [p.title() for p in site.search("rash")] == ["Sample condition"]
    changes = list(site.recentchanges(total=3))
    assert [c["title"] for c in changes] == [
        "Other condition",
        "Sample condition",
        "Sample condition",
    ]
    assert changes[0]["type"] == "new"
    assert [c["revid"] for c in site.recentchanges(minor=True)] == [changes[1]["revid"]]
    assert list(site.recentchanges(bot=True)) == []  # no account is a bot


@live
def test_an_editor_signs_in_and_edits_creates_and_appends(pywikibot, site, wiki, editor):
    site.login()
    assert site.logged_in() and site.user() == "Edna"
    assert site.has_right("edit")
    page = pywikibot.Page(site, "Sample condition")
    page.text = page.text.replace("Rest helps a lot.", "Rest and fluids help.")
    page.save(summary="Treatment")
    wiki.refresh_from_db()
    assert "Rest and fluids help." in wiki.source
    revision = Revision.objects.get(pk=wiki.latest_revision_id)
    assert (revision.user, revision.summary) == (editor, "Treatment")

    new = pywikibot.Page(site, "Brand new condition")
    new.text = "A condition described today."
    new.save(summary="New page")
    assert Article.objects.get(title="Brand new condition").source == new.text

    site.editpage(new, summary="More", appendtext="\n\nIt is rare.")
    created = Article.objects.get(title="Brand new condition")
    assert created.source.startswith("A condition described today.\n")
    assert created.source.rstrip().endswith("\n\nIt is rare.")
    assert created.latest_revision.summary == "More"


@live
def test_a_conflicting_edit_is_an_edit_conflict(pywikibot, site, wiki, other_editor):
    from pywikibot.exceptions import EditConflictError

    site.login()
    page = pywikibot.Page(site, "Sample condition")
    page.text  # noqa: B018 - pywikibot remembers the revision it read
    save(wiki, other_editor, wiki.source.replace("Rest helps a lot.", "Sleep helps."))
    page.text = page.text.replace("Rest helps a lot.", "Fluids help.")
    with pytest.raises(EditConflictError):
        page.save(summary="Fluids")
    wiki.refresh_from_db()
    assert "Sleep helps." in wiki.source and "Fluids help." not in wiki.source


@live
def test_a_blocked_editors_edit_is_refused(pywikibot, site, wiki, editor):
    from pywikibot.exceptions import OtherPageSaveError

    Block.objects.create(user=editor, reason="Vandalism")
    site.login()
    page = pywikibot.Page(site, "Sample condition")
    page.text = "Vandalised."
    with pytest.raises(OtherPageSaveError, match="blocked: You are blocked"):
        page.save(summary="Gone")
    wiki.refresh_from_db()
    assert "Vandalised." not in wiki.source


@live
def test_pywikibot_reads_the_log_moves_deletions_protections_and_blocks(
    pywikibot, site, wiki, editor, other_editor, administrator
):
    article_move(article=wiki, new_title="Sample disorder", user=editor, reason="Clearer")
    other = Article.objects.get(title="Other condition")
    article_protect(article=other, user=administrator, level="admins", expires=None, reason="Spam")
    page_delete(article=other, user=administrator, reason="Duplicate")
    user_block(user=other_editor, by=administrator, reason="Vandalism", expires_at=None)

    events = site.logevents()
    events.set_query_increment(2)  # three answers, continued by lecontinue
    entries = list(events)
    assert [(e.type(), e.action()) for e in entries] == [
        ("block", "block"),
        ("delete", "delete"),
        ("protect", "protect"),
        ("move", "move"),
    ]
    block, deletion, protection, move = entries
    assert block.page().title() == "User:Otto" and block.user() == "Ada"
    assert block.comment() == "Vandalism" and block.expiry() is None
    assert deletion.page().title() == "Other condition" and deletion.comment() == "Duplicate"
    assert protection.params["description"] == "Administrators only (indefinitely)"
    assert move.user() == "Edna" and move.page().title() == "Sample condition"
    assert move.target_title == "Sample disorder" and not move.suppressedredirect()
    assert [e.logid() for e in site.logevents(logtype="move")] == [move.logid()]
    assert [e.logid() for e in site.logevents(user="Ada", reverse=True)] == [
        protection.logid(),
        deletion.logid(),
        block.logid(),
    ]
    assert [e.logid() for e in site.logevents(page="Other condition")] == [
        deletion.logid(),
        protection.logid(),
    ]


@live
def test_pywikibot_lists_a_users_contributions_newest_first(pywikibot, site, wiki, editor):
    for number in range(1, 4):
        save(wiki, editor, wiki.source + f"\n\nNote {number}.", summary=f"Note {number}")
    contributions = site.usercontribs(user="Edna")
    contributions.set_query_increment(2)  # continued by uccontinue
    listed = list(contributions)
    assert [c["comment"] for c in listed] == [
        "Note 3",
        "Note 2",
        "Note 1",
        "Created",
        "Created",
    ]
    assert [c["title"] for c in listed[3:]] == ["Other condition", "Sample condition"]
    assert "top" in listed[0] and "top" not in listed[1] and "new" in listed[4]
    assert [c["comment"] for c in site.usercontribs(user="Otto")] == ["More rest"]
    user = pywikibot.User(site, "Edna")
    page, revid, when, comment = next(iter(user.contributions(total=1)))
    assert (page.title(), revid, comment) == ("Sample condition", wiki.latest_revision_id, "Note 3")
    assert list(site.usercontribs(user="Nobody here")) == []


@live
def test_an_editor_moves_a_page_leaving_a_redirect(pywikibot, site, wiki, editor):
    site.login()
    page = pywikibot.Page(site, "Sample condition")
    moved = page.move("Sample disorder", summary="Clearer")
    assert moved.title() == "Sample disorder"
    assert pywikibot.Page(site, "Sample disorder").text == wiki.source
    wiki.refresh_from_db()
    assert wiki.title == "Sample disorder"
    assert Article.objects.get(title="Sample condition").redirect_to == wiki
    [entry] = site.logevents(logtype="move")
    assert (entry.user(), entry.target_title, entry.comment()) == (
        "Edna",
        "Sample disorder",
        "Clearer",
    )


@live
def test_a_move_onto_an_existing_page_or_of_a_protected_one_is_refused(
    pywikibot, site, wiki, administrator
):
    from pywikibot.exceptions import ArticleExistsConflictError, LockedPageError

    site.login()
    with pytest.raises(ArticleExistsConflictError):
        pywikibot.Page(site, "Sample condition").move("Other condition", summary="Merge")
    article_protect(article=wiki, user=administrator, level="admins", expires=None)
    with pytest.raises(LockedPageError):  # MediaWiki's protectedpage
        pywikibot.Page(site, "Sample condition").move("Sample disorder", summary="Mine")
    assert Article.objects.filter(title="Sample condition").exists()


@live
def test_an_administrator_deletes_undeletes_and_protects(pywikibot, admin_site, wiki):
    page = pywikibot.Page(admin_site, "Other condition")
    assert page.delete(summary="Duplicate", prompt=False) == 1
    assert not Article.objects.filter(title="Other condition").exists()
    pywikibot.Page(admin_site, "Other condition").undelete(summary="Not a duplicate")
    restored = Article.objects.get(title="Other condition")
    assert restored.source.strip() == "Compare [[Sample condition]]."
    protected = pywikibot.Page(admin_site, "Sample condition")
    protected.protect(summary="Vandalism", protections={"edit": "sysop", "move": "sysop"})
    wiki.refresh_from_db()
    assert wiki.is_protected and wiki.protection_expires is None
    assert [(e.type(), e.action()) for e in admin_site.logevents(total=3)] == [
        ("protect", "protect"),
        ("delete", "restore"),
        ("delete", "delete"),
    ]


@live
def test_an_editor_may_not_delete_undelete_or_protect(pywikibot, site, wiki, administrator):
    from pywikibot.exceptions import APIError

    site.login()
    page = pywikibot.Page(site, "Other condition")
    for action, params in [
        ("delete", {"title": page.title(), "reason": "Mine"}),
        ("protect", {"title": page.title(), "protections": "edit=sysop"}),
    ]:
        request = site.simple_request(action=action, token=site.tokens["csrf"], **params)
        with pytest.raises(APIError) as refused:
            request.submit()
        assert refused.value.code == "permissiondenied"
    page_delete(article=Article.objects.get(title="Other condition"), user=administrator)
    request = site.simple_request(
        action="undelete", title="Other condition", token=site.tokens["csrf"]
    )
    with pytest.raises(APIError) as refused:
        request.submit()
    assert refused.value.code == "permissiondenied"
    assert not Article.objects.filter(title="Other condition").exists()
    assert not Article.objects.get(title="Sample condition").is_protected


@live
def test_pywikibot_lists_a_pages_links_existing_or_not(pywikibot, site, wiki, make_article, editor):
    make_article(
        title="Linking condition",
        source="See [[Sample condition]], [[Zebra condition]] and [[Other condition]].",
        user=editor,
    )
    page = pywikibot.Page(site, "Linking condition")
    linked = page.linkedPages()
    linked.set_query_increment(2)  # continued by gplcontinue
    pages = list(linked)
    assert sorted(p.title() for p in pages) == [
        "Other condition",
        "Sample condition",
        "Zebra condition",
    ]
    assert [p.exists() for p in sorted(pages)] == [True, True, False]
    assert [p.title() for p in pywikibot.Page(site, "Other condition").linkedPages()] == [
        "Sample condition"
    ]


# The answers pywikibot reads, checked with the Django test client ----------------------------


def test_paraminfo_describes_the_implemented_modules_and_only_those(client, db):
    answer = client.get(
        "/api.php",
        {
            "action": "paraminfo",
            "modules": "main|query|edit|query+revisions|feedwatchlist|query+links",
        },
    ).json()
    modules = {m["path"]: m for m in answer["paraminfo"]["modules"]}
    assert set(modules) == {"main", "query", "edit", "query+revisions", "query+links"}
    actions = next(p for p in modules["main"]["parameters"] if p["name"] == "action")
    assert "paraminfo" in actions["type"] and "feedwatchlist" not in actions["type"]
    assert "mustbeposted" in modules["edit"] and "mustbeposted" not in modules["query"]
    assert modules["query+revisions"]["prefix"] == "rv"
    limit = next(p for p in modules["query+revisions"]["parameters"] if p["name"] == "limit")
    assert (limit["type"], limit["max"], limit["highmax"]) == ("limit", 500, 5000)
    lists = next(p for p in modules["query"]["parameters"] if p["name"] == "list")
    assert lists["submodules"]["backlinks"] == "query+backlinks"
    assert answer["warnings"]["paraminfo"]["*"].splitlines() == [
        'The module "main" does not have a submodule "feedwatchlist".',
    ]


def test_siteinfo_answers_every_siprop_pywikibot_reads(client, db):
    props = "general|namespaces|namespacealiases|interwikimap|extensions|usergroups|statistics"
    answer = client.get(
        "/api.php",
        {
            "action": "query",
            "meta": "siteinfo",
            "siprop": props + "|rightsinfo|magicwords|restrictions",
        },
    ).json()["query"]
    general = answer["general"]
    assert general["thumblimits"]["0"] == 120 and general["imagelimits"]["0"]["width"] == 320
    assert general["magiclinks"] == {"ISBN": False, "PMID": False, "RFC": False}
    assert general["generator"].startswith("MediaWiki 1.39")
    assert answer["namespaces"]["14"] == {
        "id": 14,
        "case": "first-letter",
        "*": "Category",
        "canonical": "Category",
    }
    assert answer["namespacealiases"] == [] and answer["interwikimap"] == []
    assert answer["magicwords"][0] == {"name": "redirect", "aliases": ["#REDIRECT"]}
    assert answer["restrictions"]["types"] == ["edit", "move"]
    assert answer["restrictions"]["levels"] == ["", "sysop"]
    assert {
        "name": "sysop",
        "rights": ["editprotected", "protect", "delete", "undelete", "block", "patrol"],
    } in (answer["usergroups"])


def test_userinfo_names_the_block_on_a_blocked_editor(client, editor):
    Block.objects.create(user=editor, reason="Vandalism")
    client.force_login(editor)
    answer = client.get(
        "/api.php",
        {"action": "query", "meta": "userinfo", "uiprop": "blockinfo|groups", "formatversion": 2},
    ).json()["query"]["userinfo"]
    assert answer["name"] == "Edna" and "editor" in answer["groups"]
    assert (answer["blockreason"], answer["blockexpiry"], answer["blockpartial"]) == (
        "Vandalism",
        "infinite",
        False,
    )


def test_logevents_and_usercontribs_refuse_what_mediawiki_refuses(client, db):
    def error(**params):
        return client.get("/api.php", {"action": "query", **params}).json()["error"]["code"]

    assert error(list="usercontribs") == "missingparam"
    assert error(list="logevents", letype="tea") == "badvalue"
    assert error(generator="logevents") == "badvalue"  # neither is a generator
    assert error(generator="usercontribs") == "badvalue"
    answer = client.get(
        "/api.php", {"action": "paraminfo", "modules": "query+logevents|query+usercontribs"}
    ).json()
    assert [m["prefix"] for m in answer["paraminfo"]["modules"]] == ["le", "uc"]


def test_paraminfo_describes_move_delete_undelete_and_protect(client, db):
    answer = client.get(
        "/api.php", {"action": "paraminfo", "modules": "main|move|delete|undelete|protect"}
    ).json()
    main, *modules = answer["paraminfo"]["modules"]
    actions = next(p for p in main["parameters"] if p["name"] == "action")["type"]
    assert {"move", "delete", "undelete", "protect"} <= set(actions)
    assert all("mustbeposted" in m for m in modules)
    move = {p["name"] for p in modules[0]["parameters"]}
    assert {"from", "to", "reason", "noredirect", "token"} <= move


def test_a_refused_move_answers_mediawikis_codes(client, make_article, editor, other_editor):
    make_article(user=editor)
    client.force_login(other_editor)
    token = client.get("/api.php", {"action": "query", "meta": "tokens"}).json()["query"]
    token = token["tokens"]["csrftoken"]

    def move(**params):
        answer = client.post("/api.php", {"action": "move", "token": token, **params}).json()
        return answer.get("error", {}).get("code") or answer["move"]

    assert move(**{"from": "Sample condition", "to": "Sample condition"}) == "selfmove"
    assert move(**{"from": "No such page", "to": "Elsewhere"}) == "missingtitle"
    assert move(**{"from": "Sample condition", "to": "Bad [title]"}) == "invalidtitle"
    Block.objects.create(user=other_editor, reason="Vandalism")
    assert move(**{"from": "Sample condition", "to": "Elsewhere"}) == "blocked"
    assert client.get("/api.php", {"action": "move"}).json()["error"]["code"] == "mustbeposted"


def test_prop_links_continues_within_a_page(client, make_article, editor):
    make_article(title="Hub", source="[[Beta]] [[Alpha]] [[Gamma]]", user=editor)
    asked = {"action": "query", "titles": "Hub", "prop": "links", "pllimit": 2}
    first = client.get("/api.php", {**asked, "formatversion": 2}).json()
    assert [link["title"] for link in first["query"]["pages"][0]["links"]] == ["Alpha", "Beta"]
    cont = first["continue"]["plcontinue"]
    rest = client.get("/api.php", {**asked, "plcontinue": cont}).json()
    [page] = rest["query"]["pages"].values()
    assert page["links"] == [{"ns": 0, "title": "Gamma"}] and "continue" not in rest
    bad = client.get("/api.php", {**asked, "plcontinue": "x"}).json()
    assert bad["error"]["code"] == "badcontinue"


@live
def test_pywikibot_reads_a_pages_templates_and_a_templates_users(
    pywikibot, site, wiki, make_article, editor
):
    make_article(title="Template:Hatnote", source=HATNOTE, user=editor)
    make_article(title="Template:Wrapper", source="{{Hatnote|page=Sample condition}}\n")
    make_article(title="Asthma", source="{{Wrapper}}\n\nA disease.\n", user=editor)
    page = pywikibot.Page(site, "Asthma")
    assert sorted(t.title() for t in page.templates()) == ["Template:Hatnote", "Template:Wrapper"]
    hatnote = pywikibot.Page(site, "Template:Hatnote")
    assert hatnote.namespace() == 10 and hatnote.exists()
    users = hatnote.getReferences(only_template_inclusion=True)
    assert sorted(p.title() for p in users) == ["Asthma", "Template:Wrapper"]
    expanded = site.expand_text("{{Hatnote|page=Gout}}", title="Asthma")
    assert expanded == "For other uses, see [[Gout]]."
