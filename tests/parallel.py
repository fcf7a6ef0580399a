"""The suite in parallel (`make test`: pytest-xdist, `-n auto --dist loadgroup`).

Tests that must not run beside one another are known by the fixtures they use and marked
`xdist_group`: each group runs on one worker, one test at a time. "browser": Chromium is heavy
and its screenshots share test-results/. "servers": servers a test starts, stops, hangs or
kills, timing what follows (fault injection, Varnish, a streaming replica, task-queue workers).
"mediawiki-samples": the tests of one costly module-scoped fixture, which each worker running
any of them would build again.

pytest-xdist 3.8 hands a group to its scheduler by appending "@group" to the test's node id,
which pytest 9.2 no longer reads (pytest-dev/pytest-xdist#1386): its loadgroup then groups
nothing. So each worker writes the groups it collected to a folder the main process named, and
the main process schedules with them (GroupScheduling). A node id that does carry "@group" (a
fixed pytest-xdist) is grouped by that.

Everything else a worker needs of its own is in conftest.py: its database (pytest-django's
_gw0 suffix), MEDIA_ROOT, and cache keys.
"""

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from xdist.scheduler import LoadScopeScheduling

GROUPS = {
    "browser": {"browser", "context", "page"},
    "servers": {
        "private_redis",
        "private_postgres",
        "varnish",
        "cluster",
        "ha_cluster",
        "start_queue_worker",
    },
    # A module-scoped fixture (the samples imported once, minutes): built on one worker only.
    "mediawiki-samples": {"imported"},
}


def mark_groups(config, items) -> None:
    """Mark each test that uses a grouped fixture; in a worker, write the groups down."""
    found = {}
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        for group, fixtures in GROUPS.items():
            if used & fixtures:
                item.add_marker(pytest.mark.xdist_group(group))
                found[item.nodeid] = group
                break
    folder = getattr(config, "workerinput", {}).get("test_groups")
    if folder:
        worker = config.workerinput["workerid"]
        (Path(folder) / f"{worker}.json").write_text(json.dumps(found))


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """Main process: the folder the workers write their groups to, removed at the end."""
    config = node.config
    if not hasattr(config, "test_groups"):
        config.test_groups = tempfile.mkdtemp(prefix="pytest-groups-")
        config.add_cleanup(lambda: shutil.rmtree(config.test_groups, ignore_errors=True))
    node.workerinput["test_groups"] = config.test_groups


@pytest.hookimpl(optionalhook=True, tryfirst=True)  # before pytest-xdist's own
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "loadgroup":
        return GroupScheduling(config, log)
    return None


class GroupScheduling(LoadScopeScheduling):
    """pytest-xdist's loadgroup: each test a unit of work of its own, but a group one unit
    (the largest units start first)."""

    def __init__(self, config, log=None):
        super().__init__(config, log)
        self.groups: dict[str, str] = {}

    def schedule(self):
        folder = getattr(self.config, "test_groups", None)
        if folder:
            for path in Path(folder).glob("*.json"):
                self.groups.update(json.loads(path.read_text()))
        super().schedule()

    def _split_scope(self, nodeid: str) -> str:
        if nodeid.rfind("@") > nodeid.rfind("]"):  # a pytest-xdist that marks the node id
            return nodeid.split("@")[-1]
        return self.groups.get(nodeid, nodeid)
