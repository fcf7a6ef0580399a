"""Starter templates: creating an article offers a skeleton for its kind of page (condition,
drug, procedure), each the editable page `Template:Starter/<Kind>`; picking one fills the
editor, `{{{title}}}` becoming the new article's title. Shipped by migration 0025."""

import pytest

from tests.conftest import save
from wiki.models import Article
from wiki.services import ArticleEdit, article_save
from wiki.transclusion.shipping import ship_templates
from wiki.transclusion.starters import starter_kinds, starters_ship

pytestmark = pytest.mark.django_db


@pytest.fixture
def starters(db):
    return starters_ship()


def create_page(client, slug="Cluster_headache", **params):
    return client.get(f"/wiki/{slug}/edit", params)


class Applied:  # migration 0025 in migrate's plan, as post_migrate sends it
    app_label, name = "wiki", "0025_starter_templates"


def test_the_migration_ships_three_protected_starters_once(db, settings):
    settings.WIKI_SHIP_TEMPLATES = True
    ship_templates(plan=[(Applied(), False)])
    ship_templates(plan=[(Applied(), False)])  # again: nothing twice
    shipped = Article.objects.filter(title__startswith="Template:Starter/")
    assert sorted(shipped.values_list("title", flat=True)) == [
        "Template:Starter/Condition",
        "Template:Starter/Drug",
        "Template:Starter/Procedure",
    ]
    assert all(a.is_protected and a.revisions.count() == 1 for a in shipped)
    settings.WIKI_SHIP_TEMPLATES = False
    Article.objects.filter(title__startswith="Template:Starter/").delete()
    ship_templates(plan=[(Applied(), False)])
    assert not Article.objects.filter(title__startswith="Template:Starter/").exists()


def test_creating_an_article_offers_each_starter(editor_client, starters):
    page = create_page(editor_client).content.decode()
    assert "Start from a skeleton" in page
    for kind in ("Condition", "Drug", "Procedure"):
        assert f'name="starter" value="{kind}"' in page


def test_choosing_a_starter_fills_the_editor_with_the_skeleton(editor_client, starters):
    page = create_page(editor_client, starter="Condition").content.decode()
    assert "::: infobox medical condition\nName: Cluster headache\n" in page
    assert "**Cluster headache** is a condition" in page
    for heading in ("Signs and symptoms", "Causes", "Diagnosis", "Treatment", "References"):
        assert f"## {heading}" in page
    assert 'aria-pressed="true"' in page and "Condition skeleton" in page
    drug = create_page(editor_client, slug="Sumatriptan", starter="Drug").content.decode()
    assert "::: infobox drug\nName: Sumatriptan\n" in drug and "## Side effects" in drug
    unknown = create_page(editor_client, starter="Nonsense").content.decode()
    assert "**Cluster headache**" not in unknown  # a blank page, the choice still offered
    assert 'name="starter" value="Drug"' in unknown


def test_the_skeleton_saves_as_an_article_with_its_sections(editor_client, starters):
    page = create_page(editor_client, starter="Condition")
    text = (
        page.context["form"]
        .initial["text"]
        .replace("is a condition in which …", "is a primary headache disorder.")
    )
    response = editor_client.post(
        "/wiki/Cluster_headache/edit",
        {"title": "Cluster headache", "text": text, "summary": "New"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(title="Cluster headache")
    assert [s.heading for s in article.ordered_sections][:4] == [
        "Signs and symptoms",
        "Causes",
        "Diagnosis",
        "Treatment",
    ]
    shown = editor_client.get("/wiki/Cluster_headache").content.decode()
    assert 'class="infobox"' in shown and "primary headache disorder" in shown


def test_an_administrator_edits_a_starter_and_adds_another(
    client, editor_client, administrator, starters
):
    condition = Article.objects.get(title="Template:Starter/Condition")
    save(condition, administrator, condition.source.replace("## Prognosis", "## Outlook"))
    text = (
        "**{{{title}}}** is a part of the body.\n\n## Structure\n\n## Function\n\n"
        '```templatedata\n{"description": "A body part."}\n```\n'
    )
    article_save(
        article=Article(title="Template:Starter/Anatomy"),
        edit=ArticleEdit(text=text, base_revision=None, user=administrator),
    )
    assert starter_kinds() == ["Anatomy", "Condition", "Drug", "Procedure"]
    assert "## Outlook" in create_page(editor_client, starter="Condition").content.decode()
    anatomy = create_page(editor_client, slug="Pineal_gland", starter="Anatomy")
    text = anatomy.context["form"].initial["text"]
    assert text.startswith("**Pineal gland** is a part of the body.")
    assert "templatedata" not in text  # the starter's documentation stays on its page


def test_a_starter_is_protected_from_editors(editor_client, starters):
    condition = Article.objects.get(title="Template:Starter/Condition")
    response = editor_client.post(
        "/wiki/Template:Starter/Condition/edit",
        {"text": "Vandalised.\n", "base_revision": condition.latest_revision_id},
    )
    assert response.status_code == 403
    condition.refresh_from_db()
    assert "infobox medical condition" in condition.source


def test_no_choice_when_editing_an_existing_article(editor_client, make_article, starters):
    make_article(title="Migraine")
    assert "Start from a skeleton" not in editor_client.get("/wiki/Migraine/edit").content.decode()
