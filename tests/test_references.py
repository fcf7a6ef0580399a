"""References: numbering by first use, reuse, where the list goes, identifier links, the cite
syntax in AMA style and its errors in the edit form."""

import re

import pytest

from wiki.citations import CitationError, parse_citation, valid_isbn
from wiki.models import Article
from wiki.rendering import render_markdown

from .conftest import save

JOURNAL = (
    "cite journal | authors: Smith J, Roe A | title: Sleep and migraine | journal: Headache | "
    "year: 2020 | volume: 60 | issue: 3 | pages: 45-67 | doi: 10.1111/head.13700 | "
    "pmid: 31234567 | pmcid: PMC7654321"
)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).replace("&nbsp;", " ")


def test_references_are_numbered_in_order_of_first_use_and_reuse_is_listed_once():
    html = render_markdown(
        "First claim.[^late] Second.[^early] The first again.[^late]\n\n"
        "[^early]: Defined first, used second.\n[^late]: Defined last, used first.\n"
    )
    marks = re.findall(r'class="footnote-ref" href="#user-content-fn:(\w+)">(\d+)<', html)
    assert marks == [("late", "1"), ("early", "2"), ("late", "1")]
    items = re.findall(r'<li id="user-content-fn:(\w+)">', html)
    assert items == ["late", "early"]  # listed once each, by first use
    late = html[html.index('<li id="user-content-fn:late">') :].split("</li>")[0]
    # Every use has its back-link, lettered when there are several, before the citation
    # ("↑ a b Defined last…") where a reader's thumb finds them; one use is a lone ↑.
    assert re.findall(r'href="#user-content-(fnref\d?:late)"', late) == [
        "fnref:late",
        "fnref2:late",
    ]
    assert text_of(late).strip() == "↑ a b Defined last, used first."
    early = html[html.index('<li id="user-content-fn:early">') :].split("</li>")[0]
    assert text_of(early).strip() == "↑ Defined first, used second."


def test_identifiers_in_any_reference_are_linked():
    html = render_markdown(
        "Claim.[^1]\n\n[^1]: Old paper, doi:10.1000/abc.123, PMID: 12345678, PMCID: PMC2345678, "
        "ISBN 978-0-306-40615-7.\n"
    )
    assert '<a href="https://doi.org/10.1000/abc.123"' in html  # the full stop is not in it
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/12345678/"' in html
    assert '<a href="https://www.ncbi.nlm.nih.gov/pmc/articles/PMC2345678/"' in html
    assert '<a href="https://openlibrary.org/isbn/9780306406157"' in html
    assert 'rel="nofollow ugc noopener"' in html


def test_the_isbn_link_goes_to_the_book_search_the_site_chose(settings):
    settings.WIKI_ISBN_URL = "https://books.example/search?isbn={isbn}"
    html = render_markdown("Claim.[^1]\n\n[^1]: A book, ISBN 0-306-40615-2.\n")
    assert 'href="https://books.example/search?isbn=0306406152"' in html


def test_an_invalid_isbn_and_identifiers_in_code_are_not_linked():
    html = render_markdown("Claim.[^1]\n\n[^1]: ISBN 978-0-306-40615-8 and `PMID: 999`.\n")
    assert "openlibrary" not in html and "pubmed" not in html


def test_a_journal_citation_is_written_in_ama_style_with_its_identifiers():
    html = render_markdown(f"Claim.[^s]\n\n[^s]: {JOURNAL}\n")
    assert (
        "Smith J, Roe A. Sleep and migraine. Headache. 2020;60(3):45-67. "
        "doi:10.1111/head.13700. PMID: 31234567. PMCID: PMC7654321." in text_of(html)
    )
    assert "<em>Headache</em>" in html
    assert 'href="https://doi.org/10.1111/head.13700"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/31234567/"' in html
    assert 'href="https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7654321/"' in html


def test_book_chapter_and_web_citations():
    html = render_markdown(
        "A.[^b] B.[^c] C.[^w]\n\n"
        "[^b]: cite book | authors: Doe J | title: Clinical Rest | edition: 2nd | "
        "publisher: Acme Press | place: Boston | year: 2019 | isbn: 0-306-40615-2\n"
        "[^c]: cite book | authors: Lee K | chapter: Sleep | editors: Park M | "
        "title: Big Book | publisher: Acme | year: 2018 | pages: 10-20\n"
        "[^w]: cite web | title: Sleep basics | website: Example Health | "
        "url: https://example.org/sleep | accessed: 2 March 2025\n"
    )
    text = text_of(html)
    assert "Doe J. Clinical Rest. 2nd ed. Boston: Acme Press; 2019. ISBN 0-306-40615-2." in text
    assert "Lee K. Sleep. In: Park M, eds. Big Book. Acme; 2018:10-20." in text
    assert "Sleep basics. Example Health. Accessed 2 March 2025. https://example.org/sleep" in text
    assert '<a href="https://example.org/sleep"' in html


def test_a_long_author_list_is_cut_to_three_and_et_al():
    names = ", ".join(f"Author{n} X" for n in range(1, 9))
    html = render_markdown(
        f"A.[^a]\n\n[^a]: cite journal | authors: {names} | title: T | journal: J\n"
    )
    assert "Author1 X, Author2 X, Author3 X, et al." in text_of(html)
    assert "Author4" not in html


def test_a_citation_may_go_on_over_indented_lines():
    html = render_markdown(
        "A.[^a]\n\n[^a]: cite journal | authors: Roe A | title: Long title\n"
        "    | journal: Some Journal | year: 2001\n\nNext paragraph.\n"
    )
    assert "Roe A. Long title. Some Journal. 2001." in text_of(html)
    assert "<p>Next paragraph.</p>" in html


@pytest.mark.parametrize(
    "citation, problem",
    [
        ("cite jurnal | title: T", "“cite jurnal” is not a citation type"),
        (
            "cite journal | title: T | journal: J | colour: red",
            "“colour” is not a field of cite journal",
        ),
        ("cite journal | title: T", "A cite journal needs a journal."),
        ("cite journal | title: T | journal: J | doi: 11.2/x", "“11.2/x” is not a DOI"),
        ("cite journal | title: T | journal: J | pmid: 12a", "“12a” is not a PMID"),
        ("cite journal | title: T | journal: J | pmcid: XYZ1", "“XYZ1” is not a PMCID"),
        ("cite book | title: T | isbn: 978-0-306-40615-8", "is not a valid ISBN"),
        ("cite book | title: T | year: 20", "“20” is not a year"),
        ("cite web | title: T | url: example.org", "“example.org” is not a web address"),
        ("cite web | title: T | url: https://a.example | title: U", "“title” is given twice"),
        ("cite web | title T | url: https://a.example", "is not a field: write “name: value”"),
    ],
)
def test_citation_errors_are_form_errors_and_nothing_is_saved(
    editor_client, make_article, editor, citation, problem
):
    article = make_article(user=editor)
    before = article.source
    response = editor_client.post(
        f"/wiki/{article.slug}/edit",
        {
            "text": before + f"\nClaim.[^x]\n\n[^x]: {citation}\n",
            "base_revision": article.latest_revision_id,
            "summary": "cite",
        },
    )
    assert response.status_code == 400  # the form again, with its errors
    page = response.content.decode()
    assert "Reference [^x]:" in page
    assert problem in page
    assert Article.objects.get(pk=article.pk).source == before  # nothing saved
    assert "[^x]: " + citation in page.replace("&#x27;", "'")  # the text is kept


def test_a_citation_with_problems_that_reaches_the_renderer_shows_them():
    html = render_markdown("A.[^a]\n\n[^a]: cite journal | title: T | journal: J | doi: bad\n")
    assert '<span class="citation-error">Citation error: “bad” is not a DOI' in html


def test_the_list_goes_in_the_references_section_the_editor_placed(make_article, editor, client):
    article = make_article(
        title="Placed",
        source="Lead claim.[^a]\n\n## References\n\nSources we used:\n\n## See also\n\n"
        "* [[Other condition]]\n\n[^a]: A source.\n",
        user=editor,
    )
    html = client.get(article.get_absolute_url()).content.decode()
    references = html.index('id="References"')
    see_also = html.index('id="See_also"')
    listed = html.index('<li id="user-content-fn:a">')
    assert references < listed < see_also  # in References, after its own text
    assert html.index("Sources we used:") < listed
    assert 'id="references-list"' not in html  # no second list at the end


def test_without_a_references_section_the_list_ends_the_article_under_that_heading(
    make_article, editor, client
):
    article = make_article(title="Unplaced", source="Claim.[^a]\n\n[^a]: A source.\n", user=editor)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<h2 id="references-list" class="section-heading">References</h2>' in html
    assert html.index("references-list") < html.index('<li id="user-content-fn:a">')


def test_an_edit_keeps_the_citation_syntax_in_the_source(make_article, editor, client):
    article = make_article(user=editor)
    save(article, editor, article.source + f"\nNew claim.[^s]\n\n[^s]: {JOURNAL}\n")
    article.refresh_from_db()
    assert f"[^s]: {JOURNAL}" in article.source
    assert "Sleep and migraine" in client.get(article.get_absolute_url()).content.decode()


def test_parse_citation_names_every_problem_at_once():
    with pytest.raises(CitationError) as refused:
        parse_citation("journal", "| colour: red | doi: nope")
    assert len(refused.value.problems) == 4  # colour, title, journal, doi


def test_isbn_check_digits():
    assert valid_isbn("978-0-306-40615-7") and valid_isbn("0-306-40615-2")
    assert valid_isbn("0-8044-2957-X")
    assert not valid_isbn("978-0-306-40615-8") and not valid_isbn("12345")
