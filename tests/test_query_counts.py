"""Public pages make a small, constant number of queries however much content there is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wiki.models import Category, Portal

from .conftest import SAMPLE_SOURCE

PAGES = ["/", "/wiki/Condition_001", "/index/C", "/category/Disease_Index", "/portal/p0"]


@pytest.fixture
def grow(make_article, editor, other_editor):
    made = []

    def add(n):
        for i in range(len(made), len(made) + n):
            made.append(
                make_article(
                    title=f"Condition {i:03d}",
                    source=SAMPLE_SOURCE + f"\n[[Condition {i + 1:03d}]] [[Missing {i}]]\n",
                    user=editor if i % 2 else other_editor,
                    categories=["Disease Index", f"Group {i % 3}"],
                )
            )
        for i in range(3):
            Portal.objects.get_or_create(
                slug=f"p{i}",
                defaults={
                    "name": f"Portal {i}",
                    "position": i,
                    "category": Category.objects.get(name="Disease Index"),
                },
            )

    return add


def queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        # A query string bypasses the anonymous page cache: we count the real work.
        assert client.get(path, {"q": "x"} if path.startswith("/wiki/") else {}).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", PAGES)
def test_page_queries_are_few_and_constant(client, grow, path, django_assert_max_num_queries):
    grow(3)
    client.get(path)  # per-process state warms up (content types, navigation)
    few = queries_for(client, path)
    grow(30)
    with django_assert_max_num_queries(8):
        many = queries_for(client, path)
    assert many == few


def test_an_uncached_article_view_reads_each_part_once(client, make_article, editor):
    """With nothing cached, the article view reads the article (and whether its talk page
    exists, for the Talk tab, in the same query), its sections, its red links (links and the
    articles they name, in one query), categories and credits: five queries, none repeated
    (it cites no source: no notices asked)."""
    from .conftest import clear_cache

    make_article(title="Other condition", source="It exists.\n", user=editor)
    make_article(
        source=SAMPLE_SOURCE + "\n[[Missing condition]]\n", user=editor, categories=["Skin"]
    )
    client.get("/wiki/Other_condition")  # per-process state warms up (navigation)
    clear_cache()
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/wiki/Sample_condition", {"q": "x"})
    html = response.content.decode()
    assert '<a class="wikilink new" href="/wiki/Missing_condition/edit"' in html
    assert '<a class="wikilink" href="/wiki/Other_condition">' in html
    assert ">Skin</a>" in html and editor.contributor.name in html
    sqls = [q["sql"] for q in captured.captured_queries]
    assert len(sqls) == len(set(sqls)) == 5, "\n".join(sqls)
    assert sum('FROM "wiki_link"' in sql for sql in sqls) == 1  # red links: one query
    assert 'class="talk-tab new"' in html  # no discussion yet: a red Talk tab


def test_the_talk_tab_turns_blue_when_a_discussion_starts_without_a_query_of_its_own(
    client, make_article, editor
):
    make_article(user=editor)
    client.get("/wiki/Sample_condition")
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/wiki/Sample_condition/history").content.decode()
    assert 'class="talk-tab new"' in page
    talk_lookups = [q["sql"] for q in captured if "Talk:Sample_condition" in q["sql"]]
    assert len(talk_lookups) == 1 and "EXISTS" in talk_lookups[0]  # in the article's query
    make_article(title="Talk:Sample condition", source="Is the rash itchy?\n", user=editor)
    for path in ("/wiki/Sample_condition", "/wiki/Sample_condition/history"):
        page = client.get(path, {"q": "x"}).content.decode()
        assert 'class="talk-tab"' in page and 'class="talk-tab new"' not in page, path
