"""Big imports create new articles in batches; the result must be what the write path makes."""

import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection
from reversion.models import Revision as ReversionRevision
from reversion.models import Version

from wiki import search
from wiki.bulk import create_articles, prepare
from wiki.markdown_import import import_file, import_paths, markdown_paths, parse_markdown_file
from wiki.models import Article, Category, Contributor, Credit, Link, Revision
from wiki.snapshots import load_snapshot

FILES = {
    "cramps.md": """---
title: Night cramps
categories: [Disease Index, Musculoskeletal]
contributors:
  - name: Mara Quist
    credentials: MD
  - Leo Brandt, RN
  - Mara Quist
---
Night cramps are sudden tightenings of the calf[^1] at night, unlike [[Restless legs]].

## Symptoms

A *hard*, painful calf muscle. See [[Stretching|gentle stretches]].

## Treatment with [[Magnesium]]

| Step | What |
|---|---|
| 1 | Stretch |

## See also

* [[Stretching]]
* [[Night cramps]]

[^1]: The gastrocnemius, mostly.
""",
    "stretching.md": "# Stretching\n\nGentle stretches before bed help with "
    "[[Night cramps]].\n\n## How\n\nSlowly.\n\n## How\n\nAgain.\n",
    "legs.md": "---\ntitle: restless_legs\ncategories: Neurology\ncontributors: [Leo Brandt]\n"
    "---\nAn urge to move the legs.\n",
    # The same title twice: the second file is an edit of the first.
    "stretching-again.md": "# Stretching\n\nGentle stretches before bed help.\n",
}


@pytest.fixture
def folder(tmp_path):
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def site_state() -> dict:
    """Everything an import writes, with ids replaced by titles and names and times left
    out, so two imports of the same files compare equal."""
    titles = dict(Article.objects.values_list("pk", "title"))
    categories = dict(Category.objects.values_list("pk", "name"))

    def version_fields(version):
        [obj] = json.loads(version.serialized_data)
        fields = dict(obj["fields"])
        for moment in ("created_at", "updated_at"):
            fields.pop(moment, None)
        if obj["model"] == "wiki.section":
            fields["article"] = titles[fields["article"]]
        else:
            fields["categories"] = [categories[pk] for pk in fields["categories"]]
        return (obj["model"], version.object_repr, version.format, version.db, fields)

    state = {}
    for article in Article.objects.prefetch_related("categories"):
        revisions = list(Revision.objects.filter(article=article).order_by("pk"))
        state[article.title] = {
            "row": (
                article.slug,
                article.lead,
                article.lead_html,
                article.notes_html,
                article.size,
                article.protection,
                article.latest_revision_id == revisions[-1].pk,
            ),
            "categories": [c.name for c in article.categories.all()],
            "sections": list(
                article.sections.values_list(
                    "position", "heading", "level", "body", "heading_html", "anchor", "html"
                )
            ),
            "revisions": [
                (
                    r.title,
                    r.user_id,
                    r.contributor_id,
                    r.summary,
                    r.minor,
                    r.kind,
                    r.size,
                    r.size_delta,
                    r.section,
                    r.section_heading,
                    r.parent_id is None,
                )
                for r in revisions
            ],
            "reversion": [
                (
                    ReversionRevision.objects.get(pk=r.pk).comment,
                    ReversionRevision.objects.get(pk=r.pk).user_id,
                    sorted(
                        (version_fields(v) for v in Version.objects.filter(revision_id=r.pk)),
                        key=repr,
                    ),
                )
                for r in revisions
            ],
            "snapshot is the source": load_snapshot(revisions[-1].pk).source == article.source,
            "links": sorted(article.outgoing_links.values_list("target_slug", flat=True)),
            "credits": sorted(article.credits.values_list("contributor__name", "imported")),
        }
    state["contributors"] = sorted(Contributor.objects.values_list("name", "credentials"))
    state["search"] = {
        query: [hit.article.title for hit in search.search(query).hits]
        for query in ("calf", "stretches", "gastrocnemius", "legs -calf", "magnesium")
    }
    state["did you mean"] = search.did_you_mean("gastrocnemous")
    return state


def forget_everything():
    Article.objects.all().delete()
    ReversionRevision.objects.all().delete()
    Category.objects.all().delete()
    Contributor.objects.all().delete()
    search.engine().clear()


def test_a_batch_import_writes_what_the_write_path_writes(db, folder):
    # Two worker processes render; the batch of new titles is written in bulk.
    report = import_paths(markdown_paths([folder]), jobs=2, summary="Imported")
    assert (report.created, report.updated, report.failed) == (3, 1, [])
    batched = site_state()

    forget_everything()
    for path in markdown_paths([folder]):
        import_file(parse_markdown_file(path.read_text()), summary="Imported")
    one_by_one = site_state()

    assert batched == one_by_one
    assert batched["Night cramps"]["categories"] == ["Disease Index", "Musculoskeletal"]
    assert batched["Night cramps"]["credits"] == [("Leo Brandt", True), ("Mara Quist", True)]
    assert batched["Night cramps"]["links"] == ["Magnesium", "Restless_legs", "Stretching"]
    assert batched["search"]["magnesium"] == ["Night cramps"]
    assert batched["search"]["legs -calf"] == ["Restless legs"]
    assert len(batched["Stretching"]["revisions"]) == 2


def test_render_workers_start_fresh_when_the_caller_runs_other_threads(db, folder):
    """Forking a process that runs other threads can copy a lock one of them holds, held
    forever in the copy: then the workers start as fresh interpreters, and still render."""
    import threading

    from wiki.bulk import worker_start

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert worker_start()["mp_context"].get_start_method() == "spawn"
        report = import_paths(markdown_paths([folder]), jobs=2, summary="Imported")
    finally:
        stop.set()
        other.join()
    assert (report.created, report.updated, report.failed) == (3, 1, [])
    assert (
        'href="/wiki/Stretching"' in Article.objects.get(title="Night cramps").sections.first().html
    )


def test_articles_written_after_a_batch_get_rows_of_their_own(db, folder, make_article):
    """The batch gives sections ids itself on PostgreSQL (from the table's sequence): an
    article saved afterwards must not collide with them, and its sections are its own."""
    import_paths(markdown_paths([folder]), jobs=0, summary="Imported")
    imported = {s.pk for a in Article.objects.all() for s in a.sections.all()}
    later = make_article("Leg cramps in athletes")
    assert [s.heading for s in later.sections.all()] == [
        "Symptoms",
        "Causes",
        "Treatment",
        "See also",
    ]
    assert not imported & {s.pk for s in later.sections.all()}
    assert Article.objects.get(title="Night cramps").sections.count() > 0


def test_imported_articles_read_history_and_revert_like_any_other(db, client, folder):
    call_command("import_markdown", str(folder), jobs=0, verbosity=0)
    page = client.get("/wiki/Night_cramps").content.decode()
    assert "Mara Quist, MD" in page and "gastrocnemius" in page
    assert 'class="wikilink new"' in page  # Magnesium does not exist
    assert 'href="/wiki/Restless_legs"' in page
    history = client.get("/wiki/Stretching/history").content.decode()
    assert history.count("Imported from Markdown") == 2
    assert client.get("/search?q=urge+legs").status_code == 200


def test_a_batch_import_turns_red_links_blue_on_cached_pages(db, client, make_article, tmp_path):
    make_article(source="Related: [[Stretching]].\n")
    assert 'class="wikilink new"' in client.get("/wiki/Sample_condition").content.decode()
    assert client.get("/wiki/Sample_condition")["X-Page-Cache"] == "hit"
    (tmp_path / "s.md").write_text(FILES["stretching.md"])
    import_paths(markdown_paths([tmp_path]), jobs=0)
    html = client.get("/wiki/Sample_condition").content.decode()
    assert 'class="wikilink new"' not in html and 'href="/wiki/Stretching"' in html


def test_a_batch_with_a_title_that_exists_writes_nothing(db, make_article):
    make_article(title="Stretching")
    before = (Article.objects.count(), Revision.objects.count(), Credit.objects.count())
    prepared = [
        prepare(parse_markdown_file(FILES["legs.md"])),
        prepare(parse_markdown_file(FILES["stretching.md"])),
    ]
    with pytest.raises(IntegrityError):
        create_articles(prepared, summary="Imported")
    after = (Article.objects.count(), Revision.objects.count(), Credit.objects.count())
    assert after == before and not Link.objects.filter(target_slug="Night_cramps").exists()


def test_versions_are_serialized_byte_for_byte_as_django_reversion_does(db, make_article):
    from django.core import serializers

    from wiki.revisions import serialize_each

    articles = [
        make_article("Gout", categories=["Neurology", "Disease Index"]),
        make_article("Rickets", 'Lead with **ünïcode** and "quotes".\n\n## Causes\n\nSun.'),
    ]
    not_versioned = {
        "latest_revision",
        "reviewed_revision",
        "checked_revision",
        "show_reviewed",
        "translation_group",  # which articles translate it: not its content (issue 32)
        "translated_from",
        "translated_up_to",  # the source revision it was last brought up to date with
    }
    article_fields = [
        f.name for f in Article._meta.get_fields() if f.concrete and f.name not in not_versioned
    ]
    assert serialize_each(articles) == [
        serializers.serialize("json", [a], fields=article_fields) for a in articles
    ]
    sections = [s for a in articles for s in a.sections.all()]
    assert len(sections) > 2
    assert serialize_each(sections) == [serializers.serialize("json", [s]) for s in sections]


@pytest.mark.parametrize("batch_size", [1, 2, 250])
def test_batch_boundaries_do_not_change_what_is_imported(db, folder, batch_size):
    call_command("import_markdown", str(folder), batch_size=batch_size, jobs=0, verbosity=0)
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "Night cramps",
        "Restless legs",
        "Stretching",
    ]
    assert Revision.objects.filter(article__title="Stretching").count() == 2
    # Files go in path order: stretching-again.md, then stretching.md, whose text stays.
    assert "help with [[Night cramps]]" in Article.objects.get(title="Stretching").lead


def test_a_batch_size_below_one_is_refused(db, folder):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="at least 1"):
        call_command("import_markdown", str(folder), batch_size=0, verbosity=0)
    assert not Article.objects.exists()


@pytest.fixture
def committed():
    """A test whose rows are committed (threads write on their own connections); the search
    tables are not Django models, so the flush after the test would leave their rows."""
    yield
    search.engine().clear()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="several writer threads need PostgreSQL (SQLite has one writer at a time)",
)
@pytest.mark.django_db(transaction=True)
def test_two_writer_threads_write_what_the_write_path_writes(folder, committed):
    # Each batch of one file is written by one of two threads, on its own connection.
    report = import_paths(markdown_paths([folder]), jobs=0, writers=2, batch_size=1)
    assert (report.created, report.updated, report.failed) == (3, 1, [])
    threaded = site_state()

    forget_everything()
    for path in markdown_paths([folder]):
        import_file(parse_markdown_file(path.read_text()), summary="Imported")
    assert threaded == site_state()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="writer threads: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_writer_threads_creating_the_same_new_category_both_succeed(tmp_path, committed):
    for number in range(6):
        (tmp_path / f"{number}.md").write_text(
            f"---\ntitle: Condition {number}\ncategories: [Shared]\n"
            f"contributors: [Pat Lee]\n---\nText {number}.\n"
        )
    report = import_paths(markdown_paths([tmp_path]), jobs=0, writers=2, batch_size=1)
    assert report.created == 6 and not report.failed
    shared = Category.objects.get(name="Shared")
    assert shared.articles.count() == 6
    assert Contributor.objects.filter(name="Pat Lee").count() == 1
    assert Revision.objects.filter(kind=Revision.Kind.IMPORT).count() == 6


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="writer threads: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_credentials_survive_another_writer_creating_the_same_contributor_without_them():
    import threading
    import time

    from django.db import connections, transaction

    from wiki.bulk import import_contributors

    created, release = threading.Event(), threading.Event()

    def other_writer():  # holds a new "Leo Brandt" without credentials, uncommitted
        with transaction.atomic():
            Contributor.objects.create(name="Leo Brandt", credentials="")
            created.set()
            release.wait(10)
        connections.close_all()

    def this_writer():  # its file credits "Leo Brandt, RN"
        with transaction.atomic():
            import_contributors([("Leo Brandt", "RN")])
        connections.close_all()

    threads = [threading.Thread(target=other_writer), threading.Thread(target=this_writer)]
    threads[0].start()
    assert created.wait(10)
    threads[1].start()
    time.sleep(0.5)  # this writer's insert now waits on the other's uncommitted row
    release.set()
    for thread in threads:
        thread.join(20)
    assert Contributor.objects.get(name="Leo Brandt").credentials == "RN"
