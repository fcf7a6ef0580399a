"""The editing mode is remembered per editor: the mode of their last save, on any browser, or the
one their preferences fix; a visitor's browser remembers its own (static/editor/src/mount.js)."""

import re

from django.test import Client

from tests.conftest import SAMPLE_SOURCE

EDIT = "/wiki/Sample_condition/edit"


def opened_in(client) -> str:
    """The mode the edit page tells the editor's script to open in ("" for its own memory)."""
    html = client.get(EDIT).content.decode()
    return re.search(r'data-editor-mode="([a-z]*)"', html).group(1)


def save_in(client, article, mode: str, text: str):
    article.refresh_from_db()
    data = {"text": text, "summary": "", "base_revision": article.latest_revision_id}
    return client.post(EDIT, {**data, "editor_mode": mode})


def test_the_mode_of_the_last_save_opens_the_editor_on_another_browser(editor, make_article):
    article = make_article()
    first = Client()
    first.force_login(editor)
    assert opened_in(first) == ""  # never saved: the browser's memory, else Source
    save_in(first, article, "visual", SAMPLE_SOURCE + "\nOne more line.\n")
    other = Client()  # another browser, signed in as the same editor
    other.force_login(editor)
    assert opened_in(other) == "visual"
    save_in(other, article, "source", SAMPLE_SOURCE + "\nTwo more lines.\n")
    assert opened_in(first) == "source"


def test_a_mode_fixed_in_the_preferences_wins_over_the_last_save(editor, make_article):
    article = make_article()
    client = Client()
    client.force_login(editor)
    page = client.get("/accounts/preferences").content.decode()
    assert "Open the editor in" in page
    form = {
        "notify_watched": "on",
        "watch_edits": "on",
        "editor_mode": "source",
        "time_zone": "",
        "display_name": "",
        "credentials": "",
        "bio": "",
    }
    assert client.post("/accounts/preferences", form).status_code == 302
    save_in(client, article, "visual", SAMPLE_SOURCE + "\nOne more line.\n")
    assert opened_in(client) == "source"


def test_a_made_up_mode_is_not_remembered(editor, make_article):
    article = make_article()
    client = Client()
    client.force_login(editor)
    save_in(client, article, "wysiwyg<script>", SAMPLE_SOURCE + "\nOne more line.\n")
    assert opened_in(client) == ""
