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
