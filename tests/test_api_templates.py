"""Templates through the APIs: which templates a page uses and which pages use a template
(through other templates too, as MediaWiki counts them), a text expanded as a page would show
it; by /api.php (prop=templates, list=embeddedin, action=expandtemplates, read by mwclient
against a live server) and by REST (/templates/{name}/uses, /expand)."""

from urllib.parse import urlsplit

import mwclient
import pytest

from tests.helpers import HATNOTE
from wiki.models import Article

WRAPPER = "{{Hatnote|page=Asthma (disambiguation)}} and {{Not yet written}}\n"


@pytest.fixture
def templated(make_article, editor):
    """Hatnote; Wrapper, which calls Hatnote and a template not written; Asthma calls Wrapper,
    Gout calls Hatnote, Rest calls none."""
    make_article(title="Template:Hatnote", source=HATNOTE, user=editor)
    make_article(title="Template:Not yet written", source="Soon.\n", user=editor)
    wrapper = make_article(title="Template:Wrapper", source=WRAPPER, user=editor)
    Article.objects.filter(title="Template:Not yet written").delete()
    asthma = make_article(title="Asthma", source="{{Wrapper}}\n\nA disease.\n", user=editor)
    gout = make_article(title="Gout", source="{{Hatnote|page=Gout (band)}}\n\nJoints.\n")
    make_article(title="Rest", source="Nothing called.\n")
    return {"wrapper": wrapper, "asthma": asthma, "gout": gout}


def api(client, **params):
    return client.get("/api.php", {"format": "json", **params}).json()


@pytest.mark.django_db
def test_prop_templates_lists_direct_and_indirect_templates_with_continuation(client, templated):
    answer = api(client, action="query", prop="templates", titles="Asthma|Gout|Rest")
    pages = {p["title"]: p for p in answer["query"]["pages"].values()}
    assert pages["Asthma"]["templates"] == [
        {"ns": 10, "title": "Template:Hatnote"},
        {"ns": 10, "title": "Template:Not yet written"},
        {"ns": 10, "title": "Template:Wrapper"},
    ]
    assert pages["Gout"]["templates"] == [{"ns": 10, "title": "Template:Hatnote"}]
    assert "templates" not in pages["Rest"]  # left out, as MediaWiki does

    seen, params = [], {"action": "query", "prop": "templates", "titles": "Asthma|Gout"}
    while True:
        answer = api(client, **params, tllimit=1)
        for page in answer["query"]["pages"].values():
            seen += [(page["title"], t["title"]) for t in page.get("templates", [])]
        if "continue" not in answer:
            break
        params.update(answer["continue"])
    assert len(seen) == 4 and ("Gout", "Template:Hatnote") in seen
    assert "batchcomplete" in answer

    only = api(
        client, action="query", prop="templates", titles="Asthma", tltemplates="Template:Wrapper"
    )
    [page] = only["query"]["pages"].values()
    assert page["templates"] == [{"ns": 10, "title": "Template:Wrapper"}]


@pytest.mark.django_db
def test_generator_templates_gives_the_template_pages(client, templated):
    answer = api(client, action="query", generator="templates", titles="Asthma", formatversion=2)
    pages = {p["title"]: p for p in answer["query"]["pages"]}
    assert pages["Template:Wrapper"]["ns"] == 10 and "pageid" in pages["Template:Wrapper"]
    assert pages["Template:Not yet written"]["missing"] is True


@pytest.mark.django_db
def test_embeddedin_lists_users_through_other_templates_with_continuation(client, templated):
    answer = api(client, action="query", list="embeddedin", eititle="Template:Hatnote")
    users = [(u["ns"], u["title"]) for u in answer["query"]["embeddedin"]]
    assert sorted(users) == [(0, "Asthma"), (0, "Gout"), (10, "Template:Wrapper")]
    assert users[-1] == (10, "Template:Wrapper")  # by namespace, then page id
    first = api(client, action="query", list="embeddedin", eititle="Template:Hatnote", eilimit=2)
    assert len(first["query"]["embeddedin"]) == 2
    rest = api(
        client,
        action="query",
        list="embeddedin",
        eititle="Template:Hatnote",
        eilimit=2,
        **first["continue"],
    )
    assert [u["title"] for u in rest["query"]["embeddedin"]] == ["Template:Wrapper"]
    assert "continue" not in rest
    main = api(client, action="query", list="embeddedin", eititle="Template:Hatnote", einamespace=0)
    assert {u["title"] for u in main["query"]["embeddedin"]} == {"Asthma", "Gout"}
    missing = api(client, action="query", list="embeddedin", eititle="Template:Not yet written")
    assert [u["title"] for u in missing["query"]["embeddedin"]] == ["Asthma", "Template:Wrapper"]
    bad = api(client, action="query", list="embeddedin", eititle="<")
    assert bad["error"]["code"] == "invalidtitle"


@pytest.mark.django_db
def test_generator_embeddedin_gives_the_using_pages(client, templated):
    answer = api(
        client, action="query", generator="embeddedin", geititle="Template:Wrapper", prop="info"
    )
    assert [p["title"] for p in answer["query"]["pages"].values()] == ["Asthma"]


@pytest.mark.django_db
def test_expandtemplates_answers_the_markdown_expanded(client, templated):
    text = "{{Hatnote|page=Gout (band)}}"
    answer = api(client, action="expandtemplates", text=text, prop="wikitext")
    assert answer == {"expandtemplates": {"wikitext": "For other uses, see [[Gout (band)]]."}}
    legacy = api(client, action="expandtemplates", text=text)
    assert legacy["expandtemplates"]["*"] == "For other uses, see [[Gout (band)]]."
    assert "legacy format" in legacy["warnings"]["expandtemplates"]["*"]
    on_its_page = api(
        client,
        action="expandtemplates",
        text=HATNOTE.split("\n")[0],
        title="Template:Hatnote",
        prop="wikitext",
        formatversion=2,
    )
    assert on_its_page["expandtemplates"]["wikitext"].startswith("For other uses, see")
    tree = api(
        client, action="expandtemplates", text="a{{Hatnote|page=Z|x|{{{p|d}}}}}<!--c-->",
        prop="parsetree",
    )["expandtemplates"]["parsetree"]  # fmt: skip
    assert tree == (  # as MediaWiki 1.39 answers the same text
        "<root>a<template><title>Hatnote</title><part><name>page</name><equals>=</equals>"
        '<value>Z</value></part><part><name index="1"/><value>x</value></part><part>'
        '<name index="2"/><value><tplarg><title>p</title><part><name index="1"/><value>d'
        "</value></part></tplarg></value></part></template><comment>&lt;!--c--&gt;</comment>"
        "</root>"
    )
    assert api(client, action="expandtemplates")["error"]["code"] == "missingparam"
    assert api(client, action="expandtemplates", text="x", title="<>")["error"]["code"] == (
        "invalidtitle"
    )


@pytest.mark.django_db(transaction=True)
def test_mwclient_reads_a_pages_templates_and_a_templates_users(live_server, templated):
    site = mwclient.Site(urlsplit(live_server.url).netloc, path="/", scheme="http", max_retries=0)
    asthma = site.pages["Asthma"]
    assert sorted(t.name for t in asthma.templates()) == [
        "Template:Hatnote",
        "Template:Not yet written",
        "Template:Wrapper",
    ]
    hatnote = site.pages["Template:Hatnote"]
    assert hatnote.namespace == 10
    users = [p.name for p in hatnote.embeddedin(namespace=None)]
    assert sorted(users) == ["Asthma", "Gout", "Template:Wrapper"]
    assert sorted(p.name for p in hatnote.embeddedin(namespace=0)) == ["Asthma", "Gout"]
    expanded = site.expandtemplates("{{Hatnote|page=Gout (band)}}")
    assert expanded == "For other uses, see [[Gout (band)]]."


@pytest.mark.django_db
def test_rest_lists_a_templates_users_page_by_page(client, templated):
    first = client.get("/api/v1/templates/Hatnote/uses", {"limit": 2}).json()
    assert first["template"] == "Template:Hatnote" and first["exists"] is True
    assert first["total"] == 3
    rest = client.get(
        "/api/v1/templates/Template:Hatnote/uses", {"limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert rest["next_cursor"] is None
    users = {u["title"]: u["direct"] for u in first["items"] + rest["items"]}
    assert users == {"Template:Wrapper": True, "Asthma": False, "Gout": True}
    unwritten = client.get("/api/v1/templates/Not_yet_written/uses").json()
    assert unwritten["exists"] is False
    assert {u["title"] for u in unwritten["items"]} == {"Template:Wrapper", "Asthma"}
    assert client.get("/api/v1/templates/%3C%3E/uses").json()["error"]["code"] == "invalid_title"


@pytest.mark.django_db
def test_rest_expands_a_text_and_names_its_problems(client, templated):
    response = client.post(
        "/api/v1/templates/expand",
        {"text": "{{Wrapper}}\n\n{{Hatnote|pgae=X}}"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["text"].startswith("For other uses, see [[Asthma (disambiguation)]]")
    assert "Template:Wrapper" in answer["templates"] and "Template:Hatnote" in answer["templates"]
    assert any("has no parameter “pgae”" in p for p in answer["problems"])
    assert any("no template “Template:Not yet written”" in p for p in answer["problems"])
    own = client.post(
        "/api/v1/templates/expand",
        {"text": "For {{{other|other uses}}}.", "title": "Template:Hatnote"},
        content_type="application/json",
    ).json()
    assert own["text"] == "For other uses."
