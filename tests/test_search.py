"""Searching: ranked results with highlighted snippets, did-you-mean, Go to an exact title,
junk queries, and an index that stays in step with every save — on SQLite and PostgreSQL."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import save
from wiki import search
from wiki.history.services import article_restore
from wiki.models import Revision
from wiki.search.backends import BACKENDS, SearchBackend
from wiki.search.backends.postgres import (
    PostgresSearchBackend,
    compounds_alone,
    forget_estimates,
)
from wiki.services import article_delete


def result_titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'class="search-result__title"><a href="[^"]*">([^<]*)</a>', html)


def find(client, query, **params):
    return client.get("/search", {"q": query, "fulltext": 1, **params})


@pytest.fixture
def library(make_article):
    """A few articles with overlapping words."""
    return {
        "zinc": make_article(
            "Zinc deficiency",
            "Too little zinc in the diet slows wound healing.\n\n## Signs\n\nHair loss.\n",
            categories=["Nutrition"],
        ),
        "minerals": make_article(
            "Dietary minerals",
            "Minerals the body needs.\n\n## Trace elements\n\n"
            + "Iron, zinc, copper and selenium. Zinc is found in meat; zinc is also in seeds. "
            "More zinc comes from nuts, and zinc from beans.\n",
        ),
        "sweats": make_article(
            "Tuberculosis",
            "A bacterial infection of the lungs with fever and night sweats.\n\n"
            "## Rare forms\n\nSarcoidosis can look alike on a chest image.\n",
        ),
        "fever": make_article(
            "Measles",
            "A viral illness with fever, a rash, and sweats that come in the night.\n",
        ),
        "cold": make_article("Common cold", "A mild viral illness with fever and a runny nose.\n"),
    }


def test_a_title_match_ranks_above_an_article_that_only_mentions_the_word(client, library):
    response = find(client, "zinc")
    assert response.status_code == 200
    assert result_titles(response) == ["Zinc deficiency", "Dietary minerals"]


def test_a_rare_term_finds_its_one_article(client, library):
    response = find(client, "sarcoidosis")
    assert result_titles(response) == ["Tuberculosis"]
    assert "of 1" in response.content.decode()


def test_quotes_find_the_phrase_only(client, library):
    assert set(result_titles(find(client, "night sweats"))) == {"Tuberculosis", "Measles"}
    assert result_titles(find(client, '"night sweats"')) == ["Tuberculosis"]


def test_a_minus_leaves_out_articles_with_that_word(client, library):
    assert set(result_titles(find(client, "viral fever"))) == {"Measles", "Common cold"}
    assert result_titles(find(client, "viral fever -rash")) == ["Common cold"]


def test_or_finds_either_word(client, library):
    titles = result_titles(find(client, "sarcoidosis OR runny"))
    assert set(titles) == {"Tuberculosis", "Common cold"}


def test_a_misspelt_word_offers_the_right_spelling(client, library):
    response = find(client, "sarcoidossis")
    html = response.content.decode()
    assert "Did you mean" in html
    assert "<em>sarcoidosis</em>" in html
    assert result_titles(response) == []


def test_a_correctly_spelt_query_gets_no_did_you_mean(client, library):
    assert "Did you mean" not in find(client, "sarcoidosis").content.decode()


def test_matched_words_are_marked_in_the_snippet(client, library):
    html = find(client, "sarcoidosis").content.decode()
    assert "<mark>Sarcoidosis</mark> can look alike" in html


def test_snippets_escape_the_article_text(client, make_article):
    make_article(
        "Markup sample", "Code like `<img src=x onerror=alert(1)>` shows as text, quokka.\n"
    )
    html = find(client, "quokka").content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x" not in html
    assert "<mark>quokka</mark>" in html


def test_a_result_shows_categories_size_and_last_edit(client, library):
    html = find(client, "wound healing").content.decode()
    assert 'href="/category/Nutrition"' in html
    assert "bytes" in html
    assert "last edited" in html


def test_an_exact_title_goes_straight_to_the_article(client, library):
    response = client.get("/search", {"q": "zinc deficiency"})
    assert response.status_code == 302
    assert response["Location"] == "/wiki/Zinc_deficiency"


def test_fulltext_shows_results_even_for_an_exact_title(client, library):
    response = find(client, "Zinc deficiency")
    assert response.status_code == 200
    assert result_titles(response)[0] == "Zinc deficiency"
    assert "There is an article titled" in response.content.decode()


def test_results_come_in_pages(client, make_article):
    for number in range(25):
        make_article(f"Wombat study {number:02d}", f"Notes on wombats, number {number}.\n")
    first = find(client, "wombats")
    assert len(result_titles(first)) == 20
    assert "Page 1 of 2" in first.content.decode()
    second = find(client, "wombats", page=2)
    assert len(result_titles(second)) == 5
    assert not set(result_titles(first)) & set(result_titles(second))
    assert find(client, "wombats", page="many").status_code == 200
    assert "no more results" in find(client, "wombats", page=9).content.decode()


def test_no_results_say_so_and_offer_editors_to_create_the_article(editor_client, db):
    anonymous = find(Client(), "Quixotic syndrome").content.decode()
    assert "No article matches" in anonymous
    assert "Create the article" not in anonymous
    as_editor = editor_client.get("/search", {"q": "Quixotic syndrome"}).content.decode()
    assert "No article matches" in as_editor
    assert 'href="/wiki/Quixotic_syndrome/edit"' in as_editor


# fmt: off
JUNK = [
    '"', '""', '"unbalanced quote', "-", "--", "-fever", "OR", "OR OR", "AND", "NOT", "*", "(",
    ")", "fever (", "a & b | !c", "'; DROP TABLE wiki_article; --", "1' OR '1'='1",
    "SELECT * FROM auth_user", "title:fever", "fever*", "^fever", "NEAR(a b)", "\\", "%", "_",
    "\x00fever", "fever\x01", "<script>alert(1)</script>", "ünïcödé ƒever", "🙂", "x" * 299,
    ":*", "'", "a:*&b", "fever -", '-"night sweats"', "    ", "\u200b", "\ue000fever\ue001",
]
# fmt: on


@pytest.mark.parametrize("query", JUNK)
def test_junk_queries_answer_without_an_error(client, library, query):
    assert find(client, query).status_code == 200
    assert client.get("/search", {"q": query}).status_code in (200, 302)
    assert client.get("/search/suggest", {"q": query}).status_code == 200


def test_a_very_long_query_is_refused_with_a_message(client, db):
    response = find(client, "fever " * 100)
    assert response.status_code == 400
    assert "at most 300 characters" in response.content.decode()


def test_an_empty_search_shows_help(client, db):
    response = client.get("/search")
    assert response.status_code == 200
    assert "Put “quotes” around a phrase" in response.content.decode()


# The index stays in step with every write through the write path.


def titles_for(query) -> list[str]:
    return [hit.article.title for hit in search.search(query).hits]


def test_an_edit_updates_the_index(make_article, editor):
    article = make_article("Gout", "Joint pain from crystals of urate.\n")
    save(article, editor, "Joint pain from deposits in the big toe.\n")
    assert titles_for("urate") == []
    assert titles_for("toe") == ["Gout"]


def test_a_revert_brings_the_old_words_back(make_article, editor):
    article = make_article("Gout", "Joint pain from crystals of urate.\n")
    first = article.latest_revision_id
    save(article, editor, "Joint pain from deposits in the big toe.\n")
    article_restore(revision_id=first, user=editor)
    assert titles_for("urate") == ["Gout"]
    assert titles_for("toe") == []


def test_an_import_indexes_new_and_changed_files(db, tmp_path: Path):
    page = tmp_path / "rickets.md"
    page.write_text("# Rickets\n\nSoft bones in children lacking vitamin D.\n")
    call_command("import_markdown", str(tmp_path), verbosity=0)
    assert titles_for("soft bones") == ["Rickets"]
    page.write_text("# Rickets\n\nWeak, bent legs in growing children.\n")
    call_command("import_markdown", str(tmp_path), verbosity=0)
    assert titles_for("soft bones") == []
    assert titles_for("bent legs") == ["Rickets"]
    assert Revision.objects.filter(title="Rickets").count() == 2


def test_a_deleted_article_is_no_longer_found(make_article, administrator):
    article = make_article("Gout", "Joint pain from crystals of urate.\n")
    article_delete(article=article, user=administrator)
    assert titles_for("urate") == []
    assert search.suggest("gou") == []


def test_a_heading_and_a_title_are_searchable(make_article):
    make_article("Gout", "Joint pain.\n\n## Colchicine\n\nAn old remedy.\n")
    assert titles_for("colchicine") == ["Gout"]
    assert titles_for("gout") == ["Gout"]


def test_rebuilding_the_index_shows_progress_and_finds_everything_again(make_article, capsys):
    make_article("Gout", "Joint pain from crystals of urate.\n")
    make_article("Rickets", "Soft bones.\n")
    search.engine().clear()
    assert titles_for("urate") == []
    call_command("rebuild_search_index")
    output = capsys.readouterr().out
    assert "2/2 articles" in output
    assert "Indexed 2 articles" in output
    assert titles_for("urate") == ["Gout"]
    assert search.search("sofft bones").did_you_mean == "soft bones"


def ranking_all_up_to(count: int, monkeypatch) -> None:
    """Both backends rank every match only up to `count`, and in tiers beyond."""
    for backend in BACKENDS.values():
        monkeypatch.setattr(backend, "rank_all_up_to", count)


def test_with_many_matches_pages_still_cover_every_article_once(client, make_article, monkeypatch):
    """Large result sets are ranked more cheaply (by title and lead first); pages must still
    list title matches first and every article exactly once."""
    ranking_all_up_to(2, monkeypatch)
    for number in range(3):
        make_article(f"Wombat burrow {number}", "A den in the ground.\n")
    for number in range(22):
        make_article(f"Marsupial note {number:02d}", f"Intro.\n\n## More\n\nA wombat {number}.\n")
    first, second = (
        result_titles(find(client, "wombat")),
        result_titles(find(client, "wombat", page=2)),
    )
    assert sorted(first[:3]) == ["Wombat burrow 0", "Wombat burrow 1", "Wombat burrow 2"]
    assert len(first) == 20 and len(second) == 5
    assert len(set(first) | set(second)) == 25


@pytest.mark.parametrize("rank_all_up_to", [2000, 1])
def test_a_title_holding_every_word_comes_before_a_lead_that_repeats_them(
    client, make_article, monkeypatch, rank_all_up_to
):
    """However many matches (few: every match ranked; many: the title and lead tier only)."""
    ranking_all_up_to(rank_all_up_to, monkeypatch)
    make_article("Marsupial homes", "Wombat burrow. " * 12 + "\n")
    make_article("Wombat burrow", "Dug with strong claws, deep under the hills of the bush.\n")
    make_article("Wombat", "A marsupial that digs a burrow.\n")
    assert result_titles(find(client, "wombat burrow"))[0] == "Wombat burrow"


def counting_up_to(count: int, monkeypatch) -> None:
    """Both engines count only up to `count` and rank every match never (ranking them all
    stays below the count limit, as it is in the engines)."""
    monkeypatch.setattr(SearchBackend, "count_up_to", count)
    ranking_all_up_to(1, monkeypatch)


def test_engines_rank_all_matches_only_below_the_count_limit():
    """A total at the count limit is a cap, not a count: ranking 'all' of it would rank
    every match in the wiki."""
    for backend in BACKENDS.values():
        assert backend.rank_all_up_to < backend.count_up_to


def test_a_huge_result_count_is_shown_as_more_than_the_last_page_reaches(
    client, library, monkeypatch
):
    counting_up_to(3, monkeypatch)
    html = find(client, "fever").content.decode()
    assert "of more than 1,000" in html
    assert len(result_titles(client.get("/search", {"q": "fever", "fulltext": 1}))) == 3


def test_beyond_the_count_limit_titles_holding_a_word_still_come_first(make_article, monkeypatch):
    """When more articles hold the query in title or lead than are counted, the ones whose
    title holds a query word still lead, and the pages list every article once."""
    counting_up_to(5, monkeypatch)
    for number in range(4):
        make_article(f"Marsupial note {number}", "A wombat dug a burrow here.\n")
    make_article("Burrow", "A hole that a wombat digs.\n")
    make_article("Wombat burrow", "Deep under the hills.\n")
    pages = [
        [hit.article.title for hit in search.search("wombat burrow", page, per_page=2).hits]
        for page in (1, 2, 3)
    ]
    assert pages[0] == ["Wombat burrow", "Burrow"]
    assert sorted(pages[1] + pages[2]) == [f"Marsupial note {n}" for n in range(4)]
    assert search.search("wombat burrow").total_is_capped


def test_when_titles_with_a_query_word_are_too_many_titles_with_every_word_lead(
    make_article, monkeypatch
):
    counting_up_to(5, monkeypatch)
    for number in range(6):
        make_article(f"Wombat note {number}", "A wombat dug a burrow here.\n")
    make_article("Wombat burrow", "A wombat dug this burrow.\n")
    first = [hit.article.title for hit in search.search("wombat burrow", 1, per_page=2).hits]
    assert first[0] == "Wombat burrow"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate")
def test_a_frequent_word_is_not_ranked_over_every_article_holding_it(make_article, monkeypatch):
    """The bound on the set that is ranked: when the planner expects more articles holding the
    query in title and lead than `rank_tier_up_to`, that tier is not read (its index bitmap
    grows with the wiki); the titles holding the word still come first, the rest follow in
    article order, and the count reads "more than"."""
    make_article("Wombat", "A marsupial that digs.\n")
    for number in range(30):
        make_article(f"Marsupial note {number:02d}", "A wombat dug a burrow here.\n")
    make_article("Wombat burrow", "Deep under the hills.\n")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE wiki_search_entry")  # the statistics the estimate reads
    assert search.search("wombat").total == 32  # unbounded at this size: counted and ranked

    monkeypatch.setattr(PostgresSearchBackend, "rank_tier_up_to", 10)
    with CaptureQueriesContext(connection) as queries:
        found = search.search("wombat", 1, per_page=5)
    titles = [hit.article.title for hit in found.hits]
    assert sorted(titles[:2]) == ["Wombat", "Wombat burrow"]
    assert titles[2:] == ["Marsupial note 00", "Marsupial note 01", "Marsupial note 02"]
    assert found.total_is_capped
    ranked = [q["sql"].split("WHERE")[1] for q in queries if "ts_rank(" in q["sql"]]
    assert ranked and all("e.title_vector @@" in where for where in ranked)  # title tiers only
    pages = [
        [hit.article.title for hit in search.search("wombat", page, per_page=10).hits]
        for page in (1, 2, 3, 4)
    ]
    assert sum(len(page) for page in pages) == 32 == len(set().union(*pages))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate")
def test_a_word_typed_twice_is_bounded_as_the_word_once(make_article, monkeypatch):
    """`wombat wombat` finds what `wombat` finds, and the bound holds for it too: the planner,
    asked about the word twice, would square its share and rank the whole tier (at a million
    articles `tremor tremor` took 240 ms where `tremor` took 20)."""
    make_article("Wombat", "A marsupial that digs.\n")
    for number in range(24):  # a fifth of the articles: 25 expected, 5 for a share squared
        make_article(f"Marsupial note {number:02d}", "A wombat dug a burrow here.\n")
    for number in range(100):
        make_article(f"Koala note {number:02d}", "A koala slept in a tree.\n")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE wiki_search_entry")
    monkeypatch.setattr(PostgresSearchBackend, "rank_tier_up_to", 10)

    def ranked_tiers(query):
        with CaptureQueriesContext(connection) as queries:
            found = search.search(query, 1, per_page=5)
        where = [q["sql"].split("WHERE")[1] for q in queries if "ts_rank(" in q["sql"]]
        return [hit.article.title for hit in found.hits], found.total_is_capped, where

    once, twice = ranked_tiers("wombat"), ranked_tiers("wombat   Wombat")
    assert twice == once
    assert once[1] and all("e.title_vector @@" in where for where in once[2])


def test_a_hyphenated_word_is_searched_as_its_own_lexeme_where_it_stands_as_a_word():
    """PostgreSQL's parser reads "drug-induced" as a lexeme followed by its parts; asked as a
    word, the lexeme alone finds the same documents without a phrase check. Inside a quoted
    phrase the distances to the next word would change: left as it is."""
    assert compounds_alone("'drug-induc' <-> 'drug' <-> 'induc' & 'anemia'") == (
        "'drug-induc' & 'anemia'"
    )
    assert compounds_alone("'self-limit' <-> 'self' <-> 'limit' | 'fever'") == (
        "'self-limit' | 'fever'"
    )
    excluded = "'x' & !( 'drug-induc' <-> 'drug' <-> 'induc' )"
    assert compounds_alone(excluded) == "'x' & !( 'drug-induc' )"
    assert compounds_alone("'well-to-do' <-> 'well' & 'man'") == "'well-to-do' & 'man'"
    for phrase in (
        "'sever' <-> 'drug-induc' <-> 'drug' <-> 'induc'",
        "'drug-induc' <-> 'drug' <-> 'induc' <-> 'anemia'",
        "'well-to-do' <-> 'well' <3> 'man'",
        "'a' & 'b'",
    ):
        assert compounds_alone(phrase) == phrase


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's phrase operators")
def test_a_hyphenated_word_finds_what_its_phrase_found_and_is_still_marked(client, make_article):
    make_article("Drug-induced anemia", "Anemia caused by a drug-induced loss of red cells.\n")
    make_article("Anemia of a drug", "A drug induced it; anemia followed.\n")  # no hyphen
    make_article("Exercise-induced anemia", "Runners may get it.\n")
    with CaptureQueriesContext(connection) as queries:
        response = find(client, "drug-induced anemia")
    assert result_titles(response) == ["Drug-induced anemia"]
    assert "<mark>drug</mark>-<mark>induced</mark>" in response.content.decode()
    searched = [q["sql"] for q in queries if "ts_rank(" in q["sql"]]
    assert searched and not any("<->" in sql for sql in searched)
    quoted = find(client, '"a drug-induced loss"')  # inside a phrase: asked as the phrase
    assert result_titles(quoted) == ["Drug-induced anemia"]
    assert result_titles(find(client, '"drug-induced cells"')) == []  # not next to each other


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate")
def test_a_repeated_search_does_not_ask_the_planner_again(make_article, monkeypatch):
    """The tiers' estimates are kept a while per process: the same search again (a reader
    paging on, or another reader) makes no EXPLAIN and finds the same page; once kept too long
    the planner is asked again."""
    for number in range(3):
        make_article(f"Wombat note {number}", "A wombat dug a burrow here.\n")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE wiki_search_entry")

    def searched() -> tuple[list[str], int]:
        with CaptureQueriesContext(connection) as queries:
            titles = [hit.article.title for hit in search.search("wombat burrow", 1).hits]
        return titles, sum(q["sql"].startswith("EXPLAIN") for q in queries)

    first, planned = searched()
    assert planned >= 1 and sorted(first) == [f"Wombat note {n}" for n in range(3)]
    assert searched() == (first, 0)

    forget_estimates()
    monkeypatch.setattr(PostgresSearchBackend, "estimates_kept_for", 0.0)  # kept for no time
    assert searched() == (first, planned)
    assert searched() == (first, planned)


def test_with_many_matches_an_excluded_word_in_the_body_still_excludes(
    client, make_article, monkeypatch
):
    ranking_all_up_to(1, monkeypatch)
    make_article("Wombat shelter", "Where they sleep.\n\n## Detail\n\nA deep den.\n")
    make_article("Wombat diet", "Grasses and roots.\n")
    make_article("Wombat range", "Forests and hills.\n")
    assert sorted(result_titles(find(client, "wombat -den"))) == ["Wombat diet", "Wombat range"]


def test_a_short_typo_in_a_title_word_is_corrected(client, make_article):
    make_article("Cervical dystonia", "Involuntary neck muscle contractions.\n")
    html = find(client, "cervical dystona").content.decode()
    assert "Did you mean" in html
    assert "<em>cervical dystonia</em>" in html


def test_a_snippet_ends_with_the_leads_prose_not_the_headings(client, make_article):
    make_article(
        "Hemifacial spasm",
        "Hemifacial spasm is a twitching of one side of the face, a quokkalike spasm.\n\n"
        + "".join(f"## {h}\n\nText.\n\n" for h in ["Symptoms", "Causes", "Diagnosis", "Treatment"]),
    )
    html = find(client, "quokkalike").content.decode()
    assert "<mark>quokkalike</mark> spasm" in html
    assert "Symptoms" not in html  # the headings are searchable, not quoted


def test_each_search_backend_fills_in_every_method_of_the_declared_contract():
    """A backend missing a method would fail only when a reader reached it; the contract says
    so at once."""
    assert set(BACKENDS) == {"postgresql", "sqlite"}
    for backend in BACKENDS.values():
        assert issubclass(backend, SearchBackend)
        assert not backend.__abstractmethods__, backend.__abstractmethods__
        assert isinstance(backend(), SearchBackend)
    assert isinstance(search.engine(), SearchBackend)


def test_djangos_own_paginator_pages_search_results_as_the_search_page_does(client, make_article):
    from django.core.paginator import Paginator

    for number in range(25):
        make_article(f"Wombat note {number:02d}", f"A wombat, number {number}.\n")
    paginator = Paginator(search.results_for("wombat"), search.PER_PAGE)
    assert paginator.count == 25 and paginator.num_pages == 2
    page = paginator.page(2)
    assert [hit.article.title for hit in page.object_list] == result_titles(
        find(client, "wombat", page=2)
    )
    assert len(page.object_list) == 5 and not page.has_next()


def test_however_many_articles_match_no_page_past_the_fiftieth_is_offered(db):
    """Counting stops past 1,000 matches, and so do the pages."""
    from django.core.paginator import Paginator

    search.index_documents(
        [
            search.SearchDocument(10_000_000 + n, f"Quokka {n}", "A quokka lead.", "Body.")
            for n in range(search.MAX_OFFSET + 50)
        ]
    )
    results = search.results_for("quokka")
    assert results.total_is_capped
    paginator = Paginator(results, search.PER_PAGE)
    assert paginator.num_pages == 50
    assert paginator.page(50).end_index() == search.MAX_OFFSET
    asked_past_the_end = search.search("quokka", 60)  # the page the view shows for ?page=60
    assert asked_past_the_end.number == 50 and not asked_past_the_end.has_next()
    assert asked_past_the_end.paginator.num_pages == 50


def test_go_finds_the_one_title_that_matches_ignoring_case(client, make_article):
    make_article("Vitamin D", "A vitamin made in the skin in sunlight.\n")
    response = client.get("/search", {"q": "vitamin d"})
    assert response.status_code == 302
    assert response["Location"] == "/wiki/Vitamin_D"
    assert client.get("/search", {"q": "VITAMIN D"})["Location"] == "/wiki/Vitamin_D"


def test_go_shows_results_when_several_titles_match_ignoring_case(client, make_article):
    make_article("Vitamin D", "A vitamin made in the skin in sunlight.\n")
    make_article("Vitamin d", "A page for a lower-case title, about vitamins too.\n")
    assert client.get("/search", {"q": "Vitamin d"})["Location"] == "/wiki/Vitamin_d"  # exact
    response = client.get("/search", {"q": "VITAMIN D"})
    assert response.status_code == 200
    assert {"Vitamin D", "Vitamin d"} <= set(result_titles(response))
