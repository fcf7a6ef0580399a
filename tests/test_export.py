"""Export: a site can leave as easily as it came. Markdown that import_markdown reads back to
the same articles, JSON with every revision, and MediaWiki XML that MediaWiki itself imports."""

import io
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import lxml.html
import pytest
import yaml
from django.core.management import CommandError, call_command
from django.test import override_settings
from lxml import etree
from reversion.models import Revision as StoredRevision

from wiki.exporting import exported, file_base, stored_html
from wiki.markdown_import import parse_markdown_file
from wiki.mediawiki.dump_export import mediawiki_sha1
from wiki.mediawiki.markdown_to_wikitext import html_to_wikitext, markdown_to_wikitext
from wiki.models import Article, Category, Contributor, Credit, Revision
from wiki.services import ArticleEdit, article_save
from wiki.snapshots import load_snapshots

from .conftest import save

MW = "{http://www.mediawiki.org/xml/export-0.11/}"

FIRST_DRAFT = """\
Morning stiffness is a feeling of tight joints after waking.

## Causes

Inflammation of the joints is the usual cause.
"""

FULL_TEXT = """\
Morning stiffness is a feeling of **tight joints** after waking, common in
[[Rheumatoid arthritis|inflammatory arthritis]] and in [[Osteoarthritis]].[^long]

## Causes

Inflammation of the joints is the usual cause. See the [overview](https://example.org/joints).

## Measuring it

| Measure | Typical value |
|:--------|--------------:|
| Minutes stiff | 30 |
| Joints | *several* |

Term
:   A word defined here.

```
score = minutes * joints
```

## See also

* [[Osteoarthritis]]
* [[Joint pain]]

[^long]: Stiffness lasting over an hour points to inflammation.
"""


@pytest.fixture
def wiki_content(db, editor, other_editor):
    """Articles made through the write path: several revisions, sections, categories, a
    footnote, a table, wiki links, an imported IP author, a redirect, awkward titles."""
    stiffness = article_save(
        article=Article(title="Morning stiffness"),
        edit=ArticleEdit(
            text=FIRST_DRAFT,
            base_revision=None,
            user=editor,
            summary="New article",
            categories=["Symptoms"],
        ),
    ).article
    save(stiffness, other_editor, FULL_TEXT, summary="Expanded", categories=["Symptoms", "Joints"])
    save(stiffness, editor, FULL_TEXT.replace("usual cause", "most common cause"), minor=True)
    anonymous = Contributor.objects.create(name="192.0.2.44")
    imported = Contributor.objects.create(name="Dana Quill", credentials="MD")
    osteo = article_save(
        article=Article(title="Osteoarthritis"),
        edit=ArticleEdit(
            text="Osteoarthritis is wear of the cartilage in joints.\n",
            base_revision=None,
            summary="Imported",
            kind=Revision.Kind.IMPORT,
            imported_credits=[imported, anonymous],
            categories=["Joints"],
        ),
    ).article
    # An imported revision by an IP author, as the MediaWiki importer records one.
    last = save(osteo, None, "Osteoarthritis is wear of the cartilage in joints.\n\nIt is slow.\n")
    Revision.objects.filter(pk=last.revision.pk).update(contributor=anonymous)
    redirect = article_save(
        article=Article(title="Early morning stiffness", redirect_to=stiffness),
        edit=ArticleEdit(text="Early morning stiffness\n", base_revision=None, user=editor),
    ).article
    awkward = {}
    for title in ["AC/DC joint", "What is gout?", "Gout: a history", "Über Gelenke", "GOUT"]:
        awkward[title] = article_save(
            article=Article(title=title),
            edit=ArticleEdit(text=f"Text of {title}.\n", base_revision=None, user=editor),
        ).article
    return {"stiffness": stiffness, "osteo": osteo, "redirect": redirect, **awkward}


def current_state():
    """What a reader sees of every article: source, categories, credited names."""
    return {
        a.title: (
            a.source,
            sorted(a.categories.values_list("name", flat=True)),
            sorted(
                (c.contributor.name, c.contributor.credentials)
                for c in Credit.objects.filter(article=a).select_related("contributor")
            ),
            a.redirect_to.title if a.redirect_to_id else None,
        )
        for a in Article.objects.select_related("redirect_to")
    }


def empty_the_wiki():
    Article.objects.all().delete()
    Revision.objects.all().delete()
    StoredRevision.objects.all().delete()
    Contributor.objects.all().delete()
    Category.objects.all().delete()
    assert not Article.objects.exists()


# Markdown ---------------------------------------------------------------------------------


def test_markdown_export_imports_back_into_an_empty_wiki_with_the_same_articles(
    wiki_content, tmp_path
):
    before = current_state()
    call_command("export", "--format", "markdown", "--output", str(tmp_path), verbosity=0)
    empty_the_wiki()
    call_command("import_markdown", str(tmp_path), verbosity=0)
    assert current_state() == before


def test_markdown_export_keeps_every_revision_in_history_files_the_importer_skips(
    wiki_content, tmp_path
):
    call_command("export", "--output", str(tmp_path), verbosity=0)
    stiffness = wiki_content["stiffness"]
    files = sorted((tmp_path / "history" / file_base(stiffness.title)).iterdir())
    ids = list(
        Revision.objects.filter(article=stiffness).order_by("pk").values_list("pk", flat=True)
    )
    assert [int(f.stem) for f in files] == ids
    first = yaml.safe_load(files[0].read_text().split("---\n")[1])
    assert first["summary"] == "New article"
    assert first["author"] == "Edna Marsh"
    assert first["categories"] == ["Symptoms"]
    assert files[0].read_text().endswith(FIRST_DRAFT)
    last = yaml.safe_load(files[-1].read_text().split("---\n")[1])
    assert last["minor"] is True and last["parent"] == ids[-2]
    assert not list(tmp_path.glob("history/**/*.md"))  # nothing the importer takes for articles


def test_awkward_titles_get_distinct_safe_file_names(wiki_content, tmp_path):
    call_command("export", "--output", str(tmp_path), "--current-only", verbosity=0)
    names = [p.name for p in tmp_path.glob("*.md")]
    assert len(names) == Article.objects.count()
    assert len({n.lower() for n in names}) == len(names)  # also on case-insensitive disks
    for name in names:
        assert name.isascii() and not set(name) & set('/\\:?*"<>|')
    assert "Morning_stiffness.md" in names
    assert file_base("GOUT") != file_base("Gout")


def test_exporting_chosen_titles_and_a_missing_title(wiki_content, tmp_path):
    call_command(
        "export", "What is gout?", "osteoarthritis", "--output", str(tmp_path), verbosity=0
    )
    titles = {parse_markdown_file(p.read_text()).title for p in tmp_path.glob("*.md")}
    assert titles == {"What is gout?", "Osteoarthritis"}
    with pytest.raises(CommandError, match="No article has these titles: No such thing"):
        call_command("export", "No such thing", "--output", str(tmp_path / "x"), verbosity=0)
    with pytest.raises(CommandError, match="No such thing"):
        call_command("export", "Osteoarthritis", "No such thing", "--format", "json", "--output",
                     str(tmp_path / "x.json"), verbosity=0)  # fmt: skip
    assert not (tmp_path / "x.json").exists() and not (tmp_path / "x").exists()


def test_json_and_xml_go_to_standard_output_without_output(wiki_content):
    out = io.StringIO()
    call_command("export", "Osteoarthritis", "--format", "json", stdout=out, verbosity=0)
    assert [a["title"] for a in json.loads(out.getvalue())["articles"]] == ["Osteoarthritis"]
    out = io.StringIO()
    call_command("export", "--format", "mediawiki", "--current-only", stdout=out, verbosity=0)
    root = parse_xml(out.getvalue().encode())
    assert len(root.findall(f".//{MW}revision")) == Article.objects.count()


def test_a_source_starting_with_a_title_heading_comes_back_whole(db, tmp_path):
    source = "# Top heading\n\nBody under it.\n"
    article_save(
        article=Article(title="Heading first"), edit=ArticleEdit(text=source, base_revision=None)
    )
    call_command("export", "--output", str(tmp_path), verbosity=0)
    empty_the_wiki()
    call_command("import_markdown", str(tmp_path), verbosity=0)
    assert Article.objects.get(title="Heading first").source == source


# JSON -------------------------------------------------------------------------------------


def test_json_export_has_every_article_and_revision(wiki_content, tmp_path):
    out = tmp_path / "wiki.json"
    call_command("export", "--format", "json", "--output", str(out), verbosity=0)
    document = json.loads(out.read_text())
    assert document["site"]["name"]
    assert document["exported_at"].endswith("Z")
    by_title = {a["title"]: a for a in document["articles"]}
    assert set(by_title) == set(Article.objects.values_list("title", flat=True))
    exported = [r for a in document["articles"] for r in a["revisions"]]
    assert sorted(r["id"] for r in exported) == sorted(
        Revision.objects.values_list("pk", flat=True)
    )
    stiffness = by_title["Morning stiffness"]
    assert stiffness["categories"] == ["Joints", "Symptoms"]
    assert [r["summary"] for r in stiffness["revisions"]] == ["New article", "Expanded", ""]
    assert stiffness["revisions"][0]["source"] == FIRST_DRAFT
    assert stiffness["revisions"][-1]["minor"] is True
    assert stiffness["revisions"][1]["parent"] == stiffness["revisions"][0]["id"]
    assert stiffness["revisions"][0]["timestamp"].endswith("Z")
    assert stiffness["source"] == wiki_content["stiffness"].source
    osteo = by_title["Osteoarthritis"]
    assert osteo["revisions"][-1]["ip"] == "192.0.2.44"
    assert osteo["revisions"][-1]["author"] is None
    assert {c["name"] for c in osteo["credits"]} == {"Dana Quill", "192.0.2.44"}
    assert by_title["Early morning stiffness"]["redirect_to"] == "Morning stiffness"


def test_small_reading_chunks_still_export_everything(wiki_content, tmp_path, monkeypatch):
    """Articles and revisions are read a chunk at a time: chunk edges lose nothing."""
    monkeypatch.setattr(exported, "ARTICLE_CHUNK", 2)
    monkeypatch.setattr(exported, "REVISION_CHUNK", 1)
    out = tmp_path / "wiki.json"
    call_command("export", "--format", "json", "--output", str(out), verbosity=0)
    document = json.loads(out.read_text())
    assert sorted(a["id"] for a in document["articles"]) == sorted(
        Article.objects.values_list("pk", flat=True)
    )
    revision_ids = [r["id"] for a in document["articles"] for r in a["revisions"]]
    assert sorted(revision_ids) == sorted(Revision.objects.values_list("pk", flat=True))


# MediaWiki XML ----------------------------------------------------------------------------


def parse_xml(data: bytes):
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False))


def test_mediawiki_export_is_well_formed_with_every_revision_and_true_sha1s(wiki_content, tmp_path):
    out = tmp_path / "wiki.xml"
    call_command("export", "--format", "mediawiki", "--output", str(out), verbosity=0)
    root = parse_xml(out.read_bytes())
    assert root.tag == f"{MW}mediawiki" and root.get("version") == "0.11"
    assert root.find(f"{MW}siteinfo/{MW}namespaces/{MW}namespace[@key='0']") is not None
    pages = root.findall(f"{MW}page")
    assert len(pages) == Article.objects.count()
    assert len(root.findall(f".//{MW}revision")) == Revision.objects.count()
    for revision in root.iter(f"{MW}revision"):
        text = revision.find(f"{MW}text")
        content = text.text or ""
        assert int(text.get("bytes")) == len(content.encode())
        assert revision.findtext(f"{MW}sha1") == mediawiki_sha1(content)
        assert revision.findtext(f"{MW}model") == "wikitext"
    page = {p.findtext(f"{MW}title"): p for p in pages}
    stiffness = page["Morning stiffness"]
    assert stiffness.findtext(f"{MW}ns") == "0"
    current = stiffness.findall(f"{MW}revision")[-1]
    assert current.find(f"{MW}minor") is not None
    wikitext = current.findtext(f"{MW}text")
    assert "[[Rheumatoid arthritis|inflammatory arthritis]]" in wikitext
    assert "== Causes ==" in wikitext and '{| class="wikitable"' in wikitext
    assert "<ref name=" in wikitext and "<references />" in wikitext
    assert "[[Category:Joints]]" in wikitext and "[[Category:Symptoms]]" in wikitext
    first = stiffness.find(f"{MW}revision")
    assert first.find(f"{MW}parentid") is None
    assert first.findtext(f"{MW}contributor/{MW}username") == "Edna Marsh"
    osteo_last = page["Osteoarthritis"].findall(f"{MW}revision")[-1]
    assert osteo_last.findtext(f"{MW}contributor/{MW}ip") == "192.0.2.44"
    assert osteo_last.find(f"{MW}contributor/{MW}username") is None
    redirect = page["Early morning stiffness"]
    assert redirect.find(f"{MW}redirect").get("title") == "Morning stiffness"
    assert redirect.findtext(f"{MW}revision/{MW}text").startswith("#REDIRECT [[Morning stiffness]]")


def test_the_xml_is_written_from_stored_html_as_rendering_the_markdown_again_would(wiki_content):
    snapshots = load_snapshots(Revision.objects.values_list("pk", flat=True))
    assert len(snapshots) == Revision.objects.count()
    for snapshot in snapshots.values():
        html = stored_html(snapshot)
        assert html or not snapshot.source.strip()
        assert html_to_wikitext(html) == markdown_to_wikitext(snapshot.source)


def test_the_sha1_is_mediawikis_base_36_form():
    # sha1("") = da39a3ee…, written by MediaWiki as this 31-digit base-36 number.
    assert mediawiki_sha1("") == "phoiac9h4m842xq45sp7s6u21eteeq1"
    assert len(mediawiki_sha1("Any text")) == 31


# MediaWiki's own importer ---------------------------------------------------------------------

MEDIAWIKI = Path("/usr/share/mediawiki")


def mediawiki_available() -> bool:
    found = shutil.which("php") and (MEDIAWIKI / "maintenance" / "importDump.php").exists()
    if not found and os.environ.get("ENCYCLOPEDIA_REQUIRE_MEDIAWIKI") == "1":
        pytest.fail("ENCYCLOPEDIA_REQUIRE_MEDIAWIKI=1 but php or /usr/share/mediawiki is missing")
    return bool(found)


def php(*args, config: Path):
    """A MediaWiki maintenance script run against the throwaway wiki's settings only: with
    MW_CONFIG_FILE set, install.php does not see a system wiki's LocalSettings.php (the
    benchmark's) and refuse to install."""
    return subprocess.run(
        ["php", *args],
        env={**os.environ, "MW_CONFIG_FILE": str(config)},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


@pytest.fixture
def throwaway_mediawiki(tmp_path):
    """A MediaWiki installed on SQLite in a temporary folder (never the system's own)."""
    if not mediawiki_available():
        pytest.skip("MediaWiki (php, /usr/share/mediawiki) is not installed")
    folder = tmp_path / "mediawiki"
    (folder / "db").mkdir(parents=True)
    php(
        str(MEDIAWIKI / "maintenance" / "install.php"),
        "--dbtype", "sqlite",
        "--dbpath", str(folder / "db"),
        "--dbname", "exporttest",
        "--confpath", str(folder),
        "--server", "http://127.0.0.1",
        "--scriptpath", "",
        "--pass", "Throwaway-pass-9921",
        "ExportTest", "Admin",
        config=folder / "LocalSettings.php",
    )  # fmt: skip
    with open(folder / "LocalSettings.php", "a") as settings_file:
        settings_file.write("\nwfLoadExtension( 'Cite' );\n")  # <ref>, as wikis that cite run
    return folder


def test_mediawiki_imports_the_export_with_every_page_and_revision(
    wiki_content, tmp_path, throwaway_mediawiki
):
    out = tmp_path / "wiki.xml"
    call_command("export", "--format", "mediawiki", "--output", str(out), verbosity=0)
    settings_file = throwaway_mediawiki / "LocalSettings.php"
    result = php(
        str(MEDIAWIKI / "maintenance" / "importDump.php"),
        "--conf",
        str(settings_file),
        str(out),
        config=settings_file,
    )
    assert "Done!" in result.stdout
    db = sqlite3.connect(throwaway_mediawiki / "db" / "exporttest.sqlite")
    [(main_page,)] = db.execute("SELECT page_id FROM page WHERE page_title = 'Main_Page'")
    pages = dict(
        db.execute("SELECT page_title, page_id FROM page WHERE page_id != ?", (main_page,))
    )
    assert set(pages) == {a.slug for a in Article.objects.all()}
    stored = [
        s for (s,) in db.execute("SELECT rev_sha1 FROM revision WHERE rev_page != ?", (main_page,))
    ]
    root = parse_xml(out.read_bytes())
    ours = [r.findtext(f"{MW}sha1") for r in root.iter(f"{MW}revision")]
    assert len(stored) == Revision.objects.count()
    assert sorted(stored) == sorted(ours)  # every text arrived as we wrote it
    categories = set(db.execute("SELECT cl_to, cl_from FROM categorylinks"))
    assert ("Joints", pages["Morning_stiffness"]) in categories
    assert ("Symptoms", pages["Morning_stiffness"]) in categories
    assert list(db.execute("SELECT rd_from, rd_title FROM redirect")) == [
        (pages["Early_morning_stiffness"], "Morning_stiffness")
    ]
    assert ("192.0.2.44",) in set(db.execute("SELECT actor_name FROM actor"))


def test_mediawiki_renders_the_converted_wikitext_as_we_render_the_markdown(throwaway_mediawiki):
    """MediaWiki's own parser reads our wikitext: the constructs arrive as the same HTML, and
    text that looks like wikitext stays text."""
    literal = "Literal {{template}}, [[not a link, ~~~~, a|b and http://example.org/x."
    source = FULL_TEXT + "\n" + literal + "\n\nDose: adults\n:   Once a day.\n"
    wikitext = markdown_to_wikitext(source)
    config = throwaway_mediawiki / "LocalSettings.php"
    parsed = subprocess.run(
        ["php", str(MEDIAWIKI / "maintenance" / "parse.php"), "--conf", str(config)],
        input=wikitext,
        env={**os.environ, "MW_CONFIG_FILE": str(config)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    page = lxml.html.fragment_fromstring(parsed, create_parent="div")
    text = " ".join(page.text_content().split())
    assert literal in text
    assert page.xpath("//b[text()='tight joints']")
    assert page.xpath("//a[@title='Rheumatoid arthritis (page does not exist)']")[0].text == (
        "inflammatory arthritis"
    )
    assert page.xpath("//a[contains(@class, 'external')]/@href") == ["https://example.org/joints"]
    assert [h.text_content() for h in page.xpath("//h2/span[@class='mw-headline']")] == [
        "Causes",
        "Measuring it",
        "See also",
    ]
    cells = [c.text_content().strip() for c in page.xpath("//table[@class='wikitable']//td")]
    assert cells == ["Minutes stiff", "30", "Joints", "several"]
    assert [dt.text for dt in page.xpath("//dl/dt")] == ["Term", "Dose: adults"]
    assert page.xpath("//pre")[0].text == "score = minutes * joints"
    assert [li.text_content() for li in page.xpath("//ul/li")] == ["Osteoarthritis", "Joint pain"]
    [note] = page.xpath("//ol[@class='references']/li")
    assert "Stiffness lasting over an hour points to inflammation." in note.text_content()


# The web: Special:Export and Download source ----------------------------------------------


def test_special_export_gives_the_current_revision_as_mediawiki_xml(client, wiki_content):
    response = client.get("/wiki/Special:Export/Morning_stiffness")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    root = parse_xml(b"".join(response.streaming_content))
    [page] = root.findall(f"{MW}page")
    assert page.findtext(f"{MW}title") == "Morning stiffness"
    [revision] = page.findall(f"{MW}revision")
    assert int(revision.findtext(f"{MW}id")) == wiki_content["stiffness"].latest_revision_id


def test_special_export_with_history_gives_every_revision(client, wiki_content):
    response = client.get("/wiki/Special:Export/What_is_gout%3F?history=1")
    root = parse_xml(b"".join(response.streaming_content))
    assert root.findtext(f"{MW}page/{MW}title") == "What is gout?"
    response = client.get("/wiki/Special:Export/Morning_stiffness?history=1")
    root = parse_xml(b"".join(response.streaming_content))
    assert len(root.findall(f".//{MW}revision")) == 3


def test_special_export_of_a_missing_title_is_404(client, db):
    assert client.get("/wiki/Special:Export/Nothing_here").status_code == 404
    assert client.get("/wiki/Special:Export/Bad[title").status_code == 404


def test_mediawiki_urls_for_the_export_lead_to_it(client, wiki_content):
    response = client.get("/index.php?title=Special:Export/Morning_stiffness&history=1")
    assert response.status_code == 301
    assert response["Location"] == "/wiki/Special:Export/Morning_stiffness?history=1"
    response = client.get("/wiki/Special:export/Morning_stiffness")
    assert response["Location"] == "/wiki/Special:Export/Morning_stiffness"
    response = client.get("/index.php?title=Morning_stiffness&action=raw")
    assert response["Location"] == "/wiki/Morning_stiffness/source"


def test_download_source_gives_the_markdown_file(client, wiki_content):
    response = client.get("/wiki/Morning_stiffness/source")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="Morning_stiffness.md"'
    parsed = parse_markdown_file(response.content.decode())
    assert parsed.title == "Morning stiffness"
    assert parsed.source == wiki_content["stiffness"].source
    assert parsed.categories == ["Joints", "Symptoms"]
    assert client.get("/wiki/No_such_article/source").status_code == 404


def test_download_source_names_a_non_ascii_title_safely(client, wiki_content):
    response = client.get("/wiki/%C3%9Cber_Gelenke/source")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="Uber_Gelenke~')


def test_the_page_tools_offer_the_source_and_the_xml(client, wiki_content):
    page = client.get("/wiki/Morning_stiffness").content.decode()
    assert 'href="/wiki/Morning_stiffness/source"' in page
    assert 'href="/wiki/Special:Export/Morning_stiffness"' in page
    assert 'href="/wiki/Special:Export/Morning_stiffness?history=1"' in page


@override_settings(SITE_NAME="Joint Wiki")
def test_the_site_name_is_in_every_export(client, wiki_content):
    root = parse_xml(b"".join(client.get("/wiki/Special:Export/GOUT").streaming_content))
    assert root.findtext(f"{MW}siteinfo/{MW}sitename") == "Joint Wiki"
