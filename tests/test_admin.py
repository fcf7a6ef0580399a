"""Administrators edit articles with their sections inline, through the same write path."""

import pytest
from reversion.models import Version

from wiki.models import Article, Category, Revision

from .conftest import SAMPLE_SOURCE, save
from .helpers import change_form_data


def inline_data(sections, credits=()):
    data = {
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
        "credits-MIN_NUM_FORMS": "0",
        "credits-MAX_NUM_FORMS": "1000",
    }
    for i, (position, heading, body) in enumerate(sections):
        data.update(
            {
                f"sections-{i}-position": str(position),
                f"sections-{i}-level": "2",
                f"sections-{i}-heading": heading,
                f"sections-{i}-body": body,
            }
        )
    return data


def test_adding_an_article_in_the_admin_records_one_full_revision(admin_client_, client):
    neurology = Category.objects.create(name="Neurology")
    data = {
        "title": "Admin made",
        "lead": "A lead written in the admin.",
        "protection": "",
        "categories": [neurology.pk],
        "summary": "Made in admin",
        **inline_data([(1, "Symptoms", "Aches."), (2, "Treatment", "Rest.")]),
    }
    response = admin_client_.post("/admin/wiki/article/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(title="Admin made")
    rev = Revision.objects.get(article=article)
    assert rev.summary == "Made in admin"
    assert Version.objects.filter(revision_id=rev.pk).count() == 3  # article + 2 sections
    assert list(article.categories.all()) == [neurology]
    page = client.get("/wiki/Admin_made").content.decode()
    assert "Aches." in page and "Rest." in page


def test_changing_protection_in_the_admin_is_recorded(admin_client_, make_article):
    article = make_article(source="Lead.\n")
    data = {
        "title": article.title,
        "lead": "Lead.\n",
        "protection": "admins",
        "summary": "Protect",
        "base_revision": article.latest_revision_id,
        **inline_data([]),
    }
    response = admin_client_.post(f"/admin/wiki/article/{article.pk}/change/", data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_protected
    assert Revision.objects.filter(article=article).count() == 2


def test_a_deleted_article_is_recovered_with_its_sections(admin_client_, client, make_article):
    article = make_article()
    pk = article.pk
    response = admin_client_.post(f"/admin/wiki/article/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Article.objects.filter(pk=pk).exists()
    assert client.get("/wiki/Sample_condition").status_code == 404

    version = Version.objects.get_deleted(Article).get(object_id=str(pk))
    recover_url = f"/admin/wiki/article/recover/{version.pk}/"
    form_page = admin_client_.get(recover_url)
    assert form_page.status_code == 200 and "Recover this article" in form_page.content.decode()
    response = admin_client_.post(recover_url)
    assert response.status_code == 302, response.content.decode()[:2000]
    restored = Article.objects.get(pk=pk)
    assert [s.heading for s in restored.ordered_sections] == [
        "Symptoms",
        "Causes",
        "Treatment",
        "See also",
    ]
    # created, deleted (the deletion is a revision of its history), recovered
    assert Revision.objects.filter(article_id=pk).count() == 3
    assert Revision.objects.filter(article_id=pk).first().kind == "recover"
    assert "Rest helps." in client.get("/wiki/Sample_condition").content.decode()


def test_saving_the_change_form_untouched_records_no_revision(admin_client_, client, make_article):
    article = make_article()
    before = (article.source, article.revisions.count())
    response = admin_client_.post(
        f"/admin/wiki/article/{article.pk}/change/", change_form_data(admin_client_, article)
    )
    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert (article.source, article.revisions.count()) == before


def test_changing_only_the_protection_is_recorded_as_a_protection_change(
    admin_client_, client, make_article
):
    article = make_article()
    source = article.source
    data = change_form_data(admin_client_, article)
    data["protection"] = "admins"
    response = admin_client_.post(f"/admin/wiki/article/{article.pk}/change/", data)
    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert article.is_protected and article.source == source
    latest = article.revisions.first()
    assert latest.kind == "protect" and latest.size_delta == 0
    assert "Administrators only" in latest.summary
    history = client.get("/wiki/Sample_condition/history").content.decode()
    assert "protection changed" in history
    diff = client.get(
        f"/wiki/Sample_condition/diff?from={latest.parent_id}&to={latest.pk}"
    ).content.decode()
    assert "section changed" not in diff and "<ins>" not in diff and "<del>" not in diff


def test_a_save_made_while_the_change_form_was_open_is_merged_not_lost(
    admin_client_, make_article, other_editor
):
    article = make_article()
    data = change_form_data(admin_client_, article)  # the administrator opens the form
    save(article, other_editor, SAMPLE_SOURCE.replace("Rest helps.", "Sleep helps."))
    data["lead"] = "A lead the administrator rewrote.\r\n"
    response = admin_client_.post(f"/admin/wiki/article/{article.pk}/change/", data, follow=True)
    assert response.status_code == 200
    assert "merged" in response.content.decode()
    article = Article.objects.get(pk=article.pk)
    assert "Sleep helps." in article.source  # the other editor's change stays
    assert article.source.startswith("A lead the administrator rewrote.")


def test_an_overlapping_save_while_the_change_form_was_open_shows_the_conflict(
    admin_client_, make_article, other_editor
):
    article = make_article()
    data = change_form_data(admin_client_, article)
    theirs = save(article, other_editor, SAMPLE_SOURCE.replace("Rest helps.", "Sleep helps."))
    treatment = next(k for k, v in data.items() if v == "Treatment").replace("heading", "body")
    data[treatment] = "\r\nWater helps.\r\n"
    response = admin_client_.post(f"/admin/wiki/article/{article.pk}/change/", data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Water helps." in page and "Sleep helps." in page  # both texts, the admin's kept
    article = Article.objects.get(pk=article.pk)
    assert article.latest_revision_id == theirs.revision.pk and "Water helps." not in article.source


def test_the_article_list_pages_without_counting_the_whole_table(
    admin_client_, make_article, monkeypatch
):
    """Past GrowingListPaginator.COUNT_UP_TO rows the list is not counted: unfiltered on
    PostgreSQL it shows the planner's estimate, filtered it counts up to the cap; deep pages
    are not offered (their OFFSET would read every row before them)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wiki.admin import GrowingListPaginator

    monkeypatch.setattr(GrowingListPaginator, "COUNT_UP_TO", 3)
    monkeypatch.setattr(GrowingListPaginator, "PAGES_UP_TO", 2)
    for number in range(5):
        make_article(f"Wombat note {number}", "A wombat dug a burrow.\n")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE wiki_article")  # the estimate the list shows
    with CaptureQueriesContext(connection) as queries:
        response = admin_client_.get("/admin/wiki/article/", {"o": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and "Wombat note 0" in html
    assert "Show all" not in html  # an unfiltered list is all there is
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    if connection.vendor == "postgresql":
        assert "5 articles" in html
        assert not [sql for sql in counts if "wiki_article" in sql]
    assert all("LIMIT" in sql for sql in counts if '"wiki_article"' in sql)

    found = admin_client_.get("/admin/wiki/article/", {"q": "wombat"}).content.decode()
    assert "3 articles" in found  # counted up to the cap
    assert "total" not in found.split('id="changelist-search"')[1].split("</form>")[0]
    with monkeypatch.context() as small:
        small.setattr("wiki.admin.ArticleAdmin.list_per_page", 2)
        paged = admin_client_.get("/admin/wiki/article/", {"p": "2"})
        assert paged.status_code == 200
        past = admin_client_.get("/admin/wiki/article/", {"p": "3"})
        assert past.status_code == 302 and "e=1" in past["Location"]  # not offered


@pytest.mark.parametrize("model", ["article", "review", "logentry", "mediafile", "pendingmail"])
def test_each_list_of_a_growing_table_opens_and_searches(admin_client_, make_article, model):
    make_article("Wombat note", "A wombat dug a burrow.\n")
    assert admin_client_.get(f"/admin/wiki/{model}/").status_code == 200
    assert admin_client_.get(f"/admin/wiki/{model}/", {"q": "wombat"}).status_code == 200


@pytest.mark.django_db
def test_on_postgresql_the_admin_title_search_has_a_trigram_index_of_its_expression(
    admin_client_,
):
    """The admin's search for a word in the middle of a title can be answered from the title
    trigram index (migration 0037): the index is of the very expression Django's `icontains`
    writes, `UPPER(title::text)`. (At test sizes the planner rightly prefers a scan; at
    100,000 articles it takes the index, 47 ms to 0.4 ms for a rare word: bench/README.md.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("the index is PostgreSQL's")
    Article.objects.create(title="Rare wombatosis", slug="Rare_wombatosis")
    with CaptureQueriesContext(connection) as queries:
        found = admin_client_.get("/admin/wiki/article/", {"q": "wombatos"})
    assert "Rare wombatosis" in found.content.decode()
    searches = [
        q["sql"] for q in queries if "LIKE UPPER" in q["sql"] and "wiki_article" in q["sql"]
    ]
    assert searches and all('UPPER("wiki_article"."title"::text) LIKE' in s for s in searches)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'article_title_upper_trigram'"
        )
        (definition,) = cursor.fetchone()
    assert "USING gin (upper((title)::text) gin_trgm_ops)" in definition
