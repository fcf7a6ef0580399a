"""Links between articles: red links, and "What links here" from the link table."""

from wiki.models import Article, Link
from wiki.rendering import mark_red_links, render_with_links
from wiki.services import article_delete

from .conftest import SAMPLE_SOURCE, save
from .helpers import regex_passes_and_calls


def page(client, url):
    return client.get(url).content.decode()


def test_every_save_records_the_articles_outgoing_links(make_article, editor):
    article = make_article(user=editor)
    assert set(Link.objects.filter(source=article).values_list("target_slug", flat=True)) == {
        "Other_condition"
    }
    save(article, editor, "Now about [[Rash]] and [[fatigue|tiredness]].\n")
    assert set(Link.objects.filter(source=article).values_list("target_slug", flat=True)) == {
        "Rash",
        "Fatigue",
    }


def test_deleting_an_article_turns_links_to_it_red_again_without_editing_them(
    client, make_article, editor
):
    linking = make_article(user=editor)
    target = make_article(title="Other condition", source="It exists.\n")
    revisions_before = linking.revisions.count()
    assert 'class="wikilink" href="/wiki/Other_condition"' in page(client, "/wiki/Sample_condition")
    article_delete(article=target, user=editor)
    html = page(client, "/wiki/Sample_condition")
    assert 'class="wikilink new" href="/wiki/Other_condition/edit"' in html
    assert linking.revisions.count() == revisions_before  # the linking page was not re-saved


def test_what_links_here_lists_the_articles_linking_to_a_page(client, make_article, editor):
    make_article(title="Other condition", source="The target.\n")
    make_article(user=editor)  # links to Other condition
    make_article(title="Third page", source="Mentions [[other condition]] too.\n")
    make_article(title="Unrelated", source="No links at all.\n")
    html = page(client, "/wiki/Other_condition/links")
    assert "What links here" in html
    assert '<a href="/wiki/Sample_condition">Sample condition</a>' in html
    assert '<a href="/wiki/Third_page">Third page</a>' in html
    assert "Unrelated" not in html


def test_what_links_here_works_for_a_title_nobody_has_written_yet(client, make_article):
    make_article()
    html = page(client, "/wiki/Other_condition/links")
    assert "(not written yet)" in html and 'href="/wiki/Sample_condition"' in html


def test_what_links_here_says_so_when_nothing_links(client, make_article):
    make_article()
    assert "No article links here yet." in page(client, "/wiki/Sample_condition/links")


def test_what_links_here_lists_redirects_to_the_article(client, make_article):
    target = make_article()
    alias = make_article(title="Sample disorder", source="Alias.\n")
    Article.objects.filter(pk=alias.pk).update(redirect_to=target)
    html = page(client, "/wiki/Sample_condition/links")
    assert "Redirects to this article" in html and "/wiki/Sample_disorder?redirect=no" in html


def test_what_links_here_is_linked_from_each_article(client, make_article):
    make_article()
    assert 'href="/wiki/Sample_condition/links">What links here</a>' in page(
        client, "/wiki/Sample_condition"
    )


def test_removing_a_link_removes_the_page_from_what_links_here(client, make_article, editor):
    article = make_article(user=editor)
    save(article, editor, SAMPLE_SOURCE.replace("[[Other condition]]", "other things"))
    assert "No article links here yet." in page(client, "/wiki/Other_condition/links")


def test_what_links_here_uses_the_canonical_title(client, make_article):
    make_article()
    response = client.get("/wiki/other_condition/links")
    assert response.status_code == 301 and response["Location"] == "/wiki/Other_condition/links"


def test_red_and_blue_links_to_awkward_titles_and_sections(client, make_article):
    make_article(title="Q & A", source="Exists.\n")
    make_article(
        source="See [[Q & A]], [[Q & A#Answers|answers]], [[Why?]], [[Why?#Top|top]], "
        "[[100% proof]], [[R & D]] and [[Sample condition]].\n"
    )
    html = page(client, "/wiki/Sample_condition")
    assert 'class="wikilink" href="/wiki/Q_&amp;_A"' in html
    assert 'class="wikilink" href="/wiki/Q_&amp;_A#Answers"' in html
    assert (
        'class="wikilink new" href="/wiki/Why%3F/edit" title="Why? (page does not exist)"' in html
    )
    assert html.count('href="/wiki/Why%3F/edit"') == 2  # the section link too, to the form
    assert 'class="wikilink new" href="/wiki/100%25_proof/edit"' in html
    assert 'class="wikilink new" href="/wiki/R_&amp;_D/edit" title="R &amp; D (page' in html
    assert 'class="wikilink" href="/wiki/Sample_condition"' in html  # links to itself: blue
    assert client.get("/wiki/Why%3F/edit").status_code in (200, 302)


def test_marking_red_links_is_one_pass_however_many_links_are_missing(make_article):
    """The first view of a page with 20,000 red links took 73 s (a pass over the page per
    missing target): the work now grows with the page, a bounded number of passes."""

    def rendered(n):
        source = " ".join(f"[[Missing {i}]] and [[Missing {i}#Part|part]]" for i in range(n))
        html, slugs = render_with_links(source + " [[Sample condition]]\n")
        return html, slugs - {"Sample_condition"}

    small, large = rendered(500), rendered(2000)
    passes_small, calls_small = regex_passes_and_calls(mark_red_links, *small)
    passes_large, calls_large = regex_passes_and_calls(mark_red_links, *large)
    assert passes_large == passes_small <= 2
    assert calls_large <= 4.5 * calls_small
    marked = mark_red_links(*large)
    assert marked.count('class="wikilink new"') == 4000
    assert 'href="/wiki/Missing_1999/edit" title="Missing 1999 (page does not exist)"' in marked
    assert 'class="wikilink" href="/wiki/Sample_condition"' in marked
