"""Browsers send a textarea's text with CRLF line endings: every door text comes in by (the
edit form, one section, a new article, the admin, talk, both APIs) hands the rest of the
system LF only, so every block syntax (infobox, gallery, a citation over several lines, a
table, fenced code) saves and renders as it does when typed with LF."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from tests.helpers import change_form_data, form_as_submitted
from wiki.api.models import ApiToken
from wiki.models import Article, Revision
from wiki.services import ArticleEdit, article_save

pytestmark = pytest.mark.django_db

BLOCKS = """\
::: infobox medical condition
Name: Migraine
Specialty: Neurology
Symptoms: Recurring headaches
:::

Migraine is a headache disorder.[^roe]

| Phase | Length |
|---|---|
| Aura | 5 to 60 minutes |
| Headache | 4 to 72 hours |

```
::: not an infobox
kept as typed
```

::: gallery
Aura.png|The aura
:::

## References

[^roe]: cite journal | authors: Roe A | title: Aura and its phases
    | journal: Headache | year: 2001
"""


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def assert_rendered_as_typed(article: Article) -> None:
    """The article holds LF text only and every block rendered."""
    article.refresh_from_db()
    assert "\r" not in article.source
    assert article.source == BLOCKS
    html = article.lead_html + "".join(s.html for s in article.ordered_sections)
    html += article.notes_html
    assert '<table class="infobox">' in html
    assert "<td>5 to 60 minutes</td>" in html
    assert "::: not an infobox\nkept as typed" in html
    assert 'class="gallery"' in html
    assert "Roe A. Aura and its phases. <cite>Headache</cite>. 2001." in html or (
        "Roe A. Aura and its phases." in html and "2001" in html
    )
    assert article.infobox["fields"]["specialty"] == "Neurology"


@pytest.fixture
def migraine(make_article, editor):
    return make_article(title="Migraine", source="Migraine is a headache disorder.\n", user=editor)


def test_the_edit_form_takes_the_whole_text_as_a_browser_sends_it(editor_client, migraine):
    response = editor_client.post(
        "/wiki/Migraine/edit",
        {"text": crlf(BLOCKS), "base_revision": migraine.latest_revision_id, "summary": "Box"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert_rendered_as_typed(migraine)


def test_the_lead_alone_takes_an_infobox_with_crlf(editor_client, make_article, editor):
    article = make_article(title="Migraine", source=BLOCKS, user=editor)
    lead = BLOCKS.split("## References")[0].rstrip("\n") + "\n"
    response = editor_client.post(
        "/wiki/Migraine/edit?section=0",
        {
            "text": crlf(lead.replace("Neurology", "Neurology, Pediatrics")),
            "base_revision": article.latest_revision_id,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.infobox["fields"]["specialty"] == "Neurology, Pediatrics"
    assert "\r" not in article.source


def test_a_new_article_takes_crlf(editor_client):
    response = editor_client.post(
        "/wiki/Migraine/edit", {"title": "Migraine", "text": crlf(BLOCKS), "summary": "New"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert_rendered_as_typed(Article.objects.get(title="Migraine"))


def test_show_changes_with_crlf_shows_only_the_change(editor_client, make_article, editor):
    article = make_article(title="Migraine", source=BLOCKS, user=editor)
    response = editor_client.post(
        "/wiki/Migraine/edit",
        {
            "text": crlf(BLOCKS.replace("4 to 72", "4 to 48")),
            "base_revision": article.latest_revision_id,
            "show_changes": "1",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "48" in page and page.count("<ins") + page.count("<del") <= 4


def test_the_admin_saves_an_infobox_article_unchanged(admin_client_, make_article, editor):
    article = make_article(title="Migraine", source=BLOCKS, user=editor)
    before = Revision.objects.count()
    data = change_form_data(admin_client_, article)  # CRLF, as a browser sends it
    response = admin_client_.post(f"/admin/wiki/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Revision.objects.count() == before  # nothing changed, nothing recorded
    assert_rendered_as_typed(article)


def test_a_talk_topic_keeps_its_lines(editor_client, migraine):
    response = editor_client.post(
        "/wiki/Talk:Migraine/new-topic",
        {"topic-heading": "Aura table", "topic-text": crlf("| a | b |\n|---|---|\n| 1 | 2 |\n")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    talk = Article.objects.get(title="Talk:Migraine")
    assert "\r" not in talk.source
    assert "<td>1</td>" in talk.ordered_sections[0].html


def test_the_rest_api_takes_crlf(client, migraine, editor):
    token = ApiToken.issue(user=editor, name="bot")[1]
    response = client.put(
        "/api/v1/articles/Migraine",
        {"text": crlf(BLOCKS), "base_revision": migraine.latest_revision_id},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    assert_rendered_as_typed(migraine)


def test_the_action_api_takes_crlf(client, migraine, editor):
    client.force_login(editor)
    token = client.get("/api.php", {"action": "query", "meta": "tokens", "format": "json"})
    token = token.json()["query"]["tokens"]["csrftoken"]
    answer = client.post(
        "/api.php",
        {
            "action": "edit",
            "title": "Migraine",
            "text": crlf(BLOCKS),
            "token": token,
            "format": "json",
        },
    ).json()
    assert answer["edit"]["result"] == "Success", answer
    assert_rendered_as_typed(migraine)


def test_the_write_path_itself_never_stores_cr(editor):
    article = article_save(
        article=Article(title="Migraine"),
        edit=ArticleEdit(text=crlf(BLOCKS), base_revision=None, user=editor),
    ).article
    assert_rendered_as_typed(article)


DEMO = Path(settings.BASE_DIR) / "demo" / "articles"


@pytest.fixture
def demo(db):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    return list(Article.objects.filter(title__in=_demo_titles()))


def _demo_titles() -> list[str]:
    import yaml

    titles = []
    for path in sorted(DEMO.glob("*.md")):
        front = path.read_text().split("---")[1]
        titles.append(yaml.safe_load(front)["title"])
    return titles


def test_every_demo_article_posted_back_unchanged_through_the_edit_form(client, editor, demo):
    """What a browser sends back from an untouched editor, whole or one section at a time:
    no error, no new revision."""
    editor.date_joined -= dt.timedelta(days=365)  # an established editor: no new-account limit
    editor.save()
    client.force_login(editor)
    assert len(demo) == len(_demo_titles()) > 5
    before = Revision.objects.count()
    for article in demo:
        urls = [article.get_absolute_url() + "/edit"] + [
            f"{article.get_absolute_url()}/edit?section={n}"
            for n in range(len(article.ordered_sections) + 1)
        ]
        for url in urls:
            page = client.get(url).content.decode()
            response = client.post(url, form_as_submitted(page))
            assert response.status_code == 302, (url, response.status_code, errors_in(response))
    assert Revision.objects.count() == before


def errors_in(response) -> list[str]:
    from lxml import html

    return [
        e.text_content()
        for e in html.fromstring(response.content).xpath("//*[contains(@class, 'errorlist')]")
    ]


def test_every_demo_article_saved_unchanged_in_the_admin(admin_client_, demo):
    before = Revision.objects.count()
    for article in demo:
        data = change_form_data(admin_client_, article)
        response = admin_client_.post(f"/admin/wiki/article/{article.pk}/change/", data)
        assert response.status_code == 302, (article.title, response.content.decode()[:3000])
    assert Revision.objects.count() == before
