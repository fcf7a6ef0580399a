"""The Action API modules that complete what pywikibot and mwclient ask for: uploads,
rollback, patrol, watching, compare, the site lists (allusers, random, allcategories,
allimages, embeddedin, exturlusage, watchlist), search by title, and the page props beside
links (images, imageinfo, extlinks, langlinks, pageprops, contributors, rvdiffto). mwclient,
the real client, against a live server; the Django test client for the answers' shapes."""

import io

import pytest
from mwclient.errors import FileExists
from PIL import Image

from tests.conftest import make_media, save
from wiki.api.action import ACTIONS
from wiki.api.action.meta import META
from wiki.api.action.prop_continued import CONTINUED_PROPS
from wiki.api.action.query import ALL_LISTS, PROPS
from wiki.models import Article, Revision
from wiki.services import ArticleEdit, article_save
from wiki.translations import translation_link

from .helpers import mwclient_site

live = pytest.mark.django_db(transaction=True)


def png(colour=(10, 120, 200)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    buffer.seek(0)
    return buffer


@pytest.fixture
def wiki(two_linked_articles):
    return two_linked_articles


def api(client, method="get", **params):
    params.setdefault("format", "json")
    return getattr(client, method)("/api.php", params).json()


def token(client, kind="csrf"):
    return api(client, action="query", meta="tokens", type=kind)["query"]["tokens"][f"{kind}token"]


# mwclient, live ---------------------------------------------------------------------------


@live
def test_mwclient_uploads_a_file_and_reads_it_back(live_server, wiki, editor):
    site = mwclient_site(live_server, "edna", "pw-edna-123")
    answer = site.upload(png(), "Knee scan.png", description="A knee, {{cc0}}", comment="Scan")
    assert answer["result"] == "Success" and answer["filename"] == "Knee_scan.png"
    assert answer["imageinfo"]["width"] == 40 and answer["imageinfo"]["url"].startswith("http")
    image = site.images["Knee scan.png"]
    assert image.imagerepository == "local" and image.imageinfo["height"] == 30
    assert [i.name for i in site.allimages()] == ["File:Knee scan.png"]
    with pytest.raises(FileExists):  # the answer's "exists" warning
        site.upload(png(), "Knee scan.png", description="the same name")
    copy = site.upload(png(), "Other name.png", description="the same bytes", ignore=True)
    assert copy["result"] == "Warning" and copy["warnings"]["duplicate"] == ["Knee_scan.png"]


@live
def test_mwclient_moves_and_deletes_a_page_and_reads_the_log(live_server, wiki, administrator):
    site = mwclient_site(live_server, "ada", "pw-ada-123")
    site.pages["Other condition"].move("Another condition", reason="Clearer")
    assert site.pages["Another condition"].exists
    site.pages["Another condition"].delete(reason="Duplicate")
    assert not site.pages["Another condition"].exists
    events = [(e["type"], e["title"]) for e in site.logevents()]
    assert ("move", "Other condition") in events and ("delete", "Another condition") in events
    moves = list(site.logevents(type="move"))
    assert moves[0]["params"]["target_title"] == "Another condition"


@live
def test_mwclient_lists_user_contributions_users_categories_and_random(live_server, wiki):
    site = mwclient_site(live_server)
    contributions = list(site.usercontributions("Edna"))
    assert {c["title"] for c in contributions} == {"Sample condition", "Other condition"}
    assert [u["name"] for u in site.allusers()] == ["Edna", "Otto"]
    # One account, one set of groups, whichever list a bot asks.
    listed = {u["name"]: u["groups"] for u in site.allusers(prop="groups")}
    looked_up = {u["name"]: u["groups"] for u in site.users(["Edna", "Otto"], prop="groups")}
    assert listed == looked_up and "editor" in listed["Edna"]
    assert [c.name for c in site.allcategories()] == ["Category:Rare diseases"]
    assert [c["*"] for c in site.allcategories(generator=False)] == ["Rare diseases"]
    drawn = {p["title"] for p in site.random(0, limit=2, max_items=2)}
    assert drawn == {"Sample condition", "Other condition"}  # MediaWiki draws on for ever


@live
def test_mwclient_reads_links_templates_embeddedin_images_and_external_links(
    live_server, wiki, editor
):
    media = make_media(editor)
    other = Article.objects.get(title="Other condition")
    text = f"Compare [[Sample condition]]. https://pubmed.gov/1\n\n[[File:{media.name}]]\n"
    save(other, editor, text)
    site = mwclient_site(live_server)
    page = site.pages["Other condition"]
    assert [p.name for p in page.links()] == ["Sample condition"]
    assert list(page.templates()) == [] and list(page.embeddedin()) == []
    assert list(page.extlinks()) == ["https://pubmed.gov/1"]
    assert [i.name for i in page.images()] == ["File:Chest scan.png"]
    assert [p["title"] for p in site.exturlusage("pubmed.gov", protocol="https")] == [
        "Other condition"
    ]


@live
def test_mwclient_watches_patrols_and_rolls_back(live_server, wiki, editor, other_editor):
    site = mwclient_site(live_server, "edna", "pw-edna-123")
    page = site.pages["Sample condition"]
    site.api("watch", "POST", titles="Sample condition", token=site.get_token("watch"))
    assert [c["title"] for c in site.watchlist()] == ["Sample condition", "Sample condition"]
    last = Revision.objects.filter(article=wiki).order_by("-pk").first()
    done = site.patrol(revid=last.pk)
    assert done["title"] == "Sample condition"
    assert any(e["type"] == "patrol" for e in site.logevents(type="patrol"))
    rolled = site.api(
        "rollback", "POST", title=page.name, user="Otto", token=site.get_token("rollback")
    )["rollback"]
    assert rolled["old_revid"] == last.pk and "Otto" in rolled["summary"]
    assert rolled["summary"] == "Reverted edits by Otto to last revision by Edna Marsh"
    assert "Rest helps." in site.pages["Sample condition"].text()


# Shapes and behaviour, with the Django test client -----------------------------------------


@pytest.mark.django_db
def test_paraminfo_describes_exactly_the_modules_implemented(client, wiki):
    main = api(client, action="paraminfo", modules="main|query")["paraminfo"]["modules"]
    by_name = {p["name"]: p for m in main for p in m["parameters"]}
    assert sorted(by_name["action"]["type"]) == sorted(ACTIONS)
    assert set(by_name["list"]["type"]) == set(ALL_LISTS)
    assert set(by_name["prop"]["type"]) == set(PROPS) | set(CONTINUED_PROPS) | {
        "revisions",
        "links",
        "templates",
    }
    assert set(by_name["meta"]["type"]) == set(META)
    every = "|".join(
        [a for a in ACTIONS if a != "query"]
        + [f"query+{n}" for n in (*ALL_LISTS, *PROPS, "revisions", "links", "templates", *META)]
    )
    described = api(client, action="paraminfo", modules=every)
    assert "warnings" not in described
    assert len(described["paraminfo"]["modules"]) == len(every.split("|"))
    unknown = api(client, action="paraminfo", modules="query+alllinks")
    assert "alllinks" in unknown["warnings"]["paraminfo"]["*"]


@pytest.mark.django_db
def test_compare_and_rvdiffto_give_the_diff_rows(client, wiki):
    first, second = Revision.objects.filter(article=wiki).order_by("pk")
    compared = api(client, action="compare", fromrev=first.pk, torev=second.pk)["compare"]
    assert compared["fromrevid"] == first.pk and compared["totitle"] == "Sample condition"
    assert "diff-deletedline" in compared["*"] and "Rest helps a lot." in compared["*"]
    v2 = api(client, action="compare", fromrev=first.pk, torelative="next", formatversion=2)
    assert v2["compare"]["torevid"] == second.pk and "body" in v2["compare"]
    missing = api(client, action="compare", fromrev=999999, torev=second.pk)
    assert missing["error"]["code"] == "nosuchrevid"
    query = api(
        client, action="query", prop="revisions", titles="Sample condition", rvdiffto="prev"
    )
    [page] = query["query"]["pages"].values()
    diff = page["revisions"][0]["diff"]
    assert (diff["from"], diff["to"]) == (first.pk, second.pk) and "diff-addedline" in diff["*"]


@pytest.mark.django_db
def test_contributors_imageinfo_and_empty_props(client, wiki, editor):
    make_media(editor)
    query = api(
        client,
        action="query",
        titles="Sample condition|File:Chest scan.png|File:Nothing.png",
        prop="contributors|langlinks|pageprops|imageinfo",
        iiprop="size|url",
    )["query"]["pages"]
    pages = {p["title"]: p for p in query.values()}
    names = [c["name"] for c in pages["Sample condition"]["contributors"]]
    assert names == ["Edna", "Otto"]
    assert "langlinks" not in pages["Sample condition"]
    scan = pages["File:Chest scan.png"]
    assert scan["imagerepository"] == "local" and scan["imageinfo"][0]["width"] == 900
    assert pages["File:Nothing.png"]["imagerepository"] == ""


@pytest.mark.django_db
def test_search_by_title_and_near_match(client, wiki):
    found = api(client, action="query", list="search", srsearch="other", srwhat="title")
    assert [h["title"] for h in found["query"]["search"]] == ["Other condition"]
    near = api(
        client, action="query", list="search", srsearch="sample CONDITION", srwhat="nearmatch"
    )
    assert [h["title"] for h in near["query"]["search"]] == ["Sample condition"]


@pytest.mark.django_db
def test_long_site_lists_continue(client, wiki, make_article):
    for n in range(3):
        make_article(title=f"Extra {n}", source="Text.", categories=[f"Cat {n}"])
    first = api(client, action="query", list="allcategories", aclimit=2)
    assert [c["*"] for c in first["query"]["allcategories"]] == ["Cat 0", "Cat 1"]
    rest = api(client, action="query", list="allcategories", aclimit=2, **first["continue"])
    assert [c["*"] for c in rest["query"]["allcategories"]] == ["Cat 2", "Rare diseases"]
    users = api(client, action="query", list="allusers", aulimit=1)
    more = api(client, action="query", list="allusers", aulimit=1, **users["continue"])
    assert [u["name"] for u in more["query"]["allusers"]] == ["Otto"]


@pytest.mark.django_db
def test_writes_refused_as_mediawiki_refuses_them(client, wiki, reader, editor):
    assert api(client, action="watch", titles="Sample condition")["error"]["code"] == "mustbeposted"
    anonymous = api(client, action="query", list="watchlist")
    assert anonymous["error"]["code"] == "notloggedin"
    client.force_login(reader)
    refused = api(
        client, "post", action="patrol", revid=wiki.latest_revision_id, token=token(client)
    )
    assert refused["error"]["code"] == "permissiondenied"
    client.force_login(editor)
    rolled = api(
        client,
        "post",
        action="rollback",
        title="Sample condition",
        user="Edna",
        token=token(client),
    )
    assert rolled["error"]["code"] == "alreadyrolled"
    assert api(client, "post", action="clearhasmsg") == {"clearhasmsg": "success"}


def test_a_chunk_at_the_wrong_offset_or_an_unknown_file_key_is_stashfailed(editor_client):
    def send(stash="1", **fields):
        fields.update(action="upload", format="json", filename="Knee.png")
        fields["token"] = token(editor_client)
        if stash:
            fields["stash"] = stash
        return editor_client.post("/api.php", fields).json()

    data = png().getvalue()
    first = send(filesize=len(data), offset=0, chunk=io.BytesIO(data[:50]))["upload"]
    assert (first["result"], first["offset"]) == ("Continue", 50)
    wrong = send(filesize=len(data), offset=10, filekey=first["filekey"], chunk=io.BytesIO(b"x"))
    assert wrong["error"]["code"] == "stashfailed" and wrong["error"]["offset"] == 50
    too_long = send(filesize=len(data), offset=50, filekey=first["filekey"], chunk=io.BytesIO(data))
    assert too_long["error"]["code"] == "stashfailed"
    unknown = send(filekey="nosuch.key", filesize=1, offset=0, chunk=io.BytesIO(b"x"))
    assert unknown["error"]["code"] == "stashfailed"
    unfinished = send(filekey=first["filekey"], stash=None)  # stored before its last chunk
    assert unfinished["error"]["code"] == "stashfailed"


def translated(title: str, text: str, language: str, user) -> Article:
    edit = ArticleEdit(text=text, base_revision=None, user=user, summary="Translated")
    return article_save(article=Article(title=title, language=language), edit=edit).article


@pytest.mark.django_db
def test_langlinks_list_a_pages_articles_in_other_languages(client, wiki, editor):
    """prop=langlinks answers the page's translation group, by language code, as MediaWiki
    answers its interlanguage links: lllimit and llcontinue, llprop, lllang and lltitle."""
    sample = Article.objects.get(title="Sample condition")
    translation_link(sample, translated("Afección de muestra", "Una afección.\n", "es", editor))
    translation_link(sample, translated("حالة نموذجية", "حالة.\n", "ar", editor))

    def langlinks(**params):
        answer = api(client, action="query", titles="Sample condition", prop="langlinks", **params)
        pages = answer["query"]["pages"]  # fv2: a list
        [page] = pages if isinstance(pages, list) else pages.values()
        return page.get("langlinks"), answer.get("continue")

    links, more = langlinks()
    assert links == [
        {"lang": "ar", "*": "حالة نموذجية"},
        {"lang": "es", "*": "Afección de muestra"},
    ]
    assert more is None
    links, more = langlinks(formatversion="2", llprop="url|langname|autonym", lllimit="1")
    assert links == [
        {
            "lang": "ar",
            "url": "http://testserver/ar/wiki/%D8%AD%D8%A7%D9%84%D8%A9_%D9%86%D9%85%D9%88%D8%B0%D8%AC%D9%8A%D8%A9",
            "langname": "Arabic",
            "autonym": "العربية",
            "title": "حالة نموذجية",
        }
    ]
    assert more["llcontinue"] == f"{sample.pk}|es"
    rest, more = langlinks(formatversion="2", lllimit="1", llcontinue=more["llcontinue"])
    assert rest == [{"lang": "es", "title": "Afección de muestra"}] and more is None
    assert langlinks(lllang="es")[0] == [{"lang": "es", "*": "Afección de muestra"}]
    assert langlinks(lllang="es", lltitle="Otra")[0] is None
    refused = api(client, action="query", titles="Sample condition", prop="langlinks", lltitle="X")
    assert refused["error"]["code"] == "invalidparammix"
    # Language names in the language asked for, by default the one the API is read in.
    named = langlinks(formatversion="2", llprop="langname", llinlanguagecode="es")[0]
    assert [link["langname"] for link in named] == ["Árabe", "Español"]
    unknown = langlinks(formatversion="2", llprop="langname", llinlanguagecode="../xx")[0]
    assert [link["langname"] for link in unknown] == ["Arabic", "Spanish"]  # as MediaWiki
    spanish = client.get(
        "/es/api.php",
        {"action": "query", "titles": "Afección de muestra", "prop": "langlinks",
         "llprop": "langname", "formatversion": "2", "format": "json"},
    ).json()  # fmt: skip
    [page] = spanish["query"]["pages"]
    assert page["langlinks"] == [
        {"lang": "ar", "langname": "Árabe", "title": "حالة نموذجية"},
        {"lang": "en", "langname": "Inglés", "title": "Sample condition"},
    ]
