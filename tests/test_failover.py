"""Failover on real parts, through the front door: the site (gunicorn) on the data layer of
`make cluster` (deploy/ha.py: three PostgreSQL 15 nodes under Patroni, a three-member etcd,
haproxy routing writes to Patroni's leader and reads to its replicas, Redis under Sentinel).

- The leader's node dies (Patroni and its PostgreSQL killed with SIGKILL), or is cut off (both
  stopped with SIGSTOP, as by a network cut, and let go on once a new leader leads), while 8
  editors save continuously: no acknowledged save lost (checked again once the old node is
  back), writes back within 30 s, anonymous readers through the front cache (Varnish) served
  throughout, article views included, every save refused meanwhile answered 503 with its
  text; the old node then rejoins as a replica by itself (pg_rewind).
- A replica dies: reads keep working. An etcd member dies: writes and failover state go on.
- The Redis master dies: a signed-in editor stays signed in (sessions are in PostgreSQL), and
  no stale page is served once Sentinel has promoted the replica.

The figures are printed (pytest -s shows them). The cluster uses ports CLUSTER_PORT_BASE (8400)
… +99: one such run at a time (the "servers" group runs these serially).
"""

import html
import http.client
import json
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
import redis
from django.db import connection

from deploy.ha import HA, NODES, port
from deploy.parts import Process, http_ok, wait_for
from tests.front import Varnish
from tests.helpers import manage

ROOT = Path(__file__).resolve().parent.parent
APP_PORT = port("db_write") + 10  # 8450
EDITORS = 8
SAVES_BACK_WITHIN = 30  # seconds

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.failover,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="runs in the PostgreSQL run of the suite; it starts its own cluster",
    ),
]

# 8 editors with signed-in sessions (in the database) and an article each.
SETUP = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group, User
from django.contrib.sessions.backends.db import SessionStore
from wiki.models import Article
from wiki.permissions import EDITORS_GROUP, ensure_editors_group
from wiki.services import ArticleEdit, article_save
ensure_editors_group()
sessions = []
for n in range(1, %(editors)d + 1):
    u = User.objects.create_user(f"failover-editor-{n}", password="pw-failover-123")
    u.groups.add(Group.objects.get(name=EDITORS_GROUP))
    s = SessionStore(); s[SESSION_KEY] = str(u.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = u.get_session_auth_hash(); s.create()
    sessions.append(s.session_key)
    article_save(article=Article(title=f"Failover {n}"), edit=ArticleEdit(
        text=f"Failover article {n}.", user=u, summary="start", base_revision=None))
article_save(article=Article(title="Failover read"), edit=ArticleEdit(
    text="An article only read during the failover.", user=u, summary="start",
    base_revision=None))
print(json.dumps(sessions))
"""

# Each article's saves' summaries in the order of their revisions.
HISTORY = """
import json
from wiki.models import Revision
print(json.dumps({n: list(Revision.objects.filter(article__title=f"Failover {n}")
    .order_by("revision_id").values_list("summary", flat=True)) for n in range(1, %d + 1)}))
"""


def request(method, path, form=None, cookies=None, timeout=30, port=APP_PORT):
    """(status, body, Location) from the app server; no redirect followed."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Host": "127.0.0.1"}
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    try:
        conn.request(method, path, body=body, headers=headers)
        answer = conn.getresponse()
        return answer.status, answer.read().decode(errors="replace"), answer.getheader("Location")
    except OSError as error:
        return 0, str(error), None
    finally:
        conn.close()


def front_read(port, path):
    """An anonymous reader's GET through the front cache: (status, X-Cache, X-Read-From)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=40)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        answer = conn.getresponse()
        answer.read()
        return answer.status, answer.getheader("X-Cache"), answer.getheader("X-Read-From")
    except OSError:
        return 0, None, None
    finally:
        conn.close()


def copy_schema(data: dict, env: dict) -> None:
    """The suite's migrated database's schema and rows copied into the cluster (what `migrate`
    makes, faster on a busy machine), or `migrate` when it has none."""
    source = connection.settings_dict
    if "django_migrations" not in connection.introspection.table_names():
        done = manage("migrate", "--noinput", "-v0", env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        return
    dump = subprocess.run(
        ["pg_dump", "--no-owner", "--no-privileges", "-h", source["HOST"] or "127.0.0.1"]
        + ["-p", str(source["PORT"] or 5432), "-U", source["USER"] or "postgres"]
        + ["-d", source["NAME"]],
        capture_output=True,
        check=True,
    )
    subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", data["DATABASE_URL"]],
        input=dump.stdout,
        capture_output=True,
        check=True,
    )


@pytest.fixture(scope="module")
def ha_cluster(django_db_setup, django_db_blocker):
    folder = Path(tempfile.mkdtemp(prefix="enc-ha-"))
    folder.chmod(0o755)  # PostgreSQL runs as postgres: it must reach its folder
    ha = HA(folder)
    app = None
    front = Varnish("127.0.0.1", APP_PORT)
    began = time.monotonic()
    try:
        data = ha.start()
        front.start()
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env.update(
            data,
            SECRET_KEY=secrets.token_urlsafe(50),
            DEBUG="0",
            SECURE_SSL_REDIRECT="0",
            SESSION_COOKIE_SECURE="0",
            CSRF_COOKIE_SECURE="0",
            ALLOWED_HOSTS="127.0.0.1",
            HOST="127.0.0.1",
            PORT=str(APP_PORT),
            WEB_CONCURRENCY="2",
            GUNICORN_WORKER_CLASS="gthread",
            GUNICORN_THREADS="8",
            CACHE_KEY_PREFIX=f"failover-{secrets.token_hex(4)}",
            REPLICA_CHECK_SECONDS="1",
            WIKI_SAVES_PER_MINUTE="100000",  # 8 editors from one address, saving non-stop
            FRONT_CACHE_URLS=front.url,
        )
        print(f"\ncluster up in {time.monotonic() - began:.0f} s")
        with django_db_blocker.unblock():
            copy_schema(data, env)
        if not (ROOT / "staticfiles" / "staticfiles.json").exists():  # 90 s on a busy machine
            done = manage("collectstatic", "--noinput", "-v0", env=env, timeout=300)
            assert done.returncode == 0, done.stderr
        print(f"schema and static files in {time.monotonic() - began:.0f} s")
        done = manage("shell", "-c", SETUP % {"editors": EDITORS}, env=env)
        assert done.returncode == 0, done.stderr
        sessions = json.loads(done.stdout.strip().splitlines()[-1])
        app = Process(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "encyclopedia/gunicorn.conf.py"],
            env=env,
            log=folder / "app.log",
        ).start()
        wait_for(lambda: http_ok(f"http://127.0.0.1:{APP_PORT}/robots.txt"), "the app", 60)
        yield {"ha": ha, "env": env, "sessions": sessions, "folder": folder, "front": front}
    finally:
        if app is not None:
            app.stop()
        front.close()
        ha.stop()
        if os.environ.get("FAILOVER_KEEP_LOGS"):
            keep = Path(os.environ["FAILOVER_KEEP_LOGS"])
            keep.mkdir(parents=True, exist_ok=True)
            for log in folder.glob("*.log"):
                shutil.copy(log, keep / log.name)
        shutil.rmtree(folder, ignore_errors=True)


def healthy(ha):
    wait_for(ha.healthy, "a leader and two replicas, one synchronous", 120)


def editor_form(text, summary):
    token = secrets.token_hex(16)  # a CSRF secret the form repeats
    return {"csrfmiddlewaretoken": token, "text": text, "summary": summary}, token


def base_revision(session, n) -> int | None:
    """The revision the edit form starts from (its hidden field), as an editor opens it."""
    # With the cookie a browser keeps after its first save: its reads go to the leader
    # (read-your-writes, encyclopedia/replicas.py), not to a replica that may lag.
    cookies = {"sessionid": session, "read_primary": "1"}
    status, body, _ = request("GET", f"/wiki/Failover_{n}/edit", cookies=cookies)
    found = re.search(r'name="base_revision" value="(\d+)"', body) if status == 200 else None
    return int(found.group(1)) if found else None


def save(session, n, k, base=None, run="save"):
    text = f"Failover article {n}.\n\nSave {k} by editor {n}: take 5 mg <not 50 mg> & rest."
    form, token = editor_form(text, f"{run} {k}")
    form["base_revision"] = base if base is not None else base_revision(session, n)
    status, body, location = request(
        "POST", f"/wiki/Failover_{n}/edit", form, {"sessionid": session, "csrftoken": token}
    )
    return status, body, location, text


def rejoin(ha, old, how, run, last):
    """The old leader rejoins as a replica by itself and holds editor 1's last save `last`."""
    # The old leader, started again (or let go on), rejoins as a replica by itself (pg_rewind
    # if needed).
    started = time.monotonic()
    ha.start_node(old) if how == "killed" else ha.freeze_node(old, frozen=False)
    # A node let go on still calls itself leader until its first loop: wait for it to demote.
    wait_for(
        lambda: (
            ha.leader() not in (None, old)
            and ha.roles().get(f"pg{old + 1}", "").endswith("/running")
            and ha.roles()[f"pg{old + 1}"].split("/")[0] in ("replica", "sync_standby")
        ),
        "the old leader back as a replica",
        90,
    )
    healthy(ha)

    # It holds every acknowledged save: ask it directly.
    def replayed():
        try:
            count = ha.sql(
                "SELECT count(*) FROM wiki_revision r JOIN wiki_article a ON a.id = r.article_id "
                f"WHERE a.title = 'Failover 1' AND r.summary = '{run} {last}'",
                p=port("postgres", old),
            )
        except RuntimeError:  # restarting as a replica (pg_rewind)
            return False
        return count == "1"

    wait_for(replayed, "the rejoined node replaying the last save", 90)
    print(
        f"REJOIN: pg{old + 1} back as {ha.roles()[f'pg{old + 1}']}, holding the last "
        f"acknowledged save, {time.monotonic() - started:.1f} s after it was started again "
        "(killed) or let go on (cut off)"
    )


def lost_saves(env, run, acknowledged) -> list:
    """(editor, save) of every acknowledged save not in the database now; asserts each
    editor's saves are stored in the order they were made."""
    history = manage("shell", "-c", HISTORY % EDITORS, env=env)
    assert history.returncode == 0, history.stderr
    stored = json.loads(history.stdout.strip().splitlines()[-1])
    lost = []
    for n in range(1, EDITORS + 1):
        saves = [int(s.split()[1]) for s in stored[str(n)] if s.startswith(f"{run} ")]
        assert saves == sorted(saves), f"editor {n}'s saves out of order: {saves}"
        acked = sorted(o[1] for o in acknowledged if o[0] == n)
        lost += [(n, k) for k in acked if k not in saves]
    return lost


# Anonymous readers through the front cache: the articles being edited (banned from Varnish at
# each save, so often fetched from the app), one nobody edits, and two replica reads.
READ_PATHS = [f"/wiki/Failover_{n}" for n in range(1, EDITORS + 1)] + [
    "/wiki/Failover_read",
    "/wiki/Failover_1/history",
    "/sitemap.xml",
]


@pytest.mark.parametrize("how", ["killed", "cut off"])
def test_the_leaders_node_dies_under_8_editors_and_no_acknowledged_save_is_lost(ha_cluster, how):
    """ "killed": Patroni and PostgreSQL SIGKILLed; "cut off": both stopped (SIGSTOP) as by a
    network cut, their connections open but silent, then let go on once a new leader leads."""
    ha, sessions = ha_cluster["ha"], ha_cluster["sessions"]
    front = ha_cluster["front"].port
    run = how.replace(" ", "-")  # the saves' summaries: "killed 1", "killed 2", …
    healthy(ha)
    stop = threading.Event()
    outcomes = []  # (editor, save, started, finished, status, text handed back)
    reads = []  # (started, finished, path, status, X-Cache, X-Read-From)
    lock = threading.Lock()

    def editor(n, session):
        k = 0
        while not stop.is_set():
            base = base_revision(session, n)  # the editor opens the form…
            if base is None:
                time.sleep(0.5)
                continue
            k += 1
            started = time.monotonic()
            status, body, location, text = save(session, n, k, base, run)  # …and saves
            kept = html.escape(text, quote=False) in body or html.escape(text) in body
            acknowledged = status == 302 and "/login" not in (location or "")
            with lock:
                outcomes.append((n, k, started, time.monotonic(), status, acknowledged, kept))
            if not acknowledged:
                time.sleep(0.5)  # an editor reads the page, then saves again

    def reader(paths):
        while not stop.is_set():
            for path in paths:
                started = time.monotonic()
                status, cache, source = front_read(front, path)
                with lock:
                    reads.append((started, time.monotonic(), path, status, cache, source))
                time.sleep(0.05)

    threads = [threading.Thread(target=editor, args=(n, s)) for n, s in enumerate(sessions, 1)]
    threads += [threading.Thread(target=reader, args=(READ_PATHS[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(8)  # saves under way
        old = ha.leader()
        assert old is not None
        killed_at = time.monotonic()
        ha.kill_node(old) if how == "killed" else ha.freeze_node(old)
        deadline = killed_at + 75
        while time.monotonic() < deadline:  # until saves are acknowledged again, and a while
            with lock:
                back = [o for o in outcomes if o[2] > killed_at and o[5]]
            if len(back) >= EDITORS * 3:
                break
            time.sleep(0.5)
        time.sleep(3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    acknowledged = [o for o in outcomes if o[5]]
    timeline = {}
    for o in outcomes:
        second = int(o[3] - killed_at) // 3 * 3
        timeline.setdefault(second, []).append(o[4])
    print("\nsaves by 3 s since the kill:", {k: sorted(v) for k, v in sorted(timeline.items())})
    # The gap: from the kill to the first save acknowledged after it was started.
    after = [o for o in acknowledged if o[2] > killed_at]
    if not after:
        print((ha_cluster["folder"] / "app.log").read_text()[-3000:])
    assert after, "no save was acknowledged after the leader died"
    gap = min(o[3] for o in after) - killed_at
    refused = [o for o in outcomes if not o[5]]
    refused_in_gap = [o for o in refused if killed_at - 5 < o[3] < killed_at + gap + 1]
    lost = lost_saves(ha_cluster["env"], run, acknowledged)

    # Reads started during the gap, and how they were answered.
    in_gap = [r for r in reads if killed_at <= r[0] <= killed_at + gap]
    views = [r for r in in_gap if r[2].startswith("/wiki/") and "/history" not in r[2]]
    failed_reads = [r for r in reads if r[3] != 200]
    print(
        f"\nFAILOVER (leader pg{old + 1} {how}, {EDITORS} editors): "
        f"writes back after {gap:.1f} s; saves acknowledged {len(acknowledged)}, "
        f"lost {len(lost)}; refused {len(refused)} ({len(refused_in_gap)} in the gap), "
        f"statuses {sorted({o[4] for o in refused})}, text handed back "
        f"{sum(o[6] for o in refused)}/{len(refused)}; roles now {ha.roles()}"
    )
    print(
        f"READERS through Varnish: {len(reads)} reads, {len(reads) - len(failed_reads)} served "
        f"200, failed {sorted({(r[2], r[3]) for r in failed_reads})}; in the gap "
        f"{sum(r[3] == 200 for r in in_gap)}/{len(in_gap)} served, article views "
        f"{sum(r[3] == 200 for r in views)}/{len(views)} (front cache hits "
        f"{sum(r[4] == 'hit' for r in views)}, from a replica "
        f"{sum(r[5] == 'replica' for r in views)}), slowest "
        f"{max((r[1] - r[0] for r in in_gap), default=0):.1f} s"
    )
    assert lost == [], f"acknowledged saves lost: {lost}"
    assert gap <= SAVES_BACK_WITHIN
    # Every refused save: 503 (the database is switching over), the editor's text handed back.
    assert {o[4] for o in refused} <= {503}, sorted(o[4] for o in refused)
    assert all(o[6] for o in refused)
    # Readers served throughout, article views during the gap included: those Varnish did not
    # hold (the pages being edited are banned at each save) read from the replica.
    assert views and failed_reads == [], failed_reads
    assert any(r[5] == "replica" for r in views)

    rejoin(ha, old, how, run, max(o[1] for o in acknowledged if o[0] == 1))
    # Still none lost once the old leader is back (a leader that came back and took the lead
    # again would have rewound the new one, taking its acknowledged saves with it).
    assert lost_saves(ha_cluster["env"], run, acknowledged) == []


def test_a_replica_dies_and_reads_keep_working(ha_cluster):
    ha = ha_cluster["ha"]
    healthy(ha)
    replica = next(i for i in range(NODES) if i != ha.leader())
    ha.kill_node(replica)
    statuses = []
    for _ in range(30):  # 6 s: haproxy's checks notice within 2
        statuses.append(request("GET", "/wiki/Failover_2/history")[0])
        time.sleep(0.2)
    session = ha_cluster["sessions"][1]
    status = save(session, 2, 9000)[0]
    print(
        f"\nREPLICA LOSS (pg{replica + 1}): reads {statuses.count(200)}/{len(statuses)} 200, "
        f"a save after it: {status}"
    )
    assert statuses == [200] * len(statuses)
    assert status == 302  # the other replica became the synchronous one
    ha.start_node(replica)
    healthy(ha)


def test_an_etcd_member_dies_and_the_cluster_keeps_its_leader_and_writes(ha_cluster):
    ha = ha_cluster["ha"]
    healthy(ha)
    leader = ha.leader()
    member = ha.state["pids"]["etcd1"]
    os.killpg(member, 9)
    statuses = []
    for k in range(20):  # 10 s: several Patroni loops renewing the leader key
        statuses.append(save(ha_cluster["sessions"][2], 3, 9100 + k)[0])
        time.sleep(0.5)
    print(
        f"\nETCD MEMBER LOSS: saves {statuses.count(302)}/{len(statuses)} acknowledged, "
        f"leader pg{leader + 1} -> pg{ha.leader() + 1}"
    )
    assert statuses == [302] * len(statuses)
    assert ha.leader() == leader and ha.healthy()
    ha.start_etcd(0)  # its data folder kept: it rejoins as the member it was
    wait_for(lambda: http_ok(f"http://127.0.0.1:{port('etcd_client', 0)}/health"), "etcd1")


def test_the_redis_master_dies_editors_stay_signed_in_and_no_stale_page_is_served(ha_cluster):
    ha, env = ha_cluster["ha"], ha_cluster["env"]
    session = ha_cluster["sessions"][3]
    master = ha.redis_master_port()
    assert master == port("redis", 0)
    # A cached page: read twice (the second a page-cache hit, from Redis).
    request("GET", "/wiki/Failover_4")
    status, body, _ = request("GET", "/wiki/Failover_4")
    assert status == 200
    keys = redis.Redis(port=port("redis", 1)).keys(f"{env['CACHE_KEY_PREFIX']}*")
    assert keys, "the replica holds the cache's keys"
    ha.kill_redis(master)
    killed_at = time.monotonic()
    # An edit while Sentinel has not yet promoted the replica: the page in the old master's
    # copy (now on the replica) must not be served once the replica is master.
    status, _, _, text = save(session, 4, 9200)
    assert status == 302
    wait_for(lambda: ha.redis_master_port() == port("redis", 1), "Sentinel's failover", 30)
    promoted = time.monotonic() - killed_at
    time.sleep(6)  # past the cache's breaker (REDIS_BREAKER_SECONDS): it asks Redis again
    status, body, _ = request("GET", "/wiki/Failover_4/edit", cookies={"sessionid": session})
    assert status == 200 and "failover-editor-4" in body  # still signed in: the editor's form
    pages = [request("GET", "/wiki/Failover_4") for _ in range(3)]
    assert all(p[0] == 200 and "Save 9200 by editor 4" in p[1] for p in pages)
    # And the cache works on the new master: an edit after the failover shows at once.
    assert save(session, 4, 9201)[0] == 302
    assert "Save 9201 by editor 4" in request("GET", "/wiki/Failover_4")[1]
    used = redis.Redis(port=port("redis", 1)).keys(f"{env['CACHE_KEY_PREFIX']}*")
    print(
        f"\nREDIS FAILOVER: Sentinel promoted :{port('redis', 1)} {promoted:.1f} s after the "
        f"master died; signed in: yes; stale pages served: 0; keys on the new master "
        f"{len(used)}"
    )
    assert used
