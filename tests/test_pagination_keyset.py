"""Every list a reader or editor pages through is paged by key (wiki/keyset.py): the first and
the last page are right, "Next" and "Previous" walk the whole list with nothing twice and
nothing left out (ties on a time included), no query skips rows with OFFSET, a bad cursor
gives the first page, and on PostgreSQL the page query walks an index instead of sorting the
table. Rows are made with bulk_create: these tests are about reading lists, not saving."""

import re
from datetime import UTC, datetime, timedelta
from html import escape, unescape

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from reversion.models import Revision as VersionRevision

import encyclopedia.views
import wiki.antiabuse.views
import wiki.categories
import wiki.editorial.views
import wiki.history.reviews
import wiki.history.views
import wiki.keyset
import wiki.pages
import wiki.reports.views
import wiki.retractions.views
import wiki.transclusion.views
import wiki.watching.views
from encyclopedia import sitemaps
from tests.conftest import editors_group
from wiki.antiabuse.models import HeldEdit
from wiki.editorial.models import LogEntry
from wiki.languages import reading_in
from wiki.models import Article, Category, Contributor, Credit, Link, Portal, Revision
from wiki.reports.models import Report
from wiki.retractions.models import CitedWork, SourceNotice
from wiki.review.services import forget_queue_counts, refresh_review_queue
from wiki.transclusion.models import TemplateUse
from wiki.watching.models import Watch

SIZE = 4  # rows a page in these tests
START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def small_pages(db, monkeypatch):
    for module, name in [
        (encyclopedia.views, "INDEX_PAGE_SIZE"),
        (wiki.categories, "PAGE_SIZE"),
        (wiki.pages, "LINKS_PAGE_SIZE"),
        (wiki.history.views, "HISTORY_PAGE_SIZE"),
        (wiki.history.reviews, "HISTORY_PAGE_SIZE"),
        (wiki.watching.views, "WATCHLIST_PAGE_SIZE"),
        (wiki.editorial.views, "LOG_PAGE_SIZE"),
        (wiki.reports.views, "QUEUE_PAGE_SIZE"),
        (wiki.antiabuse.views, "PAGE_SIZE"),
        (wiki.pages, "CREDITS_PAGE_SIZE"),
        (wiki.history.views, "CREDITS_PAGE_SIZE"),
        (wiki.history.views, "CREDITS_SHOWN"),
        (wiki.editorial.views, "REDIRECTS_PAGE_SIZE"),
        (wiki.transclusion.views, "USERS_PAGE_SIZE"),
        (wiki.retractions.views, "PAGE_SIZE"),
    ]:
        monkeypatch.setattr(module, name, SIZE)


def corpus(count: int) -> dict:
    """`count` articles "Zeta 00000"…, each in the category "Big", each linking to "Target"
    (and up to 13 "Ωmega 00000"… for the index's "Other" page);
    one article, "Zeta 00000", with `count` revisions by one contributor, three at a time
    made in the same second, which the editor "Edna" watches; as many log entries (uploads by
    Edna), reader reports and credits of "Zeta 00001", also three a second; as many held
    edits waiting, by the author "Newt". Every "Zeta" article uses "Template:Box", cites
    a retracted paper and credits "Busy Bee" (three credits a second); as many double
    redirects "Double 00000"… (through "Hop") and broken ones "Broken 00000"…."""
    titles = [f"Zeta {n:05d}" for n in range(count)]
    others = [f"Ωmega {n:05d}" for n in range(min(count, 13))]  # the A–Z index's "Other"
    Article.objects.bulk_create(
        Article(title=t, slug=t.replace(" ", "_"), lead="Text.", updated_at=START)
        for t in titles + others
    )
    articles = list(Article.objects.filter(title__startswith="Zeta ").order_by("pk"))
    big = Category.objects.create(name="Big")
    Portal.objects.create(name="Big things", slug="big", category=big)
    Article.categories.through.objects.bulk_create(
        Article.categories.through(article_id=a.pk, category_id=big.pk) for a in articles
    )
    Link.objects.bulk_create(Link(source=a, target_slug="Target") for a in articles)
    person = Contributor.objects.create(name="Busy Bee")
    times = [START + timedelta(seconds=n // 3) for n in range(count)]
    versions = VersionRevision.objects.bulk_create(
        VersionRevision(date_created=t, comment="") for t in times
    )
    history = articles[0]
    Revision.objects.bulk_create(
        Revision(
            revision_id=v.pk,
            article=history,
            title=history.title,
            contributor=person,
            created_at=t,
            size=5,
            summary=f"Edit {n}",
        )
        for n, (v, t) in enumerate(zip(versions, times, strict=True))
    )
    editor = User.objects.create_user("Edna", date_joined=START - timedelta(days=999))
    editor.groups.add(editors_group())
    author = User.objects.create_user("Newt")
    Watch.objects.create(user=editor, slug=history.slug)
    LogEntry.objects.bulk_create(
        LogEntry(type="upload", action="upload", performer=editor, target=f"F{n}.png", created_at=t)
        for n, t in enumerate(times)
    )
    Report.objects.bulk_create(
        Report(article=history, title=history.title, kind="wrong", text=f"{n}", created_at=t)
        for n, t in enumerate(times)
    )
    HeldEdit.objects.bulk_create(
        HeldEdit(title=f"Held {n}", text="Text.", user=author, reason="new") for n in range(count)
    )
    people = Contributor.objects.bulk_create(
        Contributor(name=f"Helper {n}") for n in range(count - 1)
    )
    Credit.objects.bulk_create(
        Credit(article=articles[1 % count], contributor=who, since=t)
        for who, t in zip([person, *people], times, strict=True)
    )
    Credit.objects.bulk_create(
        Credit(article=a, contributor=person, since=t)
        for a, t in zip(articles, times, strict=True)
        if a != articles[1 % count]
    )
    hop = Article.objects.create(title="Hop", slug="Hop", redirect_to=history, lead="")
    Article.objects.bulk_create(
        Article(title=f"Double {n:05d}", slug=f"Double_{n:05d}", redirect_to=hop, lead="")
        for n in range(count)
    )
    Article.objects.bulk_create(
        Article(title=f"Broken {n:05d}", slug=f"Broken_{n:05d}", lead="#REDIRECT [[Gone]]")
        for n in range(count)
    )
    TemplateUse.objects.bulk_create(
        TemplateUse(article=a, template_slug="Template:Box") for a in articles
    )
    SourceNotice.objects.create(
        scheme="doi", identifier="10.1/gone", kind="retraction", notice_url="https://example.org"
    )
    CitedWork.objects.bulk_create(
        CitedWork(article=a, reference="gone", scheme="doi", identifier="10.1/gone")
        for a in articles
    )
    return {"titles": titles, "others": others, "history": history, "person": person}


def titles_of(page) -> list:
    return [a.title for a in page]


def ids_of(page) -> list:
    return [r.pk for r in page]


LISTS = {
    # list: (url, the page's context name, what identifies a row, the whole list in order)
    "A–Z": ("/index/Z", "page", titles_of, lambda c: c["titles"]),
    "A–Z, Other": ("/index/Other", "page", titles_of, lambda c: c["others"]),
    "category": ("/category/Big", "page", titles_of, lambda c: c["titles"]),
    "portal": ("/portal/big", "page", titles_of, lambda c: c["titles"]),
    "what links here": ("/wiki/Target/links", "page", titles_of, lambda c: c["titles"]),
    "history": ("/wiki/Zeta_00000/history", "page", ids_of, lambda c: newest_first()),
    "contributor": ("/contributor/Busy_Bee", "edits", ids_of, lambda c: newest_first()),
    "recent changes": ("/recent-changes", "page", ids_of, lambda c: newest_first()),
    "watchlist": ("/watchlist", "page", ids_of, lambda c: newest_first()),
    "log": ("/log", "page", ids_of, lambda c: newest_first(LogEntry)),
    "log, one type": ("/log?type=upload", "page", ids_of, lambda c: newest_first(LogEntry)),
    "log, one performer": ("/log?performer=Edna", "page", ids_of, lambda c: newest_first(LogEntry)),
    "reports": ("/reports?show=all", "page", ids_of, lambda c: newest_first(Report)),
    "reports, one article": (
        "/reports?show=all&article=Zeta_00000",
        "page",
        ids_of,
        lambda c: newest_first(Report),
    ),
    "held edits": ("/review-queue/held-edits", "page", ids_of, lambda c: oldest_first(HeldEdit)),
    "own held edits": (
        "/review-queue/held-edits",
        "page",
        ids_of,
        lambda c: newest_first(HeldEdit),
    ),
    "credits": ("/wiki/Zeta_00001/credits", "page", ids_of, lambda c: first_credited()),
    "credited on": ("/contributor/Busy_Bee/credits", "page", ids_of, lambda c: credited_on()),
    "double redirects": ("/redirects?show=double", "double", titles_of, lambda c: named("Double")),
    "broken redirects": ("/redirects?show=broken", "broken", titles_of, lambda c: named("Broken")),
    "template's users": ("/wiki/Template:Box/uses", "page", titles_of, lambda c: c["titles"]),
    "citing retractions": ("/review-queue/sources", "page", titles_of, lambda c: c["titles"]),
    "never reviewed": (
        "/review-queue?show=never&category=Big",
        "page",
        titles_of,
        lambda c: c["titles"],
    ),
}
# Who reads each list that is not public: the watcher, an editor, the author of held edits.
READER = {
    "watchlist": "Edna",
    "reports": "Edna",
    "reports, one article": "Edna",
    "held edits": "Edna",
    "own held edits": "Newt",
}


def newest_first(model=Revision) -> list[int]:
    return list(model.objects.order_by("-created_at", "-pk").values_list("pk", flat=True))


def oldest_first(model) -> list[int]:
    return list(model.objects.order_by("created_at", "pk").values_list("pk", flat=True))


def first_credited() -> list[int]:
    rows = Credit.objects.filter(article__title="Zeta 00001").order_by("since", "pk")
    return list(rows.values_list("pk", flat=True))


def credited_on() -> list[int]:
    rows = Credit.objects.filter(contributor__name="Busy Bee").order_by("-since", "-pk")
    return list(rows.values_list("pk", flat=True))


def named(start: str) -> list[str]:
    rows = Article.objects.filter(title__startswith=start + " ").order_by("title")
    return list(rows.values_list("title", flat=True))


def sign_in(client, name: str) -> None:
    """The list's reader signs in (a public list is read signed out)."""
    client.logout()
    if name in READER:
        client.force_login(User.objects.get(username=READER[name]))


def get_page(client, url, name):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response, response.context[name]


def link(response, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]*)"', response.content.decode())
    return unescape(found.group(1)) if found else None


def at(url: str, query: str) -> str:
    """The list's address with `query` ("?…") added to the filters it has."""
    return url + ("&" + query[1:] if "?" in url and query else query)


def joined(url: str, query: str) -> str:
    """A link's query ("?…", the list's filters in it) on the list's path."""
    return url.split("?")[0] + query


def walk(client, url, name, key, *, start="", rel="next") -> list[list]:
    """The pages met following `rel` links from `url + start`, in the order met."""
    pages, address = [], at(url, start)
    while True:
        response, page = get_page(client, address, name)
        pages.append(key(page))
        query = link(response, rel)
        if query is None:
            return pages
        address = joined(url, query)
        assert len(pages) < 100, "the walk does not end"


@pytest.mark.parametrize("name", LISTS)
def test_each_list_walks_whole_from_either_end_with_nothing_twice(client, small_pages, name):
    url, context, key, expected = LISTS[name]
    everything = expected(corpus(13))
    assert len(everything) == 13
    sign_in(client, name)

    forwards = walk(client, url, context, key)
    assert forwards[0] == everything[:SIZE]
    assert [row for page in forwards for row in page] == everything

    backwards = walk(client, url, context, key, start="?dir=last", rel="prev")
    assert backwards[0] == everything[-SIZE:], "the last page holds the list's last rows"
    assert backwards[-1] == everything[: len(everything) % SIZE], "back to the first rows"
    assert [row for page in reversed(backwards) for row in page] == everything


def test_pages_of_broken_redirects_are_full_though_pages_mentioning_a_redirect_lie_between(
    client, small_pages
):
    """A page whose text holds "#REDIRECT" after its first line is a redirect as far as the
    list's index can tell, and is read and left out: each page still shows SIZE broken
    redirects (a page read as SIZE rows showed one of them), and the list walks whole either
    way."""
    broken = [f"Broken {n:02d}" for n in range(9)]
    mentions = [f"{title} {letter}" for title in broken for letter in "abc"]
    Article.objects.bulk_create(
        Article(
            title=t,
            slug=t.replace(" ", "_"),
            lead="#REDIRECT [[Nowhere]]\n" if t in broken else "Text.\n\n#REDIRECT [[X]] is…\n",
            updated_at=START,
        )
        for t in broken + mentions
    )
    url = "/redirects?show=broken"
    assert walk(client, url, "broken", titles_of) == [broken[:4], broken[4:8], broken[8:]]
    backwards = walk(client, url, "broken", titles_of, start="?dir=last", rel="prev")
    assert backwards == [broken[5:], broken[1:5], broken[:1]]


@pytest.mark.parametrize("name", LISTS)
def test_first_and_last_pages_have_links_to_the_other_end(client, small_pages, name):
    url, context, key, expected = LISTS[name]
    corpus(9)
    sign_in(client, name)
    first = client.get(url).content.decode()
    assert "dir=last" in first and "« First" not in first
    last = client.get(at(url, "?dir=last")).content.decode()
    assert "« First" in last and "Last »" not in last and 'rel="next"' not in last


@pytest.mark.parametrize("name", LISTS)
def test_no_page_skips_rows_with_offset(client, small_pages, name):
    url, context, key, expected = LISTS[name]
    corpus(13)
    sign_in(client, name)
    response = client.get(url)
    for address in [at(url, "?dir=last"), joined(url, link(response, "next"))]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200, address
        offsets = [int(n) for q in queries for n in re.findall(r"OFFSET (\d+)", q["sql"])]
        assert all(n < SIZE for n in offsets), offsets


BAD_CURSORS = [
    "?from=%00",
    "?from=abc&dir=prev",
    "?from=99999999999999999999999999",
    "?from=-1",
    "?from=20261301000000|5",
    "?from=2026|x&dir=prev",
    "?from=" + "Z" * 5000,
    "?dir=sideways",
    "?page=7",
]


@pytest.mark.parametrize("name", LISTS)
def test_a_bad_cursor_gives_the_first_page(client, small_pages, name):
    url, context, key, expected = LISTS[name]
    everything = expected(corpus(9))
    sign_in(client, name)
    for query in BAD_CURSORS:
        response, page = get_page(client, at(url, query), context)
        if key(page) != everything[:SIZE]:  # a key that parses: the rows after it, still a page
            assert len(key(page)) <= SIZE, query


FILTERED = {
    "recent changes": "/recent-changes?hideminor=1",
    "watchlist": "/watchlist?hideminor=1",
    **{name: LISTS[name][0] for name in LISTS if "?" in LISTS[name][0]},
}


@pytest.mark.parametrize("name", FILTERED)
def test_filtered_lists_keep_their_filters_across_pages(client, small_pages, name):
    corpus(9)
    sign_in(client, name)
    url = FILTERED[name]
    filters = "?" + url.partition("?")[2] + "&"
    first = client.get(url)
    assert link(first, "next").startswith(filters + "from=")
    last_link = re.search(r'href="([^"]*dir=last)"', first.content.decode())
    assert unescape(last_link[1]) == filters + "dir=last", "Last » keeps them too"
    last = client.get(at(url, "?dir=last"))
    assert link(last, "prev").startswith(filters + "from=")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans: PostgreSQL")
@pytest.mark.django_db(transaction=True, reset_sequences=True)  # ids from 1: the first file
def test_on_postgresql_a_sitemap_file_reads_the_content_pages_index_alone(client):
    """A file's URLs and its Last-Modified come from the partial index of content pages
    (migration 0039): its condition must stay `content_pages`' own, or PostgreSQL cannot use
    it and reads every row's lead to tell the redirects apart."""
    Article.objects.bulk_create(
        Article(title=f"Zeta {n:05d}", slug=f"Zeta_{n:05d}", lead="Text.", updated_at=START)
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        # As a wiki's table is: not bloated by the rows earlier tests inserted and rolled
        # back (their dead index entries make the partial index look costly to walk)...
        cursor.execute("VACUUM FULL wiki_article")
        cursor.execute("VACUUM ANALYZE wiki_article")  # ...and as autovacuum leaves it
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/sitemap-articles.xml")
    assert answer.status_code == 200 and answer.content.count(b"<url>") == 3000
    reads = [q["sql"] for q in queries if '"wiki_article"."id" < ' in q["sql"]]
    assert len(reads) == 2, reads  # the rows of the file's range, and their newest change
    for sql in reads:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # as on a table too big to scan
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Index Only Scan using article_content_pages" in plan, plan


def test_sitemap_files_cover_every_article_once_with_at_most_limit_urls(client, db, monkeypatch):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 5)
    corpus(23)
    index = client.get("/sitemap.xml").content.decode()
    files = re.findall(r"<loc>http://testserver(/sitemap-articles\.xml[^<]*)</loc>", index)
    listed = []
    for path in files:
        with CaptureQueriesContext(connection) as queries:
            text = client.get(unescape(path)).content.decode()
        assert not any(" OFFSET " in q["sql"] for q in queries)
        urls = re.findall(r"<loc>([^<]+)</loc>", text)
        assert 1 <= len(urls) <= 5
        listed += urls
    zetas = sorted(url for url in listed if "Zeta" in url)
    assert zetas == [f"http://testserver/wiki/Zeta_{n:05d}" for n in range(23)]
    assert len(listed) == len(set(listed)) == 23 + 13


def test_the_sitemap_index_skips_the_ranges_of_ids_left_empty(client, db, monkeypatch):
    """Ids are spent by deleted articles and by talk pages: a file whose range holds no article
    is not listed (the protocol wants a URL in each), and the files after it still are."""
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 5)
    corpus(23)
    zetas = list(Article.objects.filter(title__startswith="Zeta ").order_by("pk"))
    emptied = zetas[0].pk // 5 + 2  # a range in the middle
    Article.objects.filter(pk__gte=(emptied - 1) * 5, pk__lt=emptied * 5).delete()
    index = client.get("/sitemap.xml").content.decode()
    files = re.findall(r"<loc>http://testserver(/sitemap-articles\.xml[^<]*)</loc>", index)
    assert f"/sitemap-articles.xml?p={emptied}" not in files
    assert f"/sitemap-articles.xml?p={emptied + 1}" in files
    for path in files:
        assert client.get(unescape(path)).status_code == 200
    assert client.get(f"/sitemap-articles.xml?p={emptied}").status_code == 404
    listed = sum(len(re.findall(r"<url>", client.get(unescape(p)).content.decode())) for p in files)
    assert listed == Article.objects.content_pages().count()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans: PostgreSQL")
def test_on_postgresql_each_last_page_walks_an_index_not_a_sort(client, small_pages):
    corpus(20_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for name, (url, *_) in LISTS.items():
        sign_in(client, name)
        with CaptureQueriesContext(connection) as queries:
            client.get(at(url, "?dir=last"))
        page_queries = [q["sql"] for q in queries if f"LIMIT {SIZE + 1}" in q["sql"]]
        assert page_queries, name
        for sql in page_queries:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Index" in plan, (name, plan)
            # No sort and no table scan over many rows (sorting one row in a subquery is fine).
            big = [
                line
                for line in plan.splitlines()
                if re.search(r"(Sort|Seq Scan on \w+) .*rows=(\d+)", line)
                and int(re.search(r"rows=(\d+)", line).group(1)) > 1000
            ]
            assert not big, (name, plan)


def test_the_contributor_page_and_redirects_show_a_first_page_and_a_more_link(client, small_pages):
    """The two lists that were shown whole now show one page and lead to the paged list."""
    corpus(13)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/contributor/Busy_Bee").content.decode()
    credited = page.split("Credited on", 1)[1].split("<h2>", 1)[0]
    assert credited.count("<li>") == SIZE
    assert 'href="/wiki/Zeta_00012"' in credited  # the latest credit first
    assert 'href="/contributor/Busy_Bee/credits">More articles credited' in credited
    overview = client.get("/redirects").content.decode()
    assert overview.count("Double 000") == SIZE and overview.count("Broken 000") == SIZE
    for kind in ("double", "broken"):
        more = re.search(rf'href="([^"]*)">More {kind} redirects', overview).group(1)
        rest = client.get("/redirects" + unescape(more)).content.decode()
        assert f"{kind.title()} 0000{SIZE}" in rest and 'rel="prev"' in rest
    assert not any(" OFFSET " in q["sql"] for q in queries)


def plan_of(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def rows_read(plan: str) -> int:
    """The most rows any step of an `EXPLAIN ANALYZE` plan read (rows × loops)."""
    found = re.findall(r"actual time=\S+ rows=(\d+) loops=(\d+)", plan)
    return max(int(rows) * int(loops) for rows, loops in found)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans: PostgreSQL")
def test_on_postgresql_what_links_here_reads_one_page_of_a_title_many_link_to(
    client, db, django_assert_max_num_queries
):
    """As in the benchmark: 20,000 articles, one in 25 linking to "Target", the linkers'
    titles spread through the alphabet, pages of the real size. Sorting the linkers by title
    reads every article; a page must read a few of them (by the link index: one page, or
    in a merge join on the ids the 25 articles around each linker), never the table."""
    size = wiki.pages.LINKS_PAGE_SIZE
    titles = [f"Article {n:05d}" for n in range(20_000)]
    Article.objects.bulk_create(
        Article(title=t, slug=t.replace(" ", "_"), lead="Text.", updated_at=START) for t in titles
    )
    articles = Article.objects.order_by("pk")
    Link.objects.bulk_create(
        Link(source=a, target_slug="Target" if n % 25 == 0 else f"Other_{n % 50}")
        for n, a in enumerate(articles)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for query in ("", "?dir=last"):
        # the title, one page of links with their articles, the talk page, the redirects
        with django_assert_max_num_queries(4) as queries:
            response = client.get("/wiki/Target/links" + query)
        assert len(response.context["page"]) == size
        [sql] = [q["sql"] for q in queries if f"LIMIT {size + 1}" in q["sql"]]
        assert " OFFSET " not in sql
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Sort" not in plan and rows_read(plan) <= len(titles) // 5, (query, plan)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans: PostgreSQL")
def test_on_postgresql_the_redirect_lists_read_their_own_index_not_every_article(client, db):
    """20,000 articles, 2,000 redirects to them, 150 redirects to a page that does not exist
    and 150 to a redirect: the first and last page of the broken and of the double redirects
    read those alone (a partial index each), where filtering in title order read every
    article (the broken: each one's text; the double: each one's target)."""
    size = wiki.editorial.views.REDIRECTS_PAGE_SIZE

    def pages(titles, lead="Text.\n", to=None):
        return Article.objects.bulk_create(
            Article(title=t, slug=t.replace(" ", "_"), lead=lead, redirect_to=to, updated_at=START)
            for t in titles
        )

    articles = pages(f"Article {n:05d}" for n in range(20_000))
    redirects = Article.objects.bulk_create(
        Article(title=f"Other name {n:04d}", slug=f"Other_name_{n:04d}", redirect_to=a)
        for n, a in enumerate(articles[::10])
    )
    pages((f"Broken {n:03d}" for n in range(150)), lead="#REDIRECT [[Nowhere]]\n")
    for n, redirect in enumerate(redirects[:150]):
        pages([f"Double {n:03d}"], lead=f"#REDIRECT [[{redirect.title}]]\n", to=redirect)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for kind in ("broken", "double"):
        for query in ("", "&dir=last"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"/redirects?show={kind}{query}")
            shown = response.context[kind].items
            assert len(shown) == size, (kind, query)
            assert all(a.title.startswith(kind.title()) for a in shown), (kind, query)
            [sql] = [q["sql"] for q in queries if f"LIMIT {size + 1}" in q["sql"]]
            plan = plan_of(sql)
            assert f"article_{kind}_redirects" in plan, (kind, query, plan)
            assert rows_read(plan) <= size + 1, (kind, query, plan)


def test_sitemap_addresses_are_those_of_the_articles_and_categories(client, db):
    titles = ["Crohn's disease", "Ménière's disease", "Is it safe?", "100% juice", "HIV/AIDS"]
    Article.objects.bulk_create(
        Article(title=t, slug=t.replace(" ", "_"), lead="Text.", updated_at=START) for t in titles
    )
    category = Category.objects.create(name="Ear & nose?")
    category.articles.set(Article.objects.all())
    index = client.get("/sitemap.xml").content.decode()
    files = re.findall(r"<loc>http://testserver(/sitemap-[a-z]+\.xml[^<]*)</loc>", index)
    listed = "".join(client.get(unescape(path)).content.decode() for path in files)
    articles = categories = listed
    for article in Article.objects.all():
        assert f"<loc>http://testserver{escape(article.get_absolute_url())}</loc>" in articles
    assert f"<loc>http://testserver{escape(category.get_absolute_url())}</loc>" in categories


def waiting_reviews(count: int) -> list[str]:
    """`count` articles "Wait 00000"…, each reviewed years ago (three reviews a second) and
    edited since (three edits a second, in the other order): the "changed" queue and the
    "overdue" one both hold them, each in its own order. Their titles, by id."""
    from wiki.review.models import Review

    titles = [f"Wait {n:05d}" for n in range(count)]
    Article.objects.bulk_create(
        Article(title=t, slug=t.replace(" ", "_"), lead="Text.", updated_at=START) for t in titles
    )
    articles = list(Article.objects.filter(title__startswith="Wait ").order_by("pk"))
    old = [START - timedelta(days=3 * 365) + timedelta(seconds=n // 3) for n in range(count)]
    new = [START + timedelta(seconds=(count - n) // 3) for n in range(count)]
    versions = VersionRevision.objects.bulk_create(
        VersionRevision(date_created=t, comment="") for t in old + new
    )
    Revision.objects.bulk_create(
        Revision(revision_id=v.pk, article=a, title=a.title, created_at=t, size=5)
        for v, a, t in zip(versions, articles + articles, old + new, strict=True)
    )
    for n, article in enumerate(articles):
        article.reviewed_revision_id = versions[n].pk
        article.latest_revision_id = versions[count + n].pk
    Article.objects.bulk_update(articles, ["reviewed_revision_id", "latest_revision_id"])
    Review.objects.bulk_create(
        Review(article=a, revision_id=versions[n].pk, reviewer_name="Rae", created_at=old[n])
        for n, a in enumerate(articles)
    )
    refresh_review_queue(Article.objects.filter(title__startswith="Wait "))  # as reviews do
    return [a.title for a in articles]


@pytest.mark.parametrize("kind", ["changed", "overdue"])
def test_the_computed_review_queues_walk_whole_from_either_end(client, small_pages, kind):
    titles = waiting_reviews(13)
    since = {"changed": lambda n: (13 - n) // 3, "overdue": lambda n: n // 3}[kind]
    everything = sorted(titles, key=lambda t: (since(int(t[5:])), int(t[5:])))
    url = f"/review-queue?show={kind}"
    forwards = walk(client, url, "page", titles_of)
    assert [row for page in forwards for row in page] == everything
    backwards = walk(client, url, "page", titles_of, start="?dir=last", rel="prev")
    assert backwards[0] == everything[-SIZE:]
    assert [row for page in reversed(backwards) for row in page] == everything
    assert titles_of(get_page(client, url + "&page=3", "page")[1]) == everything[:SIZE]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans: PostgreSQL")
def test_on_postgresql_a_review_queue_reads_one_page_of_a_long_queue(client, db):
    """3,000 reviewed articles, every one changed since and overdue: the first and last page of
    either queue read a page of them by the queue's index (their places are stored), not every
    reviewed article to work out and sort its place; the tabs count up to MOST_COUNTED."""
    waiting_reviews(wiki.keyset.MOST_COUNTED * 3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    size = wiki.history.reviews.HISTORY_PAGE_SIZE
    for kind in ("changed", "overdue"):
        for query in ("", "&dir=last"):
            forget_queue_counts()  # counted afresh (they are kept in the cache)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"/review-queue?show={kind}{query}")
            page = response.content.decode()
            assert "Changed since their last review (1000+)" in page
            assert "Review overdue (1000+)" in page
            assert "More than 1000 articles." in " ".join(page.split())
            assert len(response.context["page"]) == size
            [sql] = [q["sql"] for q in queries if f"LIMIT {size + 1}" in q["sql"]]
            counts = [q["sql"] for q in queries if "LIMIT 1001" in q["sql"]]
            assert len(counts) == 3, queries.captured_queries  # one a tab
            index = {"changed": "article_review_changed", "overdue": "article_review_due"}[kind]
            for statement in [sql, *counts]:
                plan = plan_of(statement)
                # (a sort of one article's reviews, to show its last, is no sort of the queue)
                assert rows_read(plan) <= 1_001, (kind, query, plan)
            assert index in plan_of(sql) and rows_read(plan_of(sql)) <= 2 * size + 2, sql


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans: PostgreSQL")
def test_on_postgresql_a_page_of_edits_reads_its_rows_review_marks_not_every_review(client, db):
    """3,000 reviewed articles: the marks a page of recent changes or of a history shows
    (reviewed, checked, patrolled) are read for the page's rows, not by hashing every review
    and patrol of the wiki, which PostgreSQL plans for an EXISTS over a list of many rows."""
    waiting_reviews(3_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for url in ("/recent-changes", "/recent-changes?dir=last", "/wiki/Wait_00007/history"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        size = wiki.history.views.HISTORY_PAGE_SIZE
        [sql] = [q["sql"] for q in queries if f"LIMIT {size + 1}" in q["sql"]]
        plan = plan_of(sql)
        assert "wiki_review" in plan and rows_read(plan) <= 4 * (size + 1), (url, plan)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans: PostgreSQL")
def test_on_postgresql_a_watchlist_reads_the_watched_pages_own_edits(client, db):
    """A watched page whose 2,000 edits are all older than the wiki's 5,000 others: its edits
    are read from its own index, newest first, not found by walking every newer edit."""
    history_shared_with(2_000)
    times = [START + timedelta(days=1, seconds=n) for n in range(5_000)]
    newer = Article.objects.create(title="Newer", slug="Newer", lead="Text.")
    versions = VersionRevision.objects.bulk_create(
        VersionRevision(date_created=t, comment="") for t in times
    )
    Revision.objects.bulk_create(
        Revision(revision_id=v.pk, article=newer, title="Newer", created_at=t, size=5)
        for v, t in zip(versions, times, strict=True)
    )
    reader = User.objects.create_user("Wanda", password="a-long-test-password")
    Watch.objects.create(user=reader, slug="Shared")
    Watch.objects.create(user=reader, slug="Quiet")  # a second page: a list of two
    Article.objects.create(title="Quiet", slug="Quiet", lead="Text.")
    client.force_login(reader)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    size = wiki.watching.views.WATCHLIST_PAGE_SIZE
    for query in ("", "?dir=last"):
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/watchlist" + query).content.decode()
        assert page.count(">Shared</a>") == size and ">Newer</a>" not in page
        for sql in [q["sql"] for q in queries if f"LIMIT {size + 1}" in q["sql"]]:
            plan = plan_of(sql)
            assert rows_read(plan) <= 2 * (size + 1), plan  # never the newer 5,000
            assert "revision_recent " not in plan, plan


OLD_LINKS = ["log, one type", "credited on", "double redirects", "what links here"]


@pytest.mark.parametrize("name", OLD_LINKS)
def test_an_old_page_numbered_link_gives_the_first_page_and_pages_on(client, small_pages, name):
    """A bookmark from the page-numbered lists (`?page=3`) opens the list at its start, and
    its "Next" link, which no longer carries `page`, opens the second page."""
    url, context, key, expected = LISTS[name]
    everything = expected(corpus(13))
    sign_in(client, name)
    response, page = get_page(client, at(url, "?page=3"), context)
    assert key(page) == everything[:SIZE]
    assert link(response, "prev") is None
    following = link(response, "next")
    assert "page=" not in following
    assert key(get_page(client, joined(url, following), context)[1]) == everything[SIZE : 2 * SIZE]


def history_shared_with(count: int, *, busy_share: int = 10) -> None:
    """`count` edits of one article, every `busy_share`th by "Busy Bee" and the rest by
    "Other", as the benchmark's contributor with a tenth of all edits (bench/large.py)."""
    article = Article.objects.create(title="Shared", slug="Shared", lead="Text.")
    busy, other = Contributor.objects.bulk_create(
        [Contributor(name="Busy Bee"), Contributor(name="Other")]
    )
    times = [START + timedelta(seconds=n) for n in range(count)]
    versions = VersionRevision.objects.bulk_create(
        VersionRevision(date_created=t, comment="") for t in times
    )
    Revision.objects.bulk_create(
        Revision(
            revision_id=v.pk,
            article=article,
            title=article.title,
            contributor=busy if n % busy_share == 0 else other,
            created_at=t,
            size=5,
        )
        for n, (v, t) in enumerate(zip(versions, times, strict=True))
    )


def test_a_contributors_page_makes_as_many_queries_for_many_edits_as_for_few(
    client, small_pages, django_assert_max_num_queries
):
    """Nothing on the page is read row by row, first page or last: the queries are the
    contributor, one page of edits, their visibility, a count that stops at MOST_COUNTED and
    one page of credits."""
    made = {}
    for count in (3 * SIZE, 30 * SIZE):
        Revision.objects.all().delete()
        Contributor.objects.all().delete()
        Article.objects.all().delete()
        history_shared_with(count, busy_share=2)
        for query in ("", "?dir=last"):
            with django_assert_max_num_queries(5) as queries:
                response = client.get("/contributor/Busy_Bee" + query)
            assert len(response.context["edits"]) == SIZE
            made[count, query] = len(queries)
    assert len(set(made.values())) == 1, made


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans: PostgreSQL")
def test_on_postgresql_a_busy_contributors_first_and_last_page_read_a_few_edits(
    client, db, monkeypatch, django_assert_max_num_queries
):
    """20,000 edits, a tenth by "Busy Bee", pages of the real size: each query of their page
    reads a bounded number of rows, first page and last (one page of edits walked by an
    index, a count that stops at MOST_COUNTED), never every edit of theirs nor the table.
    Their 2,000 edits are to the count's bound what a busy editor's are at a million
    articles: 20 times as many (100 here, as 1,000 to 20,000 there)."""
    monkeypatch.setattr(wiki.history.views, "MOST_COUNTED", 100)
    history_shared_with(20_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    bound = 1_000  # a page of 50 found among ten times as many edits, or the count's 101
    assert bound < 2_000  # their edits: a query reading them all would fail
    for query in ("", "?dir=last"):
        with django_assert_max_num_queries(5) as queries:
            response = client.get("/contributor/Busy_Bee" + query)
        assert len(response.context["edits"]) == wiki.history.views.HISTORY_PAGE_SIZE
        assert response.context["more_edits"]  # "more than 100": the count stopped
        for sql in (q["sql"] for q in queries):
            assert " OFFSET " not in sql
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            assert rows_read(plan) <= bound, (query, plan)
            if 'FROM "wiki_revision"' in sql.split(" WHERE ")[0]:  # their edits, or the count
                assert "Sort" not in plan, (query, plan)


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_a_rows_kind_is_named_as_its_label_in_lower_case(language):
    """What the lists of edits show of a row's kind ("imported", "reverted"): the label of
    its kind in the language being read, lower-cased, as `get_kind_display|lower` showed it."""
    with reading_in(language):
        for kind in Revision.Kind.values:
            row = Revision(kind=kind)
            assert row.kind_name == str(row.get_kind_display()).lower()
        assert Revision(kind="Retired").kind_name == "retired"  # no longer a choice: as stored


def test_a_contributors_edits_name_their_kind(client, db):
    history_shared_with(3, busy_share=1)
    Revision.objects.update(kind=Revision.Kind.REVERT)
    page = client.get("/contributor/Busy_Bee").content.decode()
    assert page.count('<span class="kind kind--revert">reverted</span>') == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT compiler")
def test_on_postgresql_the_sites_connections_never_jit_compile_a_query(db):
    """On tables not yet analysed a list's joins pass the server's JIT threshold, and
    compiling took 50-150 ms for queries that run in a millisecond: the site turns it off."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
