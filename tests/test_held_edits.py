"""Held edits (MediaWiki's Moderation): with WIKI_HOLD_NEW_ACCOUNT_EDITS on, a young account's
edit is not published but kept for an editor, through every interface; the author sees it
waiting, an established editor approves it (published through the edit door, merged with
edits made since, or refused on a conflict with nothing lost) or rejects it with a reason."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import SAMPLE_SOURCE, aged_account, save
from tests.helpers import api_php_edit
from wiki.antiabuse.models import AbuseHit, AbuseRule, HeldEdit
from wiki.api.models import ApiToken
from wiki.models import Article, Revision

pytestmark = pytest.mark.django_db

QUEUE = "/review-queue/held-edits"


@pytest.fixture
def held_wiki(settings, make_article):
    settings.WIKI_HOLD_NEW_ACCOUNT_EDITS = True
    return make_article()


@pytest.fixture
def newcomer(client):
    user = aged_account("nina", days_old=0.1)
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def moderator(db):
    return aged_account("mona", days_old=90)


def signed_in(user) -> Client:
    """A browser of its own (the newcomer keeps theirs)."""
    browser = Client()
    browser.force_login(user)
    return browser


def form_edit(client, text, title="Sample condition", section=None):
    article = Article.objects.get(title=title)
    url = reverse("wiki:edit", args=[article.slug])
    if section is not None:
        url += f"?section={section}"
    return client.post(
        url, {"text": text, "summary": "My change", "base_revision": article.latest_revision_id}
    )


def test_a_new_accounts_edit_waits_for_review_and_is_not_published(held_wiki, newcomer):
    response = form_edit(newcomer, SAMPLE_SOURCE + "\nA sentence of mine.\n")
    page = response.content.decode()
    assert response.status_code == 202
    assert "Your edit is waiting for review by an editor" in page
    assert "A sentence of mine." in page  # the text is kept on the page
    held_wiki.refresh_from_db()
    assert "A sentence of mine." not in held_wiki.source
    held = HeldEdit.objects.get()
    assert (held.state, held.user, held.interface) == ("pending", newcomer.user, "form")
    assert held.base_revision == held_wiki.latest_revision_id and held.summary == "My change"
    article_page = newcomer.get(held_wiki.get_absolute_url()).content.decode()
    assert "You have an edit of this article waiting for review" in article_page
    mine = newcomer.get(QUEUE).content.decode()
    assert "Your held edits" in mine and "Approve" not in mine and "Waiting for review" in mine


def test_the_setting_is_off_by_default(make_article, newcomer, settings):
    assert settings.WIKI_HOLD_NEW_ACCOUNT_EDITS is False
    make_article()
    assert form_edit(newcomer, SAMPLE_SOURCE + "\nPublished.\n").status_code == 302
    assert "Published." in Article.objects.get(title="Sample condition").source
    assert not HeldEdit.objects.exists()


def test_established_accounts_are_not_held(held_wiki, moderator):
    client = signed_in(moderator)
    assert form_edit(client, SAMPLE_SOURCE + "\nStraight in.\n").status_code == 302
    assert not HeldEdit.objects.exists()


def test_a_held_section_edit_keeps_the_whole_text_it_makes(held_wiki, newcomer):
    response = form_edit(newcomer, "## Causes\n\nA virus, perhaps.\n", section=2)
    assert response.status_code == 202
    held = HeldEdit.objects.get()
    assert "A virus, perhaps." in held.text and "Rest helps." in held.text
    assert "Nobody knows the causes." not in held.text


def test_api_php_answers_as_moderation_does(held_wiki, newcomer):
    answer = api_php_edit(newcomer, "Sample condition", "Replaced by a bot.").json()
    assert answer["error"]["code"] == "moderation-edit-queued"
    assert "waiting for review" in answer["error"]["info"]
    assert HeldEdit.objects.get().interface == "action-api"
    assert "Replaced by a bot." not in Article.objects.get(title="Sample condition").source


def test_the_rest_api_answers_202_with_the_held_edit(held_wiki, newcomer):
    token = ApiToken.issue(user=newcomer.user, name="bot")[1]
    response = newcomer.put(
        "/api/v1/articles/Sample_condition",
        {"text": "Through REST.\n", "summary": "api"},
        content_type="application/json",
        headers={"authorization": f"Bearer {token}"},
    )
    assert response.status_code == 202
    body = response.json()
    assert body["held"] is True and body["code"] == "moderation-edit-queued"
    assert HeldEdit.objects.get(pk=body["held_edit_id"]).interface == "rest"
    assert body["queue_url"].endswith(QUEUE)
    assert "Through REST." not in Article.objects.get(title="Sample condition").source


def test_the_queue_shows_an_editor_the_changes_and_approval_publishes_as_the_author(
    held_wiki, newcomer, moderator
):
    form_edit(newcomer, SAMPLE_SOURCE + "\nApproved words.\n")
    held = HeldEdit.objects.get()
    assert "waiting for review" in newcomer.get(held_wiki.get_absolute_url()).content.decode()
    client = signed_in(moderator)
    queue = client.get(QUEUE).content.decode()
    assert "Held edits waiting for review" in queue and "nina" in queue
    assert "Approved words." in queue and "Approve and publish" in queue
    response = client.post(f"{QUEUE}/{held.pk}", {"decision": "approve"}, follow=True)
    assert "was published" in response.content.decode()
    held.refresh_from_db()
    article = Article.objects.get(title="Sample condition")
    assert "Approved words." in article.source
    revision = Revision.objects.get(pk=article.latest_revision_id)
    assert revision.user == newcomer.user and revision.summary == "My change"
    assert (held.state, held.decided_by, held.revision_id) == ("approved", moderator, revision.pk)
    assert "No edit is waiting" in client.get(QUEUE).content.decode()
    # The author's note on the article goes with it (it is read from the cache).
    page = newcomer.get(article.get_absolute_url()).content.decode()
    assert "waiting for review" not in page and "Approved words." in page


def test_approval_merges_edits_made_since(held_wiki, newcomer, moderator):
    form_edit(newcomer, SAMPLE_SOURCE.replace("Rest helps.", "Rest and water help."))
    save(held_wiki, moderator, SAMPLE_SOURCE.replace("Nobody knows", "Nobody yet knows"))
    client = signed_in(moderator)
    held = HeldEdit.objects.get()
    response = client.post(f"{QUEUE}/{held.pk}", {"decision": "approve"}, follow=True)
    assert "merged with the edits made since" in response.content.decode()
    source = Article.objects.get(title="Sample condition").source
    assert "Rest and water help." in source and "Nobody yet knows" in source


def test_an_approved_edit_gets_the_tags_of_the_tagging_rules(held_wiki, newcomer, moderator):
    """The editor's approval stands for the hold, not for the tags: the history still says
    what the rules saw in the edit."""
    AbuseRule.objects.create(
        name="Shouting",
        enabled=True,
        action=AbuseRule.Action.TAG,
        tag="shouting",
        added_text_regex=r"[A-Z]{8,}",
    )
    form_edit(newcomer, SAMPLE_SOURCE + "\nREST HELPS EVERYBODY.\n")
    held = HeldEdit.objects.get()
    signed_in(moderator).post(f"{QUEUE}/{held.pk}", {"decision": "approve"})
    article = Article.objects.get(title="Sample condition")
    assert "EVERYBODY" in article.source
    assert Revision.objects.get(pk=article.latest_revision_id).tags == "shouting"
    assert AbuseHit.objects.filter(rule__name="Shouting").count() == 1  # logged once, when held


def test_an_overlapping_edit_is_shown_as_a_conflict_and_the_held_text_kept(
    held_wiki, newcomer, moderator
):
    form_edit(newcomer, SAMPLE_SOURCE.replace("Rest helps.", "Sleep helps."))
    save(held_wiki, moderator, SAMPLE_SOURCE.replace("Rest helps.", "Nothing helps."))
    client = signed_in(moderator)
    held = HeldEdit.objects.get()
    response = client.post(f"{QUEUE}/{held.pk}", {"decision": "approve"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Not published: the article changed where this edit changes it" in page
    assert "Sleep helps." in page
    held.refresh_from_db()
    assert held.state == "pending" and "Sleep helps." in held.text
    assert "Nothing helps." in Article.objects.get(title="Sample condition").source


def test_rejecting_needs_a_reason_which_the_author_sees(held_wiki, newcomer, moderator):
    form_edit(newcomer, SAMPLE_SOURCE + "\nDubious claim.\n")
    held = HeldEdit.objects.get()
    client = signed_in(moderator)
    refused = client.post(f"{QUEUE}/{held.pk}", {"decision": "reject", "reason": " "}, follow=True)
    assert "Say why the edit is rejected" in refused.content.decode()
    held.refresh_from_db()
    assert held.state == "pending"
    client.post(f"{QUEUE}/{held.pk}", {"decision": "reject", "reason": "No source given."})
    held.refresh_from_db()
    assert (held.state, held.decision_reason, held.decided_by) == (
        "rejected",
        "No source given.",
        moderator,
    )
    assert "Dubious claim." not in Article.objects.get(title="Sample condition").source
    mine = newcomer.get(QUEUE).content.decode()
    assert "Rejected: No source given." in mine


def test_the_author_cannot_approve_their_own_held_edit(held_wiki, newcomer):
    form_edit(newcomer, SAMPLE_SOURCE + "\nSelf-approved?\n")
    held = HeldEdit.objects.get()
    response = newcomer.post(f"{QUEUE}/{held.pk}", {"decision": "approve"}, follow=True)
    assert "Only established editors review held edits" in response.content.decode()
    held.refresh_from_db()
    assert held.state == "pending"
    assert "Self-approved?" not in Article.objects.get(title="Sample condition").source


def test_a_held_new_article_is_created_on_approval(held_wiki, newcomer, moderator):
    response = newcomer.post(
        reverse("wiki:edit", args=["Brand_new_topic"]),
        {"title": "Brand new topic", "text": "A new article.\n"},
    )
    assert response.status_code == 202
    assert not Article.objects.filter(title="Brand new topic").exists()
    client = signed_in(moderator)
    held = HeldEdit.objects.get()
    assert held.article is None and held.title == "Brand new topic"
    client.post(f"{QUEUE}/{held.pk}", {"decision": "approve"})
    created = Article.objects.get(title="Brand new topic")
    assert created.source.strip() == "A new article."
    assert Revision.objects.get(pk=created.latest_revision_id).user == newcomer.user


def test_held_edits_are_listed_in_the_admin(held_wiki, newcomer, administrator):
    form_edit(newcomer, SAMPLE_SOURCE + "\nFor the admin.\n")
    admin_client_ = signed_in(administrator)
    page = admin_client_.get("/admin/wiki/heldedit/").content.decode()
    assert "Sample condition" in page and "Waiting for review" in page
    held = HeldEdit.objects.get()
    assert admin_client_.get(f"/admin/wiki/heldedit/{held.pk}/change/").status_code == 200


def test_the_queue_asks_to_sign_in(client):
    response = client.get(QUEUE)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_queue_reads_its_articles_in_a_fixed_number_of_queries(
    held_wiki, make_article, moderator, django_assert_max_num_queries
):
    """Each row shows its edit's changes against its article's current text; a page of many
    held edits reads the articles and their sections together, not one article at a time."""
    author = aged_account("nell", days_old=0.1)

    def hold(title: str, text: str, article=None):
        HeldEdit.objects.create(
            article=article, title=title, text=text, user=author, reason="New account"
        )

    for n in range(3):
        article = make_article(f"Condition {n}", f"Old lead {n}.\n\n## Signs\n\nOld sign {n}.\n")
        hold(article.title, f"New lead {n}.\n\n## Signs\n\nOld sign {n}.\n", article)
    hold("Brand new page", "A page not written yet.\n")
    hold("Condition 0", "Old lead 0.\n\n## Signs\n\nNamed by title alone.\n")  # no link
    browser = signed_in(moderator)
    browser.get(QUEUE)  # the session and the user's rights, read once
    with django_assert_max_num_queries(14) as few:
        page = browser.get(QUEUE).content.decode()
    for n in range(3):
        make_article(f"Other {n}", "Text.\n")
        hold(f"Other {n}", "Changed text.\n", Article.objects.get(title=f"Other {n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        more = browser.get(QUEUE).content.decode()
    for n in range(3):  # each against its own article
        assert f"<del>Old</del><ins>New</ins> lead {n}." in page
    assert "<ins>A page not written yet.</ins>" in page  # against nothing
    assert "<del>Old sign 0</del><ins>Named by title alone</ins>" in page  # found by title
    assert more.count("<del>Text</del><ins>Changed text</ins>.") == 3
