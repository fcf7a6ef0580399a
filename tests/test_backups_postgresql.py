"""The restore drill on PostgreSQL with pgBackRest, to a point in time: a server of its own
archives every WAL segment to a pgBackRest repository; a small wiki with an image is backed
up (full), edited and given another image (no backup after those); a script blanks every
article and uploads a third file; `manage.py restore --target` the minute before the blanking
replays the archive to that moment: every edit and file from before it is there, nothing from
after it, check_integrity passes and the site serves the restored wiki. Each step is
`manage.py` in its own process, as an operator runs it; it runs in both suites."""

import time
from datetime import UTC, datetime

import pytest

from deploy.archiving import ArchivingServer

from .helpers import manage
from .restore_drill import EDIT, MEDIA, state


@pytest.fixture
def server():
    made = ArchivingServer().create()
    made.create_database("wiki")
    yield made
    made.remove()


def test_a_point_in_time_restore_with_pgbackrest(server, tmp_path):
    env = {
        "DATABASE_URL": server.url("wiki"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "BACKUP_DIR": str(tmp_path / "backups"),
        "REDIS_URL": "",
        "DATABASE_REPLICA_URL": "",
        "PGBACKREST_STANZA": "wiki",
        "PGBACKREST_CONFIG": str(server.config),
        "PG_STOP_COMMAND": server.stop_command,
        "PG_START_COMMAND": server.start_command,
    }

    def run(*args, code=None):
        done = manage(*(("shell", "-c", code) if code else args), env=env, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    started = time.monotonic()
    run("migrate", "--noinput", "-v0")
    run("load_demo")
    run("demo_accounts")
    run(code=MEDIA.format(colour=(200, 40, 40), name="Before.png"))
    assert state(run)["health"]["backup"]["last"] is None
    assert "pgBackRest took a full backup" in run("backup")
    assert state(run)["health"]["backup"]["ok"]

    edited = "Migraine is a headache disorder. Edited after the backup.\n"
    run(code=EDIT.format(which='title="Migraine"', text=repr(edited)))
    run(code=MEDIA.format(colour=(40, 200, 40), name="Between.png"))
    before = state(run)
    time.sleep(1.5)
    target = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    time.sleep(1.5)
    run(code=EDIT.format(which="", text='""'))  # the vandal's script: every article blanked
    run(code=MEDIA.format(colour=(40, 40, 200), name="After.png"))
    assert state(run)["blank"] == before["articles"]

    said = run("restore", "--target", target)
    assert f"PostgreSQL restored to {target} UTC" in said and "The wiki is whole" in said
    after = state(run)
    assert after["blank"] == 0 and after["articles"] == before["articles"]
    assert (
        after["migraine"] == before["migraine"] and "Edited after the backup" in after["migraine"]
    )
    assert after["files"] == ["Before.png", "Between.png"]
    assert after["page"] == 200 and "Edited after the backup" in after["page_text"]
    assert list(tmp_path.glob("media.since-backup-*"))  # After.png's file, moved aside
    run(code=EDIT.format(which='title="Migraine"', text=repr(edited + "Writes again.\n")))
    print(f"PostgreSQL restore drill: {time.monotonic() - started:.1f} s")
