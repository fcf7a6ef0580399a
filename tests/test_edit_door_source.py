"""The edit door checks the text itself: a bad template call, an unknown or missing template
parameter or a broken citation saved through the REST API or /api.php is refused in that API's
own error shape, naming each problem, and nothing is saved (no revision, no new page)."""

import pytest

from tests.helpers import HATNOTE, api_php_edit
from wiki.api.models import ApiToken
from wiki.models import Article, Revision

pytestmark = pytest.mark.django_db

BAD_CALLS = {
    "unknown parameter": (
        "{{Hatnote|pgae=Asthma (disambiguation)}}\n\nA disease.\n",
        ["“Template:Hatnote” has no parameter “pgae”", "needs the parameter “page”"],
    ),
    "unknown template": ("{{Hatnoet|page=X}}\n\nA disease.\n", ["no template “Template:Hatnoet”"]),
}


@pytest.fixture
def asthma(make_article, editor):
    make_article(title="Template:Hatnote", source=HATNOTE, user=editor)
    return make_article(title="Asthma", source="A disease.\n", user=editor)


@pytest.fixture
def token(editor):
    return ApiToken.issue(user=editor, name="bot")[1]


def rest_put(client, token, slug, text):
    return client.put(
        f"/api/v1/articles/{slug}",
        {"text": text, "summary": "Bot edit"},
        content_type="application/json",
        headers={"authorization": f"Bearer {token}"},
    )


def unchanged(page: Article) -> bool:
    before = page.source
    page.refresh_from_db()
    return page.source == before and Revision.objects.filter(article=page).count() == 1


@pytest.mark.parametrize("case", BAD_CALLS, ids=str)
def test_rest_refuses_a_bad_template_call_naming_each_problem(client, asthma, token, case):
    text, words = BAD_CALLS[case]
    response = rest_put(client, token, "Asthma", text)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "source_problems"
    assert error["message"].startswith("Nothing was saved.")
    for said in words:
        assert any(said in problem for problem in error["problems"]), error["problems"]
    assert unchanged(asthma)


@pytest.mark.parametrize("case", BAD_CALLS, ids=str)
def test_api_php_refuses_a_bad_template_call_with_a_mediawiki_error(editor_client, asthma, case):
    text, words = BAD_CALLS[case]
    answer = api_php_edit(editor_client, "Asthma", text)
    assert answer.status_code == 200  # MediaWiki answers its errors with 200
    error = answer.json()["error"]
    assert error["code"] == "sourceproblems"
    for said in words:
        assert said in error["info"]
    assert unchanged(asthma)


def test_a_new_page_with_a_bad_call_is_not_created_through_either_api(
    client, editor_client, asthma, token
):
    text = "{{Hatnote}}\n\nA headache.\n"
    response = client.post(
        "/api/v1/articles",
        {"title": "Cluster headache", "text": text},
        content_type="application/json",
        headers={"authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400, response.content
    assert "needs the parameter “page”" in " ".join(response.json()["error"]["problems"])
    answer = api_php_edit(editor_client, "Cluster headache", text).json()
    assert answer["error"]["code"] == "sourceproblems"
    assert not Article.objects.filter(title="Cluster headache").exists()


def test_a_broken_citation_is_refused_too(editor_client, asthma):
    text = "A disease.[^a]\n\n[^a]: cite jurnal | title: T\n"
    answer = api_php_edit(editor_client, "Asthma", text).json()
    assert answer["error"]["code"] == "sourceproblems"
    assert "Reference [^a]" in answer["error"]["info"]
    assert unchanged(asthma)


def test_a_good_call_saves_through_both_apis(client, editor_client, asthma, token):
    good = "{{Hatnote|page=Asthma (disambiguation)}}\n\nA disease.\n"
    assert rest_put(client, token, "Asthma", good).status_code == 200
    asthma.refresh_from_db()
    assert "For other uses" in asthma.lead_html
    answer = api_php_edit(editor_client, "Asthma", good + "\nMore.\n").json()
    assert answer["edit"]["result"] == "Success"


def test_a_revert_restores_text_whose_template_has_gone_since(client, asthma, token):
    """Restoring text the wiki once accepted is not refused: a vandalised page stays fixable."""
    good = "{{Hatnote|page=Asthma (disambiguation)}}\n\nA disease.\n"
    assert rest_put(client, token, "Asthma", good).status_code == 200
    accepted = Article.objects.get(title="Asthma").latest_revision_id
    Article.objects.filter(title="Template:Hatnote").delete()
    assert rest_put(client, token, "Asthma", "Vandalised.\n").status_code == 200
    response = client.post(
        "/api/v1/articles/Asthma/revert",
        {"revision_id": accepted},
        content_type="application/json",
        headers={"authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.content
    assert Article.objects.get(title="Asthma").source.startswith("{{Hatnote")
