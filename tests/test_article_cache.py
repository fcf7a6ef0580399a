"""The rendered content of an article is cached for everyone (signed-in readers too, who never
get the page cache) and must change exactly when the article or its link state does."""

import pytest

from wiki.models import Category
from wiki.services import article_delete

from .conftest import SAMPLE_SOURCE, save


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


def content(client, path="/wiki/Sample_condition") -> str:
    response = client.get(path)
    assert "X-Page-Cache" not in response  # never from the page cache
    return response.content.decode()


def test_the_content_is_served_from_the_cache_on_the_second_view(
    signed_in, make_article, django_assert_max_num_queries
):
    make_article()
    article_part = lambda html: html[html.index("<article") : html.index("</article>")]  # noqa: E731
    first = article_part(content(signed_in))
    # Session, user, article, and the permissions of the user (the header links reviewers to
    # the review queue), the visit marked on the reader's watch (which says whether they watch
    # it) and whether the talk page exists (the Talk tab's colour): no sections or links.
    with django_assert_max_num_queries(7):
        assert article_part(content(signed_in)) == first


def test_an_edit_shows_at_once(signed_in, make_article, editor):
    article = make_article()
    content(signed_in)
    save(article, editor, SAMPLE_SOURCE.replace("mild rash", "faint rash"))
    assert "faint rash" in content(signed_in)


def test_creating_and_deleting_a_linked_article_turns_its_links_blue_and_red(
    signed_in, make_article, editor
):
    make_article()
    assert 'class="wikilink new"' in content(signed_in)
    other = make_article(title="Other condition", source="Now it exists.\n")
    assert 'class="wikilink new"' not in content(signed_in)
    article_delete(article=other, user=editor)
    assert 'class="wikilink new"' in content(signed_in)


def test_a_renamed_category_shows_at_once(signed_in, make_article):
    make_article(categories=["Skin"])
    assert ">Skin</a>" in content(signed_in)
    category = Category.objects.get(name="Skin")
    category.name = "Dermatology"
    category.save()
    html = content(signed_in)
    assert ">Dermatology</a>" in html and ">Skin</a>" not in html


def test_new_credentials_show_at_once(signed_in, make_article, editor):
    make_article(user=editor)
    assert "Edna Marsh</a>" in content(signed_in)
    editor.contributor.credentials = "RN"
    editor.contributor.save()
    assert "Edna Marsh, RN</a>" in content(signed_in)
