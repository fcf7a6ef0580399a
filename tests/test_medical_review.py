"""Medical review: reviewers mark revisions reviewed; readers see who checked the page, when,
and what changed since; articles can show readers their reviewed revision; the queue."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.helpers import change_form_data, json_ld, shown_page
from wiki.bulk import create_articles, prepare
from wiki.markdown_import import parse_markdown_file
from wiki.models import Article, Revision
from wiki.review.models import Review
from wiki.review.services import ReviewRefused, mark_reviewed, queue_size, review_queue
from wiki.services import article_delete

from .conftest import SAMPLE_SOURCE, save


@pytest.fixture
def reviewer_client(reviewer):
    client = Client()
    client.force_login(reviewer)
    return client


def review_in_site(reviewer_client, article, revision_id, note=""):
    return reviewer_client.post(
        f"/wiki/{article.slug}/review/{revision_id}", {"note": note}, follow=True
    )


def test_a_reviewer_marks_a_revision_and_readers_see_who_and_when(
    client, reviewer_client, make_article, editor
):
    article = make_article(user=editor)
    response = review_in_site(reviewer_client, article, article.latest_revision_id, "Checked.")
    assert "is marked medically reviewed" in response.content.decode()
    page = client.get(article.get_absolute_url()).content.decode()
    review = Review.objects.get()
    assert "Medically reviewed by" in page and "Jane Roe, MD" in page
    assert f"on {review.created_at:%-d %B %Y}" in page
    assert 'href="/how-we-review"' in page
    assert "since the last review" not in page
    assert review.note == "Checked." and review.reviewer_credentials == "MD"
    # A review is not a content edit: no revision was made.
    assert Revision.objects.filter(article=article).count() == 1


def test_edits_since_the_review_are_counted_and_linked_to_their_diff(
    client, reviewer, make_article, editor
):
    article = make_article(user=editor)
    reviewed = article.latest_revision_id
    mark_reviewed(revision=Revision.objects.get(pk=reviewed), user=reviewer)
    save(article, editor, SAMPLE_SOURCE + "\nOne.\n")
    save(article, editor, SAMPLE_SOURCE + "\nTwo.\n")
    article.refresh_from_db()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "It has been edited 2 times since" in page  # readers: the reviewed text
    assert f"diff?from={reviewed}&amp;to={article.latest_revision_id}" in page
    client.force_login(editor)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "2 edits since the last review" in page
    assert f"diff?from={reviewed}&amp;to={article.latest_revision_id}" in page


def test_only_reviewers_may_mark_a_revision(client, make_article, editor, reader):
    article = make_article(user=editor)
    url = f"/wiki/{article.slug}/review/{article.latest_revision_id}"
    assert client.post(url).status_code == 302  # signed out: to the sign-in page
    for user in (editor, reader):
        client.force_login(user)
        response = client.post(url)
        assert response.status_code == 403
        assert "Reviewers group" in response.content.decode()
    assert not Review.objects.exists()
    with pytest.raises(ReviewRefused):
        mark_reviewed(revision=Revision.objects.get(), user=editor)


def test_a_too_long_note_is_refused_with_a_message(reviewer_client, make_article, editor):
    article = make_article(user=editor)
    response = review_in_site(reviewer_client, article, article.latest_revision_id, "x" * 501)
    assert "at most 500 characters" in response.content.decode()
    assert not Review.objects.exists()


def test_a_revision_of_another_article_cannot_be_reviewed_through_this_one(
    reviewer_client, make_article, editor
):
    one = make_article(user=editor)
    other = make_article(title="Other condition", source="Other.\n", user=editor)
    response = reviewer_client.post(f"/wiki/{one.slug}/review/{other.latest_revision_id}")
    assert response.status_code == 404
    assert not Review.objects.exists()
    # Marking is a POST only (a link followed by a crawler must not review anything).
    assert (
        reviewer_client.get(f"/wiki/{one.slug}/review/{one.latest_revision_id}").status_code == 405
    )


def test_reviewing_an_older_revision_keeps_the_newer_one_as_reviewed(
    reviewer, make_article, editor
):
    article = make_article(user=editor)
    first = article.latest_revision_id
    save(article, editor, SAMPLE_SOURCE + "\nMore.\n")
    article.refresh_from_db()
    newer = article.latest_revision_id
    mark_reviewed(revision=Revision.objects.get(pk=newer), user=reviewer)
    mark_reviewed(revision=Revision.objects.get(pk=first), user=reviewer)
    article.refresh_from_db()
    assert article.reviewed_revision_id == newer


def test_json_ld_carries_the_last_review_and_the_reviewer_with_credentials(
    client, reviewer, make_article, editor
):
    article = make_article(user=editor)
    review = mark_reviewed(revision=Revision.objects.get(), user=reviewer)
    data = json_ld(client.get(article.get_absolute_url()).content.decode())
    assert data["@type"] == "MedicalWebPage"
    assert data["lastReviewed"] == review.created_at.date().isoformat()
    assert data["reviewedBy"]["@type"] == "Person"
    assert data["reviewedBy"]["name"] == "Jane Roe"
    assert data["reviewedBy"]["honorificSuffix"] == "MD"
    assert data["reviewedBy"]["hasCredential"]["credentialCategory"] == "MD"
    assert data["reviewedBy"]["url"].endswith("/contributor/Jane_Roe")


def test_an_unreviewed_article_says_nothing_about_review(client, make_article, editor):
    article = make_article(user=editor)
    page = shown_page(client.get(article.get_absolute_url()))
    assert "Medically reviewed" not in page
    assert "lastReviewed" not in page


def test_the_cached_anonymous_page_shows_a_review_at_once(client, reviewer, make_article, editor):
    article = make_article(user=editor)
    assert "Medically reviewed" not in shown_page(client.get(article.get_absolute_url()))
    hit = client.get(article.get_absolute_url())
    assert hit["X-Page-Cache"] == "hit"
    mark_reviewed(revision=Revision.objects.get(), user=reviewer)
    assert "Medically reviewed" in client.get(article.get_absolute_url()).content.decode()


def reviewed_then_edited(make_article, editor, reviewer):
    """An article reviewed, then edited with a claim no reviewer has seen."""
    article = make_article(user=editor)
    mark_reviewed(revision=Revision.objects.get(pk=article.latest_revision_id), user=reviewer)
    save(article, editor, SAMPLE_SOURCE.replace("made-up disorder", "unchecked claim"))
    article.refresh_from_db()
    return article


def test_by_default_readers_see_the_reviewed_revision_and_editors_the_latest(
    client, reviewer, make_article, editor
):
    article = reviewed_then_edited(make_article, editor, reviewer)
    for _ in range(2):  # rendered, then replayed from the page cache
        response = Client().get(article.get_absolute_url())
        page = response.content.decode()
        assert "unchecked claim" not in page and "made-up disorder" in page
        assert "You are reading the version of this article that was medically reviewed" in page
        assert "see the pending changes" in page
        assert "Medically reviewed by" in page
        assert json_ld(page)["lastReviewed"]  # describes the reviewed text shown
        assert "unchecked claim" not in json_ld(page)["description"]
    assert response["X-Page-Cache"] == "hit"
    client.force_login(editor)
    page = shown_page(client.get(article.get_absolute_url()))
    assert "unchecked claim" in page
    assert "1 edit since the last review" in page
    assert "readers are shown the reviewed revision" in page
    # No green check over text no reviewer has seen, and no lastReviewed in its JSON-LD.
    assert "Medically reviewed by" not in page and "An earlier revision was medically" in page
    assert "lastReviewed" not in json_ld(page)
    # Once the newest revision is reviewed, readers see it.
    mark_reviewed(revision=Revision.objects.get(pk=article.latest_revision_id), user=reviewer)
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "unchecked claim" in page and "You are reading the version" not in page


def test_the_reviewed_page_is_assembled_once_and_kept_until_the_article_changes(
    client, reviewer, make_article, editor, reader
):
    """Signed-in readers pass the anonymous page cache: their views of an article awaiting
    review read the reviewed revision's snapshot once, then its kept page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = reviewed_then_edited(make_article, editor, reviewer)
    client.force_login(reader)

    def snapshot_reads() -> int:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(article.get_absolute_url()).content.decode()
        assert "made-up disorder" in page and "unchecked claim" not in page
        return sum("reversion_version" in q["sql"] for q in queries.captured_queries)

    assert snapshot_reads() >= 1
    assert snapshot_reads() == 0
    make_article(title="Other condition", source="Now it exists.\n", user=editor)
    assert snapshot_reads() >= 1  # a link target created: the kept page is dropped


def test_the_article_setting_overrides_the_site_default_both_ways(
    reviewer, make_article, editor, settings
):
    from wiki.review.services import set_show_reviewed

    article = reviewed_then_edited(make_article, editor, reviewer)
    anonymous = Client()
    set_show_reviewed(article, False)  # never: readers see the latest
    page = shown_page(anonymous.get(article.get_absolute_url()))
    assert "unchecked claim" in page and "You are reading the version" not in page
    assert "Medically reviewed by" not in page and "lastReviewed" not in json_ld(page)
    settings.WIKI_READERS_SEE_REVIEWED = False
    set_show_reviewed(article, None)  # the site default, now off
    assert "unchecked claim" in anonymous.get(article.get_absolute_url()).content.decode()
    set_show_reviewed(article, True)  # always
    page = anonymous.get(article.get_absolute_url()).content.decode()
    assert "unchecked claim" not in page and "You are reading the version" in page


def test_the_site_default_is_a_setting_read_from_the_environment(monkeypatch):
    import importlib

    import encyclopedia.settings as project_settings

    assert project_settings.WIKI_READERS_SEE_REVIEWED is True
    monkeypatch.setenv("WIKI_READERS_SEE_REVIEWED", "0")
    try:
        assert importlib.reload(project_settings).WIKI_READERS_SEE_REVIEWED is False
    finally:
        monkeypatch.delenv("WIKI_READERS_SEE_REVIEWED")
        importlib.reload(project_settings)


def test_the_api_and_search_give_readers_the_text_they_are_shown(
    client, reviewer, make_article, editor
):
    article = reviewed_then_edited(make_article, editor, reviewer)
    reviewed = article.reviewed_revision_id
    data = client.get(f"/api/v1/articles/{article.slug}").json()
    assert "unchecked claim" in data["html"] and data["revision_id"] == article.latest_revision_id
    assert "unchecked claim" not in data["readers_html"] and "made-up" in data["readers_html"]
    assert data["review"]["readers_see_reviewed"] is True
    assert data["review"]["readers_revision_id"] == reviewed
    # Search: a reader's snippet is the reviewed text; an editor's the latest.
    found = client.get("/api/v1/search?q=sample+condition+tests").json()["results"]
    assert "unchecked" not in found[0]["snippet_html"] and "made-up" in found[0]["snippet_html"]
    page = client.get("/search?q=sample+condition+tests&fulltext=1").content.decode()
    assert "made-up disorder" in page and "unchecked" not in page
    client.force_login(editor)
    page = client.get("/search?q=sample+condition+tests&fulltext=1").content.decode()
    assert "unchecked" in page


def test_the_admin_setting_is_saved_without_a_content_revision(admin_client_, make_article):

    article = make_article()  # no credits inline: change_form_data does not split their times
    form = admin_client_.get(f"/admin/wiki/article/{article.pk}/change/").content.decode()
    select = re.search(r'<select[^>]*name="show_reviewed".*?</select>', form, re.S).group(0)
    assert "Site default" in select and "Always" in select and "Never" in select
    for sent, saved in (("False", False), ("True", True), ("", None)):
        data = change_form_data(admin_client_, article) | {"show_reviewed": sent}
        response = admin_client_.post(f"/admin/wiki/article/{article.pk}/change/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        article.refresh_from_db()
        assert article.show_reviewed is saved
    assert Revision.objects.filter(article=article).count() == 1


def test_history_and_recent_changes_mark_reviewed_and_unreviewed_revisions(
    client, reviewer, make_article, editor
):
    article = make_article(user=editor)
    mark_reviewed(revision=Revision.objects.get(), user=reviewer, note="Sources checked")
    save(article, editor, SAMPLE_SOURCE + "\nNew claim.\n", summary="new claim")
    history = client.get(f"/wiki/{article.slug}/history").content.decode()
    assert history.count("✓ medically reviewed") == 1 and history.count(">unreviewed<") == 1
    changes = client.get("/recent-changes").content.decode()
    assert "marked" in changes and "Sources checked" in changes  # the review event
    assert "Jane Roe, MD" in changes
    reviewed = client.get("/recent-changes?review=reviewed").content.decode()
    assert "new claim" not in reviewed and "Created" in reviewed
    pending = client.get("/recent-changes?review=pending").content.decode()
    assert "new claim" in pending and ">Created<" not in pending
    assert "Sources checked" not in pending  # review events are not "awaiting review"


def test_review_events_are_listed_on_exactly_one_page_of_recent_changes(
    client, reviewer, make_article, editor, settings
):
    from wiki.history import views

    article = make_article(user=editor)
    for n in range(4):
        save(article, editor, SAMPLE_SOURCE + f"\nEdit {n}.\n")
        if n == 1:
            mark_reviewed(revision=Revision.objects.first(), user=reviewer, note="midway")
    old, views.HISTORY_PAGE_SIZE = views.HISTORY_PAGE_SIZE, 2
    try:
        pages = [client.get("/recent-changes").content.decode()]
        for _ in (2, 3):  # on along the "Next" link
            following = re.search(r'rel="next" href="([^"]+)"', pages[-1]).group(1)
            pages.append(
                client.get("/recent-changes" + following.replace("&amp;", "&")).content.decode()
            )
    finally:
        views.HISTORY_PAGE_SIZE = old
    assert [p.count("midway") for p in pages] == [0, 1, 0]


def test_the_review_survives_the_deletion_of_the_article(reviewer, make_article, editor):
    from wiki.services import article_delete

    article = make_article(user=editor)
    mark_reviewed(revision=Revision.objects.get(), user=reviewer)
    article_delete(article=article, user=editor)
    review = Review.objects.get()
    assert review.revision.title == "Sample condition" and review.reviewer_name == "Jane Roe"


def test_the_queue_lists_changed_then_never_reviewed_articles_oldest_first(
    client, reviewer_client, reviewer, make_article, editor
):
    changed_late = make_article(title="Asthma", source="A.\n", user=editor, categories=["Lungs"])
    changed_early = make_article(title="Bronchitis", source="B.\n", user=editor)
    make_article(title="Croup", source="C.\n", user=editor, categories=["Lungs"])
    current = make_article(title="Dermatitis", source="D.\n", user=editor)
    for article in (changed_late, changed_early, current):
        mark_reviewed(revision=Revision.objects.get(pk=article.latest_revision_id), user=reviewer)
    save(changed_early, editor, "B, changed first.\n")
    save(changed_late, editor, "A, changed later.\n")
    assert [a.title for a in review_queue("changed")] == ["Bronchitis", "Asthma"]
    assert [a.title for a in review_queue("never")] == ["Croup"]
    assert queue_size().number == 3
    page = reviewer_client.get("/review-queue").content.decode()
    assert page.index("Bronchitis") < page.index("Asthma") and "Croup" not in page
    assert "review the changes since the last review" in page
    page = reviewer_client.get("/review-queue?show=never").content.decode()
    assert "Croup" in page and "Asthma" not in page
    lungs = reviewer_client.get("/review-queue?category=Lungs").content.decode()
    assert "Asthma" in lungs and "Bronchitis" not in lungs
    unknown = reviewer_client.get("/review-queue?category=Nowhere").content.decode()
    assert "There is no category" in unknown
    # The header shows reviewers the count; other readers see no queue link.
    assert '<span class="count">3</span><span class="visually-hidden"> articles waiting' in page
    assert "review-queue-link" not in client.get("/recent-changes").content.decode()


def test_a_reviewer_reviews_from_the_diff_page(reviewer_client, make_article, editor):
    article = make_article(user=editor)
    save(article, editor, SAMPLE_SOURCE + "\nMore.\n")
    article.refresh_from_db()
    diff = reviewer_client.get(
        f"/wiki/{article.slug}/diff?to={article.latest_revision_id}"
    ).content.decode()
    assert f"Mark revision {article.latest_revision_id} medically reviewed" in diff
    response = review_in_site(reviewer_client, article, article.latest_revision_id)
    assert response.redirect_chain[-1][0].endswith(f"/wiki/{article.slug}/history")
    article.refresh_from_db()
    assert article.reviewed_revision_id == article.latest_revision_id
    assert Article.objects.get(pk=article.pk).reviewed_revision_id == article.latest_revision_id


def test_reverting_to_an_unreviewed_revision_keeps_the_review_record(
    reviewer, make_article, editor
):
    from wiki.history.services import article_restore

    article = make_article(user=editor)
    first = article.latest_revision_id
    save(article, editor, SAMPLE_SOURCE + "\nReviewed text.\n")
    article.refresh_from_db()
    mark_reviewed(revision=Revision.objects.get(pk=article.latest_revision_id), user=reviewer)
    reviewed = article.latest_revision_id
    article_restore(revision_id=first, user=editor)
    article.refresh_from_db()
    assert article.reviewed_revision_id == reviewed  # the review is not content
    assert article.latest_revision_id != reviewed


def test_a_review_is_an_entry_of_the_public_log(client, reviewer, make_article, editor):
    article = make_article(user=editor)
    mark_reviewed(revision=Revision.objects.get(), user=reviewer, note="Sources checked")
    page = client.get("/log?type=review").content.decode()
    assert f"marked revision {article.latest_revision_id} of" in page
    assert "medically reviewed" in page and "Sources checked" in page


def test_a_review_made_while_an_editor_had_the_article_open_survives_their_save(
    reviewer, make_article, editor
):
    from wiki.services import ArticleEdit, article_save

    article = make_article(user=editor)
    opened = Article.objects.get(pk=article.pk)  # the editor's copy, read before the review
    mark_reviewed(revision=Revision.objects.get(), user=reviewer)
    article_save(
        article=opened,
        edit=ArticleEdit(
            text=SAMPLE_SOURCE + "\nLater.\n", base_revision=opened.latest_revision_id, user=editor
        ),
    )
    article.refresh_from_db()
    assert article.reviewed_revision_id == Revision.objects.order_by("pk").first().pk


def test_a_reviewer_reviews_the_changes_from_the_diff_since_the_last_review(
    reviewer_client, reviewer, make_article, editor
):
    article = reviewed_then_edited(make_article, editor, reviewer)
    diff_url = (
        f"/wiki/{article.slug}/diff?from={article.reviewed_revision_id}"
        f"&to={article.latest_revision_id}"
    )
    page = reviewer_client.get(article.get_absolute_url()).content.decode()
    assert "Review these changes" in page and diff_url.replace("&", "&amp;") in page
    diff = reviewer_client.get(diff_url).content.decode()
    assert f"Mark revision {article.latest_revision_id} medically reviewed" in diff
    response = reviewer_client.post(
        f"/wiki/{article.slug}/review/{article.latest_revision_id}", {"next": diff_url}
    )
    assert response.status_code == 302 and response["Location"] == diff_url
    article.refresh_from_db()
    assert article.reviewed_revision_id == article.latest_revision_id


def test_a_reviewer_reviews_a_never_reviewed_article_from_its_page(
    client, reviewer_client, make_article, editor
):
    article = make_article(user=editor)
    page = reviewer_client.get(article.get_absolute_url()).content.decode()
    assert "No reviewer has checked this article yet" in page
    assert f"Mark revision {article.latest_revision_id} medically reviewed" in page
    response = reviewer_client.post(
        f"/wiki/{article.slug}/review/{article.latest_revision_id}",
        {"next": article.get_absolute_url()},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == article.get_absolute_url()
    page = response.content.decode()
    assert "Medically reviewed by" in page and "No reviewer has checked" not in page
    # Readers and editors who are not reviewers get no button.
    page = client.get(article.get_absolute_url()).content.decode()
    assert "medically reviewed</button>" not in page
    client.force_login(editor)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "medically reviewed</button>" not in page


def test_the_queue_opens_on_the_tab_with_work_and_leads_to_the_review_in_one_click(
    reviewer_client, reviewer, make_article, editor
):
    never = [make_article(title=f"Never {n}", source=f"N{n}.\n", user=editor) for n in range(3)]
    page = reviewer_client.get("/review-queue").content.decode()
    assert '<strong aria-current="page">Never reviewed (3)' in page
    assert "Changed since their last review (0)" in page
    assert f'<a href="{never[0].get_absolute_url()}">Never 0</a>' in page
    assert "review its current text" in page
    changed = reviewed_then_edited(make_article, editor, reviewer)
    page = reviewer_client.get("/review-queue").content.decode()
    assert '<strong aria-current="page">Changed since their last review (1)' in page
    diff = (
        f"/wiki/{changed.slug}/diff?from={changed.reviewed_revision_id}"
        f"&amp;to={changed.latest_revision_id}"
    )
    assert f'<a href="{diff}">Sample condition</a>' in page
    # A tab asked for stays, even when empty.
    empty = reviewer_client.get("/review-queue?show=changed&category=Nowhere").content.decode()
    assert '<strong aria-current="page">Changed since their last review' in empty


def test_the_headers_queue_count_is_made_once_and_follows_saves_reviews_and_deletions(
    reviewer_client, reviewer, editor, make_article
):
    """Every page a reviewer opens shows how many articles wait: counted once, then kept
    until a save, a review, a deletion or an import may change it."""
    asthma = make_article(title="Asthma", source="A.\n", user=editor)
    make_article(title="Bronchitis", source="B.\n", user=editor)

    def header_count(*, counts_made: int | None = None) -> str:
        with CaptureQueriesContext(connection) as queries:
            page = reviewer_client.get("/recent-changes").content.decode()
        if counts_made is not None:
            counts = [
                q for q in queries if "COUNT(" in q["sql"] and "reviewed_revision" in q["sql"]
            ]
            assert len(counts) == counts_made, counts
        shown = re.search(
            r'class="count">([^<]*)</span><span class="visually-hidden"> articles', page
        )
        return shown.group(1)

    assert header_count() == "2"
    assert header_count(counts_made=0) == "2"  # kept
    mark_reviewed(revision=Revision.objects.get(pk=asthma.latest_revision_id), user=reviewer)
    assert header_count() == "1"
    save(asthma, editor, "A, changed since its review.\n")
    assert header_count() == "2"
    make_article(title="Croup", source="C.\n", user=editor)
    assert header_count() == "3"
    article_delete(article=Article.objects.get(title="Croup"), user=editor)
    assert header_count() == "2"
    imported = [f"# Imported {n}\n\nA page of an import.\n" for n in range(2)]
    create_articles([prepare(parse_markdown_file(t)) for t in imported], summary="Imported")
    assert header_count() == "4"
