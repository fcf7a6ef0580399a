"""A MediaWiki wiki moves in with its history: `manage.py import_mediawiki`.

Every dump here is written by `tests/mediawiki_dumps.py` as the schema version in question
writes it; the real exports in ../shared/mediawiki-samples are `test_mediawiki_samples.py`'s.
"""

import bz2
import gzip
import io
import tracemalloc
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from tests.mediawiki_dumps import VERSIONS, Page, Rev, Site, dump
from wiki.mediawiki.dump import PageStart, read_dump
from wiki.models import Article, Contributor, Revision

SCURVY_1 = "'''Scurvy''' comes from too little vitamin C.\n\n== Signs ==\nTired and sore.\n"
SCURVY_2 = (
    "'''Scurvy''' comes from too little vitamin C in the diet.\n\n== Signs ==\n"
    "Tiredness, sore gums.\n\n== Care ==\nCitrus fruit.\n[[Category:Nutrition]]\n"
)


def scurvy(**extra) -> Page:
    return Page(
        "Scurvy",
        [
            Rev(101, "2004-04-16T12:00:00Z", SCURVY_1, user="Mara Lind", comment="new page"),
            Rev(102, "2006-09-01T08:30:00Z", SCURVY_2, ip="192.0.2.44", comment="more", minor=True),
        ],
        id=7,
        **extra,
    )


def run_import(tmp_path, text: str, *args, name="dump.xml", opener=open) -> str:
    path = tmp_path / name
    with opener(path, "wt", encoding="utf-8") as f:
        f.write(text)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_mediawiki", str(path), *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.mark.parametrize("version", VERSIONS)
def test_every_schema_version_brings_each_revision_with_its_time_author_and_summary(
    tmp_path, db, client, version
):
    run_import(tmp_path, dump([scurvy()], version=version))
    article = Article.objects.get(title="Scurvy")
    history = list(Revision.objects.filter(article=article).order_by("pk"))
    assert [r.created_at for r in history] == [
        datetime(2004, 4, 16, 12, 0, tzinfo=UTC),
        datetime(2006, 9, 1, 8, 30, tzinfo=UTC),
    ]
    assert [r.contributor.name for r in history] == ["Mara Lind", "192.0.2.44"]
    assert [(r.summary, r.minor) for r in history] == [("new page", False), ("more", True)]
    assert [s.heading for s in article.ordered_sections] == ["Signs", "Care"]
    assert "**Scurvy**" in article.source
    assert [c.name for c in article.categories.all()] == ["Nutrition"]
    page = client.get("/wiki/Scurvy").content.decode()
    assert "Last edited on 1 September 2006" in page
    history_page = client.get("/wiki/Scurvy/history").content.decode()
    assert "192.0.2.44" in history_page and "Mara Lind" in history_page


def test_an_address_is_shown_in_the_history_and_a_named_author_is_credited(tmp_path, db, client):
    run_import(tmp_path, dump([scurvy()]))
    article = Article.objects.get(title="Scurvy")
    assert [c.contributor.name for c in article.credits.all()] == ["Mara Lind"]
    assert Contributor.objects.get(name="192.0.2.44").is_address
    changes = client.get("/recent-changes").content.decode()
    assert "192.0.2.44" in changes and "2006" in changes


def test_the_history_diffs_and_old_revisions_show_the_wikis_past(tmp_path, db, client):
    run_import(tmp_path, dump([scurvy()]))
    first, second = Revision.objects.filter(article__title="Scurvy").order_by("pk")
    old = client.get(f"/wiki/Scurvy/revision/{first.pk}").content.decode()
    assert "Tired and sore." in old and "Citrus" not in old
    diff = client.get(f"/wiki/Scurvy/diff?from={first.pk}&to={second.pk}").content.decode()
    assert "Citrus fruit." in diff


@pytest.mark.parametrize("opener", [gzip.open, bz2.open], ids=["gzip", "bzip2"])
def test_a_compressed_dump_imports_as_the_plain_one_does(tmp_path, db, opener):
    run_import(tmp_path, dump([scurvy()]), name="dump.xml.z", opener=opener)
    assert Revision.objects.filter(article__title="Scurvy").count() == 2


def test_importing_the_same_dump_again_adds_nothing(tmp_path, db):
    text = dump([scurvy()])
    run_import(tmp_path, text)
    out = run_import(tmp_path, text)
    assert Revision.objects.count() == 2
    assert "Imported 0 revisions" in out and "2 revisions were already here" in out


def test_a_later_dump_of_the_same_wiki_adds_only_its_new_revisions(tmp_path, db):
    run_import(tmp_path, dump([scurvy()]))
    later = scurvy()
    later.revisions.append(
        Rev(103, "2010-01-05T10:00:00Z", SCURVY_2 + "\nRare today.\n", user="Ola Berg")
    )
    out = run_import(tmp_path, dump([later]), name="later.xml")
    article = Article.objects.get(title="Scurvy")
    history = list(Revision.objects.filter(article=article).order_by("pk"))
    assert len(history) == 3 and "Imported 1 revisions" in out
    assert history[-1].parent_id == history[-2].pk
    assert "Rare today." in article.source
    assert article.latest_revision_id == history[-1].pk


@pytest.mark.parametrize("version", ["0.3", "0.11"])
def test_a_redirect_page_leads_to_its_target(tmp_path, db, client, version):
    redirect = Page(
        "Vitamin C deficiency",
        [Rev(201, "2005-01-01T00:00:00Z", "#REDIRECT [[Scurvy]]", user="Mara Lind")],
        id=8,
        redirect="Scurvy",
    )
    run_import(tmp_path, dump([redirect, scurvy()], version=version))  # the target comes later
    response = client.get("/wiki/Vitamin_C_deficiency")
    assert response.status_code == 301  # a permanent redirect
    assert response["Location"].startswith("/wiki/Scurvy?redirectedfrom=Vitamin_C_deficiency")
    shown = client.get("/wiki/Vitamin_C_deficiency?redirect=no").content.decode()
    assert "Redirect to" in shown and 'href="/wiki/Scurvy"' in shown


def test_the_latest_revision_decides_whether_a_page_is_a_redirect(tmp_path, db, client):
    moved_then_written = Page(
        "Scorbutus",
        [
            Rev(301, "2005-01-01T00:00:00Z", "#REDIRECT [[Scurvy]]", user="Mara Lind"),
            Rev(302, "2007-01-01T00:00:00Z", "'''Scorbutus''' is an old name.", user="Ola Berg"),
        ],
        id=9,
    )
    run_import(tmp_path, dump([scurvy(), moved_then_written]))
    assert client.get("/wiki/Scorbutus").status_code == 200
    assert Article.objects.get(title="Scorbutus").redirect_to is None


def test_a_redirect_to_a_page_the_dump_does_not_hold_is_reported(tmp_path, db):
    lost = Page("Lost", [Rev(401, "2005-01-01T00:00:00Z", "#REDIRECT [[Nowhere here]]")], id=4)
    lost.revisions[0].ip = "198.51.100.7"
    out = run_import(tmp_path, dump([lost]), "--report")
    assert "1 point at no article" in out
    assert "Lost: redirect to “Nowhere here”" in out


def test_talk_and_other_namespaces_are_skipped_and_counted(tmp_path, db):
    talk = Page("Talk:Scurvy", [Rev(501, "2005-01-01T00:00:00Z", "Sources?", user="Ola Berg")])
    talk.ns, talk.id = 1, 10
    template = Page("Template:Stub", [Rev(502, "2005-01-01T00:00:00Z", "stub", user="Ola Berg")])
    template.ns, template.id = 10, 11
    for version in ("0.3", "0.11"):  # by <ns>, and by the title's prefix where there is none
        out = run_import(tmp_path, dump([scurvy(), talk, template], version=version))
        assert "Skipped pages of other namespaces: 1 Talk, 1 Template." in out
    assert list(Article.objects.values_list("title", flat=True)) == ["Scurvy"]


def test_a_page_that_cannot_be_imported_is_reported_and_the_rest_imports(tmp_path, db):
    bad_time = Page("Gout", [Rev(601, "last Tuesday", "Joints.", user="Ola Berg")], id=12)
    bad_title = Page("Bad/history", [Rev(602, "2005-01-01T00:00:00Z", "x", user="Ola")], id=13)
    out = run_import(tmp_path, dump([bad_time, bad_title, scurvy()]))
    assert "page “Gout”: a revision has no valid timestamp ('last Tuesday')" in out
    assert "page “Bad/history”: the title cannot be used here" in out
    assert "line " in out
    assert list(Article.objects.values_list("title", flat=True)) == ["Scurvy"]


def test_a_broken_file_is_reported_with_its_position_and_keeps_the_pages_before(tmp_path, db):
    text = dump([scurvy(), Page("Gout", [Rev(701, "2005-01-01T00:00:00Z", "Joints.")])])
    broken = text[: text.index("<page><title>Gout")] + "<page><title>Gout</titel>"
    out = run_import(tmp_path, broken)
    assert "dump.xml, line " in out and "mismatched tag" in out
    assert list(Article.objects.values_list("title", flat=True)) == ["Scurvy"]


def test_a_long_history_streams_through_without_being_held_in_memory(tmp_path):
    """A 29 MB export is read with a few MB of memory: one revision at a time."""
    text = "A sentence of filler about nutrition. " * 250  # ~10 KB a revision
    revisions = [
        Rev(i, f"2005-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}Z", f"{text}{i}", user="Ola")
        for i in range(1, 3001)
    ]
    path = tmp_path / "long.xml"
    path.write_text(dump([Page("Long", revisions)], site=Site()))
    assert path.stat().st_size > 25_000_000
    tracemalloc.start()
    seen = sum(1 for item in read_dump(path) if not isinstance(item, PageStart))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert seen == 3000 + 2  # the revisions, the site information and the page's end
    assert peak < 8_000_000


def test_progress_is_reported_on_long_imports(tmp_path, db):
    pages = [
        Page(f"Topic {n}", [Rev(n, "2005-01-01T00:00:00Z", f"Text {n}.", user="Ola")], id=n)
        for n in range(1, 41)
    ]
    out = run_import(tmp_path, dump(pages), "--batch-size", "5")
    assert "  40 pages, 40 revisions (" in out  # the progress line, at the end of each file
    assert "Imported 40 revisions of 40 articles" in out


def test_an_older_dump_after_a_newer_one_is_refused_not_made_current(tmp_path, db):
    later = scurvy()
    later.revisions.append(Rev(103, "2010-01-05T10:00:00Z", "Newest text.", user="Ola Berg"))
    run_import(tmp_path, dump([Page("Scurvy", [later.revisions[-1]], id=7)]), name="new.xml")
    out = run_import(tmp_path, dump([scurvy()]), name="old.xml")
    assert "2 revisions are older than the article's current one (2010-01-05 10:00)" in out
    assert Article.objects.get(title="Scurvy").source.strip() == "Newest text."


def test_an_imported_wiki_exports_back_as_mediawiki_xml_with_its_redirects_and_authors(
    tmp_path, db
):
    redirect = Page(
        "Vitamin C deficiency",
        [Rev(201, "2005-01-01T00:00:00Z", "#REDIRECT [[Scurvy]]", user="Mara Lind")],
        id=8,
    )
    run_import(tmp_path, dump([scurvy(), redirect]))
    out = tmp_path / "out.xml"
    call_command("export", "--format", "mediawiki", "--output", str(out))
    pages = {
        page.findtext("{*}title"): page
        for page in ET.parse(out).iter("{http://www.mediawiki.org/xml/export-0.11/}page")
    }
    assert (
        pages["Vitamin C deficiency"]
        .findtext("{*}revision/{*}text")
        .startswith("#REDIRECT [[Scurvy]]")
    )
    revisions = pages["Scurvy"].findall("{*}revision")
    assert [r.findtext("{*}timestamp") for r in revisions] == [
        "2004-04-16T12:00:00Z",
        "2006-09-01T08:30:00Z",
    ]
    assert revisions[1].findtext("{*}contributor/{*}ip") == "192.0.2.44"
    assert "'''Scurvy'''" in revisions[1].findtext("{*}text")


def test_the_report_lists_per_page_what_was_not_converted(tmp_path, db, client):
    page = Page(
        "Gout",
        [Rev(801, "2005-01-01T00:00:00Z", "Joints ache.{{Our house box|a|b=c}}", user="Ola")],
        id=14,
    )
    out = run_import(tmp_path, dump([scurvy(), page]), "--report")
    assert "Not converted: 1 constructs on 1 pages" in out
    assert "Gout: template: Our house box ×1" in out
    shown = client.get("/wiki/Gout").content.decode()
    assert "Our house box" in shown and "{{" not in shown  # kept visibly, not as wikitext


def test_dumps_of_one_wiki_without_site_information_are_told_apart_by_site(tmp_path, db):
    text = dump([scurvy()]).replace("<dbname>testwiki</dbname>", "")
    text = text.replace("<base>http://test.example.org/wiki/Main_Page</base>", "")
    run_import(tmp_path, text, "--site", "medwiki")
    again = run_import(tmp_path, text, "--site", "medwiki")
    assert "2 revisions were already here" in again
    assert set(Revision.objects.values_list("origin", flat=True)) == {"medwiki#101", "medwiki#102"}


def test_each_revision_keeps_its_own_id_in_the_wiki_it_came_from(tmp_path, db):
    """The user's <id> inside <contributor> is not the revision's."""
    run_import(tmp_path, dump([scurvy()]))
    origins = Revision.objects.order_by("pk").values_list("origin", flat=True)
    assert list(origins) == ["testwiki#101", "testwiki#102"]


def test_a_folder_of_files_becomes_media_pages_with_what_their_pages_say(
    tmp_path, db, client, settings
):
    from PIL import Image

    from wiki.media.models import MediaFile

    settings.MEDIA_ROOT = tmp_path / "media-root"
    files = tmp_path / "files"
    files.mkdir()
    for name, colour in (
        ("Scurvy gums.jpg", (200, 60, 60)),
        ("Lime.png", (60, 200, 60)),
        ("Unknown.png", (1, 2, 3)),
    ):
        Image.new("RGB", (400, 300), colour).save(files / name)
    described = (
        "{{Information|description=Bleeding gums in [[scurvy]]|source=https://example.org/g"
        "|author=Dr A. Lind|date=1753-05-20}}\n== Licensing ==\n{{self|cc-by-sa-3.0}}"
    )
    text = dump(
        [
            scurvy(),
            Page(
                "File:Scurvy gums.jpg",
                [Rev(90, "2010-01-01T00:00:00Z", described, user="Up")],
                ns=6,
                id=9,
            ),
            Page(
                "File:Lime.png",
                [
                    Rev(
                        91,
                        "2010-01-01T00:00:00Z",
                        "{{Information|description=A lime|author=A grower}} {{PD-self}}",
                    )
                ],
                ns=6,
                id=10,
            ),
        ],
        site=Site(namespaces={0: "", 6: "File"}),
    )
    path = tmp_path / "dump.xml"
    path.write_text(text)
    out = io.StringIO()
    err = io.StringIO()
    call_command("import_mediawiki", str(path), files_folder=str(files), stdout=out, stderr=err)
    assert "Files: 2 imported, 0 already here, 1 not imported." in out.getvalue()
    assert "Unknown.png: no license on its page; give --files-license" in err.getvalue()
    gums = MediaFile.objects.get(name="Scurvy gums.jpg")
    assert (gums.author, gums.license, gums.source_url) == (
        "Dr A. Lind",
        "cc-by-sa-3.0",
        "https://example.org/g",
    )
    assert gums.description == "Bleeding gums in scurvy" and str(gums.date) == "1753-05-20"
    assert MediaFile.objects.get(name="Lime.png").license == "public-domain"
    # Again, with a default license and author for files whose pages name none.
    call_command(
        "import_mediawiki",
        str(path),
        files_folder=str(files),
        files_license="cc0",
        files_author="The wiki's editors",
        stdout=out,
        stderr=err,
    )
    assert "Files: 1 imported, 2 already here, 0 not imported." in out.getvalue()
    assert MediaFile.objects.get(name="Unknown.png").author == "The wiki's editors"
    page = client.get("/wiki/File:Scurvy_gums.jpg").content.decode()
    assert "Dr A. Lind" in page and "CC BY-SA 3.0" in page
