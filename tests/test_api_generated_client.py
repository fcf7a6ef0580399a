"""A REST client generated from the site's own OpenAPI document with openapi-python-client
(pinned), into a temporary folder, as a client's author does: it reads an article, its
history and recent changes, and edits and creates articles with a personal token."""

import importlib
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import save
from wiki.api.models import ApiToken
from wiki.models import Article

live = pytest.mark.django_db(transaction=True)
PACKAGE = "encyclopedia_rest_client"


@pytest.fixture(scope="module")
def generated(live_server, tmp_path_factory):
    """The generated package, imported from the folder it was generated into."""
    folder = tmp_path_factory.mktemp("openapi-client")
    with urllib.request.urlopen(f"{live_server.url}/api/v1/schema") as answer:
        (folder / "schema.json").write_bytes(answer.read())
    (folder / "config.yml").write_text(
        f"project_name_override: client\npackage_name_override: {PACKAGE}\npost_hooks: []\n"
    )
    generator = Path(sys.executable).parent / "openapi-python-client"
    done = subprocess.run(
        [generator, "generate", "--path", "schema.json", "--config", "config.yml"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr
    sys.path.insert(0, str(folder / "client"))
    yield importlib.import_module(PACKAGE)
    sys.path.remove(str(folder / "client"))
    for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
        del sys.modules[name]


def operation(name: str):
    """One generated operation module (`api.articles.wiki_api_rest_get_article`…)."""
    for group in ("articles", "site"):
        try:
            return importlib.import_module(f"{PACKAGE}.api.{group}.wiki_api_rest_{name}")
        except ModuleNotFoundError:
            continue
    raise LookupError(name)


@live
def test_a_generated_client_reads_an_article_its_history_and_recent_changes(
    generated, live_server, two_linked_articles
):
    client = generated.Client(base_url=live_server.url, raise_on_unexpected_status=True)
    article = operation("get_article").sync(client=client, title="Sample condition")
    assert isinstance(article, generated.models.Article)
    assert article.title == "Sample condition"
    assert article.source == two_linked_articles.source
    assert article.revision_id == two_linked_articles.latest_revision_id
    assert article.categories == ["Rare diseases"]

    history = operation("list_revisions").sync(client=client, title="Sample condition")
    assert [r.summary for r in history.items] == ["More rest", "Created"]
    assert [r.minor for r in history.items] == [True, False]

    changes = operation("recent_changes").sync(client=client, limit=2)
    assert [c.title for c in changes.items] == ["Other condition", "Sample condition"]

    missing = operation("get_article").sync_detailed(client=client, title="No such page")
    assert missing.status_code == 404
    assert missing.parsed.error.code == "article_not_found"


@live
def test_a_generated_client_edits_and_creates_articles_with_a_token(
    generated, live_server, two_linked_articles, editor, other_editor
):
    token = ApiToken.issue(user=editor, name="generated client")[1]
    client = generated.AuthenticatedClient(base_url=live_server.url, token=token)
    read = operation("get_article").sync(client=client, title="Sample condition")

    update = generated.models.ArticleUpdate(
        text=read.source.replace("Rest helps a lot.", "Rest and fluids help."),
        base_revision=read.revision_id,
        summary="Treatment",
    )
    saved = operation("edit_article").sync(client=client, title="Sample condition", body=update)
    assert isinstance(saved, generated.models.SaveAnswer)
    two_linked_articles.refresh_from_db()
    assert "Rest and fluids help." in two_linked_articles.source
    assert saved.revision_id == two_linked_articles.latest_revision_id
    assert two_linked_articles.latest_revision.user == editor
    assert two_linked_articles.latest_revision.summary == "Treatment"

    # Someone else changes the same sentence: the next edit from the old base conflicts.
    save(two_linked_articles, other_editor, two_linked_articles.source.replace("fluids", "sleep"))
    stale = generated.models.ArticleUpdate(
        text=read.source.replace("Rest helps a lot.", "Fluids help."),
        base_revision=read.revision_id,
    )
    conflict = operation("edit_article").sync_detailed(
        client=client, title="Sample condition", body=stale
    )
    assert conflict.status_code == 409
    assert isinstance(conflict.parsed, generated.models.Conflict)
    assert "Rest and sleep help." in conflict.parsed.error.current_text

    made = operation("create_article").sync(
        client=client,
        body=generated.models.ArticleCreate(
            title="Night cough", text="A cough at night.", summary="New"
        ),
    )
    assert made.title == "Night cough"
    assert Article.objects.get(title="Night cough").source.strip() == "A cough at night."

    anonymous = generated.Client(base_url=live_server.url)
    refused = operation("edit_article").sync_detailed(
        client=anonymous, title="Night cough", body=generated.models.ArticleUpdate(text="Gone.")
    )
    assert refused.status_code == 401
    assert Article.objects.get(title="Night cough").source.strip() == "A cough at night."
