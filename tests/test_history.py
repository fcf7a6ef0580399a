"""Contributors read an article's history and its old revisions."""

import pytest

from wiki.models import Revision

from .conftest import SAMPLE_SOURCE, save


@pytest.fixture
def edited(make_article, editor, other_editor):
    """Sample condition: created by Edna, one section edited by Otto, a minor fix by Edna."""
    article = make_article(user=editor, summary="First version")
    save(
        article,
        other_editor,
        "## Causes\n\nSome say stress, some say genes.\n",
        section=2,
        summary="Causes expanded",
    )
    save(
        article,
        editor,
        article_source(article).replace("mild rash", "mild  rash"),
        summary="Spacing",
        minor=True,
    )
    article.refresh_from_db()
    return article


def article_source(article):
    article.refresh_from_db()
    article.__dict__.pop("ordered_sections", None)
    return article.source


def test_history_lists_revisions_newest_first_with_who_when_and_what(client, edited):
    page = client.get("/wiki/Sample_condition/history").content.decode()
    assert page.index("Spacing") < page.index("Causes expanded") < page.index("First version")
    assert 'href="/contributor/otto"' in page and "Edna Marsh" in page
    assert 'title="This is a minor edit"' in page
    assert "→ Causes" in page  # the section edited


def test_history_shows_size_and_coloured_change_in_size(client, edited):
    revisions = list(Revision.objects.filter(article=edited))
    page = client.get("/wiki/Sample_condition/history").content.decode()
    assert f"{revisions[-1].size} bytes" in page
    assert '<span class="size-delta size-delta--plus"' in page
    assert f">+{revisions[-1].size}<" in page
    grew = revisions[1].size_delta
    assert grew > 0 and f">+{grew}<" in page


def test_a_shrinking_edit_shows_a_red_minus(client, make_article, editor):
    article = make_article(user=editor)
    save(
        article, editor, SAMPLE_SOURCE.replace("People report tiredness and a mild rash.", "Rash.")
    )
    page = client.get("/wiki/Sample_condition/history").content.decode()
    shrunk = Revision.objects.filter(article=article).first().size_delta
    assert shrunk < 0 and "size-delta--minus" in page and f"−{-shrunk}<" in page


def test_history_links_each_revision_and_its_diff_with_the_previous_one(client, edited):
    newest, middle, first = Revision.objects.filter(article=edited)
    page = client.get("/wiki/Sample_condition/history").content.decode()
    assert f'href="/wiki/Sample_condition/revision/{first.pk}"' in page
    assert f"/wiki/Sample_condition/diff?from={middle.pk}&amp;to={newest.pk}" in page
    assert f"/wiki/Sample_condition/diff?from={first.pk}&amp;to={middle.pk}" in page


def test_history_has_radio_buttons_to_compare_any_two_revisions(client, edited):
    newest, middle, first = Revision.objects.filter(article=edited)
    page = client.get("/wiki/Sample_condition/history").content.decode()
    assert 'form id="compare" method="get" action="/wiki/Sample_condition/diff"' in page
    assert f'name="from" value="{first.pk}"' in page and f'name="to" value="{first.pk}"' in page
    response = client.get(f"/wiki/Sample_condition/diff?from={first.pk}&to={newest.pk}")
    assert response.status_code == 200


def test_history_is_paginated(client, make_article, editor):
    article = make_article(user=editor, source="Start.\n")
    for n in range(52):
        save(article, editor, f"Start.\n\nLine {n}.\n")
    first_page = client.get("/wiki/Sample_condition/history").content.decode()
    assert 'rel="next"' in first_page and "Created" not in first_page
    second_page = client.get("/wiki/Sample_condition/history?dir=last").content.decode()
    assert "(Created)" in second_page


def test_history_of_a_lowercase_title_redirects_to_the_canonical_one(client, edited):
    response = client.get("/wiki/sample_condition/history")
    assert response.status_code == 301 and response.url == "/wiki/Sample_condition/history"


def test_an_old_revision_shows_the_text_as_it_was_with_a_banner(client, edited):
    first = Revision.objects.filter(article=edited).last()
    page = client.get(f"/wiki/Sample_condition/revision/{first.pk}").content.decode()
    assert "This is an old revision of this page, as edited by" in page
    assert "Edna Marsh" in page and first.created_at.strftime("%H:%M") in page
    assert "Nobody knows the causes." in page and "Some say stress" not in page
    assert 'href="/wiki/Sample_condition">current revision</a>' in page


def test_an_old_revision_links_to_the_previous_and_next_revisions(client, edited):
    newest, middle, first = Revision.objects.filter(article=edited)
    page = client.get(f"/wiki/Sample_condition/revision/{middle.pk}").content.decode()
    assert f'href="/wiki/Sample_condition/revision/{first.pk}" rel="prev"' in page
    assert f'href="/wiki/Sample_condition/revision/{newest.pk}" rel="next"' in page
    assert "Some say stress" in page
    newest_page = client.get(f"/wiki/Sample_condition/revision/{newest.pk}").content.decode()
    assert "This is the current revision of this page" in newest_page
    assert "Newest revision" in newest_page


def test_a_revision_of_another_article_is_not_found_here(client, make_article, edited):
    other = make_article(title="Other condition", source="Other.\n")
    response = client.get(f"/wiki/Sample_condition/revision/{other.latest_revision_id}")
    assert response.status_code == 404


def test_editors_see_revert_and_undo_buttons_readers_do_not(client, editor_client, edited):
    assert "revert to this" in editor_client.get("/wiki/Sample_condition/history").content.decode()
    assert "undo" in editor_client.get("/wiki/Sample_condition/history").content.decode()
    client.logout()
    page = client.get("/wiki/Sample_condition/history").content.decode()
    assert "revert to this" not in page and "Restore this revision" not in page


@pytest.mark.parametrize("revisions", [3, 30])
def test_history_and_revision_pages_make_a_constant_number_of_queries(
    client, make_article, editor, django_assert_max_num_queries, revisions
):
    article = make_article(user=editor, source="Start.\n\n## One\n\nBody.\n")
    for n in range(revisions - 1):
        save(article, editor, f"Start.\n\n## One\n\nBody {n}.\n", minor=n % 2 == 0)
    first = Revision.objects.filter(article=article).last()
    with django_assert_max_num_queries(5):  # one of them: is the Talk tab blue or red
        assert client.get("/wiki/Sample_condition/history").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(f"/wiki/Sample_condition/revision/{first.pk}").status_code == 200


def test_each_revision_holds_exactly_the_text_saved_by_that_edit(make_article, editor):
    """The section edited and a section removed are in their new state in the new snapshot."""
    from wiki.snapshots import load_snapshot

    article = make_article(user=editor)
    edited_source = SAMPLE_SOURCE.replace("Rest helps.", "Rest and water help.").replace(
        "## Causes\n\nNobody knows the causes.\n\n", ""
    )
    revision = save(article, editor, edited_source).revision
    snapshot = load_snapshot(revision.pk)
    assert snapshot.source == edited_source
    assert [s.heading for s in snapshot.sections] == ["Symptoms", "Treatment", "See also"]
    assert "Rest and water help." in snapshot.sections[1].html


@pytest.mark.browser
def test_an_editor_compares_two_revisions_and_restores_the_older_one(
    transactional_db, live_server, page, make_article, editor, other_editor
):
    article = make_article(user=editor, summary="First version")
    save(
        article,
        other_editor,
        SAMPLE_SOURCE.replace("Rest helps.", "Sleep and rest help.").replace(
            "Nobody knows the causes.", "Nobody knows the causes.\n\nStress may play a part."
        ),
        summary="Treatment and causes",
    )
    save(
        article,
        other_editor,
        SAMPLE_SOURCE.replace("Rest helps.", "Nothing helps."),
        summary="Pessimism",
        minor=True,
    )
    newest, middle, first = Revision.objects.filter(article=article)
    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/?next=/wiki/Sample_condition/history")
    page.fill("input[name=username]", "edna")
    page.fill("input[name=password]", "pw-edna-123")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/history")
    page.screenshot(path="test-results/history.png", full_page=True)

    page.check(f"input[name=from][value='{first.pk}']")
    page.check(f"input[name=to][value='{middle.pk}']")
    page.click("text=Compare selected revisions")
    page.wait_for_url("**/diff?**")
    assert page.locator(".diff-new ins", has_text="Sleep").count() == 1
    assert page.locator(".diff-old del", has_text="Rest").count() == 1
    page.screenshot(path="test-results/diff-side.png", full_page=True)
    page.click("text=inline")
    page.wait_for_url("**mode=inline")
    page.screenshot(path="test-results/diff-inline.png", full_page=True)

    page.goto(f"{live_server.url}/wiki/Sample_condition/revision/{first.pk}")
    assert "This is an old revision of this page" in page.inner_text(".old-revision-banner")
    page.screenshot(path="test-results/revision.png", full_page=True)
    page.click("text=Restore this revision")
    # Nothing is saved yet: the page shows what the revert would change, with the summary.
    page.wait_for_url(f"**/revert/{first.pk}")
    assert page.locator(".diff-old del", has_text="Nothing").count() == 1
    assert page.locator(".diff-new ins", has_text="Rest").count() == 1
    summary = page.locator("input[name=summary]")
    assert summary.input_value() == f"Reverted to revision {first.pk} by Edna Marsh"
    assert Revision.objects.filter(article=article).count() == 3
    page.screenshot(path="test-results/revert-confirm.png", full_page=True)
    summary.click()
    page.keyboard.press("End")
    page.keyboard.type(": the advice was wrong")
    page.click("main button[type=submit] >> text=Save")
    page.wait_for_url("**/history")
    assert (
        f"Reverted to revision {first.pk} by Edna Marsh: the advice was wrong"
        in page.inner_text(".history")
    )
    page.goto(f"{live_server.url}/wiki/Sample_condition")
    assert "Rest helps." in page.inner_text("article")
    page.click("footer >> text=Recent changes")
    page.wait_for_url("**/recent-changes")
    page.screenshot(path="test-results/recent-changes.png", full_page=True)
    page.click(".user-links >> text=Your profile")
    page.fill("input[name=credentials]", "MD")
    page.click("text=Save profile")
    page.wait_for_url("**/accounts/profile")
    page.screenshot(path="test-results/profile.png", full_page=True)
    page.click("text=See your contributor page.")
    assert "Edna Marsh, MD" in page.inner_text("h1")
    page.screenshot(path="test-results/contributor.png", full_page=True)
    assert Revision.objects.filter(article=article).count() == 4


def test_revision_links_hold_plain_ids_where_numbers_show_thousand_separators(
    client, make_article, editor, settings
):
    """Revision ids in links and compare buttons are printed as they are, so the history and
    recent changes keep working on a site whose numbers show "12,345"."""
    from django.core.management.color import no_style
    from django.db import connection
    from django.utils import timezone
    from reversion.models import Revision as ReversionRevision

    ReversionRevision.objects.create(pk=12_344, date_created=timezone.now(), comment="Older")
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [ReversionRevision]):
            cursor.execute(sql)
    article = make_article(user=editor)
    save(article, editor, SAMPLE_SOURCE + "\nOne more line.\n", summary="More")
    newest, first = Revision.objects.filter(article=article)
    assert first.pk > 12_344
    settings.USE_THOUSAND_SEPARATOR = True

    history = client.get("/wiki/Sample_condition/history").content.decode()
    assert f'name="from" value="{first.pk}"' in history
    assert f'href="/wiki/Sample_condition/revision/{first.pk}"' in history
    diff = f"/wiki/Sample_condition/diff?from={first.pk}&amp;to={newest.pk}"
    assert diff in history
    assert diff in client.get("/recent-changes").content.decode()
    assert diff in client.get(f"/wiki/Sample_condition/revision/{newest.pk}").content.decode()
    response = client.get(diff.replace("&amp;", "&") + "&mode=side")
    assert f"?from={first.pk}&amp;to={newest.pk}&amp;mode=inline" in response.content.decode()


HUGE = "99999999999999999999"  # beyond any 64-bit id


@pytest.mark.parametrize(
    "url",
    [
        f"/wiki/Sample_condition/revision/{HUGE}",
        f"/wiki/Sample_condition/diff?from=1&to={HUGE}",
        f"/wiki/Sample_condition/diff?from={HUGE}&to=1",
        f"/wiki/Sample_condition/diff?to={HUGE}",
        "/wiki/Sample_condition/revision/9223372036854775808",
    ],
)
def test_a_revision_number_too_big_to_exist_is_not_found(client, make_article, url):
    make_article()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("action", ["undo", "revert"])
def test_undoing_a_revision_number_too_big_to_exist_is_not_found(
    editor_client, make_article, action
):
    make_article()
    assert editor_client.post(f"/wiki/Sample_condition/{action}/{HUGE}").status_code == 404
