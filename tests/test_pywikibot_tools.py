"""pywikibot's remaining everyday operations, unchanged, against a live server: preloading
pages, new sections, uploads, patrol, FlaggedRevs' review, watching, rollback, comparing
revisions, a page's images, external links and contributors, and the site's lists."""

import random

import pytest
from PIL import Image

from tests.conftest import SAMPLE_SOURCE, make_media, save
from wiki.editorial.models import Patrol
from wiki.media.models import MediaFile
from wiki.models import Article, Revision
from wiki.review.models import Review
from wiki.services import ArticleEdit, article_save
from wiki.translations import translation_link

live = pytest.mark.django_db(transaction=True)


@pytest.fixture
def wiki(history_minutes_apart):
    return history_minutes_apart


@live
def test_pywikibot_preloads_pages(pywikibot, site, wiki):
    pages = [pywikibot.Page(site, t) for t in ("Sample condition", "Other condition", "Nope")]
    loaded = {p.title(): p for p in site.preloadpages(pages)}
    assert sorted(loaded) == ["Nope", "Other condition", "Sample condition"]
    assert not loaded["Nope"].exists()
    assert loaded["Sample condition"].text == wiki.source
    assert loaded["Other condition"].text.strip() == "Compare [[Sample condition]]."


@live
def test_pywikibot_adds_a_new_section(pywikibot, site, wiki, editor):
    site.login()
    page = pywikibot.Page(site, "Sample condition")
    site.editpage(page, summary="Outlook", section="new", sectiontitle="Outlook", text="Good.")
    wiki.refresh_from_db()
    assert wiki.source.rstrip().endswith("## Outlook\n\nGood.")
    assert wiki.latest_revision.user == editor


@live
def test_pywikibot_uploads_a_file_and_reads_its_info(pywikibot, site, wiki, tmp_path):
    site.login()
    path = tmp_path / "knee.png"
    Image.frombytes("RGB", (64, 48), random.Random(3).randbytes(64 * 48 * 3)).save(path)
    file_page = pywikibot.FilePage(site, "File:Knee scan.png")
    assert file_page.upload(str(path), summary="A knee", text="X-ray of a knee, {{cc0}}")
    media = MediaFile.objects.get(slug="Knee_scan.png")
    assert media.description == "X-ray of a knee, {{cc0}}"
    info = pywikibot.FilePage(site, "File:Knee scan.png").latest_file_info
    assert (info.width, info.height) == (64, 48)
    assert [f.title() for f in site.allimages()] == ["File:Knee scan.png"]


@live
def test_pywikibot_patrols_and_reviews_a_change(pywikibot, site, wiki, editor, settings):
    settings.WIKI_STABLE_LEVEL = "checked"  # readers see the checked revision
    site.login()
    change = next(iter(site.recentchanges(total=1, user="Otto")))
    assert list(site.patrol(rcid=change["rcid"])) == [
        {"rcid": change["rcid"], "ns": 0, "title": "Sample condition"}
    ]
    assert Patrol.objects.get(revision_id=change["revid"]).user == editor

    page = pywikibot.Page(site, "Sample condition")
    assert site.stable_revid(page) is None
    site.review_revision(wiki.latest_revision_id, comment="Looks right", flag=1)
    mark = Review.objects.get(revision_id=wiki.latest_revision_id)
    assert (mark.reviewer, mark.level, mark.note) == (editor, "checked", "Looks right")
    assert site.stable_revid(page) == wiki.latest_revision_id


@live
def test_pywikibot_watches_rolls_back_and_compares(pywikibot, site, wiki, editor):
    site.login()
    page = pywikibot.Page(site, "Sample condition")
    assert page.watch()
    before = wiki.latest_revision_id
    site.rollbackpage(page, user="Otto")
    wiki.refresh_from_db()
    assert wiki.latest_revision_id != before and "Rest helps a lot." not in wiki.source
    first = Revision.objects.filter(article=wiki).order_by("pk")[0].pk
    diff = site.compare(first, before)
    assert "Rest helps a lot." in diff


@live
def test_pywikibot_reads_a_pages_images_links_and_contributors(pywikibot, site, wiki, editor):
    media = make_media(editor)
    other = Article.objects.get(title="Other condition")
    save(
        other,
        editor,
        f"Compare [[Sample condition]]. https://pubmed.gov/1\n\n[[File:{media.name}]]\n",
    )
    page = pywikibot.Page(site, "Other condition")
    assert [i.title() for i in page.imagelinks()] == ["File:Chest scan.png"]
    assert list(page.extlinks()) == ["https://pubmed.gov/1"]
    assert page.contributors() == {"Edna Marsh": 2}
    assert list(page.langlinks()) == [] and page.properties() == {}
    spanish = article_save(
        article=Article(title="Otra afección", language="es"),
        edit=ArticleEdit(text="Compárese.\n", base_revision=None, user=editor, summary="Nueva"),
    ).article
    translation_link(other, spanish)
    page = pywikibot.Page(site, "Other condition")
    assert [(link.site.code, link.title) for link in page.langlinks()] == [("es", "Otra afección")]
    assert [p.title() for p in site.exturlusage("pubmed.gov", protocol="https")] == [
        "Other condition"
    ]


@live
def test_pywikibot_lists_users_categories_and_random_pages(pywikibot, site, wiki):
    assert [u["name"] for u in site.allusers()] == ["Edna", "Otto"]
    assert [c.title() for c in site.allcategories()] == ["Category:Rare diseases"]
    drawn = {p.title() for p in site.randompages(total=2)}
    assert drawn <= {"Sample condition", "Other condition"} and drawn


@live
def test_pywikibot_reads_a_categorys_counts_and_the_watched_pages(pywikibot, site, wiki):
    site.login()
    category = pywikibot.Category(site, "Category:Rare diseases")
    assert category.categoryinfo["pages"] == 2 and category.categoryinfo["size"] == 2
    assert pywikibot.Page(site, "Other condition").watch()
    assert [p.title() for p in site.watched_pages()] == ["Other condition"]
    assert pywikibot.User(site, "Edna").groups() == ["*", "user", "editor"]
    assert pywikibot.Page(site, "Other condition").purge()


@live
def test_pywikibot_reads_all_pages_old_versions_and_edit_counts(pywikibot, site, wiki):
    assert [p.title() for p in site.allpages()] == ["Other condition", "Sample condition"]
    page = pywikibot.Page(site, "Sample condition")
    first = Revision.objects.filter(article=wiki).order_by("pk")[0]
    assert page.get_revision(first.pk, content=True).text == SAMPLE_SOURCE
    assert pywikibot.User(site, "Edna").editCount() == 2
    site.login()
    page.touch()  # a null edit: no new revision
    assert Revision.objects.filter(article=wiki).count() == 2
