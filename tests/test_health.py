"""The health endpoint for load balancers and the admin's Site health page: the database
(and whether this node writes), the replica, the cache, the task queue and the backups."""

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def no_backups(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"


def test_the_health_endpoint_answers_what_a_balancer_and_an_operator_need(client, db):
    answer = client.get("/health")
    assert answer.status_code == 200
    assert "no-cache" in answer["Cache-Control"] or "no-store" in answer["Cache-Control"]
    found = answer.json()
    assert found["database"]["ok"]
    assert found["database"]["role"] == (
        "primary" if connection.vendor == "postgresql" else "embedded"
    )
    assert found["replica"] == {"configured": False, "ok": True}
    assert found["cache"]["ok"] and found["queue"] == {"ok": True, "depth": 0}
    # no backup taken yet: a warning, not a failure
    assert found["backup"]["ok"] is False and found["backup"]["last"] is None
    assert found["status"] == "warning"


def test_the_admin_shows_site_health_and_warns_of_a_missing_backup(admin_client_):
    index = admin_client_.get("/admin/").content.decode()
    assert "No backup of this wiki has been taken" in index
    page = admin_client_.get("/admin/health/")
    assert page.status_code == 200
    text = page.content.decode()
    for part in ("Database", "Read replica", "Cache", "Task queue", "Backups"):
        assert f'<th scope="row">{part}</th>' in text


def test_site_health_is_for_staff_only(client, editor):
    client.force_login(editor)
    assert client.get("/admin/health/").status_code == 302
