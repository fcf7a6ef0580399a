"""The edit door: every way to edit an article refuses a blocked editor, a protected page and
a young account past its saves a minute alike — nothing saved — each answering in its own
way (a form keeping the text, a JSON error, a MediaWiki error code, a confirmation page)."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import save
from tests.helpers import api_php_edit
from wiki.api.models import ApiToken
from wiki.editorial.blocks import user_block
from wiki.models import Article, Revision

pytestmark = pytest.mark.django_db

TALK = "Talk:Sample condition"


@dataclass
class Answer:
    status: int
    code: str  # the interface's code for a program ("" on a page for people)
    words: str  # what a person reads


def page_answer(response) -> Answer:
    return Answer(response.status_code, "", response.content.decode())


def rest_answer(response) -> Answer:
    assert response["Content-Type"].startswith("application/json")
    error = response.json().get("error", {})
    return Answer(response.status_code, error.get("code", ""), error.get("message", ""))


def latest(title="Sample condition") -> Article:
    return Article.objects.get(title=title)


# Each entry point, as a client uses it; `n` makes each text new.


def edit_form(client, n):
    text = f"Edited from the form, take {n}.\n"
    return page_answer(
        client.post(
            reverse("wiki:edit", args=["Sample_condition"]),
            {"text": text, "base_revision": latest().latest_revision_id},
        )
    ), text


def section_form(client, n):
    text = f"## Symptoms\n\nEdited in the section, take {n}.\n"
    return page_answer(
        client.post(
            reverse("wiki:edit", args=["Sample_condition"]) + "?section=1",
            {"text": text, "base_revision": latest().latest_revision_id},
        )
    ), f"Edited in the section, take {n}."


def talk_topic(client, n):
    text = f"A new point, take {n}."
    return page_answer(
        client.post(
            reverse("wiki:talk_topic", args=["Talk:Sample_condition"]),
            {"topic-heading": f"Topic {n}", "topic-text": text},
        )
    ), text


def talk_reply(client, n):
    text = f"I agree, take {n}."
    return page_answer(
        client.post(
            reverse("wiki:talk_reply", args=["Talk:Sample_condition"]),
            {"reply-section": "1", "reply-text": text},
        )
    ), text


def rest_edit(client, n):
    response = client.put(
        "/api/v1/articles/Sample_condition",
        {"text": f"Edited through REST, take {n}.\n"},
        content_type="application/json",
        headers={"authorization": f"Bearer {client.token}"},
    )
    return rest_answer(response), None


def rest_revert(client, n):
    parent = Revision.objects.get(pk=latest().latest_revision_id).parent_id
    response = client.post(
        "/api/v1/articles/Sample_condition/revert",
        {"revision_id": parent},
        content_type="application/json",
        headers={"authorization": f"Bearer {client.token}"},
    )
    return rest_answer(response), None


def action_edit(client, n):
    answer = api_php_edit(client, "Sample condition", f"Edited by a bot, take {n}.")
    error = answer.json().get("error", {})
    return Answer(answer.status_code, error.get("code", ""), error.get("info", "")), None


def revert_page(client, n):
    article = latest()
    parent = Revision.objects.get(pk=article.latest_revision_id).parent_id
    response = client.post(
        reverse("wiki:revert", args=["Sample_condition", parent]),
        {"summary": f"Revert {n}", "base": article.latest_revision_id},
    )
    return page_answer(response), None


def undo_page(client, n):
    article = latest()
    response = client.post(
        reverse("wiki:undo", args=["Sample_condition", article.latest_revision_id]),
        {"summary": f"Undo {n}", "base": article.latest_revision_id},
    )
    return page_answer(response), None


PAGES = [edit_form, section_form, talk_topic, talk_reply, revert_page, undo_page]
ENTRY_POINTS = [*PAGES, rest_edit, rest_revert, action_edit]

# What each interface answers to each refusal: (status, code).
EXPECTED = {
    "page": {"blocked": (403, ""), "protected": (403, ""), "young": (429, "")},
    "rest": {
        "blocked": (403, "blocked"),
        "protected": (403, "protected"),
        "young": (429, "too_many_saves"),
    },
    "action": {
        "blocked": (200, "blocked"),  # MediaWiki answers 200 with the error's code
        "protected": (200, "protectedpage"),
        "young": (200, "ratelimited"),
    },
}
WORDS = {
    "blocked": "blocked from editing",
    "protected": "protected",
    "young": "more than 1 times in a minute",
}


def interface(write) -> str:
    return "page" if write in PAGES else "action" if write is action_edit else "rest"


@pytest.fixture
def writer(client, editor, make_article, settings):
    """The editor signed in with an API token, on an article with some history and a talk page
    with one topic."""
    settings.WIKI_SAVES_PER_MINUTE = 1
    article = make_article(user=editor)
    save(article, editor, article.source + "\nA second paragraph.\n")
    make_article(TALK, "## Open\n\nShall we add a section? ~~~~\n", user=editor)
    client.force_login(editor)
    client.token = ApiToken.issue(user=editor, name="bot")[1]
    return client


def revisions() -> int:
    return Revision.objects.count()


def refuse_and_check(write, client, refusal: str) -> None:
    before = revisions()
    answer, typed = write(client, 2)
    assert (answer.status, answer.code) == EXPECTED[interface(write)][refusal], answer.words
    assert WORDS[refusal] in answer.words
    assert revisions() == before, "nothing is saved"
    if typed is not None:  # a form keeps what was typed
        assert typed in answer.words


@pytest.mark.parametrize("write", ENTRY_POINTS, ids=lambda f: f.__name__)
def test_a_blocked_editor_is_refused_at_every_entry_point(writer, editor, administrator, write):
    user_block(user=editor, by=administrator, reason="Edit warring", expires_at=None)
    refuse_and_check(write, writer, "blocked")


@pytest.mark.parametrize("write", ENTRY_POINTS, ids=lambda f: f.__name__)
def test_a_protected_page_is_refused_at_every_entry_point(writer, write):
    Article.objects.update(protection=Article.Protection.ADMINS)  # the article and its talk
    refuse_and_check(write, writer, "protected")


@pytest.mark.parametrize("write", ENTRY_POINTS, ids=lambda f: f.__name__)
def test_a_young_accounts_second_save_in_a_minute_is_refused_at_every_entry_point(
    writer, editor, write
):
    editor.date_joined = timezone.now() - dt.timedelta(hours=3)
    editor.save()
    before = revisions()
    answer, _ = write(writer, 1)
    assert answer.status in (200, 201, 302) and not answer.code, answer.words
    assert revisions() == before + 1
    refuse_and_check(write, writer, "young")


def test_a_save_refused_for_a_block_does_not_count_against_the_young_accounts_limit(
    writer, editor, administrator
):
    """Permission is checked before the limits: a blocked save does not use up a save."""
    editor.date_joined = timezone.now() - dt.timedelta(hours=3)
    editor.save()
    block = user_block(user=editor, by=administrator, reason="Cool down", expires_at=None)
    assert edit_form(writer, 1)[0].status == 403
    block.delete()
    assert edit_form(writer, 2)[0].status == 302
