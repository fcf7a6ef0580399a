"""Review cycles: an article falls due for another medical review some months after its last
(the shortest interval of its categories, else the site's); reviewers find overdue articles in
the queue and a count in the header; a review may say how recent the literature checked is."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.apps import apps as global_apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.models import Schedule

from tests.helpers import form_as_submitted, json_ld
from wiki.models import Article, Category, Revision
from wiki.review.models import Review
from wiki.review.services import (
    OVERDUE_COUNT_KEY,
    ReviewRefused,
    add_months,
    follow_site_interval,
    interval_months,
    mark_reviewed,
    next_review_due,
    overdue,
    refresh_review_queue,
    review_queue,
)

from .conftest import SAMPLE_SOURCE, save


@pytest.fixture
def intervals(db):
    Category.objects.create(name="Drugs", review_interval_months=12)
    Category.objects.create(name="Wellness", review_interval_months=24)
    Category.objects.create(name="Conditions")  # no interval of its own: the site's


def counts_overdue(sql: str) -> bool:
    """The overdue query, which adds months in SQL (PostgreSQL or SQLite)."""
    return "make_interval" in sql or "|| ' months'" in sql


def reviewed_ago(article, reviewer, days: int) -> Review:
    """Review the article's current text, as if `days` ago."""
    review = mark_reviewed(
        revision=Revision.objects.get(pk=article.latest_revision_id), user=reviewer
    )
    Review.objects.filter(pk=review.pk).update(created_at=timezone.now() - timedelta(days=days))
    refresh_review_queue(Article.objects.filter(pk=article.pk))  # as the review would have
    cache.delete(OVERDUE_COUNT_KEY)
    review.refresh_from_db()
    return review


def test_the_interval_is_the_shortest_of_the_categories_else_the_site_default(
    intervals, make_article, editor, settings
):
    drug = make_article("Ibuprofen", user=editor, categories=["Drugs", "Wellness"])
    wellness = make_article("Sleep hygiene", user=editor, categories=["Wellness", "Conditions"])
    plain = make_article("Migraine", user=editor, categories=["Conditions"])
    assert interval_months(drug) == 12
    assert interval_months(wellness) == 24
    assert interval_months(plain) == 12
    settings.WIKI_REVIEW_INTERVAL_MONTHS = 6
    assert interval_months(plain) == 6
    reviewed = datetime(2025, 8, 31, 9, 0, tzinfo=UTC)
    assert next_review_due(wellness, reviewed) == datetime(2027, 8, 31, 9, 0, tzinfo=UTC)
    assert next_review_due(plain, reviewed) == datetime(2026, 2, 28, 9, 0, tzinfo=UTC)
    assert next_review_due(plain, None) is None
    assert add_months(datetime(2024, 2, 29), 12) == datetime(2025, 2, 28)


def test_overdue_lists_the_longest_overdue_first_and_filters_by_category(
    intervals, make_article, editor, reviewer, settings
):
    settings.WIKI_REVIEW_INTERVAL_MONTHS = 18
    assert follow_site_interval() == 0  # the site runs with 18 months: nothing reviewed yet
    drug = make_article("Ibuprofen", user=editor, categories=["Drugs"])  # due after 12 months
    wellness = make_article("Sleep hygiene", user=editor, categories=["Wellness"])  # 24
    plain = make_article("Migraine", user=editor, categories=["Conditions"])  # the site's 18
    recent = make_article("Paracetamol", user=editor, categories=["Drugs"])
    never = make_article("Asthma", user=editor, categories=["Drugs"])
    reviewed_ago(drug, reviewer, 400)  # due about 35 days ago
    reviewed_ago(wellness, reviewer, 800)  # due about 70 days ago
    reviewed_ago(plain, reviewer, 500)  # 18 months is ~548 days: not yet due
    reviewed_ago(recent, reviewer, 30)
    assert [a.title for a in overdue()] == ["Sleep hygiene", "Ibuprofen"]
    drugs = Category.objects.get(name="Drugs")
    assert [a.title for a in review_queue("overdue", category=drugs)] == ["Ibuprofen"]
    # The site default shortened (the setting changed, the site restarted): Migraine falls due
    # (~135 days ago), first by its due date, once the scheduled job has run.
    settings.WIKI_REVIEW_INTERVAL_MONTHS = 12
    assert [a.title for a in overdue()] == ["Sleep hygiene", "Ibuprofen"]  # dates as stored
    follow = Schedule.objects.get(func="wiki.review.services.follow_site_interval")
    assert follow.minutes == 10 and follow.repeats == -1
    assert import_string(follow.func)() == 4  # as the worker runs it: the reviewed articles
    assert [a.title for a in overdue()] == ["Migraine", "Sleep hygiene", "Ibuprofen"]
    assert import_string(follow.func)() is None  # followed already: nothing worked out again
    # Or a deploy's migrate, or the command an operator may run, does it at once.
    settings.WIKI_REVIEW_INTERVAL_MONTHS = 18
    call_command("migrate", verbosity=0)
    assert [a.title for a in overdue()] == ["Sleep hygiene", "Ibuprofen"]
    settings.WIKI_REVIEW_INTERVAL_MONTHS = 12
    call_command("refresh_review_queue", stdout=StringIO())
    assert [a.title for a in overdue()] == ["Migraine", "Sleep hygiene", "Ibuprofen"]
    assert import_string(follow.func)() is None
    # Never reviewed: not overdue, still in the never-reviewed list.
    assert never.title not in {a.title for a in overdue()}
    assert never.title in {a.title for a in review_queue("never")}

    client = Client()
    client.force_login(reviewer)
    page = client.get("/review-queue?show=overdue&category=Drugs").content.decode()
    assert "Review overdue (1)" in page and "Ibuprofen" in page and "Sleep hygiene" not in page
    page = client.get("/review-queue?show=overdue").content.decode()
    assert page.index("Migraine") < page.index("Sleep hygiene") < page.index("Ibuprofen")
    assert "Asthma" not in page


def test_a_migrate_back_to_before_the_interval_table_runs_through(db, settings):
    """An operator undoing this release (`migrate wiki 0040`): its post-migrate step finds no
    table to read in the state the migrations left, and does nothing."""
    loader = MigrationLoader(connection)
    before = loader.project_state(("wiki", "0040_review_queue_places")).apps
    settings.WIKI_REVIEW_INTERVAL_MONTHS = 7
    assert follow_site_interval(apps=before) is None
    assert follow_site_interval(apps=global_apps) == 0  # migrated forward: it follows


def test_reviewers_see_the_overdue_count_in_the_header_and_a_review_drops_it(
    make_article, editor, reviewer, django_assert_max_num_queries
):
    drug = make_article("Ibuprofen", user=editor)
    make_article("Asthma", user=editor)  # never reviewed: not counted as overdue
    reviewed_ago(drug, reviewer, 400)
    client = Client()
    client.force_login(reviewer)
    assert "1 overdue" in client.get("/wiki/Asthma").content.decode()
    assert cache.get(OVERDUE_COUNT_KEY).number == 1  # counted once, then kept
    with django_assert_max_num_queries(50) as counted:
        assert "1 overdue" in client.get("/wiki/Asthma").content.decode()
    assert not [q for q in counted.captured_queries if counts_overdue(q["sql"])]

    # Others see no count: an editor, a reader.
    editor_client = Client()
    editor_client.force_login(editor)
    assert "overdue" not in editor_client.get("/wiki/Asthma").content.decode()
    assert "overdue" not in Client().get("/wiki/Asthma").content.decode()

    reviewed_again = client.post(
        f"/wiki/Ibuprofen/review/{drug.latest_revision_id}", {"note": "Yearly check."}, follow=True
    ).content.decode()
    assert "is marked medically reviewed" in reviewed_again
    assert "1 overdue" not in reviewed_again and not cache.get(OVERDUE_COUNT_KEY)


def test_the_literature_date_is_set_when_reviewing_and_shown_to_everyone(
    client, make_article, editor, reviewer
):
    article = make_article("Ibuprofen", user=editor)
    reviewing = Client()
    reviewing.force_login(reviewer)
    form = reviewing.get(f"/wiki/Ibuprofen/revision/{article.latest_revision_id}").content.decode()
    assert 'name="literature_to"' in form and f'max="{timezone.now():%Y-%m}"' in form
    reviewing.post(
        f"/wiki/Ibuprofen/review/{article.latest_revision_id}", {"literature_to": "2025-03"}
    )
    review = Review.objects.get()
    assert review.literature_to == date(2025, 3, 1)
    page = client.get("/wiki/Ibuprofen").content.decode()
    shown = f"{review.created_at:%-d %B %Y}"
    assert f'Last reviewed <time datetime="{review.created_at:%Y-%m-%d}">{shown}</time>' in page
    assert 'Literature reviewed to <time datetime="2025-03">March 2025</time>' in page
    assert "next review due" not in page  # reviewers alone are told
    assert json_ld(page)["lastReviewed"] == f"{review.created_at:%Y-%m-%d}"
    assert "next review due" in reviewing.get("/wiki/Ibuprofen").content.decode()


def test_a_literature_date_in_the_future_or_not_a_month_is_refused(make_article, editor, reviewer):
    article = make_article("Ibuprofen", user=editor)
    revision = Revision.objects.get(pk=article.latest_revision_id)
    next_month = add_months(timezone.localdate().replace(day=1), 1)
    with pytest.raises(ReviewRefused, match="month still to come"):
        mark_reviewed(revision=revision, user=reviewer, literature_to=next_month)
    client = Client()
    client.force_login(reviewer)
    for month in (f"{next_month:%Y-%m}", "March 2025", "2025-13"):
        page = client.post(
            f"/wiki/Ibuprofen/review/{revision.pk}", {"literature_to": month}, follow=True
        ).content.decode()
        assert "The review was not recorded." in page
    assert not Review.objects.exists()
    this_month = mark_reviewed(revision=revision, user=reviewer, literature_to=timezone.localdate())
    assert this_month.literature_to == timezone.localdate().replace(day=1)


def test_an_outdated_review_shows_no_last_reviewed_line_nor_json_ld_date(
    client, make_article, editor, reviewer, settings
):
    """The "Last reviewed" line and JSON-LD's lastReviewed speak of the text shown: when
    readers see unreviewed changes, neither claims a review."""
    settings.WIKI_READERS_SEE_REVIEWED = False
    article = make_article("Ibuprofen", user=editor)
    mark_reviewed(
        revision=Revision.objects.get(pk=article.latest_revision_id),
        user=reviewer,
        literature_to=date(2025, 1, 1),
    )
    from .conftest import SAMPLE_SOURCE, save

    save(article, editor, SAMPLE_SOURCE + "\nA later, unreviewed line.\n")
    page = client.get("/wiki/Ibuprofen").content.decode()
    assert "An earlier revision was medically reviewed" in page
    assert "Last reviewed" not in page and "Literature reviewed to" not in page
    assert "lastReviewed" not in json_ld(page)


def test_each_way_an_article_changes_moves_it_in_the_queues(
    intervals, make_article, editor, reviewer, admin_client_
):
    """The queues read each article's stored places: a save, an import's history, a review,
    a category's new interval and a deleted category each move them at once."""
    from wiki.appending import article_append_history
    from wiki.services import ArticleEdit

    drug = make_article("Ibuprofen", user=editor, categories=["Drugs"])
    reviewed_ago(drug, reviewer, 300)  # due in about 65 days: not yet overdue
    assert list(review_queue("changed")) == list(overdue()) == []
    saved = save(drug, editor, SAMPLE_SOURCE + "\nA first change.\n")
    first_change = saved.revision.created_at
    save(drug, editor, SAMPLE_SOURCE + "\nA second change.\n")
    [waiting] = review_queue("changed")
    assert waiting.title == "Ibuprofen" and waiting.review_waiting_since == first_change
    # Its category's interval shortened in the admin: due at once.
    drugs = Category.objects.get(name="Drugs")
    change = f"/admin/wiki/category/{drugs.pk}/change/"
    form = form_as_submitted(
        admin_client_.get(change).content.decode(), form="//form[@id='category_form']"
    )
    response = admin_client_.post(change, {**form, "review_interval_months": "6"})
    assert response.status_code == 302
    assert [a.title for a in overdue()] == ["Ibuprofen"]
    page = admin_client_.get("/review-queue?show=overdue").content.decode()
    assert "Ibuprofen" in page and "every 6 months" in page
    # The category deleted: the site's 12 months again, so not overdue.
    admin_client_.post(f"/admin/wiki/category/{drugs.pk}/delete/", {"post": "yes"})
    assert list(overdue()) == []
    # Reviewed again at its newest text: out of the changed queue, due a year from now.
    mark_reviewed(revision=Revision.objects.get(pk=drug.latest_revision_id), user=reviewer)
    assert list(review_queue("changed")) == []
    drug.refresh_from_db()
    assert drug.review_due.date() == add_months(timezone.now(), 12).date()
    # An import appending history to it: changed since its review, waiting since the first.
    at = timezone.now() + timedelta(minutes=5)
    article_append_history(
        article=drug,
        edits=[
            ArticleEdit(text=f"Imported text {n}.\n", base_revision=None, at=at + timedelta(n))
            for n in range(2)
        ],
    )
    [waiting] = review_queue("changed")
    assert waiting.review_waiting_since == at
