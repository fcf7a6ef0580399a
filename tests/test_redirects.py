"""Redirect pages typed in the editor: followed once, with "(Redirected from…)", listed when
double or broken, and never a loop."""

import pytest
from django.db import connection

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


def doubles_listed(client) -> list[str]:
    return [page.title for page in client.get("/redirects").context["double"].items]


def test_the_double_redirects_follow_every_change_of_the_pages_they_pass(
    client, editor, target, make_article
):
    """The list reads a mark the database keeps: a redirect's target turned into a redirect
    and back, a bulk update of targets, a target deleted; and a loop is two double redirects."""
    middle = make_article("Middle", "A page of its own.\n", user=editor)
    make_article("First", "#REDIRECT [[Middle]]\n", user=editor)
    assert doubles_listed(client) == []
    save(middle, editor, "#REDIRECT [[Migraine]]\n")  # the middle page becomes a redirect
    assert doubles_listed(client) == ["First"]
    save(middle, editor, "A page of its own again.\n")
    assert doubles_listed(client) == []
    Article.objects.filter(title="Middle").update(redirect_to=target)  # a bulk change
    assert doubles_listed(client) == ["First"]
    target.delete()  # Middle's target gone: Middle is broken, First no longer double
    assert doubles_listed(client) == []
    loop_a = make_article("Loop A", "#REDIRECT [[Loop B]]\n", user=editor)
    loop_b = make_article("Loop B", "#REDIRECT [[Loop A]]\n", user=editor)
    assert doubles_listed(client) == ["Loop A", "Loop B"]
    # Rows loaded with their ids (loaddata, a copy): a redirect stored before its target, the
    # target a redirect itself.
    late = loop_b.pk + 100
    Article.objects.create(
        title="Early", slug="Early", lead="#REDIRECT [[Late]]\n", redirect_to_id=late
    )
    assert doubles_listed(client) == ["Loop A", "Loop B"]
    Article.objects.create(
        pk=late, title="Late", slug="Late", lead="#REDIRECT [[Loop A]]\n", redirect_to=loop_a
    )
    assert doubles_listed(client) == ["Early", "Late", "Loop A", "Loop B"]


def test_the_database_keeps_its_double_redirect_triggers_after_every_migration(db):
    """SQLite rebuilds a table for some changes of its columns and drops its triggers: a later
    migration of the articles' table must create them again (this fails until it does). The
    update's runs only when `redirect_to` changes, not on every save of every article (a
    save sets every column, and an UPDATE OF trigger fires for a column set to itself)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal"
            )
        triggers = {name: sql for name, sql in cursor.fetchall() if "double_redirects" in name}
    assert set(triggers) == {"article_double_redirects_insert", "article_double_redirects_update"}
    condition = " ".join(triggers["article_double_redirects_update"].split()).lower()
    assert (
        "when old.redirect_to_id is not new.redirect_to_id" in condition
        or "when ((old.redirect_to_id is distinct from new.redirect_to_id))" in condition
    ), condition


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
