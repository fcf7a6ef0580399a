"""The corpus of `make bench-large` (bench/large.py): N articles on PostgreSQL, built once.

Rendering a million articles through the write path would take hours, so only TEMPLATES
varied articles go through it (`import_markdown`: composing, rendering, revisions, snapshots,
links, categories, the search index). Every other article is a copy of one of them made in
SQL, with its own title (the shared corpus's, ../shared/bench/corpus.py), its lead naming it,
its own "See also" links to three other articles, and its own revision, snapshots and search
entry (title and lead vectors computed, the body's copied from its template).

The database is reused while it holds the articles asked for; `rebuild` starts again.
"""

import json
import random
import re
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection, transaction

from wiki.composing import compose
from wiki.models import Article
from wiki.revisions import text_digest
from wiki.search.documents import document_from_html
from wiki.sources import SourceSection, join_source
from wiki.titles import title_to_slug

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT.parent / "shared" / "bench"))
import corpus  # noqa: E402  (../shared/bench/corpus.py: titles and words)

sys.path.insert(0, str(ROOT / "bench"))
from lists import scalar, sql  # noqa: E402  (bench/lists.py: one statement, one value)

TEMPLATES = 300
WORK = ROOT / "bench" / "work"
EXTRA_HEADINGS = [
    "Signs",
    "Epidemiology",
    "Pathophysiology",
    "Genetics",
    "Complications",
    "Prevention",
    "Prognosis",
    "History",
    "Research",
    "Society and culture",
]
JOURNALS = ["Neurology", "Lancet", "Brain", "JAMA", "Pediatrics", "Movement Disorders"]
SEE_ALSO = ("Placeholder one", "Placeholder two", "Placeholder three")
TABLES = (
    "wiki_article, wiki_category, wiki_contributor, reversion_revision, wiki_revision, wiki_link,"
    " wiki_article_categories, wiki_search_entry, wiki_search_word, wiki_credit, reversion_version"
)


def see_also_source(titles) -> str:
    return "\n".join(f"* [[{t}]]" for t in titles)


def template_source(i: int, titles: list[str], count: int) -> str:
    """Article i's Markdown: a stub, a medium or a long article (with subsections), inline
    links to other templates, references (cite journal), and "See also" last."""
    rng = random.Random(1_000_003 + i)
    title = titles[i]
    shape = rng.random()
    if shape < 0.3:
        headings, paragraphs, subsections = corpus.SECTIONS[:2], (1, 1), 0
    elif shape < 0.85:
        headings, paragraphs, subsections = (
            corpus.SECTIONS + rng.sample(EXTRA_HEADINGS, 1),
            (1, 2),
            0,
        )
    else:
        headings, paragraphs, subsections = corpus.SECTIONS + EXTRA_HEADINGS[:6], (1, 3), 1
    kind = rng.choice(["rare", "common", "chronic", "neurological"])
    parts = [f"{title} is a {kind} disorder. " + corpus.paragraph(rng, 3)]
    reference = 0
    for heading in headings:
        body, notes = [], []
        for _ in range(rng.randint(*paragraphs)):
            text = corpus.paragraph(rng, rng.randint(2, 5))
            if rng.random() < 0.5:
                text += f" See [[{titles[rng.randrange(count)]}]]."
            if rng.random() < 0.6:
                reference += 1
                text += f"[^r{reference}]"
                notes.append(
                    f"[^r{reference}]: cite journal | authors: {rng.choice(corpus.WORDS).title()} J,"
                    f" {rng.choice(corpus.WORDS).title()} A | title: {corpus.paragraph(rng, 1)}"
                    f" | journal: {rng.choice(JOURNALS)} | year: {rng.randint(1990, 2026)}"
                    f" | volume: {rng.randint(1, 90)} | pages: {rng.randint(1, 900)}-"
                    f"{rng.randint(901, 999)} | pmid: {rng.randint(10_000_000, 39_999_999)}"
                )
            body.append(text)
        for number in range(subsections):
            body.append(f"### {heading} {number + 1}\n\n" + corpus.paragraph(rng, 4))
        parts.append(f"## {heading}\n\n" + "\n\n".join(body + notes))
    links = [titles[(i * 31 + k * 7717) % count] for k in (1, 2, 3)]
    parts.append("## See also\n\n" + see_also_source(dict.fromkeys(links)))
    return "\n\n".join(parts) + "\n"


def write_templates(titles: list[str]) -> Path:
    """The TEMPLATES Markdown files (front matter: title, categories) for import_markdown."""
    folder = WORK / f"large-templates-{TEMPLATES}"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(TEMPLATES):
        rng = random.Random(i)
        categories = sorted(
            {"Disease Index", *rng.sample(corpus.CATEGORIES[1:], rng.randint(1, 3))}
        )
        front = f"---\ntitle: {titles[i]}\ncategories: [{', '.join(categories)}]\n---\n"
        source = template_source(i, titles, TEMPLATES)
        (folder / f"{i:04d}.md").write_text(front + source)
    return folder


def held() -> int:
    """How many articles the database holds, redirects aside (0 before the first build)."""
    return scalar(f"SELECT count(*) FROM wiki_article WHERE NOT {IS_REDIRECT}")


def build(n: int, env: dict) -> dict:
    """Empty the wiki's tables, import the templates, copy them up to n articles; the seconds
    each step took, recorded in the table bench_large_build."""
    started = time.monotonic()
    steps = {}
    sql(f"TRUNCATE {TABLES} CASCADE")
    # What was added to the corpus once built goes with it: a rebuilt one gets it anew.
    sql(
        "DROP TABLE IF EXISTS bench_large_build, bench_large_history, bench_large_reviews,"
        " bench_large_redirects"
    )
    titles = corpus.titles(n)
    folder = write_templates(titles)
    began = time.monotonic()
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "import_markdown", str(folder)],
        env=env | {"DEBUG": "0"},
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    steps["templates through import_markdown"] = time.monotonic() - began
    steps.update(copies(titles))
    # What autovacuum does after a load (this bench server runs without it): without it the
    # GIN indexes keep the new entries in their unsorted pending lists, which every search
    # reads through (bench/README.md), and the planner has no statistics.
    began = time.monotonic()
    sql("VACUUM ANALYZE")
    steps["VACUUM ANALYZE"] = time.monotonic() - began
    seconds = time.monotonic() - started
    steps = {k: round(v, 1) for k, v in steps.items()}
    sql(
        "CREATE TABLE bench_large_build AS SELECT %s::int AS articles, %s::float AS seconds,"
        " %s::jsonb AS steps, now() AS built_at",
        [n, seconds, json.dumps(steps)],
    )
    return {"seconds": round(seconds, 1), "steps": steps}


def copies(titles: list[str]) -> dict:
    """Articles TEMPLATES..n-1 as copies of the templates: the templates' parts and a plan
    row for each copy go in by COPY, then one INSERT … SELECT a table."""
    steps, began = {}, time.monotonic()
    templates = template_parts(titles[:TEMPLATES])
    item = see_also_item()
    n = len(titles)
    sql(
        """CREATE TEMP TABLE plan (n int, template_id bigint, title text, slug text,
               see_also text, see_also_html text, see_also_words text, links text[],
               size int, sha1 text)"""
    )
    with connection.cursor() as cursor, cursor.copy("COPY plan FROM STDIN") as copy:
        for i in range(TEMPLATES, n):
            template = templates[i % TEMPLATES]
            title = titles[i]
            links = [
                t
                for t in dict.fromkeys(titles[(i * 31 + k * 7717) % n] for k in (1, 2, 3))
                if t != title
            ]
            see_also = see_also_source(links)
            lead = template["lead"].replace(template["title"], title)
            source = join_source(
                lead, template["sections"] + [SourceSection("See also", 2, see_also)]
            )
            copy.write_row(
                (
                    i,
                    template["id"],
                    title,
                    title_to_slug(title),
                    see_also,
                    "<ul>\n"
                    + "\n".join(item.format(slug=title_to_slug(t), title=t) for t in links)
                    + "\n</ul>",
                    " ".join(links),
                    [title_to_slug(t) for t in links],
                    len(source.encode()),
                    text_digest(source),
                )
            )
    sql("CREATE INDEX ON plan (template_id)")
    sql("ANALYZE plan")
    steps["templates' parts and the copies' plan (Python, COPY)"] = time.monotonic() - began
    with transaction.atomic():  # articles and revisions point at each other: checked at commit
        for name, statement in COPY_STEPS:
            began = time.monotonic()
            sql(statement)
            steps[name] = time.monotonic() - began
            print(f"  {name}: {steps[name]:.1f} s", flush=True)
    return steps


def see_also_item() -> str:
    """How the renderer writes one item of a "See also" list, as a format string."""
    html = compose("## See also\n\n" + see_also_source(SEE_ALSO[:1])).rendered.sections[0].html
    [line] = [line for line in html.splitlines() if line.startswith("<li>")]
    return (
        line.replace("{", "{{")
        .replace("}", "}}")
        .replace("Placeholder_one", "{slug}")
        .replace("Placeholder one", "{title}")
    )


def template_parts(titles: list[str]) -> list[dict]:
    """Each template's stored parts in Python (its sections but "See also", the last), and in
    the temporary table `template` with what the copies' rows take from it."""
    by_title = {
        a.title: a for a in Article.objects.filter(title__in=titles).prefetch_related("sections")
    }
    parts = []
    sql(
        """CREATE TEMP TABLE template (id bigint, title text, lead text, lead_html text,
               notes_html text, infobox jsonb, index_lead text, prose text, body text,
               inline_links text[])"""
    )
    with connection.cursor() as cursor, cursor.copy("COPY template FROM STDIN") as copy:
        for title in titles:
            article = by_title[title]
            every = sorted(article.sections.all(), key=lambda s: s.position)
            sections = every[:-1]  # "See also" is the last
            document = document_from_html(
                article.pk, title, article.lead_html, [(s.heading_html, s.html) for s in every]
            )
            body = document_from_html(
                article.pk, title, "", [(s.heading_html, s.html) for s in sections]
            ).body
            inline = {
                slug
                for s in [article.lead_html, *(s.html for s in sections)]
                for slug in re.findall(r'class="wikilink" href="/wiki/([^"]+)"', s)
            }
            copy.write_row(
                (
                    article.pk,
                    title,
                    article.lead,
                    article.lead_html,
                    article.notes_html,
                    json.dumps(article.infobox),
                    document.lead,
                    document.prose,
                    body,
                    sorted(inline),
                )
            )
            parts.append(
                {
                    "id": article.pk,
                    "title": title,
                    "lead": article.lead,
                    "sections": [SourceSection(s.heading, s.level, s.body) for s in sections],
                }
            )
    sql(
        """ALTER TABLE template ADD COLUMN body_vector tsvector;
           UPDATE template SET body_vector = setweight(to_tsvector('folded_english', body), 'C');
           CREATE UNIQUE INDEX ON template (id); ANALYZE template"""
    )
    return parts


def rows_of(statement: str, params=None) -> list:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


# Each copy's rows, from its plan row and its template's rows. "See also" (the template's
# last section) is the copy's own; the lead names the copy instead of the template.
COPY_STEPS = [
    (
        "contributors",
        """INSERT INTO wiki_contributor (name, credentials, bio)
           SELECT 'Editor ' || i, '', '' FROM generate_series(1, 99) i
           UNION ALL SELECT 'Busy Bee', '', ''""",
    ),
    (
        "revisions (django-reversion's rows)",
        """ALTER TABLE plan ADD COLUMN revision_id int, ADD COLUMN article_id bigint;
           UPDATE plan SET
               revision_id = nextval(pg_get_serial_sequence('reversion_revision', 'id')),
               article_id = nextval(pg_get_serial_sequence('wiki_article', 'id'));
           CREATE UNIQUE INDEX ON plan (article_id);
           INSERT INTO reversion_revision (id, date_created, comment)
           SELECT revision_id, now() - interval '1 day' + (n || ' seconds')::interval
               - interval '1000000 seconds', 'Imported'
           FROM plan""",
    ),
    (
        "articles",
        """INSERT INTO wiki_article (id, title, slug, lead, lead_html, notes_html, protection,
               size, created_at, updated_at, latest_revision_id, infobox, language)
           SELECT p.article_id, p.title, p.slug, replace(t.lead, t.title, p.title),
               replace(t.lead_html, t.title, p.title), t.notes_html, '', p.size,
               r.date_created, r.date_created, p.revision_id, t.infobox, 'en'
           FROM plan p JOIN template t ON t.id = p.template_id
           JOIN reversion_revision r ON r.id = p.revision_id
           ORDER BY p.article_id""",
    ),
    (
        "sections",
        """INSERT INTO wiki_section (position, heading, level, body, heading_html, anchor, html,
               article_id)
           SELECT s.position, s.heading, s.level,
               CASE WHEN s.heading = 'See also' THEN p.see_also ELSE s.body END,
               s.heading_html, s.anchor,
               CASE WHEN s.heading = 'See also' THEN p.see_also_html ELSE s.html END,
               p.article_id
           FROM plan p JOIN wiki_section s ON s.article_id = p.template_id
           ORDER BY p.article_id, s.position""",
    ),
    (
        "revisions",
        """INSERT INTO wiki_revision (revision_id, article_id, title, contributor_id, created_at,
               summary, minor, kind, size, size_delta, section_heading, origin, sha1, tags,
               language)
           SELECT p.revision_id, p.article_id, p.title,
               CASE WHEN p.n % 10 = 0 THEN busy.id ELSE c0.id + p.n % 99 END,
               r.date_created, 'Imported', false, 'import', p.size, p.size, '', '', p.sha1,
               '', 'en'
           FROM plan p JOIN reversion_revision r ON r.id = p.revision_id,
               (SELECT id FROM wiki_contributor WHERE name = 'Busy Bee') busy,
               (SELECT min(id) AS id FROM wiki_contributor) c0""",
    ),
    (
        "categories",
        """INSERT INTO wiki_article_categories (article_id, category_id)
           SELECT p.article_id, c.category_id FROM plan p
           JOIN wiki_article_categories c ON c.article_id = p.template_id""",
    ),
    (
        "links",
        """INSERT INTO wiki_link (source_id, target_slug)
           SELECT p.article_id, l FROM plan p JOIN template t ON t.id = p.template_id,
               unnest(t.inline_links) l
           UNION SELECT p.article_id, unnest(p.links) FROM plan p""",
    ),
    (
        "snapshots",
        """INSERT INTO reversion_version (revision_id, content_type_id, object_id, db, format,
               serialized_data, object_repr)
           SELECT p.revision_id, v.content_type_id, p.article_id::text, 'default', 'json',
               jsonb_set(jsonb_set(jsonb_set(jsonb_set(v.serialized_data::jsonb, '{0,pk}',
                   to_jsonb(a.id)), '{0,fields,title}', to_jsonb(a.title)),
                   '{0,fields,lead}', to_jsonb(a.lead)),
                   '{0,fields,lead_html}', to_jsonb(a.lead_html))::text, a.title
           FROM plan p JOIN wiki_article a ON a.id = p.article_id
           JOIN wiki_article t ON t.id = p.template_id
           JOIN reversion_version v ON v.revision_id = t.latest_revision_id
               AND v.object_id = t.id::text
               AND v.content_type_id = (SELECT id FROM django_content_type
                                        WHERE app_label = 'wiki' AND model = 'article')
           UNION ALL
           SELECT p.revision_id, v.content_type_id, s.id::text, 'default', 'json',
               jsonb_set(jsonb_set(jsonb_set(jsonb_set(v.serialized_data::jsonb, '{0,pk}',
                   to_jsonb(s.id)), '{0,fields,article}', to_jsonb(p.article_id)),
                   '{0,fields,body}', to_jsonb(s.body)), '{0,fields,html}', to_jsonb(s.html))::text,
               v.object_repr
           FROM plan p JOIN wiki_section s ON s.article_id = p.article_id
           JOIN wiki_article t ON t.id = p.template_id
           JOIN wiki_section ts ON ts.article_id = t.id AND ts.position = s.position
           JOIN reversion_version v ON v.revision_id = t.latest_revision_id
               AND v.object_id = ts.id::text
               AND v.content_type_id = (SELECT id FROM django_content_type
                                        WHERE app_label = 'wiki' AND model = 'section')""",
    ),
    (
        "search entries",
        """INSERT INTO wiki_search_entry (article_id, language, title, lead, body, prose,
               title_vector, head_vector, vector)
           SELECT p.article_id, 'en', p.title, l.lead, t.body || ' ' || p.see_also_words,
               replace(t.prose, t.title, p.title), v.tv, v.tv || v.lv,
               v.tv || v.lv || t.body_vector
                   || setweight(to_tsvector('folded_english', p.see_also_words), 'C')
           FROM plan p JOIN template t ON t.id = p.template_id,
               LATERAL (SELECT replace(t.index_lead, t.title, p.title) AS lead) l,
               LATERAL (SELECT setweight(to_tsvector('folded_english', p.title), 'A') AS tv,
                               setweight(to_tsvector('folded_english', l.lead), 'B') AS lv) v
           ORDER BY p.article_id""",
    ),
    (
        "search words (titles')",
        """INSERT INTO wiki_search_word (language, word)
           SELECT DISTINCT 'en', w FROM plan, regexp_split_to_table(lower(title), '[^[:alpha:]]+') w
           WHERE length(w) BETWEEN 3 AND 40 ON CONFLICT DO NOTHING""",
    ),
]


# Revisions beyond each article's one, added once to a database (`add_history`): a wiki of N
# articles that has been edited for years holds about ten revisions an article (recent changes
# over 10,000,000 at a million), and its longest histories run to 100,000 edits.
OLDER_REVISIONS = 9
LONG_HISTORY = 100_000


def long_history_slug() -> str:
    """The article whose history holds LONG_HISTORY older revisions: the first one."""
    return scalar("SELECT slug FROM wiki_article ORDER BY id LIMIT 1")


def add_history() -> dict:
    """OLDER_REVISIONS older revisions of every article (LONG_HISTORY of the first), written
    in SQL as the write path leaves them in history (django-reversion's revision row and ours,
    each the parent of the next, by the contributors of the copies, a tenth by "Busy Bee"),
    made in the hours before the article's current revision. No snapshot is written for them:
    the lists read revisions alone (opening an old one would find no text). Once per database:
    table bench_large_history records it; the seconds it took are returned."""
    if scalar("SELECT to_regclass('bench_large_history') IS NOT NULL"):
        return json.loads(scalar("SELECT steps::text FROM bench_large_history"))
    steps, started = {}, time.monotonic()
    first = scalar("SELECT min(id) FROM wiki_article")
    sql("DROP TABLE IF EXISTS older")
    sql(
        f"""CREATE UNLOGGED TABLE older AS
           SELECT a.id AS article_id, a.title, a.language, r.created_at AS newest,
               r.revision_id AS newest_id, r.size, k,
               row_number() OVER (ORDER BY a.id, k) AS n
           FROM wiki_article a JOIN wiki_revision r ON r.revision_id = a.latest_revision_id,
               generate_series(1, CASE WHEN a.id = {first} THEN {LONG_HISTORY}
                                       ELSE {OLDER_REVISIONS} END) k"""
    )
    count = scalar("SELECT count(*) FROM older")
    sequence = scalar("SELECT pg_get_serial_sequence('reversion_revision', 'id')")
    base = scalar("SELECT nextval(%s)", [sequence])  # ids base + 1 … base + count are ours
    sql("SELECT setval(%s, %s)", [sequence, base + count])
    steps["plan"] = time.monotonic() - started
    statements = {
        "django-reversion's revision rows": f"""
            INSERT INTO reversion_revision (id, date_created, comment)
            SELECT {base} + n, newest - k * interval '1 hour', 'Edit ' || k FROM older""",
        "revisions": f"""
            INSERT INTO wiki_revision (revision_id, article_id, title, contributor_id,
                created_at, summary, minor, kind, size, size_delta, section_heading, origin,
                sha1, tags, language, parent_id)
            SELECT {base} + n, o.article_id, o.title,
                CASE WHEN (o.article_id + k) % 10 = 0 THEN busy.id
                     ELSE c0.id + (o.article_id + k) % 99 END,
                newest - k * interval '1 hour', 'Edit ' || k, k % 3 = 0, 'edit', o.size, k % 7,
                '', '', '', '', o.language,
                CASE WHEN k < CASE WHEN o.article_id = {first} THEN {LONG_HISTORY}
                                   ELSE {OLDER_REVISIONS} END THEN {base} + n + 1 END
            FROM older o, (SELECT id FROM wiki_contributor WHERE name = 'Busy Bee') busy,
                (SELECT min(id) AS id FROM wiki_contributor) c0""",
        "each current revision's parent": f"""
            UPDATE wiki_revision r SET parent_id = {base} + o.n
            FROM older o WHERE o.k = 1 AND r.revision_id = o.newest_id""",
        "VACUUM ANALYZE": "VACUUM ANALYZE reversion_revision, wiki_revision",
    }
    for name, statement in statements.items():
        began = time.monotonic()
        sql(statement)
        steps[name] = time.monotonic() - began
        print(f"  history, {name}: {steps[name]:.1f} s", flush=True)
    sql("DROP TABLE older")
    steps = {k: round(v, 1) for k, v in steps.items()} | {"revisions added": count}
    sql(
        "CREATE TABLE bench_large_history AS SELECT %s::float AS seconds, %s::jsonb AS steps",
        [time.monotonic() - started, json.dumps(steps)],
    )
    return steps


def add_reviews() -> dict:
    """Medical reviews of half the articles, each of the article's oldest revision (so every
    one has been edited since: the "changed" queue holds half the wiki), dated 400 days back,
    a second apart (so each is overdue: the "overdue" queue holds them too, and recent
    changes lists them on its last page), then their places in the queues worked out
    as an operator does (`manage.py refresh_review_queue`). After `add_history`; once per
    database: table bench_large_reviews records it; the seconds each step took are
    returned."""
    from django.core.management import call_command

    if scalar("SELECT to_regclass('bench_large_reviews') IS NOT NULL"):
        return json.loads(scalar("SELECT steps::text FROM bench_large_reviews"))
    steps, started = {}, time.monotonic()
    statements = {
        "reviews": """
            INSERT INTO wiki_review (article_id, revision_id, reviewer_name,
                reviewer_credentials, level, note, created_at, conflicts)
            SELECT article_id, revision_id, 'Dr Bench', 'MD', 'reviewed', '',
                now() - interval '400 days' + article_id * interval '1 second', ''
            FROM (SELECT DISTINCT ON (article_id) article_id, revision_id
                  FROM wiki_revision WHERE article_id % 2 = 0
                  ORDER BY article_id, revision_id) oldest""",
        "reviewed revisions": """
            UPDATE wiki_article a SET reviewed_revision_id = v.revision_id,
                checked_revision_id = v.revision_id
            FROM wiki_review v WHERE v.article_id = a.id""",
    }
    for name, statement in statements.items():
        began = time.monotonic()
        sql(statement)
        steps[name] = time.monotonic() - began
        print(f"  reviews, {name}: {steps[name]:.1f} s", flush=True)
    began = time.monotonic()
    call_command("refresh_review_queue")
    steps["manage.py refresh_review_queue"] = time.monotonic() - began
    began = time.monotonic()
    sql("VACUUM ANALYZE wiki_article, wiki_review")
    steps["VACUUM ANALYZE"] = time.monotonic() - began
    steps = {k: round(v, 1) for k, v in steps.items()}
    steps["reviews added"] = scalar("SELECT count(*) FROM wiki_review")
    sql(
        "CREATE TABLE bench_large_reviews AS SELECT %s::float AS seconds, %s::jsonb AS steps",
        [time.monotonic() - started, json.dumps(steps)],
    )
    return steps


# One redirect for every REDIRECT_SHARE articles (MediaWiki wikis hold more redirects than
# articles; a quarter keeps the build short and the lists' filters honest); one in REDIRECT_ODD
# of them broken (its target missing) and as many double (to another redirect).
REDIRECT_SHARE = 4
REDIRECT_ODD = 1_000
REDIRECT_BATCH = 10_000


# SQL: the row is a redirect page (with or without a target), as `Article.redirects()`.
IS_REDIRECT = "(redirect_to_id IS NOT NULL OR upper(left(lead, 9)) = '#REDIRECT')"


def add_redirects() -> dict:
    """Redirect pages: one to every REDIRECT_SHARE-th article (titled after it, so spread
    through the alphabet as articles are), one in REDIRECT_ODD to a page that does not exist
    (broken), and as many to another redirect (double). Article rows only, no revisions (the
    lists read articles alone). Once per database: table bench_large_redirects records it."""
    if scalar("SELECT to_regclass('bench_large_redirects') IS NOT NULL"):
        return json.loads(scalar("SELECT steps::text FROM bench_large_redirects"))
    started = time.monotonic()
    targets = rows_of(
        f"SELECT id, title FROM wiki_article WHERE id % {REDIRECT_SHARE} = 0"
        f" AND NOT {IS_REDIRECT} ORDER BY id"
    )
    made = 0
    for start in range(0, len(targets), REDIRECT_BATCH):
        pages = []
        for number, (pk, title) in enumerate(targets[start : start + REDIRECT_BATCH], start):
            name, to = f"{title} (other name)", pk
            if number % REDIRECT_ODD == 0:
                title, to = f"No such page {number}", None
            pages.append(
                Article(
                    title=name,
                    slug=title_to_slug(name),
                    lead=f"#REDIRECT [[{title}]]\n",
                    redirect_to_id=to,
                )
            )
        made += len(Article.objects.bulk_create(pages))
    firsts = rows_of(
        "SELECT id, title FROM wiki_article WHERE redirect_to_id IS NOT NULL"
        f" AND title LIKE '%% (other name)' AND id % {REDIRECT_ODD} = 7 ORDER BY id"
    )
    doubles = [
        Article(
            title=f"{title} (2)",
            slug=title_to_slug(f"{title} (2)"),
            lead=f"#REDIRECT [[{title}]]\n",
            redirect_to_id=pk,
        )
        for pk, title in firsts
    ]
    made += len(Article.objects.bulk_create(doubles))
    sql("VACUUM ANALYZE wiki_article")
    steps = {
        "redirects added": made,
        "broken": scalar(
            "SELECT count(*) FROM wiki_article WHERE redirect_to_id IS NULL"
            " AND upper(left(lead, 9)) = '#REDIRECT'"
        ),
        "double": len(doubles),
        "seconds": round(time.monotonic() - started, 1),
    }
    print(f"  redirects: {steps}", flush=True)
    sql(
        "CREATE TABLE bench_large_redirects AS SELECT %s::float AS seconds, %s::jsonb AS steps",
        [steps["seconds"], json.dumps(steps)],
    )
    return steps
