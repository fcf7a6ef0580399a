"""Contributors compare two revisions section by section, word by word."""

import time

import pytest

from wiki.history.diff import diff_snapshots, word_diff
from wiki.models import Revision
from wiki.snapshots import load_snapshot

from .conftest import SAMPLE_SOURCE, save


def diff_url(article, old, new, mode=None):
    url = f"/wiki/{article.slug}/diff?from={old}&to={new}"
    return url + (f"&mode={mode}" if mode else "")


def test_a_changed_word_is_marked_deleted_and_inserted(client, make_article, editor):
    article = make_article(user=editor)
    first = article.latest_revision_id
    second = save(article, editor, SAMPLE_SOURCE.replace("Rest helps.", "Sleep helps.")).revision
    page = client.get(diff_url(article, first, second.pk)).content.decode()
    assert "<del>Rest</del>" in page and "<ins>Sleep</ins>" in page
    assert "Treatment" in page and "section changed" in page
    assert "Symptoms" not in page.split("diff-section")[-1]  # unchanged sections are not listed
    assert "4 sections unchanged" in page  # the lead counts as section 0


def test_inline_mode_shows_deletion_and_insertion_in_one_column(client, make_article, editor):
    article = make_article(user=editor)
    first = article.latest_revision_id
    second = save(article, editor, SAMPLE_SOURCE.replace("Rest helps.", "Sleep helps.")).revision
    page = client.get(diff_url(article, first, second.pk, "inline")).content.decode()
    assert (
        '<p class="diff-row diff-row--changed"><del>Rest</del><ins>Sleep</ins> helps.</p>' in page
    )
    side = client.get(diff_url(article, first, second.pk, "side")).content.decode()
    assert '<td class="diff-old"><del>Rest</del> helps.</td>' in side
    assert '<td class="diff-new"><ins>Sleep</ins> helps.</td>' in side


def test_added_removed_and_moved_sections_are_named_as_such(client, make_article, editor):
    article = make_article(user=editor)
    first = article.latest_revision_id
    reordered = (
        "Sample condition is a made-up disorder used in tests. "
        "It is related to [[Other condition]].\n\n"
        "## Treatment\n\nRest helps.\n\n"
        "## Symptoms\n\nPeople report tiredness and a mild rash.\n\n"
        "## Outlook\n\nMost people recover.\n\n"
        "## See also\n\n* [[Other condition]]\n"
    )
    second = save(article, editor, reordered).revision
    diff = diff_snapshots(load_snapshot(first), load_snapshot(second.pk))
    states = {(s.label, s.status, s.moved) for s in diff.changed}
    assert ("Outlook", "added", False) in states
    assert ("Causes", "removed", False) in states
    assert ("Treatment", "unchanged", True) in states
    page = client.get(diff_url(article, first, second.pk)).content.decode()
    assert "section added" in page and "section removed" in page and "section moved" in page
    assert "<ins>Most people recover.</ins>" in page
    assert "<del>Nobody knows the causes.</del>" in page


def test_a_renamed_heading_with_the_same_body_is_one_changed_section():
    from wiki.snapshots import ArticleSnapshot, SectionSnapshot

    old = ArticleSnapshot(
        1, 1, "T", "Lead.\n", "", "", [], "", [SectionSnapshot(1, "Cause", 2, "\nStress.\n")]
    )
    new = ArticleSnapshot(
        2, 1, "T", "Lead.\n", "", "", [], "", [SectionSnapshot(1, "Causes", 2, "\nStress.\n")]
    )
    [section] = diff_snapshots(old, new).changed
    assert (
        section.status == "changed"
        and section.rows[0].inline == "## <del>Cause</del><ins>Causes</ins>"
    )


def test_user_text_is_escaped_before_markup_is_added(client, make_article, editor):
    article = make_article(user=editor, source="Plain lead.\n")
    first = article.latest_revision_id
    second = save(article, editor, 'Plain lead <script>alert("x")</script> & more.\n').revision
    page = client.get(diff_url(article, first, second.pk)).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    old, new, inline = word_diff("a <b>", "a <i>")
    assert new == "a &lt;<ins>i</ins>&gt;" and "<b>" not in inline


def test_unchanged_paragraphs_far_from_a_change_are_collapsed(client, make_article, editor):
    body = "".join(f"Paragraph number {n} of the lead.\n\n" for n in range(8))
    article = make_article(user=editor, source=body)
    first = article.latest_revision_id
    second = save(article, editor, body.replace("number 7", "number seven")).revision
    page = client.get(diff_url(article, first, second.pk)).content.decode()
    assert "6 unchanged paragraphs" in page
    assert "Paragraph number 6" in page and "Paragraph number 2" not in page


def test_revisions_given_newest_first_are_shown_oldest_on_the_left(client, make_article, editor):
    article = make_article(user=editor)
    first = article.latest_revision_id
    second = save(article, editor, SAMPLE_SOURCE.replace("Rest helps.", "Sleep helps.")).revision
    page = client.get(diff_url(article, second.pk, first)).content.decode()
    assert "<del>Rest</del>" in page and "<ins>Sleep</ins>" in page


def test_only_to_compares_with_the_previous_revision(client, make_article, editor):
    article = make_article(user=editor)
    second = save(article, editor, SAMPLE_SOURCE.replace("Rest helps.", "Sleep helps.")).revision
    page = client.get(f"/wiki/Sample_condition/diff?to={second.pk}").content.decode()
    assert "<ins>Sleep</ins>" in page


@pytest.mark.parametrize("query", ["from=abc&to=1", "to=", "from=1&to=1x"])
def test_malformed_revision_numbers_are_a_bad_request(client, make_article, query):
    make_article()
    response = client.get(f"/wiki/Sample_condition/diff?{query}")
    assert response.status_code == 400
    assert "Compare two revisions by number" in response.content.decode()


def test_revisions_of_another_article_are_not_found(client, make_article):
    article = make_article()
    other = make_article(title="Other condition", source="Other.\n")
    response = client.get(diff_url(article, article.latest_revision_id, other.latest_revision_id))
    assert response.status_code == 404


def test_a_long_article_diffs_by_its_changed_sections(make_article, editor):
    """Only the two changed sections of 300 are diffed word by word. The time is a safety net
    against a diff that grows with the square of the article (seconds), not a measurement:
    `make bench-history` times the diff pages."""
    sections = "".join(
        f"## Part {n}\n\n"
        + "".join(f"Sentence {k} of part {n} says something. " for k in range(40))
        + "\n\nA second paragraph here.\n\n"
        for n in range(300)
    )
    article = make_article(user=editor, source="Lead.\n\n" + sections)
    first = article.latest_revision_id
    changed = sections.replace("Sentence 3 of part 150", "Phrase 3 of part 150").replace(
        "## Part 10\n", "## Part ten\n"
    )
    second = save(article, editor, "Lead.\n\n" + changed).revision
    old, new = load_snapshot(first), load_snapshot(second.pk)
    started = time.perf_counter()
    diff = diff_snapshots(old, new)
    elapsed = time.perf_counter() - started
    assert {s.label for s in diff.changed} == {"Part 150", "Part ten"}
    assert elapsed < 5, elapsed


@pytest.mark.parametrize("revisions", [3, 30])
def test_the_diff_page_makes_a_constant_number_of_queries(
    client, make_article, editor, django_assert_max_num_queries, revisions
):
    article = make_article(user=editor)
    for n in range(revisions - 1):
        save(article, editor, SAMPLE_SOURCE + f"\nEdit {n}.\n")
    newest, *_, first = Revision.objects.filter(article=article)
    with django_assert_max_num_queries(5):
        assert client.get(diff_url(article, first.pk, newest.pk)).status_code == 200


def test_editing_one_section_shows_only_that_section_changed_in_the_diff(
    editor_client, client, make_article, editor
):
    article = make_article(user=editor)
    first = article.latest_revision_id
    # As a browser sends it: CRLF newlines, no blank line after the text.
    response = editor_client.post(
        f"/wiki/{article.slug}/edit?section=2",
        {"text": "## Causes\r\n\r\nNobody knows what causes it.", "base_revision": first},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    diff = diff_snapshots(load_snapshot(first), load_snapshot(article.latest_revision_id))
    assert [(s.label, s.status) for s in diff.changed] == [("Causes", "changed")]
    page = client.get(diff_url(article, first, article.latest_revision_id)).content.decode()
    assert page.count("section changed") == 1 and "4 sections unchanged" in page


def test_blank_lines_kept_by_revisions_stored_before_canonical_sources_are_no_change(
    make_article, editor
):
    import json

    from reversion.models import Version

    article = make_article(user=editor)
    old = article.latest_revision_id
    # A revision saved by the earlier split kept the separating blank line in each body.
    for version in Version.objects.filter(revision_id=old):
        [obj] = json.loads(version.serialized_data)
        if obj["model"] == "wiki.section":
            obj["fields"]["body"] += "\n"
            version.serialized_data = json.dumps([obj])
            version.save()
    new = save(article, editor, SAMPLE_SOURCE.replace("Rest helps.", "Sleep helps.")).revision
    diff = diff_snapshots(load_snapshot(old), load_snapshot(new.pk))
    assert [(s.label, s.status) for s in diff.changed] == [("Treatment", "changed")]
