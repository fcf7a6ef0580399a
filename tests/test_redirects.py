"""Redirect pages typed in the editor: followed once, with "(Redirected from…)", listed when
double or broken, and never a loop."""

import pytest

from wiki.models import Article

from .conftest import save


@pytest.fixture
def target(make_article, editor):
    return make_article(
        "Migraine", "A headache disorder.\n\n## Treatment\n\nRest in the dark.\n", user=editor
    )


def test_a_redirect_line_typed_in_the_editor_makes_a_redirect(editor_client, target):
    response = editor_client.post(
        "/wiki/Hemicrania/edit",
        {
            "title": "Hemicrania",
            "text": "#REDIRECT [[Migraine#Treatment]]\n",
            "summary": "Redirect",
        },
    )
    assert response.status_code == 302
    page = Article.objects.get(title="Hemicrania")
    assert page.redirect_to_id == target.pk

    followed = editor_client.get("/wiki/Hemicrania")
    assert followed.status_code == 301
    assert followed["Location"] == "/wiki/Migraine?redirectedfrom=Hemicrania#Treatment"
    assert followed["Cache-Control"] == "public, max-age=3600"  # it may stop redirecting
    shown = editor_client.get("/wiki/Migraine?redirectedfrom=Hemicrania").content.decode()
    assert "(Redirected from" in shown
    assert 'href="/wiki/Hemicrania?redirect=no"' in shown

    itself = editor_client.get("/wiki/Hemicrania?redirect=no").content.decode()
    assert "This page is a redirect to" in itself
    main = itself.split("<main", 1)[1]
    assert "↪ Redirect to" in main  # the redirect line reads as such,
    assert main.count("<h1") == 1  # not as a heading


def test_a_redirect_turned_back_into_an_article(editor_client, editor, target, make_article):
    page = make_article("Hemicrania", "#REDIRECT [[Migraine]]\n", user=editor)
    assert page.redirect_to_id == target.pk
    save(page, editor, "Hemicrania is a rare headache.\n")
    page.refresh_from_db()
    assert page.redirect_to_id is None
    assert editor_client.get("/wiki/Hemicrania").status_code == 200


def test_a_redirect_to_a_missing_page_is_broken_until_the_page_exists(client, editor, make_article):
    page = make_article("Old name", "#REDIRECT [[New name]]\n", user=editor)
    assert page.redirect_to_id is None
    assert "Old name" in client.get("/redirects").content.decode().split("Broken redirects")[1]
    created = make_article("New name", "Now here.\n", user=editor)
    page.refresh_from_db()
    assert page.redirect_to_id == created.pk
    assert "Old name" not in client.get("/redirects").content.decode().split("Broken redirects")[1]


def test_double_redirects_are_listed_and_followed_once(client, editor, target, make_article):
    make_article("Middle", "#REDIRECT [[Migraine]]\n", user=editor)
    make_article("First", "#REDIRECT [[Middle]]\n", user=editor)
    listed = client.get("/redirects").content.decode().split("Broken redirects")[0]
    assert "First" in listed and "Middle" in listed
    first = client.get("/wiki/First")
    assert first["Location"] == "/wiki/Middle?redirectedfrom=First"
    second = client.get(first["Location"])  # a redirect reached by a redirect is shown
    assert second.status_code == 200
    assert "This page is a redirect to" in second.content.decode()


def test_redirect_loops_stop_after_one_hop(client, editor, make_article):
    a = make_article("Loop A", "#REDIRECT [[Loop B]]\n", user=editor)
    b = make_article("Loop B", "#REDIRECT [[Loop A]]\n", user=editor)
    a.refresh_from_db()
    assert (a.redirect_to_id, b.redirect_to_id) == (b.pk, a.pk)
    first = client.get("/wiki/Loop_A")
    assert first.status_code == 301
    assert client.get(first["Location"]).status_code == 200


def test_a_page_redirecting_to_itself_is_broken_not_a_loop(client, editor, make_article):
    page = make_article("Selfish", "#REDIRECT [[Selfish]]\n", user=editor)
    assert page.redirect_to_id is None
    assert client.get("/wiki/Selfish").status_code == 200


def test_search_go_and_suggestions_follow_redirects(client, editor, target, make_article):
    make_article("Hemicrania", "#REDIRECT [[Migraine]]\n", user=editor)
    go = client.get("/search?q=Hemicrania")
    assert go.status_code == 302
    followed = client.get(go["Location"])
    assert followed.status_code == 301
    assert followed["Location"].startswith("/wiki/Migraine?redirectedfrom=Hemicrania")


def test_a_redirect_title_is_suggested_and_leads_to_its_target(
    client, editor, target, make_article
):
    make_article("Hemicrania", "#REDIRECT [[Migraine]]\n", user=editor)
    query, titles = client.get("/search/suggest?q=Hemic").json()
    assert "Hemicrania" in titles
    chosen = client.get("/wiki/Hemicrania")  # what choosing the suggestion opens
    assert chosen["Location"] == "/wiki/Migraine?redirectedfrom=Hemicrania"
