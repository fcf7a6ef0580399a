"""Limits on young accounts: saves a minute per account and per address, external links
added in one edit; each refused with a message that says what to do, the text kept."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

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


def test_a_young_account_may_add_few_external_links(young_editor_client, settings, make_article):
    settings.WIKI_YOUNG_ACCOUNT_EXTERNAL_LINKS = 2
    make_article()
    links = " ".join(f"[s{n}](https://spam{n}.example/)" for n in range(3))
    refused = save(young_editor_client, f"Buy: {links}\n")
    assert refused.status_code == 400
    assert "adds 3 links to other sites" in refused.content.decode()
    assert "spam" not in Article.objects.get(title="Sample condition").source
    assert (
        save(young_editor_client, "[a](https://a.example/) [b](https://b.example/)\n").status_code
        == 302
    )


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
