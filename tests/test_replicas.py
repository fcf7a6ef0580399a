"""Read replicas against a real streaming replica (pg_basebackup -R into a scratch folder, on
its own port) of a PostgreSQL server of the test's own (initdb: a replica copies the whole
cluster, and the machine's shared server may hold anything), behind a real app server
(gunicorn): reads go to the replica, a writer reads their own write from the primary, and a
replica that is stopped, or falls behind, is skipped without an error page."""

import http.cookiejar
import os
import re
import secrets
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings

from deploy.parts import Replica, Server, app_server, free_port, http_ok, manage, wait_for

primary = settings.DATABASES["default"]
if primary["ENGINE"] != "django.db.backends.postgresql":
    pytest.skip(
        "read replicas are PostgreSQL's (the suite runs them on PostgreSQL)",
        allow_module_level=True,
    )

pytestmark = pytest.mark.replica


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A primary of its own with the site's database, its streaming replica, and gunicorn
    reading it."""
    folder = tmp_path_factory.mktemp("replica-cluster")
    name = f"enc_replica_{secrets.token_hex(4)}"
    server = Server().create()
    host, port, user = "127.0.0.1", server.port, "postgres"
    subprocess.run(["createdb", "-h", host, "-p", str(port), "-U", user, name], check=True)
    env = {
        **os.environ,
        "DATABASE_URL": server.url(name),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "PAGE_CACHE": "0",
        "REPLICA_MAX_LAG_SECONDS": "5",
        "REPLICA_CHECK_SECONDS": "0.3",
        "READ_YOUR_WRITES_SECONDS": "30",
    }
    env.pop("REDIS_URL", None)  # each server's local cache: nothing shared to go stale
    manage("migrate", "--noinput", "-v0", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User, Group; "
        "u = User.objects.create_user('edna', password='pw-edna-123'); "
        "u.groups.add(Group.objects.get(name='Editors')); "
        "from wiki.models import Article; from wiki.services import ArticleEdit, article_save; "
        "article_save(article=Article(title='Sample condition'), edit=ArticleEdit("
        "text='A made-up disorder.\\n\\n## Causes\\n\\nUnknown.\\n', base_revision=None, "
        "user=u, summary='Created'))",
        env=env,
    )
    replica = Replica(host, port, user).create()
    env["DATABASE_REPLICA_URL"] = replica.url(name)
    web_port = free_port()
    web = app_server(web_port, env, folder / "gunicorn.log", workers=2).start()
    url = f"http://127.0.0.1:{web_port}"
    wait_for(lambda: http_ok(url + "/recent-changes"), "gunicorn")
    yield {
        "url": url,
        "replica": replica,
        "database": name,
        "env": env,
        "primary": server.url(name),
    }
    web.stop()
    replica.remove()
    server.remove()


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str):
        with self.opener.open(self.base + path, timeout=20) as answer:
            return answer.status, answer.headers, answer.read().decode()

    def post(self, path: str, data: dict):
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=20) as answer:
            return answer.status, answer.headers, answer.read().decode()

    def sign_in(self):
        self.get("/accounts/login/")
        self.post("/accounts/login/", {"username": "edna", "password": "pw-edna-123"})


def replica_transactions(cluster) -> int:
    return int(
        cluster["replica"].sql(
            cluster["database"],
            f"SELECT xact_commit + xact_rollback FROM pg_stat_database "
            f"WHERE datname = '{cluster['database']}'",
        )
    )


def test_reads_go_to_the_replica_and_article_views_to_the_primary(cluster):
    reader = Browser(cluster["url"])
    wait_for(  # a replica busy replaying the other tests' writes is read from once caught up
        lambda: reader.get("/recent-changes")[1]["X-Read-From"] == "replica",
        "the replica in use",
        seconds=60,
    )
    before = replica_transactions(cluster)
    for path in ("/recent-changes", "/search?q=disorder", "/wiki/Sample_condition/history"):
        status, headers, _ = reader.get(path)
        assert status == 200 and headers["X-Read-From"] == "replica", path
    assert replica_transactions(cluster) > before  # the replica really answered
    # Article views fill the page caches: from the primary, so they hold what it holds.
    assert reader.get("/wiki/Sample_condition")[1]["X-Read-From"] == "default"


def test_an_editor_reads_their_own_edit_at_once(cluster):
    editor = Browser(cluster["url"])
    editor.sign_in()
    status, _, form = editor.get("/wiki/Sample_condition/edit")
    base = re.search(r'name="base_revision" value="(\d+)"', form).group(1)
    editor.post(
        "/wiki/Sample_condition/edit",
        {
            "text": "A made-up disorder.\n\n## Causes\n\nA new finding.\n",
            "base_revision": base,
            "summary": "new finding",
            "categories": "",
        },
    )
    status, headers, page = editor.get("/wiki/Sample_condition/history")
    assert headers["X-Read-From"] == "default"  # pinned to the primary after writing
    assert "new finding" in page
    # A reader who wrote nothing reads the replica, which has it too once replayed.
    wait_for(
        lambda: "new finding" in Browser(cluster["url"]).get("/wiki/Sample_condition/history")[2],
        "the replica replaying the edit",
        seconds=60,
    )


def test_a_replica_stopped_and_restarted_under_load_shows_no_error_page(cluster):
    results, stop = [], threading.Event()

    def load():
        reader = Browser(cluster["url"])
        while not stop.is_set():
            try:
                status, headers, _ = reader.get("/recent-changes")
                results.append((status, headers["X-Read-From"]))
            except urllib.error.HTTPError as error:
                results.append((error.code, "error"))

    threads = [threading.Thread(target=load) for _ in range(3)]
    for t in threads:
        t.start()
    time.sleep(1)
    cluster["replica"].stop("immediate")
    time.sleep(3)
    cluster["replica"].start()
    # Back once it has caught up (its replay is behind while it was down): on a loaded machine
    # that can take many seconds, so the wait (not a measure) is long.
    deadline = time.monotonic() + 120
    restarted = len(results)
    while time.monotonic() < deadline and "replica" not in (w for _, w in results[restarted:]):
        time.sleep(0.2)
    time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join()
    assert results and all(status == 200 for status, _ in results), [
        r for r in results if r[0] != 200
    ][:5]
    sources = [where for _, where in results]
    assert "default" in sources[:restarted]  # while it was down
    assert "replica" in sources[restarted:]  # and back once it returned


def test_a_replica_too_far_behind_is_skipped(cluster):
    replica, reader = cluster["replica"], Browser(cluster["url"])
    editor = Browser(cluster["url"])
    editor.sign_in()
    replica.sql(cluster["database"], "SELECT pg_wal_replay_pause()")
    try:
        status, _, form = editor.get("/wiki/Sample_condition/edit")
        base = re.search(r'name="base_revision" value="(\d+)"', form).group(1)
        editor.post(
            "/wiki/Sample_condition/edit",
            {
                "text": "A made-up disorder.\n\n## Causes\n\nLagging.\n",
                "base_revision": base,
                "summary": "while paused",
                "categories": "",
            },
        )
        time.sleep(6)  # past REPLICA_MAX_LAG_SECONDS (5 s) with replay paused
        status, headers, page = reader.get("/wiki/Sample_condition/history")
        assert headers["X-Read-From"] == "default" and "while paused" in page
    finally:
        replica.sql(cluster["database"], "SELECT pg_wal_replay_resume()")
    wait_for(
        lambda: reader.get("/recent-changes")[1]["X-Read-From"] == "replica",
        "the replica catching up",
        seconds=60,
    )


def test_a_record_of_no_transaction_on_an_idle_primary_is_not_taken_for_lag(cluster):
    """The primary has committed nothing for longer than the lag limit when the replica
    receives a record that carries no transaction (a logical message here; a checkpoint or a
    snapshot of running transactions does the same on any idle primary), and has not
    replayed it yet. The time since its last replayed commit would say 6 s of lag; what it
    lacks arrived a moment ago, so readers stay on the replica."""
    replica, database = cluster["replica"], cluster["database"]
    readers = [Browser(cluster["url"]) for _ in range(4)]

    def read_all() -> list[str]:  # at once, so both app workers check the replica
        with ThreadPoolExecutor(len(readers)) as pool:
            answers = pool.map(lambda r: r.get("/recent-changes")[1]["X-Read-From"], readers)
            return list(answers)

    def since_commit() -> float:
        return float(
            replica.sql(
                database,
                "SELECT COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)",
            )
        )

    def on_primary(query: str) -> None:
        subprocess.run(["psql", cluster["primary"], "-Atc", query], check=True, capture_output=True)

    def idle_while_reading() -> bool:
        read_all()
        return since_commit() > 6

    on_primary("SELECT txid_current()")  # a commit, the last before the wait
    wait_for(lambda: since_commit() < 6, "the commit replayed")
    wait_for(idle_while_reading, "six seconds with no commit on the primary", seconds=60)
    assert read_all() == ["replica"] * 4
    replica.sql(database, "SELECT pg_wal_replay_pause()")
    try:
        on_primary("SELECT pg_logical_emit_message(false, 'encyclopedia', 'no transaction')")
        wait_for(
            lambda: (
                replica.sql(database, "SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()")
                == "t"
            ),
            "the record received and waiting",
        )
        assert since_commit() > 6  # what the old measure reported as lag
        assert read_all() + read_all() == ["replica"] * 8
    finally:
        replica.sql(database, "SELECT pg_wal_replay_resume()")
