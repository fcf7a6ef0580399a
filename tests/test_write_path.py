"""One save of an article = one django-reversion revision holding the article and its sections."""

import pytest
from reversion.models import Version

from wiki.models import Article, Revision, Section
from wiki.services import ArticleEdit, EditConflict, article_save
from wiki.snapshots import load_snapshot

from .conftest import SAMPLE_SOURCE, save


def test_creating_an_article_records_one_revision_with_all_sections(make_article, editor):
    article = make_article(user=editor, summary="First version")
    revisions = Revision.objects.filter(article=article)
    assert revisions.count() == 1
    rev = revisions.get()
    assert (rev.user, rev.summary, rev.kind, rev.section) == (
        editor,
        "First version",
        "create",
        None,
    )
    assert rev.size == len(SAMPLE_SOURCE.encode()) and rev.size_delta == rev.size
    versions = Version.objects.filter(revision_id=rev.pk)
    assert versions.get_for_model(Article).count() == 1
    assert versions.get_for_model(Section).count() == 4
    assert article.source == SAMPLE_SOURCE


def test_each_save_adds_exactly_one_revision_with_its_metadata(make_article, editor):
    article = make_article(user=editor)
    result = save(
        article,
        editor,
        SAMPLE_SOURCE.replace("Rest helps.", "Rest and fluids help."),
        summary="Treatment detail",
        minor=True,
    )
    rev = result.revision
    assert Revision.objects.filter(article=article).count() == 2
    assert (rev.summary, rev.minor, rev.kind) == ("Treatment detail", True, "edit")
    assert rev.size_delta == len(" and fluids") + len("help") - len("helps")
    assert rev.parent_id == Revision.objects.filter(article=article).last().pk
    assert article.latest_revision_id == rev.pk


def test_an_unchanged_save_records_nothing(make_article, editor):
    article = make_article(user=editor)
    result = save(article, editor, SAMPLE_SOURCE)
    assert result.unchanged and Revision.objects.filter(article=article).count() == 1


def test_saving_one_section_records_which_section(make_article, editor):
    article = make_article(user=editor)
    result = save(article, editor, "## Causes\n\nGenes, probably.\n", section=2)
    assert (result.revision.section, result.revision.section_heading) == (2, "Causes")
    article.refresh_from_db()
    assert "Genes, probably." in article.source and "Rest helps." in article.source


def test_saving_the_source_resplits_it_into_sections(make_article, editor):
    article = make_article(user=editor)
    save(article, editor, "New lead.\n\n## Only\n\nOne section now.\n")
    assert list(article.sections.values_list("heading", flat=True)) == ["Only"]


def test_every_revision_stores_a_full_snapshot_with_rendered_html(make_article, editor):
    article = make_article(user=editor)
    first = article.latest_revision_id
    save(article, editor, SAMPLE_SOURCE.replace("tiredness", "fatigue"))
    old = load_snapshot(first)
    assert old.source == SAMPLE_SOURCE
    assert "tiredness" in old.sections[0].html


def test_a_stale_base_with_overlapping_changes_is_a_conflict(make_article, editor, other_editor):
    article = make_article(user=editor)
    base = article.latest_revision_id
    save(article, other_editor, SAMPLE_SOURCE.replace("Rest helps.", "Sleep helps."))
    with pytest.raises(EditConflict) as caught:
        article_save(
            article=article,
            edit=ArticleEdit(
                user=editor,
                base_revision=base,
                text=SAMPLE_SOURCE.replace("Rest helps.", "Water helps."),
            ),
        )
    assert "Water helps." in caught.value.your_source
    assert "Sleep helps." in caught.value.current_source
    assert Revision.objects.filter(article=article).count() == 2


def test_a_stale_base_with_separate_changes_merges(make_article, editor, other_editor):
    article = make_article(user=editor)
    base = article.latest_revision_id
    save(article, other_editor, SAMPLE_SOURCE.replace("Rest helps.", "Sleep helps."))
    result = article_save(
        article=article,
        edit=ArticleEdit(
            user=editor,
            base_revision=base,
            section=1,
            text="## Symptoms\n\nPeople report fatigue.\n",
        ),
    )
    assert result.merged
    article.refresh_from_db()
    assert "Sleep helps." in article.source and "People report fatigue." in article.source


def test_credits_follow_first_contribution_and_keep_credentials(make_article, editor, other_editor):
    editor_profile_name = "Edna Marsh"
    article = make_article(user=editor)
    save(article, other_editor, SAMPLE_SOURCE + "\nMore.\n")
    save(article, editor, SAMPLE_SOURCE + "\nEven more.\n")
    names = [c.contributor.name for c in article.credits.select_related("contributor")]
    assert names == [editor_profile_name, "otto"]
