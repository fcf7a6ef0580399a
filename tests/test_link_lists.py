"""The link blocklist and allowlist: an edit adding a blocked link is refused on every
interface with the matching entry named and nothing saved or lost; links hidden in
references, infobox fields, entities, full-width or look-alike letters are caught; links
already on the page do not block other edits; known-good medical sites are allowlisted."""

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.helpers import api_php_edit, change_form_data
from wiki.antiabuse.link_finding import links_in
from wiki.antiabuse.models import LinkPattern
from wiki.api.models import ApiToken
from wiki.media.models import MediaFile
from wiki.models import Article

pytestmark = pytest.mark.django_db

SAMPLE = "Sample condition"


@pytest.fixture
def blocked(db):
    LinkPattern.objects.create(list="block", kind="domain", pattern="cheap-pills.example")
    LinkPattern.objects.create(list="block", kind="regex", pattern=r"casino[\w-]*\.")


@pytest.fixture
def writer(editor_client, editor, make_article, settings, tmp_path, blocked):
    """An established editor (no captcha asked), with an API token."""
    editor.date_joined = timezone.now() - dt.timedelta(days=90)
    editor.save()
    settings.MEDIA_ROOT = tmp_path
    make_article()
    editor_client.token = ApiToken.issue(user=editor, name="bot")[1]
    return editor_client


def image(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, "PNG")
    return SimpleUploadedFile("scan.png", buffer.getvalue(), content_type="image/png")


# Each interface: (status, what it answered as text), the text added at the end of the page.


def edit_form(client, text):
    article = Article.objects.get(title=SAMPLE)
    response = client.post(
        reverse("wiki:edit", args=["Sample_condition"]),
        {"text": f"{article.source}\n{text}\n", "base_revision": article.latest_revision_id},
    )
    return response.status_code, response.content.decode()


def section_form(client, text):
    article = Article.objects.get(title=SAMPLE)
    response = client.post(
        reverse("wiki:edit", args=["Sample_condition"]) + "?section=1",
        {"text": f"## Symptoms\n\n{text}\n", "base_revision": article.latest_revision_id},
    )
    return response.status_code, response.content.decode()


def talk_topic(client, text):
    response = client.post(
        reverse("wiki:talk_topic", args=["Talk:Sample_condition"]),
        {"topic-heading": "Sources", "topic-text": text},
    )
    return response.status_code, response.content.decode()


def action_edit(client, text):
    article = Article.objects.get(title=SAMPLE)
    answer = api_php_edit(client, SAMPLE, f"{article.source}\n{text}\n").json()
    return 200, json.dumps(answer, ensure_ascii=False)


def rest_edit(client, text):
    article = Article.objects.get(title=SAMPLE)
    response = client.put(
        "/api/v1/articles/Sample_condition",
        {"text": f"{article.source}\n{text}\n", "base_revision": article.latest_revision_id},
        content_type="application/json",
        headers={"authorization": f"Bearer {client.token}"},
    )
    return response.status_code, json.dumps(response.json(), ensure_ascii=False)


MEDIA = {"alt": "A scan", "author": "Dr Roe", "license": "cc-by-sa-4.0"}


def upload_description(client, text):
    response = client.post("/upload", {**MEDIA, "file": image((200, 9, 9)), "description": text})
    return response.status_code, response.content.decode()


def media_page_description(client, text):
    client.post("/upload", {**MEDIA, "file": image((9, 9, 9)), "name": "Kept.png"})
    response = client.post("/wiki/File:Kept.png/edit", {**MEDIA, "description": text})
    return response.status_code, response.content.decode()


def action_upload_description(client, text):
    token = client.get("/api.php", {"action": "query", "meta": "tokens", "format": "json"})
    response = client.post(
        "/api.php",
        {
            "action": "upload",
            "filename": "Spam scan.png",
            "file": image((50, 60, 70)),
            "text": text,
            "token": token.json()["query"]["tokens"]["csrftoken"],
            "format": "json",
        },
    )
    return 200, json.dumps(response.json(), ensure_ascii=False)


INTERFACES = [
    edit_form,
    section_form,
    talk_topic,
    action_edit,
    rest_edit,
    upload_description,
    media_page_description,
    action_upload_description,
]


def nothing_published(marker: str) -> bool:
    return not any(marker in a.source for a in Article.objects.all()) and not (
        MediaFile.objects.filter(description__contains=marker).exists()
    )


@pytest.mark.parametrize("write", INTERFACES, ids=lambda f: f.__name__)
def test_every_interface_refuses_a_blocked_link_naming_the_entry(writer, write):
    text = "Order here: [pharmacy](https://www.cheap-pills.example/buy) today."
    status, answer = write(writer, text)
    assert status in (200, 400), answer
    assert "cheap-pills.example" in answer
    assert nothing_published("cheap-pills")
    if write in (action_edit, action_upload_description):  # as SpamBlacklist answers
        error = json.loads(answer)["error"]
        assert error["code"] == "spamblacklist"
        assert error["spamblacklist"]["matches"] == ["https://www.cheap-pills.example"]
    elif write is rest_edit:
        error = json.loads(answer)["error"]
        assert (error["code"], error["matches"]) == (
            "spamblacklist",
            ["https://www.cheap-pills.example"],
        )
    else:  # the form again, with the reason and everything typed
        assert "blocklist entry “cheap-pills.example”" in answer
        assert "Order here:" in answer


def test_a_regular_expression_entry_is_named_with_the_text_it_matched(writer):
    status, answer = action_edit(writer, "Play at https://casino-royal.example/x")
    error = json.loads(answer)["error"]
    assert error["code"] == "spamblacklist"
    assert error["spamblacklist"]["matches"] == ["casino-royal."]
    status, answer = edit_form(writer, "Play at https://casino-royal.example/x")
    assert status == 400 and r"blocklist entry “casino[\w-]*\.”" in answer


HIDDEN = {
    "in a reference": "Claim.[^s]\n\n[^s]: cite web | title: Deals | url: https://cheap-pills.example/r",
    "bare in an infobox": "::: infobox drug\nName: X\nTrade names: shop.cheap-pills.example\n:::",
    "linked in an infobox": "::: infobox drug\nName: X\nCaption: [buy](https://cheap-pills.example)\n:::",
    "as HTML entities": "See https&#58;//cheap-pills&#46;example/p",
    "in full-width letters": "See ｈｔｔｐｓ：／／ｃｈｅａｐ－ｐｉｌｌｓ．ｅｘａｍｐｌｅ/p",
    "split by an invisible space": "See https://cheap-\u200bpills.example/p",
    "with a Cyrillic е": "See https://cheap-pills.\u0435xample/p",
    "percent-encoded": "See http://%63heap-pills.example/",
    "as punycode": "See https://cheap-pills.xn--xample-2of/p",
    "protocol-relative": "See [x](//cheap-pills.example/p)",
    "with backslashes, as browsers read them": r"See https:\\cheap-pills.example\p",
    "as a bare www address": "See www.cheap-pills.example for more",
    "in raw HTML": 'See <a href="HTTPS://CHEAP-PILLS.EXAMPLE/">this</a>',
}


@pytest.mark.parametrize("text", HIDDEN.values(), ids=HIDDEN.keys())
def test_disguised_and_hidden_links_are_caught(writer, text):
    status, answer = edit_form(writer, text)
    assert status == 400
    assert "cheap-pills.example" in answer
    assert "Nothing was saved" in answer


def test_a_link_already_on_the_page_does_not_block_other_edits(writer, editor):
    with override_settings():  # put it there as an import would, past the door
        from wiki.services import ArticleEdit, article_save

        article = Article.objects.get(title=SAMPLE)
        article_save(
            article=article,
            edit=ArticleEdit(
                text=article.source + "\nOld [shop](https://cheap-pills.example/).\n",
                base_revision=article.latest_revision_id,
                user=editor,
            ),
        )
    status, _ = edit_form(writer, "A plain new sentence.")
    assert status == 302
    assert "A plain new sentence." in Article.objects.get(title=SAMPLE).source
    status, _ = edit_form(writer, "Again: https://cheap-pills.example/other")
    assert status == 400  # a new link to the blocked site still is refused


def test_known_medical_sites_are_allowlisted_and_their_look_alikes_refused(writer):
    shipped = set(LinkPattern.objects.filter(list="allow").values_list("pattern", flat=True))
    assert {"doi.org", "pubmed.ncbi.nlm.nih.gov", "who.int"} <= shipped
    LinkPattern.objects.create(list="block", kind="regex", pattern=r"pubmed")  # too broad
    status, _ = edit_form(writer, "Trial: https://pubmed.ncbi.nlm.nih.gov/12345/ and doi.org.")
    assert status == 302  # the allowlist wins over a blocklist entry
    status, answer = edit_form(writer, "Guidance: https://wh\u043e.int/fact-sheet")
    assert status == 400
    assert "looks like who.int but is another site" in answer


def test_an_unrelated_host_with_a_similar_name_is_not_refused(writer):
    status, _ = edit_form(writer, "See https://notcheap-pills.example/ and https://pills.example/")
    assert status == 302


def test_finding_links_sees_what_a_browser_would_follow():
    found = links_in(
        "[a](https://A.Example/x?y=1) <http://b.example> //c.example/p www.d.example "
        "https&#58;//e&#46;example https://f\u200b.example https://xn--80ak6aa92e.com/"
    )
    assert [link.host for link in found.values()] == [
        "a.example",
        "b.example",
        "c.example",
        "www.d.example",
        "e.example",
        "f.example",
        "\u0430\u0440\u0440\u04cf\u0435.com",  # Cyrillic letters that read "apple"
    ]
    assert list(found.values())[-1].skeleton == "apple.com"


def test_administrators_keep_the_lists_in_the_admin_with_history(admin_client_):
    added = admin_client_.post(
        "/admin/wiki/linkpattern/add/",
        {"list": "block", "kind": "domain", "pattern": "https://Spam.Example/path", "note": "x"},
    )
    assert added.status_code == 302
    entry = LinkPattern.objects.get(note="x")
    assert entry.pattern == "spam.example"  # kept as a domain
    admin_client_.post(
        f"/admin/wiki/linkpattern/{entry.pk}/change/",
        {"list": "block", "kind": "domain", "pattern": "spam.example", "note": "changed"},
    )
    history = admin_client_.get(f"/admin/wiki/linkpattern/{entry.pk}/history/")
    assert history.status_code == 200
    assert history.content.decode().count('<th scope="row">') >= 2  # both versions
    refused = admin_client_.post(
        "/admin/wiki/linkpattern/add/", {"list": "block", "kind": "regex", "pattern": "(unclosed"}
    )
    assert refused.status_code == 200
    assert "Not a regular expression" in refused.content.decode()


def test_the_admins_article_form_refuses_a_blocked_link_too(admin_client_, make_article, blocked):
    article = make_article()
    data = change_form_data(admin_client_, article)
    data["lead"] = "A lead with [a shop](https://cheap-pills.example/).\r\n"
    refused = admin_client_.post(f"/admin/wiki/article/{article.pk}/change/", data)
    assert refused.status_code == 400
    assert "blocklist entry “cheap-pills.example”" in refused.content.decode()
    assert nothing_published("cheap-pills") and article.revisions.count() == 1


def test_a_catastrophic_blocklist_expression_does_not_hang_a_save(writer, caplog):
    """An administrator's expression with nested repeats, against a long link, runs out of
    its time: it matches nothing and is logged; the other entries still refuse."""
    LinkPattern.objects.create(list="block", kind="regex", pattern=r"(a+a+)+b")
    status, answer = edit_form(writer, "See https://example.org/" + "a" * 1800 + "c")
    assert status == 302, answer
    assert "ran out of time" in caplog.text
    status, answer = edit_form(writer, "Play at https://casino-royal.example/x")
    assert status == 400
