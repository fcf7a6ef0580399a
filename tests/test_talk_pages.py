"""Talk pages: the discussion of an article, its topics, replies, signatures and history."""

import pytest
from django.urls import reverse

from tests.helpers import sitemap_text
from wiki.editorial.moves import article_move
from wiki.models import Article, Revision
from wiki.services import ArticleEdit, article_save

pytestmark = pytest.mark.django_db


def talk_url(title="Sample condition"):
    return reverse("wiki:article", args=[f"Talk:{title.replace(' ', '_')}"])


def test_the_talk_tab_is_red_until_someone_writes_then_blue(client, make_article, editor_client):
    make_article()
    page = client.get("/wiki/Sample_condition").content.decode()
    assert 'class="talk-tab new"' in page
    response = editor_client.get(talk_url())
    assert response.status_code == 200
    assert "Nobody has started a discussion" in response.content.decode()
    editor_client.post(
        reverse("wiki:talk_topic", args=["Talk:Sample_condition"]),
        {"topic-heading": "Dosage wording", "topic-text": "The dose seems wrong."},
    )
    client.logout()
    page = client.get("/wiki/Sample_condition").content.decode()
    assert 'class="talk-tab"' in page and 'class="talk-tab new"' not in page


def test_a_new_topic_is_a_section_signed_with_name_credentials_and_date(
    editor_client, editor, make_article
):
    make_article()
    editor_client.post(reverse("wiki:profile"), {})  # nothing: the profile is made on save
    response = editor_client.post(
        reverse("wiki:talk_topic", args=["Talk:Sample_condition"]),
        {"topic-heading": "Dosage wording", "topic-text": "The dose seems wrong."},
    )
    assert response.status_code == 302
    editor.contributor.credentials = "MD"
    editor.contributor.save()
    talk = Article.objects.get(title="Talk:Sample condition")
    assert "## Dosage wording" in talk.source
    assert "~~~~" not in talk.source
    assert "[Edna Marsh](/contributor/Edna_Marsh)" in talk.source
    assert "(UTC)" in talk.source
    page = editor_client.get(talk_url()).content.decode()
    assert "Dosage wording" in page and "The dose seems wrong." in page
    assert 'href="/contributor/Edna_Marsh"' in page


def test_credentials_appear_in_the_signature(editor_client, editor, make_article):
    make_article()
    from wiki.services import contributor_for

    contributor = contributor_for(editor)
    contributor.credentials = "RN"
    contributor.save()
    editor_client.post(
        reverse("wiki:talk_topic", args=["Talk:Sample_condition"]),
        {"topic-heading": "Sources", "topic-text": "Where is this from? ~~~~ (signed)"},
    )
    talk = Article.objects.get(title="Talk:Sample condition")
    assert "[Edna Marsh, RN](/contributor/Edna_Marsh)" in talk.source
    assert talk.source.count("Edna Marsh, RN") == 1


def test_a_reply_goes_under_its_topic_signed_by_the_replier(
    client, editor, other_editor, make_article
):
    make_article()
    client.force_login(editor)
    for heading in ("First", "Second"):
        client.post(
            reverse("wiki:talk_topic", args=["Talk:Sample_condition"]),
            {"topic-heading": heading, "topic-text": f"About {heading}."},
        )
    client.force_login(other_editor)
    response = client.post(
        reverse("wiki:talk_reply", args=["Talk:Sample_condition"]),
        {"reply-section": "1", "reply-text": "I agree with the first."},
    )
    assert response.status_code == 302
    source = Article.objects.get(title="Talk:Sample condition").source
    first, second = source.split("## Second")
    assert "> I agree with the first. — [otto](/contributor/otto)" in first
    assert "otto" not in second


def test_a_reply_to_no_topic_is_a_form_error_not_a_500(editor_client, make_article):
    make_article()
    editor_client.post(
        reverse("wiki:talk_topic", args=["Talk:Sample_condition"]),
        {"topic-heading": "First", "topic-text": "Hello."},
    )
    response = editor_client.post(
        reverse("wiki:talk_reply", args=["Talk:Sample_condition"]),
        {"reply-section": "9", "reply-text": "To nothing."},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_readers_cannot_write_on_talk_pages_and_see_why(client, reader, make_article):
    make_article()
    client.force_login(reader)
    response = client.post(
        reverse("wiki:talk_topic", args=["Talk:Sample_condition"]),
        {"topic-heading": "Spam", "topic-text": "Hello."},
    )
    assert response.status_code == 403
    assert not Article.objects.filter(title="Talk:Sample condition").exists()


def test_talk_pages_have_their_own_history_and_diffs(editor_client, make_article):
    make_article()
    for heading in ("One", "Two"):
        editor_client.post(
            reverse("wiki:talk_topic", args=["Talk:Sample_condition"]),
            {"topic-heading": heading, "topic-text": f"Text {heading}."},
        )
    talk = Article.objects.get(title="Talk:Sample condition")
    revisions = list(Revision.objects.filter(article=talk).order_by("pk"))
    assert [r.summary for r in revisions] == ["New topic: One", "New topic: Two"]
    history = editor_client.get(reverse("wiki:history", args=["Talk:Sample_condition"]))
    assert "New topic: Two" in history.content.decode()
    diff = editor_client.get(
        reverse("wiki:diff", args=["Talk:Sample_condition"])
        + f"?from={revisions[0].pk}&to={revisions[1].pk}"
    )
    assert diff.status_code == 200 and "Text Two." in diff.content.decode()
    article = Article.objects.get(title="Sample condition")
    assert not Revision.objects.filter(article=article, summary__startswith="New topic").exists()


def test_the_edit_form_of_a_talk_page_expands_signatures_too(editor_client, make_article):
    make_article()
    make_article(title="Talk:Sample condition", source="## Old topic\n\nHi.\n")
    talk = Article.objects.get(title="Talk:Sample condition")
    response = editor_client.post(
        reverse("wiki:edit", args=["Talk:Sample_condition"]),
        {
            "text": talk.source + "\n> Late reply ~~~~\n",
            "base_revision": talk.latest_revision_id,
            "summary": "reply",
        },
    )
    assert response.status_code == 302
    talk = Article.objects.get(pk=talk.pk)
    assert "~~~~" not in talk.source and "[Edna Marsh](/contributor/Edna_Marsh)" in talk.source


def test_signatures_are_not_expanded_in_articles(editor_client, make_article):
    article = make_article()
    editor_client.post(
        reverse("wiki:edit", args=["Sample_condition"]),
        {
            "text": article.source + "\nTildes ~~~~ stay.\n",
            "base_revision": article.latest_revision_id,
        },
    )
    assert "Tildes ~~~~ stay." in Article.objects.get(pk=article.pk).source


def test_talk_titles_are_normalized_and_a_talk_page_of_a_talk_page_is_refused(editor_client):
    assert Article(title="talk:sample thing").title == "talk:sample thing"
    from wiki.titles import InvalidTitle, normalize_title, validate_title

    assert normalize_title("talk:sample_thing") == "Talk:Sample thing"
    with pytest.raises(InvalidTitle):
        validate_title("Talk:Talk:Sample")
    with pytest.raises(InvalidTitle):
        validate_title("Talk:")


def test_a_talk_page_of_no_article_is_not_found(client, db):
    assert client.get("/wiki/Talk:Nothing_here").status_code == 404


def test_talk_pages_move_with_their_article(editor, make_article):
    article = make_article()
    make_article(title="Talk:Sample condition", source="## Topic\n\nHello.\n", user=editor)
    article_move(article=article, new_title="Renamed condition", user=editor)
    assert Article.objects.filter(title="Talk:Renamed condition", redirect_to=None).exists()
    old_talk = Article.objects.get(title="Talk:Sample condition")
    assert old_talk.redirect_to.title == "Talk:Renamed condition"


def test_talk_pages_are_left_out_of_search_unless_asked_and_out_of_the_sitemap(
    client, make_article
):
    make_article(title="Ankle sprain", source="Sprains of the ankle heal with rest.\n")
    make_article(title="Talk:Ankle sprain", source="## Wording\n\nShould sprains mention ice?\n")
    plain = client.get("/search", {"q": "sprains", "fulltext": 1}).content.decode()
    assert "/wiki/Ankle_sprain" in plain and "Talk:Ankle" not in plain
    with_talk = client.get("/search", {"q": "sprains", "fulltext": 1, "talk": 1}).content.decode()
    assert 'href="/wiki/Talk:Ankle_sprain"' in with_talk
    sitemap = sitemap_text(client)
    assert "Ankle_sprain" in sitemap and "Talk:" not in sitemap


def test_a_revert_on_a_talk_page_uses_the_one_write_path(editor, make_article):
    make_article()
    talk = make_article(title="Talk:Sample condition", source="## A\n\nOne.\n", user=editor)
    first = talk.latest_revision_id
    article_save(
        article=talk,
        edit=ArticleEdit(text="## A\n\nTwo.\n", base_revision=first, user=editor),
    )
    from wiki.history.services import article_restore

    article_restore(revision_id=first, user=editor)
    assert "One." in Article.objects.get(pk=talk.pk).source
