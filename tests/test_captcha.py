"""The self-hosted captcha: asked on sign-up, password reset, anonymous reader reports and a
young account's edits that add links to other sites (form, talk, /api.php as ConfirmEdit
answers, REST); its picture and sound come from this site; a wrong answer loses nothing.
The answers are read from the server's record of each challenge (`helpers.captcha_shown`),
never from the library's test mode."""

import datetime as dt
import json

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from tests.conftest import save
from tests.helpers import api_php_edit, captcha_shown
from wiki.api.models import ApiToken
from wiki.models import Article
from wiki.reports.models import Report
from wiki.watching.models import PendingMail

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "username": "newbie",
    "email": "newbie@example.org",
    "password1": "a long pass phrase 42",
    "password2": "a long pass phrase 42",
}


def test_sign_up_shows_a_picture_and_its_sound_and_needs_the_right_characters(client, settings):
    settings.REGISTRATION_OPEN = True
    page = client.get(reverse("register")).content.decode()
    assert 'for="id_captcha_1"' in page and "Type the characters in the picture" in page
    key, characters = captcha_shown(page)
    picture = client.get(f"/captcha/image/{key}/")
    assert picture["Content-Type"] == "image/png" and picture.content[:4] == b"\x89PNG"
    assert settings.CAPTCHA_FLITE_PATH, "flite gives the captcha its spoken alternative"
    assert f'href="/captcha/audio/{key}.wav"' in page
    sound = client.get(f"/captcha/audio/{key}.wav")
    assert sound.status_code == 200 and b"".join(sound.streaming_content)[:4] == b"RIFF"

    wrong = client.post(reverse("register"), {**SIGN_UP, "captcha_0": key, "captcha_1": "xxxxx"})
    assert wrong.status_code == 400
    assert "That was not the text shown" in wrong.content.decode()
    assert 'value="newbie@example.org"' in wrong.content.decode()  # what was typed stays
    assert not User.objects.filter(username="newbie").exists()

    key, characters = captcha_shown(wrong.content.decode())  # a new challenge
    right = client.post(
        reverse("register"), {**SIGN_UP, "captcha_0": key, "captcha_1": characters.upper()}
    )
    assert right.status_code == 200
    assert User.objects.filter(username="newbie", is_active=False).exists()


def test_a_challenge_answers_only_once(client, settings):
    settings.REGISTRATION_OPEN = True
    key, characters = captcha_shown(client.get(reverse("register")).content.decode())
    client.post(reverse("register"), {**SIGN_UP, "captcha_0": key, "captcha_1": characters})
    again = client.post(
        reverse("register"),
        {**SIGN_UP, "username": "second", "email": "b@example.org", "captcha_0": key,
         "captcha_1": characters},
    )  # fmt: skip
    assert again.status_code == 400
    assert not User.objects.filter(username="second").exists()


def test_a_password_reset_mails_nothing_without_the_captcha(client):
    User.objects.create_user("rita", "rita@example.org", "old password 1234")
    refused = client.post(reverse("password_reset"), {"email": "rita@example.org"})
    assert refused.status_code == 200 and "This field is required" in refused.content.decode()
    assert not PendingMail.objects.filter(to="rita@example.org").exists()
    key, characters = captcha_shown(client.get(reverse("password_reset")).content.decode())
    client.post(
        reverse("password_reset"),
        {"email": "rita@example.org", "captcha_0": key, "captcha_1": characters},
    )
    assert PendingMail.objects.filter(to="rita@example.org").exists()


def test_anonymous_readers_answer_a_captcha_to_report_signed_in_ones_do_not(
    client, make_article, reader
):
    make_article()
    report = {"section": "", "kind": "wrong", "text": "The dose is wrong.", "website": ""}
    form = client.get("/wiki/Sample_condition/report").content.decode()
    key, characters = captcha_shown(form)
    refused = client.post(
        "/wiki/Sample_condition/report", {**report, "captcha_0": key, "captcha_1": "nope"}
    )
    assert refused.status_code == 400 and "The dose is wrong." in refused.content.decode()
    assert not Report.objects.exists()
    key, characters = captcha_shown(refused.content.decode())
    client.post(
        "/wiki/Sample_condition/report", {**report, "captcha_0": key, "captcha_1": characters}
    )
    assert Report.objects.count() == 1
    client.force_login(reader)
    assert "captcha" not in client.get("/wiki/Sample_condition/report").content.decode()
    client.post("/wiki/Sample_condition/report", report)
    assert Report.objects.count() == 2


# A young account's edits that add links ------------------------------------------------------


@pytest.fixture
def young(client, editor, make_article):
    editor.date_joined = timezone.now() - dt.timedelta(hours=2)
    editor.save()
    make_article()
    client.force_login(editor)
    client.token = ApiToken.issue(user=editor, name="bot")[1]
    return client


LINKED = "Sample text.\n\nA guide: [leaflet](https://patient-leaflets.example/migraine).\n"


def post_edit(client, **extra):
    article = Article.objects.get(title="Sample condition")
    return client.post(
        reverse("wiki:edit", args=["Sample_condition"]),
        {"text": LINKED, "base_revision": article.latest_revision_id, "summary": "Guide", **extra},
    )


def saved() -> bool:
    return "patient-leaflets" in Article.objects.get(title="Sample condition").source


def test_the_edit_page_asks_a_young_account_for_a_captcha_and_keeps_the_text(young):
    asked = post_edit(young)
    page = asked.content.decode()
    assert asked.status_code == 400 and not saved()
    assert "New accounts answer a captcha to add links" in page
    assert "patient-leaflets.example/migraine" in page and 'value="Guide"' in page
    key, characters = captcha_shown(page)
    wrong = post_edit(young, captcha_0=key, captcha_1="wrong")
    assert wrong.status_code == 400 and not saved()
    assert "patient-leaflets.example/migraine" in wrong.content.decode()
    key, characters = captcha_shown(wrong.content.decode())
    assert post_edit(young, captcha_0=key, captcha_1=characters).status_code == 302
    assert saved()


def test_no_captcha_for_plain_edits_allowlisted_links_or_established_accounts(young, editor):
    article = Article.objects.get(title="Sample condition")
    plain = young.post(
        reverse("wiki:edit", args=["Sample_condition"]),
        {"text": "Plain words.\n", "base_revision": article.latest_revision_id},
    )
    assert plain.status_code == 302
    article.refresh_from_db()
    cited = young.post(
        reverse("wiki:edit", args=["Sample_condition"]),
        {"text": "See https://doi.org/10.1000/182.\n", "base_revision": article.latest_revision_id},
    )
    assert cited.status_code == 302
    editor.date_joined = timezone.now() - dt.timedelta(days=60)
    editor.save()
    assert post_edit(young).status_code == 302 and saved()


def test_a_talk_topic_with_a_link_is_saved_once_the_captcha_is_answered(young):
    url = reverse("wiki:talk_topic", args=["Talk:Sample_condition"])
    topic = {"topic-heading": "A leaflet", "topic-text": "See https://patient-leaflets.example/"}
    asked = young.post(url, topic)
    assert asked.status_code == 400 and "answer a captcha" in asked.content.decode()
    key, characters = captcha_shown(asked.content.decode(), field="topic-captcha")
    answered = young.post(url, {**topic, "topic-captcha_0": key, "topic-captcha_1": characters})
    assert answered.status_code == 302
    assert "patient-leaflets" in Article.objects.get(title="Talk:Sample condition").source


def challenge_answer(key: str) -> str:
    from captcha.models import CaptchaStore

    return CaptchaStore.objects.get(hashkey=key).response


def test_api_php_answers_as_confirmedit_and_takes_captchaid_and_captchaword(young):
    answer = api_php_edit(young, "Sample condition", LINKED).json()
    assert answer["edit"]["result"] == "Failure" and not saved()
    captcha = answer["edit"]["captcha"]
    assert captcha["type"] == "image" and captcha["url"].endswith(
        f"/captcha/image/{captcha['id']}/"
    )
    token = young.get("/api.php", {"action": "query", "meta": "tokens", "format": "json"})
    edit = {
        "action": "edit",
        "title": "Sample condition",
        "text": LINKED,
        "token": token.json()["query"]["tokens"]["csrftoken"],
        "format": "json",
        "captchaid": captcha["id"],
    }
    wrong = young.post("/api.php", {**edit, "captchaword": "wrong"}).json()
    assert "captcha" in wrong["edit"] and not saved()
    key = wrong["edit"]["captcha"]["id"]
    right = young.post("/api.php", {**edit, "captchaid": key, "captchaword": challenge_answer(key)})
    assert right.json()["edit"]["result"] == "Success" and saved()


def test_rest_answers_a_captcha_error_with_a_challenge_and_takes_the_answer(young):
    def put(**extra):
        return young.put(
            "/api/v1/articles/Sample_condition",
            {"text": LINKED, **extra},
            content_type="application/json",
            headers={"authorization": f"Bearer {young.token}"},
        )

    asked = put()
    error = asked.json()["error"]
    assert asked.status_code == 400 and error["code"] == "captcha" and not saved()
    assert error["links"] == ["https://patient-leaflets.example/migraine"]
    key = error["captcha"]["id"]
    assert error["captcha"]["audio"].endswith(f"/captcha/audio/{key}.wav")
    answered = put(captcha_id=key, captcha_answer=challenge_answer(key))
    assert answered.status_code == 200, json.dumps(answered.json())
    assert saved()


def test_an_undo_that_brings_a_link_back_asks_the_captcha_on_its_confirmation_page(
    young, other_editor
):
    article = Article.objects.get(title="Sample condition")
    save(article, other_editor, LINKED)
    removal = save(article, other_editor, "Sample text.\n").revision
    url = reverse("wiki:undo", args=["Sample_condition", removal.pk])
    confirm = {"summary": "Restore the guide", "base": removal.pk}
    asked = young.post(url, confirm)
    page = asked.content.decode()
    assert asked.status_code == 400 and "answer a captcha" in page and not saved()
    assert 'value="Restore the guide"' in page
    key, characters = captcha_shown(page)
    answered = young.post(url, {**confirm, "captcha_0": key, "captcha_1": characters})
    assert answered.status_code == 302 and saved()
