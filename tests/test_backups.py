"""The embedded default's backups and a restore drill, run as an operator runs them: a small
SQLite wiki with an uploaded image is backed up, edited, given another image and backed up
again; then a script blanks every article and uploads one more file. `manage.py restore
--target` the minute before the blanking brings back every edit and file from before it and
nothing from after it, check_integrity passes, and the site serves the restored wiki. The
health endpoint reports the backups' age. Every step is `manage.py` in its own process
against its own SQLite file, so the drill runs the same in the PostgreSQL suite."""

import time
from datetime import UTC, datetime

import pytest

from .helpers import manage
from .restore_drill import EDIT, MEDIA, state


@pytest.fixture
def wiki(tmp_path):
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'wiki.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "BACKUP_DIR": str(tmp_path / "backups"),
        "REDIS_URL": "",
        "DATABASE_REPLICA_URL": "",
    }

    def run(*args, code=None):
        done = manage(*(("shell", "-c", code) if code else args), env=env, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    run("migrate", "--noinput", "-v0")
    run("load_demo")
    run("demo_accounts")
    return run, tmp_path


def test_a_restore_drill_to_the_minute_before_a_mass_blanking(wiki):
    run, folder = wiki
    started = time.monotonic()
    run(code=MEDIA.format(colour=(200, 40, 40), name="Before.png"))
    assert state(run)["health"]["backup"]["last"] is None
    assert "Backed up to" in run("backup")
    edited = "Migraine is a headache disorder. Edited after the first backup.\n"
    run(code=EDIT.format(which='title="Migraine"', text=repr(edited)))
    run(code=MEDIA.format(colour=(40, 200, 40), name="Between.png"))
    time.sleep(1.1)  # backups are named by the second
    run("backup")
    before = state(run)
    assert before["health"]["backup"]["ok"] and before["health"]["status"] in {"ok", "warning"}
    time.sleep(1.1)
    target = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    time.sleep(1.1)

    run(code=EDIT.format(which="", text='""'))  # the vandal's script: every article blanked
    run(code=MEDIA.format(colour=(40, 40, 200), name="After.png"))
    vandalised = state(run)
    assert vandalised["blank"] == vandalised["articles"] and "After.png" in vandalised["files"]

    restored_text = run("restore", "--target", target)
    assert "The wiki is whole" in restored_text
    assert "Files uploaded since were moved" in restored_text
    after = state(run)
    assert after["blank"] == 0 and after["articles"] == before["articles"]
    assert after["migraine"] == before["migraine"]
    assert "Edited after the first backup" in after["migraine"]
    assert after["files"] == ["Before.png", "Between.png"]
    media = folder / "media"
    assert len([p for p in media.rglob("*") if p.is_file()]) >= 2
    assert list(folder.glob("media.since-backup-*"))  # moved aside, not deleted
    assert after["page"] == 200 and "Edited after the first backup" in after["page_text"]
    print(f"restore drill: {time.monotonic() - started:.1f} s")


def test_a_restore_before_any_backup_says_so(wiki):
    run, _ = wiki
    done = manage(
        "restore",
        "--target",
        "2001-01-01 00:00",
        env={"DATABASE_URL": f"sqlite:///{wiki[1] / 'wiki.sqlite3'}", "BACKUP_DIR": str(wiki[1])},
    )
    assert (
        done.returncode == 1 and "No backup was taken at or before 2001-01-01 00:00" in done.stderr
    )
