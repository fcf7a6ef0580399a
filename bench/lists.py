#!/usr/bin/env python
"""Lists at scale: the first and the last page of every list a reader or editor pages through,
on a generated PostgreSQL database (issue 34, goal 3).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/enc_lists_big \\
        .venv/bin/python bench/lists.py --articles 100000 [--runs 15]

The database must be a throwaway one: it is migrated and filled with SQL (generate_series, not
the write path: these are reads) once, and reused while it holds the articles asked for
(--rebuild starts again). For N articles it makes:
  - N articles with generated titles spread over A–Z (about N/26 a letter);
  - a category "Big" holding min(N, 100,000) articles, and 50 small ones holding the rest;
  - min(N, 100,000) links to "Target page" (What links here) and 3 links from each article;
  - 10 × N revisions (recent changes), three at a time made in the same second (ties);
    min(10 × N, 100,000) of them are the history of one page, "History page", and every
    tenth is by one contributor, "Busy Bee";
  - for the editors' lists, an editor "Bench editor" who watches "History page"; N log
    entries (every tenth by the editor, every fourth an upload); min(N, 100,000) reader
    reports (a tenth on "History page") and as many held edits waiting; and "History page"
    credits each of the 1,000 contributors.
Each page is fetched through Django's test client (the view, its queries and its template, no
HTTP): `--runs` times after a warm-up; the best, the median and the p95 in milliseconds of the
whole view and of the time spent in the database (every query the page made; the best is the
least disturbed by other processes on a shared machine) are printed and written to
bench/results/lists-<N>.json, with the number of queries and of those using OFFSET.
"""

import argparse
import json
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encyclopedia.settings")
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from wiki.revisions import text_digest  # noqa: E402
from wiki.sources import join_source  # noqa: E402

RESULTS = ROOT / "bench" / "results"
BIG = 100_000  # the members of the big category, the links in, the history's revisions


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def sql(statement: str, params=None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def scalar(statement: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()[0]


def build(n: int, whole: bool = False) -> None:
    """The corpus, in SQL: a few statements of generate_series, each one pass. `whole`: also
    what the write path records beside each revision (WHOLE), so check_integrity passes."""
    revisions, big = 10 * n, min(n, BIG)
    steps = [
        (
            "articles",
            """INSERT INTO wiki_article (title, slug, lead, lead_html, notes_html, infobox,
                   protection, size, created_at, updated_at, language)
               SELECT t, replace(t, ' ', '_'), 'A generated article.', '<p>A generated
                   article.</p>', '', '{}', '', 400, now() - interval '1 year',
                   now() - (i || ' seconds')::interval, %(language)s
               FROM (SELECT i, chr(65 + (i * 7919) %% 26) || substr(md5(i::text), 1, 8)
                            || ' ' || i AS t
                     FROM generate_series(1, %(n)s) i) g""",
        ),
        (
            "the history page",
            """INSERT INTO wiki_article (title, slug, lead, lead_html, notes_html, infobox,
                   protection, size, created_at, updated_at, language)
               VALUES ('History page', 'History_page', 'Edited often.', '', '', '{}', '', 20,
                   now(), now(), %(language)s)""",
        ),
        (
            "categories",
            """INSERT INTO wiki_category (name, description, language)
               SELECT 'Small ' || i, '', %(language)s FROM generate_series(1, 50) i
               UNION ALL SELECT 'Big', '', %(language)s""",
        ),
        (
            "category members",
            """INSERT INTO wiki_article_categories (article_id, category_id)
               SELECT a.id, CASE WHEN a.rank <= %(big)s THEN big.id
                                 ELSE small.id + a.id %% 50 END
               FROM (SELECT id, row_number() OVER (ORDER BY id) AS rank FROM wiki_article
                     WHERE slug <> 'History_page') a,
                    (SELECT id FROM wiki_category WHERE name = 'Big') big,
                    (SELECT min(id) AS id FROM wiki_category WHERE name LIKE 'Small %%') small""",
        ),
        (
            "links",
            """INSERT INTO wiki_link (source_id, target_slug)
               SELECT id, 'Target_page' FROM wiki_article
               WHERE slug <> 'History_page' ORDER BY id LIMIT %(big)s""",
        ),
        (
            "links between articles",
            """INSERT INTO wiki_link (source_id, target_slug)
               SELECT DISTINCT a.id, b.slug FROM wiki_article a, generate_series(1, 3) k,
                   LATERAL (SELECT slug FROM wiki_article
                            WHERE id = (SELECT min(id) FROM wiki_article)
                                       + (a.id * 31 + k * 7717) %% %(n)s) b""",
        ),
        (
            "contributors",
            """INSERT INTO wiki_contributor (name, credentials, bio)
               SELECT 'Editor ' || i, '', '' FROM generate_series(1, 999) i
               UNION ALL SELECT 'Busy Bee', '', ''""",
        ),
        (
            "revisions (django-reversion's rows)",
            """INSERT INTO reversion_revision (date_created, comment)
               SELECT timestamp '2020-01-01 00:00:00+00' + ((i / 3) || ' seconds')::interval,
                   '' FROM generate_series(1, %(revisions)s) i""",
        ),
        (
            "revisions",
            """INSERT INTO wiki_revision (revision_id, article_id, title, contributor_id,
                   created_at, summary, minor, kind, size, size_delta, section_heading, origin,
                   sha1, tags, language)
               SELECT r.id, a.id, a.title,
                   CASE WHEN r.rank %% 10 = 0 THEN busy.id ELSE c0.id + r.rank %% 999 END,
                   r.date_created, 'Edit ' || r.rank, r.rank %% 3 = 0, 'edit', 400, 3, '', '',
                   '', '', %(language)s
               FROM (SELECT id, date_created, row_number() OVER (ORDER BY id) AS rank
                     FROM reversion_revision) r
               JOIN (SELECT id, title, row_number() OVER (ORDER BY id) - 1 AS k
                     FROM wiki_article WHERE slug <> 'History_page') a
                 ON a.k = r.rank %% %(n)s AND r.rank > %(history)s,
               (SELECT id FROM wiki_contributor WHERE name = 'Busy Bee') busy,
               (SELECT min(id) AS id FROM wiki_contributor) c0""",
        ),
        (
            "the history page's revisions",
            """INSERT INTO wiki_revision (revision_id, article_id, title, contributor_id,
                   created_at, summary, minor, kind, size, size_delta, section_heading, origin,
                   sha1, tags, language)
               SELECT r.id, h.id, h.title,
                   CASE WHEN r.rank %% 10 = 0 THEN busy.id ELSE c0.id + r.rank %% 999 END,
                   r.date_created, 'Edit ' || r.rank, false, 'edit', 20, 1, '', '', '', '',
                   %(language)s
               FROM (SELECT id, date_created, row_number() OVER (ORDER BY id) AS rank
                     FROM reversion_revision) r,
                    (SELECT id, title FROM wiki_article WHERE slug = 'History_page') h,
                    (SELECT id FROM wiki_contributor WHERE name = 'Busy Bee') busy,
                    (SELECT min(id) AS id FROM wiki_contributor) c0
               WHERE r.rank <= %(history)s""",
        ),
    ]
    if whole:
        steps += WHOLE
    steps.append(LATEST)
    steps.append(("statistics", "ANALYZE"))
    params = {
        "n": n,
        "big": big,
        "revisions": revisions,
        "history": min(revisions, BIG),
        "sha1": text_digest(join_source(LEAD, [])),
        "language": settings.LANGUAGE_CODE,
    }
    started = time.perf_counter()
    for name, statement in steps:
        began = time.perf_counter()
        sql(statement, params)
        print(f"  {name}: {time.perf_counter() - began:.1f} s", flush=True)
    print(f"built in {time.perf_counter() - started:.0f} s")


LEAD = "A generated article."
# Each article's latest revision, as the write path keeps it: the review queues link to it.
LATEST = (
    "latest revisions",
    """UPDATE wiki_article a SET latest_revision_id = r.latest
       FROM (SELECT article_id, max(revision_id) AS latest FROM wiki_revision
             GROUP BY article_id) r
       WHERE r.article_id = a.id""",
)
# What the lists do not read but a whole wiki has (bench/restore.py restores it and runs
# check_integrity): each revision's snapshot as django-reversion stores it (the article's
# fields in JSON; no sections) and its text's SHA-1.
WHOLE = [
    ("the history page's text", f"UPDATE wiki_article SET lead = '{LEAD}' WHERE lead <> '{LEAD}'"),
    (
        "snapshots",
        """INSERT INTO reversion_version (revision_id, content_type_id, object_id, db, format,
               serialized_data, object_repr)
           SELECT r.revision_id, ct.id, a.id::text, 'default', 'json',
               json_build_array(json_build_object('model', 'wiki.article', 'pk', a.id,
                   'fields', json_build_object('title', a.title, 'lead', a.lead,
                       'lead_html', a.lead_html, 'notes_html', a.notes_html,
                       'categories', '[]'::json, 'protection', a.protection)))::text,
               a.title
           FROM wiki_revision r JOIN wiki_article a ON a.id = r.article_id,
               (SELECT id FROM django_content_type
                WHERE app_label = 'wiki' AND model = 'article') ct""",
    ),
    ("revisions' SHA-1", "UPDATE wiki_revision SET sha1 = %(sha1)s WHERE sha1 = ''"),
]


EDITOR = "Bench editor"
# The editors' lists (filled after the rest, and into a database built before they existed).
EDITORS_STEPS = [
    (
        "log entries",
        """INSERT INTO wiki_logentry (type, action, performer_id, performer_name, target,
               article_id, comment, params, created_at)
           SELECT CASE WHEN i %% 4 = 0 THEN 'upload' ELSE 'delete' END,
               CASE WHEN i %% 4 = 0 THEN 'upload' ELSE 'delete' END,
               CASE WHEN i %% 10 = 0 THEN u.id END,
               CASE WHEN i %% 10 = 0 THEN u.username ELSE 'Someone' END,
               'Page ' || i, NULL, '', '{}',
               timestamp '2020-01-01 00:00:00+00' + ((i / 3) || ' seconds')::interval
           FROM generate_series(1, %(n)s) i, (SELECT id, username FROM auth_user
                                              WHERE username = %(editor)s) u""",
    ),
    (
        "reader reports",
        """INSERT INTO wiki_report (article_id, title, section, kind, text, email, created_at,
               state, reply)
           SELECT CASE WHEN i %% 10 = 0 THEN h.id ELSE h.id - 1 - i %% %(n)s END, 'A page',
               '', 'wrong', 'This is wrong.', '',
               timestamp '2020-01-01 00:00:00+00' + ((i / 3) || ' seconds')::interval,
               'new', ''
           FROM generate_series(1, %(big)s) i,
                (SELECT id FROM wiki_article WHERE slug = 'History_page') h""",
    ),
    (
        "held edits",
        """INSERT INTO wiki_heldedit (title, text, summary, minor, user_id, interface,
               reason, state, created_at, decision_reason)
           SELECT 'Held ' || i, 'A held text.', '', false, u.id, 'form', 'new account',
               'pending',
               timestamp '2020-01-01 00:00:00+00' + ((i / 3) || ' seconds')::interval, ''
           FROM generate_series(1, %(big)s) i,
                (SELECT id FROM auth_user WHERE username = %(editor)s) u""",
    ),
    (
        "credits",
        """INSERT INTO wiki_credit (article_id, contributor_id, since, imported)
           SELECT h.id, c.id, timestamp '2020-01-01 00:00:00+00'
               + ((c.id / 3) || ' seconds')::interval, false
           FROM wiki_contributor c,
                (SELECT id FROM wiki_article WHERE slug = 'History_page') h""",
    ),
    ("statistics", "ANALYZE"),
]


# Medical reviews (filled after the rest, and into a database built before they existed): half
# the articles reviewed a minute after their first revision (years ago; the reviews fall among
# the edits in recent changes) and edited since, so both the
# "changed since" and the "overdue" review queues hold them. Their places in the queues are
# then worked out as an operator would (`manage.py refresh_review_queue`), and timed.
REVIEW_STEPS = [
    (
        "medical reviews",
        """INSERT INTO wiki_review (article_id, revision_id, reviewer_name, reviewer_credentials,
               level, note, created_at, conflicts)
           SELECT article_id, revision_id, 'Dr Bench', 'MD', 'reviewed', '',
               created_at + interval '1 minute', ''
           FROM (SELECT DISTINCT ON (article_id) article_id, revision_id, created_at
                 FROM wiki_revision WHERE article_id %% 2 = 0
                 ORDER BY article_id, revision_id) first_revisions""",
    ),
    (
        "reviewed revisions",
        """UPDATE wiki_article a SET reviewed_revision_id = v.revision_id,
               checked_revision_id = v.revision_id
           FROM wiki_review v WHERE v.article_id = a.id""",
    ),
]


def build_reviews() -> None:
    for name, statement in REVIEW_STEPS:
        began = time.perf_counter()
        sql(statement, {})
        print(f"  {name}: {time.perf_counter() - began:.1f} s", flush=True)
    began = time.perf_counter()
    call_command("refresh_review_queue")
    print(f"  manage.py refresh_review_queue: {time.perf_counter() - began:.1f} s", flush=True)
    sql("ANALYZE")


def editor_signed_in() -> Client:
    """A client signed in as the editor who watches "History page" (made if missing: an
    established editor, so the held edits queue is the moderators')."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from wiki.permissions import EDITORS_GROUP, ensure_editors_group
    from wiki.watching.models import Watch

    ensure_editors_group()
    user, _ = get_user_model().objects.get_or_create(
        username=EDITOR, defaults={"date_joined": timezone.now() - timedelta(days=3650)}
    )
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    Watch.objects.get_or_create(user=user, slug="History_page")
    client = Client()
    client.force_login(user)
    return client


def build_editors_lists(n: int) -> None:
    params = {"n": n, "big": min(n, BIG), "editor": EDITOR}
    for name, statement in EDITORS_STEPS:
        began = time.perf_counter()
        sql(statement, params)
        print(f"  {name}: {time.perf_counter() - began:.1f} s", flush=True)


def with_query(url: str, query: str) -> str:
    """`url` with `query` ("dir=last"; "" for none) added after its own query, if it has one."""
    return url + ("&" if "?" in url else "?") + query if query else url


def measure(client: Client, url: str, runs: int) -> dict:
    response = client.get(url)  # warm up
    assert response.status_code == 200, (url, response.status_code)
    times, in_database, spent = [], [], [0.0]

    def timed(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - began

    for _ in range(runs):
        spent[0] = 0.0
        started = time.perf_counter()
        with connection.execute_wrapper(timed):
            response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        in_database.append(spent[0] * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    offsets = sum(" OFFSET " in q["sql"] for q in queries)
    return {
        "best_ms": round(min(times), 1),
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "sql_best_ms": round(min(in_database), 1),
        "sql_median_ms": round(statistics.median(in_database), 1),
        "sql_p95_ms": round(percentile(in_database, 0.95), 1),
        "queries": len(queries),
        "offset_queries": offsets,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="make the database and stop (bench/restore.py); with --whole",
    )
    parser.add_argument(
        "--whole",
        action="store_true",
        help="with each revision's snapshot and SHA-1 as the write path records them",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/lists.py measures PostgreSQL: set DATABASE_URL to a throwaway database")
    call_command("migrate", verbosity=0)
    have = scalar("SELECT count(*) FROM wiki_article WHERE slug <> 'History_page'")
    if args.rebuild or have != args.articles:
        print(f"building {args.articles} articles (the database held {have})", flush=True)
        sql(
            "TRUNCATE wiki_article, wiki_category, wiki_contributor, reversion_revision,"
            " wiki_revision, wiki_link, wiki_article_categories, wiki_logentry, wiki_report,"
            " wiki_heldedit, wiki_credit CASCADE"
        )
        build(args.articles, whole=args.whole)
    else:
        print(f"reusing the {have} articles of the database")
    editor = editor_signed_in()
    if not scalar("SELECT count(*) FROM wiki_logentry WHERE performer_name <> ''"):
        print("building the editors' lists", flush=True)
        build_editors_lists(args.articles)
    if not scalar("SELECT count(*) FROM wiki_review"):
        print("building the medical reviews", flush=True)
        build_reviews()
    if args.build_only:
        return
    revisions = scalar("SELECT count(*) FROM wiki_revision")
    size = scalar("SELECT pg_size_pretty(pg_database_size(current_database()))")
    letter = "M"
    lists = {
        "A–Z (one letter)": f"/index/{letter}",
        "category, 100,000 members": "/category/Big",
        "recent changes": "/recent-changes",
        "contributor's edits": "/contributor/Busy_Bee",
        "history, 100,000 revisions": "/wiki/History_page/history",
        "what links here, 100,000 links": "/wiki/Target_page/links",
        "credits, 1,000 names": "/wiki/History_page/credits",
        "log": "/log",
        "log, one type": "/log?type=upload",
        "log, one performer": f"/log?performer={EDITOR}",
        "review queue, never reviewed (all)": "/review-queue?show=never",
        "review queue, changed since reviewed": "/review-queue?show=changed",
        "review queue, review overdue": "/review-queue?show=overdue",
    }
    # Signed in as the editor: the lists that are not public.
    editors_lists = {
        "watchlist (a 100,000-edit page)": "/watchlist",
        "reader reports": "/reports?show=all",
        "reader reports, one article": "/reports?show=all&article=History_page",
        "held edits waiting": "/review-queue/held-edits",
    }
    settings.DEBUG = False
    client = Client()
    rows = []
    for name, url in {**lists, **editors_lists}.items():
        for end, query in [("first", ""), ("last", "dir=last")]:
            rows.append(
                {
                    "list": name,
                    "page": end,
                    "url": with_query(url, query),
                    "editor": name in editors_lists,
                }
            )
    files = client.get("/sitemap.xml").content.decode().count("sitemap-articles.xml")
    last_file = (
        scalar("SELECT max(id) FROM wiki_article WHERE slug <> 'History_page'") // 10_000 + 1
    )
    rows += [
        {"list": "sitemap index", "page": "whole", "url": "/sitemap.xml"},
        {"list": "sitemap of articles", "page": "first", "url": "/sitemap-articles.xml"},
        {
            "list": "sitemap of articles",
            "page": "last",
            "url": f"/sitemap-articles.xml?p={last_file}",
        },
    ]
    print(
        f"\n{args.articles:,} articles, {revisions:,} revisions, database {size}; "
        f"{files} article sitemap files; median and p95 of {args.runs} runs"
    )
    print(
        f"{'list':<32} {'page':<6} {'best ms':>8} {'median':>8} {'p95':>8} {'SQL best':>9} "
        f"{'SQL med':>8} {'SQL p95':>8} {'queries':>8} {'OFFSET':>7}"
    )
    for row in rows:
        row.update(measure(editor if row.pop("editor", False) else client, row["url"], args.runs))
        print(
            f"{row['list']:<32} {row['page']:<6} {row['best_ms']:>8} {row['median_ms']:>8} "
            f"{row['p95_ms']:>8} {row['sql_best_ms']:>9} {row['sql_median_ms']:>8} "
            f"{row['sql_p95_ms']:>8} {row['queries']:>8} {row['offset_queries']:>7}",
            flush=True,
        )
    load = os.getloadavg()
    print(f"load average during the run (1, 5, 15 min): {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"lists-{args.articles}.json"
    report = {
        "articles": args.articles,
        "revisions": revisions,
        "database": size,
        "load_average": load,
        "rows": rows,
    }
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
