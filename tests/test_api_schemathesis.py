"""schemathesis, a real OpenAPI client, against /api/v1/schema: every operation, reads and
token-authenticated writes, with all its checks (no server error; status codes, content
types, headers and bodies as the document declares them; bad input refused, good input
accepted). A bounded number of examples keeps the run under a minute."""

import datetime as dt
import subprocess
import sys

import pytest
from django.utils import timezone

from tests.conftest import save
from wiki.api.models import ApiToken

pytestmark = pytest.mark.django_db(transaction=True)

MAX_EXAMPLES = 6

# What no JSON Schema can say, and so the only allowances made:
# - a cursor is opaque, made by this API: a made-up one is a 400 (tests/test_api_rest.py), so
#   generated requests page from the start;
# - an upload's bytes must be an image Pillow reads: other bytes are a 400 refused_upload.
# Operations on one revision are given one that exists (titles are fuzzed by the others).
CONFIG = """
[parameters]
"query.cursor" = ""

[[operations]]
include-path = "/api/v1/uploads"
checks.positive_data_acceptance.expected-statuses = [
    "2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"
]

[[operations]]
include-path-regex = "/(diff|revert|revisions/.revision_id.)$"
[operations.parameters]
"path.title" = "Sample condition"
"path.revision_id" = {old}
"query.from" = {old}
"query.to" = {new}
"body.revision_id" = {old}
"""


def test_schemathesis_finds_no_failure_in_the_rest_api(
    live_server, make_article, editor, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.API_WRITE_RATE = "100000/min"  # the throttle has its own tests
    editor.date_joined = timezone.now() - dt.timedelta(days=365)  # limits have their own tests
    editor.save()
    article = make_article(user=editor, categories=["Rare diseases"])
    old = article.latest_revision_id
    new = save(article, editor, article.source + "\nMore.\n").revision.pk
    make_article(title="Other condition", user=editor)
    token = ApiToken.issue(user=editor, name="schemathesis")[1]
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG.format(old=old, new=new))
    run = subprocess.run(
        [
            *(sys.executable, "-m", "schemathesis.cli", f"--config-file={config}", "run"),
            f"{live_server.url}/api/v1/schema",
            "--checks=all",
            f"--max-examples={MAX_EXAMPLES}",
            "--seed=26",
            "--workers=1",
            "--no-shrink",
            f"--header=Authorization: Bearer {token}",
            f"--report-dir={tmp_path / 'report'}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    print(run.stdout)  # the summary, with -s
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
    assert "failure" not in run.stdout.strip().splitlines()[-1]  # "== N failures … =="
