"""Editors change one section or the whole source, create articles, and never lose text."""

import datetime as dt
import io
import threading
import time
from urllib.parse import urlencode

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from tests.conftest import SAMPLE_SOURCE, save
from wiki.models import Article, Revision

EDIT = "/wiki/Sample_condition/edit"


def post_edit(client, url, text, article, **fields):
    """Submit the editor as a browser would, based on the article's latest revision."""
    article.refresh_from_db()
    data = {"text": text, "summary": "", "base_revision": article.latest_revision_id}
    data.update(fields)
    return client.post(url, data)


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# The section editor


def test_the_section_editor_holds_only_that_section_with_its_heading(editor_client, make_article):
    article = make_article()
    response = editor_client.get(EDIT + "?section=2")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["text"] == "## Causes\n\nNobody knows the causes.\n"
    assert form.initial["base_revision"] == article.latest_revision_id
    html = response.content.decode()
    assert "Editing Sample condition" in html and "section 2: Causes" in html
    assert 'class="markdownx-editor' in html and 'class="markdownx-preview"' in html
    assert 'name="summary"' in html and 'name="minor"' in html
    assert 'name="categories"' not in html  # categories belong to the whole article


def test_a_section_save_reads_the_sections_once_under_the_lock(editor_client, make_article):
    """A section save reads the article's sections twice (the form's check that the section
    exists, and under the lock) and never again: the history, the search index, the citation
    index and the redirect to the section take the rows the save wrote; django-reversion's
    read-backs and the citation index's update_or_create are gone (bench/README.md, section saves)."""
    from django.test.utils import CaptureQueriesContext

    article = make_article()
    with CaptureQueriesContext(connection) as queries:
        response = post_edit(editor_client, EDIT + "?section=2", "## Causes\n\nA virus.\n", article)
    assert response.status_code == 302
    statements = [q["sql"] for q in queries.captured_queries]
    reads = [s for s in statements if s.startswith("SELECT") and 'FROM "wiki_section"' in s]
    assert len(reads) == 2, reads
    assert not [s for s in statements if s.startswith('SELECT "wiki_citationindex"')]
    assert not [s for s in statements if 'FROM "wiki_revision"' in s]  # no read-back
    fresh = Article.objects.get(pk=article.pk)
    assert (
        "A virus." in fresh.source
        and fresh.latest_revision_id == Revision.objects.get(article=fresh, section=2).pk
    )


def test_the_lead_is_section_zero(editor_client, make_article):
    make_article()
    response = editor_client.get(EDIT + "?section=0")
    assert response.context["form"].initial["text"].startswith("Sample condition is a made-up")
    assert "## " not in response.context["form"].initial["text"]


def test_saving_a_section_replaces_that_section_only(editor_client, make_article, editor):
    article = make_article()
    response = post_edit(
        editor_client,
        EDIT + "?section=2",
        "## Causes\n\nA virus is suspected.\n\n",
        article,
        summary="Causes: new finding",
        minor="on",
    )
    assert response.status_code == 302
    assert response["Location"] == "/wiki/Sample_condition#Causes"
    article.refresh_from_db()
    assert article.source == SAMPLE_SOURCE.replace(
        "Nobody knows the causes.\n\n", "A virus is suspected.\n\n"
    )
    revision = Revision.objects.filter(article=article).first()
    assert (
        revision.user,
        revision.summary,
        revision.minor,
        revision.section,
        revision.section_heading,
    ) == (editor, "Causes: new finding", True, 2, "Causes")
    page = editor_client.get(response["Location"])
    assert "A virus is suspected." in page.content.decode()
    assert "Your edit was saved." in messages_of(page)


def test_a_heading_typed_into_a_section_splits_it_into_new_sections(editor_client, make_article):
    article = make_article()
    post_edit(
        editor_client,
        EDIT + "?section=1",
        "## Symptoms\n\nTiredness.\n\n## Signs\n\nA mild rash.\n",
        article,
    )
    article.refresh_from_db()
    assert [s.heading for s in article.ordered_sections] == [
        "Symptoms",
        "Signs",
        "Causes",
        "Treatment",
        "See also",
    ]
    page = editor_client.get("/wiki/Sample_condition").content.decode()
    assert 'id="Signs"' in page and "?section=2" in page


def test_the_whole_source_editor_saves_and_resplits(editor_client, make_article):
    article = make_article()
    response = editor_client.get(EDIT)
    assert response.context["form"].initial["text"] == SAMPLE_SOURCE
    new_source = "A shorter lead.\n\n## Only section\n\nEverything else.\n"
    response = post_edit(editor_client, EDIT, new_source, article, categories="Neurology")
    assert response.status_code == 302 and response["Location"] == "/wiki/Sample_condition"
    article.refresh_from_db()
    assert article.source == new_source
    assert [s.heading for s in article.ordered_sections] == ["Only section"]
    assert list(article.categories.values_list("name", flat=True)) == ["Neurology"]
    assert Revision.objects.filter(article=article).first().section is None


# New articles


def test_a_red_link_opens_the_create_form_and_creates_the_article(editor_client, make_article):
    make_article()
    page = editor_client.get("/wiki/Sample_condition").content.decode()
    assert 'class="wikilink new" href="/wiki/Other_condition/edit"' in page
    form = editor_client.get("/wiki/Other_condition/edit")
    assert form.status_code == 200 and "Creating “Other condition”" in form.content.decode()
    response = editor_client.post(
        "/wiki/Other_condition/edit",
        {
            "title": "Other condition",
            "text": "Another made-up condition.\n\n## Signs\n\nNone.\n",
            "summary": "",
            "categories": "",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/wiki/Other_condition"
    created = Article.objects.get(title="Other condition")
    assert created.revisions.get().kind == "create"
    assert created.revisions.get().summary == "Created the article"
    page = editor_client.get("/wiki/Sample_condition").content.decode()
    assert 'class="wikilink" href="/wiki/Other_condition"' in page


@pytest.mark.parametrize(
    "title, error",
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 256, "The title is longer than 255 characters."),
        ("Brackets [in] title", "A title cannot contain these characters: [ ]"),
        ("Pipe | and <angle>", "A title cannot contain these characters: &lt; &gt; |"),
        ("Notes/edit", "That title is reserved for the wiki&#x27;s own pages."),
    ],
)
def test_title_rules_give_form_errors(editor_client, title, error):
    response = editor_client.post("/wiki/New_page/edit", {"title": title, "text": "Body.\n"})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Article.objects.exists()


def test_a_title_that_exists_already_is_a_form_error(editor_client, make_article):
    make_article()
    response = editor_client.post(
        "/wiki/Something_new/edit", {"title": "sample_condition", "text": "Other text.\n"}
    )
    assert response.status_code == 400
    assert "An article with this title already exists." in response.content.decode()
    assert Article.objects.get().source == SAMPLE_SOURCE


def test_a_url_title_with_forbidden_characters_shows_the_rule_on_the_form(editor_client):
    response = editor_client.get("/wiki/Curly%7Bbraces%7D/edit")
    assert response.status_code == 200
    assert "A title cannot contain these characters: { }" in response.content.decode()


# Bad input


@pytest.mark.parametrize("section", ["5", "99"])
def test_a_section_out_of_range_is_404(editor_client, make_article, section):
    article = make_article()
    response = editor_client.get(f"{EDIT}?section={section}")
    assert response.status_code == 404
    assert f"has no section number {section}" in response.content.decode()
    response = post_edit(editor_client, f"{EDIT}?section={section}", "## X\n\nY\n", article)
    assert response.status_code == 404
    assert Revision.objects.filter(article=article).count() == 1


@pytest.mark.parametrize("section", ["abc", "-1", "1.5", "1e3"])
def test_a_section_that_is_not_a_number_is_400(editor_client, make_article, section):
    article = make_article()
    response = editor_client.get(f"{EDIT}?section={section}")
    assert response.status_code == 400
    assert "The section must be a number" in response.content.decode()
    assert post_edit(editor_client, f"{EDIT}?section={section}", "x", article).status_code == 400


def test_a_body_over_the_size_limit_is_a_form_error(editor_client, make_article, settings):
    settings.WIKI_MAX_SOURCE_BYTES = 1000
    article = make_article()
    response = post_edit(editor_client, EDIT, "é" * 501, article)  # 1002 bytes, 1003 stored
    assert response.status_code == 400
    assert "The text is 1,003 bytes; the limit is 1,000 bytes." in response.content.decode()
    article.refresh_from_db()
    assert article.source == SAMPLE_SOURCE and article.revisions.count() == 1


@pytest.mark.parametrize("typed", ["x" * 1000, "x" * 999 + "\r\n\r\n"])
def test_a_text_at_the_limit_is_measured_as_the_save_measures_it(
    editor_client, make_article, settings, typed
):
    """The size is that of the text as stored (LF endings, one final newline), by the form
    and the save alike: a new article and an edit get the same form error, text kept."""
    settings.WIKI_MAX_SOURCE_BYTES = 1000
    article = make_article()
    stored = len(typed.replace("\r\n", "\n").rstrip("\n")) + 1
    for url, data in [
        (EDIT, {"text": typed, "base_revision": article.latest_revision_id}),
        ("/wiki/New_page/edit", {"title": "New page", "text": typed}),
    ]:
        response = editor_client.post(url, data)
        if stored > 1000:
            assert response.status_code == 400
            page = response.content.decode()
            assert f"The text is {stored:,} bytes; the limit is 1,000 bytes." in page
            assert typed.replace("\r\n", "\n") in page  # kept in the text box
        else:
            assert response.status_code == 302
    assert Article.objects.filter(title="New page").exists() == (stored <= 1000)


def test_a_section_edit_that_makes_the_article_too_large_keeps_the_text(
    editor_client, make_article, settings
):
    settings.WIKI_MAX_SOURCE_BYTES = len(SAMPLE_SOURCE.encode()) + 10
    article = make_article()
    response = post_edit(editor_client, f"{EDIT}?section=3", "## Treatment\n\n" + "r" * 40, article)
    assert response.status_code == 400
    page = response.content.decode()
    assert "the limit is" in page and "Nothing was saved" in page and "r" * 40 in page
    assert article.revisions.count() == 1


def test_a_body_too_large_to_read_is_a_clear_400(editor_client, make_article, settings):
    settings.WIKI_MAX_SOURCE_BYTES = 1000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    article = make_article()
    response = post_edit(editor_client, EDIT, "x" * 5000, article)
    assert response.status_code == 400
    assert "What you sent is larger than 2.0\xa0KB" in response.content.decode()
    assert "Nothing was saved." in response.content.decode()
    assert article.revisions.count() == 1


def test_the_default_size_limit_is_two_megabytes(settings):
    assert settings.WIKI_MAX_SOURCE_BYTES == 2 * 1024 * 1024


def test_an_unchanged_save_adds_no_revision_and_says_so(editor_client, make_article):
    article = make_article()
    response = post_edit(
        editor_client, EDIT + "?section=3", "## Treatment\n\nRest helps.\n\n", article
    )
    assert response.status_code == 302
    assert article.revisions.count() == 1
    page = editor_client.get(response["Location"])
    assert "You made no changes, so nothing was saved." in messages_of(page)


def test_a_post_without_csrf_token_is_refused_and_hands_the_text_back(editor, make_article):
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = post_edit(client, EDIT, "Text typed before the session expired.\n", article)
    assert response.status_code == 403
    html = response.content.decode()
    assert "without the security token" in html
    assert "Text typed before the session expired." in html
    article.refresh_from_db()
    assert article.source == SAMPLE_SOURCE and article.revisions.count() == 1


def test_the_edit_form_carries_a_csrf_token(editor, make_article):
    make_article()
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    form = client.get(EDIT)
    token = form.context["csrf_token"]
    response = client.post(
        EDIT,
        {
            "text": "New lead.\n",
            "csrfmiddlewaretoken": str(token),
            "base_revision": form.context["form"].initial["base_revision"],
        },
    )
    assert response.status_code == 302


HOSTILE = (
    "Intro <script>alert('x')</script> text.\n\n"
    '<img src="x.png" onerror="alert(1)"> <a href="javascript:alert(2)">click</a>\n\n'
    '<iframe src="https://evil.example/"></iframe>\n\n'
    '[markdown link](javascript:alert(3)) <div onclick="alert(4)">div</div>\n'
)


def assert_harmless(html):
    lowered = html.lower()
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe"):
        assert bad not in lowered, bad


def test_hostile_markdown_is_harmless_on_the_page_and_in_the_preview(
    editor_client, editor, make_article
):
    editor.date_joined -= dt.timedelta(days=90)  # an established account: no captcha for links
    editor.save()
    article = make_article()
    post_edit(editor_client, EDIT + "?section=0", HOSTILE, article)
    page = editor_client.get("/wiki/Sample_condition").content.decode()
    body = page.split('<div class="lead">', 1)[1].split("</div>", 1)[0]
    assert "Intro" in body and "click" in body
    assert_harmless(body)
    preview = editor_client.post("/markdownx/markdownify/", {"content": HOSTILE})
    assert preview.status_code == 200
    assert "Intro" in preview.content.decode()
    assert_harmless(preview.content.decode())


def test_the_preview_refuses_non_editors(client, reader):
    assert client.post("/markdownx/markdownify/", {"content": "*hi*"}).status_code == 403
    client.force_login(reader)
    assert client.post("/markdownx/markdownify/", {"content": "*hi*"}).status_code == 403


def test_the_preview_renders_markdown_and_wiki_links(editor_client, make_article):
    make_article()
    response = editor_client.post(
        "/markdownx/markdownify/", {"content": "**Bold** and [[Sample condition|a link]]"}
    )
    assert response.content.decode() == (
        "<p><strong>Bold</strong> and "
        '<a class="wikilink" href="/wiki/Sample_condition">a link</a></p>'
    )


def test_the_preview_shows_links_to_missing_articles_red(editor_client, make_article):
    make_article()
    html = editor_client.post(
        "/markdownx/markdownify/",
        {"content": "See [[Sample condition]] and [[Not written yet|this]]."},
    ).content.decode()
    assert '<a class="wikilink" href="/wiki/Sample_condition">' in html
    assert (
        '<a class="wikilink new" href="/wiki/Not_written_yet/edit" '
        'title="Not written yet (page does not exist)">this</a>'
    ) in html


# Conflicts: a stale base revision


def test_a_change_to_another_section_merges_and_says_so(client, editor, other_editor, make_article):
    article = make_article()
    client.force_login(editor)
    opened = client.get(EDIT + "?section=1").context["form"].initial["base_revision"]
    theirs = save(article, other_editor, SAMPLE_SOURCE.replace("Rest helps.", "Sleep helps."))
    response = client.post(
        EDIT + "?section=1",
        {
            "text": "## Symptoms\n\nPeople report fatigue.\n",
            "base_revision": opened,
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert "Sleep helps." in article.source and "People report fatigue." in article.source
    page = client.get(response["Location"])
    assert any("merged and saved" in m for m in messages_of(page))
    newest = article.revisions.first()
    assert (newest.user, newest.parent_id) == (editor, theirs.revision.pk)


def test_separate_lines_in_the_same_section_merge(client, editor, other_editor, make_article):
    source = "Lead.\n\n## Care\n\nLine one.\n\nLine two.\n\nLine three.\n\nLine four.\n"
    article = make_article(source=source)
    client.force_login(editor)
    opened = article.latest_revision_id
    save(article, other_editor, source.replace("Line one.", "Line one, revised."))
    response = client.post(
        EDIT + "?section=1",
        {
            "text": "## Care\n\nLine one.\n\nLine two.\n\nLine three.\n\nLine four, revised.\n",
            "base_revision": opened,
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.source == source.replace("Line one.", "Line one, revised.").replace(
        "Line four.", "Line four, revised."
    )


def test_overlapping_changes_show_the_conflict_page_and_keep_my_text(
    client, editor, other_editor, make_article
):
    article = make_article()
    client.force_login(editor)
    opened = article.latest_revision_id
    save(
        article,
        other_editor,
        SAMPLE_SOURCE.replace("Rest helps.", "Sleep helps."),
        summary="Sleep, not rest",
    )
    response = client.post(
        EDIT + "?section=3",
        {
            "text": "## Treatment\n\nWater helps.\n",
            "base_revision": opened,
            "summary": "Water",
        },
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Your edit has not been saved yet, and nothing is lost." in html
    assert "otto" in html and "Sleep, not rest" in html
    form = response.context["form"]
    assert "Water helps." in form.initial["text"] and "Symptoms" in form.initial["text"]
    assert form.initial["summary"] == "Water"
    assert response.context["current_source"].count("Sleep helps.") == 1
    assert 'id="current-text"' in html and "Sleep helps." in html
    assert 'class="diff"' in html  # the table comparing both
    article.refresh_from_db()
    assert "Water helps." not in article.source and article.revisions.count() == 2

    # The editor merges by hand and saves against the revision the conflict page showed.
    merged = form.initial["text"].replace("Water helps.", "Sleep and water help.")
    response = client.post(
        EDIT, {"text": merged, "summary": "Both", "base_revision": form.initial["base_revision"]}
    )
    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)  # a fresh instance: sections are cached
    assert "Sleep and water help." in article.source and article.revisions.count() == 3


# Two saves at the same moment: real concurrent connections on both databases (PostgreSQL row
# locks; SQLite's one writer at a time, which must queue, not fail)

only_on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="counts backends waiting on a row lock in pg_stat_activity, which only PostgreSQL has",
)


def waiting_on_locks() -> int:
    """Backends of this database blocked on a lock right now."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # else fixed for the transaction
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def start_posts(posts):
    """Send each (client, url, data) from its own thread (own DB connection) at the same moment.

    Returns a function that waits for them and gives their responses in order."""
    barrier = threading.Barrier(len(posts))
    responses = [None] * len(posts)
    errors = []

    def send(i, client, url, data):
        try:
            barrier.wait(timeout=10)
            responses[i] = client.post(url, data)
        except Exception as exc:  # reported by finish()
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()

    def finish():
        for thread in threads:
            thread.join(timeout=60)
        assert not errors, errors
        return responses

    return finish


def two_editors(editor, other_editor):
    clients = []
    for user in (editor, other_editor):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


@pytest.mark.postgres
@only_on_postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_overlapping_saves_never_both_pass_the_check(
    editor, other_editor, make_article
):
    article = make_article()
    base = article.latest_revision_id
    edna, otto = two_editors(editor, other_editor)
    url = EDIT + "?section=3"
    posts = [
        (edna, url, {"text": "## Treatment\n\nWater helps.\n\n", "base_revision": base}),
        (otto, url, {"text": "## Treatment\n\nSleep helps.\n\n", "base_revision": base}),
    ]
    # Hold the article's row lock first: both requests must queue behind it, not read past it.
    with transaction.atomic():
        Article.objects.select_for_update().get(pk=article.pk)
        finish = start_posts(posts)
        deadline = time.monotonic() + 20
        while waiting_on_locks() < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        seen_waiting = waiting_on_locks()
    responses = finish()
    assert seen_waiting == 2, "both saves should have been waiting on the article's row lock"
    assert sorted(r.status_code for r in responses) == [302, 409]
    article = Article.objects.get(pk=article.pk)
    assert article.revisions.count() == 2
    assert article.revisions.first().parent_id == base
    texts = ["Water helps.", "Sleep helps."]
    loser = 0 if responses[0].status_code == 409 else 1
    assert texts[1 - loser] in article.source and texts[loser] not in article.source
    assert texts[loser] in responses[loser].content.decode()  # handed back, not lost


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_different_sections_queue_and_merge_on_every_database(
    editor, other_editor, make_article
):
    article = make_article()
    base = article.latest_revision_id
    edna, otto = two_editors(editor, other_editor)
    for round_ in range(5):
        responses = start_posts(
            [
                (
                    edna,
                    EDIT + "?section=1",
                    {"text": f"## Symptoms\n\nFatigue {round_}.\n\n", "base_revision": base},
                ),
                (
                    otto,
                    EDIT + "?section=3",
                    {"text": f"## Treatment\n\nSleep {round_}.\n\n", "base_revision": base},
                ),
            ]
        )()
        assert [r.status_code for r in responses] == [302, 302]
        article = Article.objects.get(pk=article.pk)
        assert f"Fatigue {round_}." in article.source and f"Sleep {round_}." in article.source
        base = article.latest_revision_id


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_two_articles_both_land_on_every_database(
    editor, other_editor, make_article
):
    first = make_article("First condition")
    second = make_article("Second condition")
    edna, otto = two_editors(editor, other_editor)
    for round_ in range(5):
        first.refresh_from_db()
        second.refresh_from_db()
        responses = start_posts(
            [
                (
                    edna,
                    "/wiki/First_condition/edit",
                    {"text": f"First text {round_}.\n", "base_revision": first.latest_revision_id},
                ),
                (
                    otto,
                    "/wiki/Second_condition/edit",
                    {
                        "text": f"Second text {round_}.\n",
                        "base_revision": second.latest_revision_id,
                    },
                ),
            ]
        )()
        assert [r.status_code for r in responses] == [302, 302]
    assert Article.objects.get(pk=first.pk).source == "First text 4.\n"
    assert Article.objects.get(pk=second.pk).source == "Second text 4.\n"


@pytest.mark.parametrize(
    "text",
    [
        # Dosage prose: its punctuation takes three characters each, URL-encoded (3 MB).
        'Dose: 5 mg/kg, twice a day; (rest) & water? 100% "safe".\n\n' * 35000,
        "Кровь и железо. " * 36000,  # 0.9 MB of Cyrillic: six characters a letter, encoded
    ],
    ids=["punctuation", "cyrillic"],
)
def test_a_text_within_the_size_limit_is_saved_whatever_its_encoded_size(
    editor_client, make_article, text
):
    article = make_article()
    assert len(text.encode()) <= 2 * 1024 * 1024
    # As a browser sends a form: URL-encoded.
    body = urlencode({"text": text, "base_revision": article.latest_revision_id})
    response = editor_client.post(EDIT, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert article.source.strip() == text.strip()


def test_a_section_edit_that_would_make_the_article_too_large_is_a_form_error(
    editor_client, make_article, settings
):
    settings.WIKI_MAX_SOURCE_BYTES = 1000
    article = make_article()  # about 330 bytes
    grown = "## Causes\n\n" + "Nobody knows. " * 60  # 851 bytes: within the limit alone
    response = post_edit(editor_client, EDIT + "?section=2", grown, article)
    assert response.status_code == 400
    page = response.content.decode()
    assert "the article would be 1," in page and "the limit is 1,000 bytes" in page
    assert "Nobody knows. Nobody knows." in page  # the typed text is handed back
    article = Article.objects.get(pk=article.pk)
    assert article.source == SAMPLE_SOURCE and article.revisions.count() == 1


def test_show_changes_shows_the_diff_and_keeps_the_text(editor_client, make_article):
    article = make_article()
    typed = article.source.replace("Rest helps.", "Rest and fluids help.")
    response = editor_client.post(
        "/wiki/Sample_condition/edit",
        {
            "text": typed,
            "summary": "Fluids",
            "base_revision": article.latest_revision_id,
            "categories": "",
            "show_changes": "1",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Your changes (not saved yet)" in text
    assert "<del>" in text and "<ins>" in text and "fluids" in text
    assert "Rest and fluids help." in text  # still in the text box
    assert 'value="Fluids"' in text
    article.refresh_from_db()
    assert "Rest helps." in article.source  # nothing saved


def test_show_changes_of_one_section_compares_that_section(editor_client, make_article):
    article = make_article()
    response = editor_client.post(
        "/wiki/Sample_condition/edit?section=3",
        {
            "text": "## Treatment\n\nRest helps. Sleep too.\n",
            "base_revision": article.latest_revision_id,
            "show_changes": "1",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Treatment" in text.split("Your changes")[1] and "Sleep" in text
    assert "section changed" in text
    assert text.count("section changed") == 1


@pytest.mark.django_db
def test_load_demo_creates_the_editors_help_protected_and_keeps_an_admins_edit(
    editor_client, administrator
):
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    titles = set(Article.objects.filter(title__startswith="Help:").values_list("title", flat=True))
    assert {"Help:Editing", "Help:Citing sources", "Help:Infoboxes", "Help:Tables"} <= titles
    assert {"Help:Linking", "Help:Images", "Help:Review"} <= titles
    for article in Article.objects.filter(title__startswith="Help:"):
        assert article.is_protected, article.title
    # An editor is refused; the page reads as help.
    page = editor_client.get("/wiki/Help:Editing")
    assert page.status_code == 200 and "The toolbar" in page.content.decode()
    refused = editor_client.post(
        "/wiki/Help:Editing/edit", {"text": "Gone", "summary": "x", "base_revision": ""}
    )
    assert Article.objects.get(title="Help:Editing").source.startswith("These help pages")
    assert refused.status_code in {302, 403}
    # An administrator's later change survives loading the demo again.
    save(Article.objects.get(title="Help:Tables"), administrator, "Our own words.\n")
    call_command("load_demo", stdout=io.StringIO())
    assert Article.objects.get(title="Help:Tables").source == "Our own words.\n"
