"""Limits on young accounts: saves a minute per account and per address, external links
added in one edit; each refused with a message that says what to do, the text kept."""

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.helpers import CAPTCHA_PASSED, api_php_edit
from wiki.api.models import ApiToken
from wiki.media.models import MediaFile
from wiki.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def young_editor_client(client, editor):
    editor.date_joined = timezone.now() - dt.timedelta(hours=3)
    editor.save()
    client.force_login(editor)
    return client


def save(client, text):
    article = Article.objects.get(title="Sample condition")
    return client.post(
        reverse("wiki:edit", args=["Sample_condition"]),
        {"text": text, "base_revision": article.latest_revision_id},
    )


def test_a_young_account_may_save_only_so_often(young_editor_client, settings, make_article):
    settings.WIKI_SAVES_PER_MINUTE = 2
    make_article()
    assert save(young_editor_client, "One.\n").status_code == 302
    assert save(young_editor_client, "Two.\n").status_code == 302
    refused = save(young_editor_client, "Three, kept.\n")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "more than 2 times in a minute" in page and "Three, kept." in page
    assert "Two." in Article.objects.get(title="Sample condition").source


def test_the_save_limit_also_counts_per_address(
    client, settings, editor, other_editor, make_article
):
    settings.WIKI_SAVES_PER_MINUTE = 1
    make_article()
    for user in (editor, other_editor):
        user.date_joined = timezone.now()
        user.save()
    client.force_login(editor)
    assert save(client, "One.\n").status_code == 302
    client.force_login(other_editor)
    assert save(client, "Two.\n").status_code == 429  # same address, another account


def test_established_accounts_are_not_limited(editor_client, editor, settings, make_article):
    settings.WIKI_SAVES_PER_MINUTE = 1
    editor.date_joined = timezone.now() - dt.timedelta(days=30)
    editor.save()
    make_article()
    for n in range(3):
        assert save(editor_client, f"Edit {n}.\n").status_code == 302


def test_a_young_account_may_add_few_external_links(
    young_editor_client, settings, make_article, captcha_test_mode
):
    settings.WIKI_YOUNG_ACCOUNT_EXTERNAL_LINKS = 2
    make_article()
    links = " ".join(f"[s{n}](https://spam{n}.example/)" for n in range(3))
    refused = save(young_editor_client, f"Buy: {links}\n")
    assert refused.status_code == 400
    assert "adds 3 links to other sites" in refused.content.decode()
    assert "spam" not in Article.objects.get(title="Sample condition").source
    two = "[a](https://a.example/) [b](https://b.example/)\n"
    asked = save(young_editor_client, two)  # within the limit: a captcha first
    assert asked.status_code == 400 and "answer a captcha" in asked.content.decode()
    article = Article.objects.get(title="Sample condition")
    answered = young_editor_client.post(
        reverse("wiki:edit", args=["Sample_condition"]),
        {"text": two, "base_revision": article.latest_revision_id, **CAPTCHA_PASSED},
    )
    assert answered.status_code == 302


def test_talk_pages_are_limited_too(young_editor_client, settings, make_article):
    settings.WIKI_YOUNG_ACCOUNT_EXTERNAL_LINKS = 0
    make_article()
    response = young_editor_client.post(
        reverse("wiki:talk_topic", args=["Talk:Sample_condition"]),
        {"topic-heading": "Links", "topic-text": "See https://spam.example/ now"},
    )
    assert response.status_code == 400
    assert "links to other sites" in response.content.decode()
    assert not Article.objects.filter(title="Talk:Sample condition").exists()


# Every write path obeys the same limits -------------------------------------------------------


def image(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, "PNG")
    return SimpleUploadedFile("scan.png", buffer.getvalue(), content_type="image/png")


def form_answer(response):
    return response.status_code, response.content.decode()


def json_answer(response):
    return response.status_code, json.dumps(response.json(), ensure_ascii=False)


def rest_answer(response):
    assert response["Content-Type"].startswith("application/json")
    error = response.json().get("error", {})
    return response.status_code, f"{error.get('code')} {error.get('message')}"


def edit_form(client, text, n):
    return form_answer(save(client, f"{text} {n}\n"))


def section_form(client, text, n):
    article = Article.objects.get(title="Sample condition")
    response = client.post(
        reverse("wiki:edit", args=["Sample_condition"]) + "?section=1",
        {"text": f"## Symptoms\n\n{text} {n}\n", "base_revision": article.latest_revision_id},
    )
    return form_answer(response)


def new_article_form(client, text, n):
    response = client.post(
        reverse("wiki:edit", args=[f"New_page_{n}"]), {"title": f"New page {n}", "text": text}
    )
    return form_answer(response)


def talk_topic(client, text, n):
    response = client.post(
        reverse("wiki:talk_topic", args=["Talk:Sample_condition"]),
        {"topic-heading": f"Topic {n}", "topic-text": text},
    )
    return form_answer(response)


def talk_reply(client, text, n):
    talk = reverse("wiki:talk_topic", args=["Talk:Sample_condition"])
    with override_settings(WIKI_YOUNG_ACCOUNT_DAYS=0):  # the topic to reply to, not counted
        client.post(talk, {"topic-heading": "Open", "topic-text": "Start."})
    response = client.post(
        reverse("wiki:talk_reply", args=["Talk:Sample_condition"]),
        {"reply-section": "1", "reply-text": f"{text} {n}"},
    )
    return form_answer(response)


def rest_create(client, text, n):
    response = client.post(
        "/api/v1/articles",
        {"title": f"Api page {n}", "text": text},
        content_type="application/json",
        headers={"authorization": f"Bearer {client.token}"},
    )
    return rest_answer(response)


def rest_edit(client, text, n):
    response = client.put(
        "/api/v1/articles/Sample_condition",
        {"text": f"{text} {n}\n"},
        content_type="application/json",
        headers={"authorization": f"Bearer {client.token}"},
    )
    return rest_answer(response)


def action_edit(client, text, n):
    answer = api_php_edit(client, "Sample condition", f"{text} {n}").json()
    if "error" in answer:  # MediaWiki answers 200 with the error's code
        status = {"ratelimited": 429, "toomanyexternallinks": 400}[answer["error"]["code"]]
        return status, answer["error"]["info"]
    return 200, json.dumps(answer)


MEDIA_FIELDS = {"alt": "A scan", "author": "Dr Roe", "license": "cc-by-sa-4.0"}


def upload_form(client, text, n):
    data = {**MEDIA_FIELDS, "file": image((n * 40, 10, 10)), "description": text}
    return form_answer(client.post("/upload", data))


def media_page_edit(client, text, n):
    with override_settings(WIKI_YOUNG_ACCOUNT_DAYS=0):  # the page to edit, not counted
        client.post("/upload", {**MEDIA_FIELDS, "file": image((9, 9, 9)), "name": "Kept.png"})
    data = {**MEDIA_FIELDS, "description": f"{text} {n}"}
    return form_answer(client.post("/wiki/File:Kept.png/edit", data))


def editor_drop(client, text, n):
    return json_answer(client.post("/markdownx/upload/", {"image": image((n * 40, 0, 0))}))


def rest_upload(client, text, n):
    response = client.post(
        "/api/v1/uploads",
        {"image": image((n * 40, 0, 0))},
        headers={"authorization": f"Bearer {client.token}"},
    )
    return rest_answer(response)


WITH_TEXT = [
    edit_form,
    section_form,
    new_article_form,
    talk_topic,
    talk_reply,
    rest_create,
    rest_edit,
    action_edit,
    upload_form,
    media_page_edit,
]
WRITE_PATHS = [*WITH_TEXT, editor_drop, rest_upload]


@pytest.fixture
def young_writer(young_editor_client, editor, make_article, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_article()
    young_editor_client.token = ApiToken.issue(user=editor, name="bot")[1]
    return young_editor_client


@pytest.mark.parametrize("write", WRITE_PATHS, ids=lambda f: f.__name__)
def test_every_write_path_refuses_a_young_accounts_save_past_its_limit(
    young_writer, settings, write
):
    settings.WIKI_SAVES_PER_MINUTE = 1
    status, answer = write(young_writer, "Plain words.", 1)
    assert status in (200, 201, 302), answer
    status, answer = write(young_writer, "More plain words.", 2)
    assert status == 429
    assert "more than 1 times in a minute" in answer


@pytest.mark.parametrize("write", WITH_TEXT, ids=lambda f: f.__name__)
def test_every_write_path_refuses_a_young_account_adding_too_many_links(
    young_writer, settings, write
):
    settings.WIKI_YOUNG_ACCOUNT_EXTERNAL_LINKS = 1
    spam = "Buy [a](https://spam-a.example/) and [b](https://spam-b.example/)."
    status, answer = write(young_writer, spam, 1)
    assert status == 400
    assert "adds 2 links to other sites" in answer
    assert not any("spam-a" in article.source for article in Article.objects.all())
    assert not MediaFile.objects.filter(description__contains="spam-a").exists()
