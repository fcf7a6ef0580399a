"""Readers never see a page older than an acknowledged edit, and the site keeps answering,
whatever Redis or PostgreSQL did meanwhile: stopped (saving its data), hung, restarted.

Every server stopped or hung here is a private one this file starts on a free port in a
temporary directory.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.test import override_settings

from deploy.parts import Server, free_port
from tests.helpers import manage
from wiki import caching
from wiki.models import Portal

from .conftest import SAMPLE_SOURCE, save

ROOT = Path(__file__).resolve().parent.parent
REDIS_TIMEOUT = 0.25  # the production default (REDIS_TIMEOUT)
CORRECTED = SAMPLE_SOURCE.replace("Rest helps.", "Rest helps; take 5 mg, not 50 mg.")


class PrivateRedis:
    """A redis-server of our own that saves its data on shutdown, as Debian's default config
    does, and loads it again on start."""

    def __init__(self, directory):
        self.binary = shutil.which("redis-server")
        assert self.binary, "redis-server is needed for this test (Debian package redis-server)"
        self.directory, self.port, self.process = directory, free_port(), None
        self.start()

    def client(self):
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--dir", str(self.directory), "--save", "900 1", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                self.client().ping()
                return
            except redis.RedisError:
                time.sleep(0.05)
        raise AssertionError("the private redis-server did not start")

    def shutdown(self):
        """SHUTDOWN SAVE: what `systemctl stop redis` does with Debian's configuration."""
        try:
            self.client().shutdown(save=True)
        except redis.ConnectionError:
            pass
        self.process.wait(timeout=10)

    def hang(self):
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.process.pid, signal.SIGCONT)

    def kill(self):
        if self.process.poll() is None:
            self.resume()
            self.process.kill()
            self.process.wait()

    def cache_settings(self, timeout=REDIS_TIMEOUT):
        return {
            "default": {
                "BACKEND": "encyclopedia.cache.ForgivingRedisCache",
                "LOCATION": f"redis://127.0.0.1:{self.port}/0",
                "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
            }
        }


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path)
    yield server
    server.kill()


@pytest.fixture
def redis_cache(private_redis):
    """The site's cache is the private Redis; the breaker waits 0.3 s before trying again."""
    with override_settings(CACHES=private_redis.cache_settings(), REDIS_BREAKER_SECONDS=0.3):
        caching._memo["value"] = None  # like a new process: no generation read from another cache
        yield private_redis


def view(client, path="/wiki/Sample_condition"):
    return client.get(path)


def views_after_the_breaker(client, count=5, path="/wiki/Sample_condition"):
    # Past REDIS_BREAKER_SECONDS (the cache is asked again) and past the second for which a
    # process keeps the site generation it read.
    time.sleep(1.5)
    return [view(client, path) for _ in range(count)]


def cached(client, path="/wiki/Sample_condition"):
    """View the page until the cache answers it."""
    view(client, path)
    response = view(client, path)
    assert response["X-Page-Cache"] == "hit"
    return response


def test_an_edit_made_while_redis_is_stopped_shows_once_redis_is_back_with_its_old_data(
    redis_cache, client, make_article, editor
):
    article = make_article(user=editor)
    cached(client)
    redis_cache.shutdown()
    save(article, editor, CORRECTED)
    assert "take 5 mg" in view(client).content.decode()  # the edit saves and shows
    redis_cache.start()
    assert redis_cache.client().dbsize() > 0  # the pre-edit page survived the restart
    responses = views_after_the_breaker(client)
    for response in responses:
        assert "take 5 mg, not 50 mg" in response.content.decode()
    assert responses[-1]["X-Page-Cache"] == "hit"  # the cache works again, with the new page


def test_an_edit_made_while_redis_hangs_shows_after_redis_is_killed_and_restarts_from_its_snapshot(
    redis_cache, client, make_article, editor
):
    article = make_article(user=editor)
    cached(client)
    redis_cache.client().save()  # Redis's periodic snapshot
    redis_cache.hang()
    save(article, editor, CORRECTED)  # its delete waits in the hung Redis's socket
    assert "take 5 mg" in view(client).content.decode()
    redis_cache.kill()  # a watchdog gives up on the hung server
    redis_cache.start()
    for response in views_after_the_breaker(client):
        assert "take 5 mg, not 50 mg" in response.content.decode()


def test_an_article_created_while_redis_is_stopped_turns_red_links_blue_once_redis_is_back(
    redis_cache, client, make_article
):
    make_article()
    assert "wikilink new" in cached(client).content.decode()
    redis_cache.shutdown()
    make_article(title="Other condition", source="Now it exists.\n")
    redis_cache.start()
    for response in views_after_the_breaker(client):
        html = response.content.decode()
        assert "wikilink new" not in html and 'href="/wiki/Other_condition"' in html


def test_a_portal_added_while_redis_is_stopped_shows_once_redis_is_back(
    redis_cache, client, make_article
):
    make_article()
    cached(client)
    redis_cache.shutdown()
    Portal.objects.create(name="Sleep portal", slug="sleep", position=9)
    redis_cache.start()
    for response in views_after_the_breaker(client):
        assert "Sleep portal" in response.content.decode()


def test_a_hung_redis_costs_one_timeout_not_one_per_cache_operation(
    private_redis, client, make_article, editor
):
    article = make_article(user=editor)
    # A timeout of 1 s, not the default 0.25 s: what the view itself takes on a loaded machine
    # (the suite runs in parallel) stays small beside it, and one timeout per operation would
    # still show as several seconds.
    timeout = 1.0
    with override_settings(CACHES=private_redis.cache_settings(timeout), REDIS_BREAKER_SECONDS=3):
        cached(client)
        private_redis.hang()
        started = time.monotonic()
        assert "Rest helps." in view(client).content.decode()
        first = time.monotonic() - started
        started = time.monotonic()
        assert view(client).status_code == 200
        second = time.monotonic() - started
        # An edit while Redis is skipped: its delete never reaches Redis.
        save(article, editor, CORRECTED)
        private_redis.resume()
        assert first < 2 * timeout, f"the first view with a hung Redis took {first:.2f} s"
        assert second < timeout, f"a view while Redis is skipped took {second:.2f} s"
        time.sleep(3.1)  # the breaker tries Redis again
        responses = [view(client) for _ in range(3)]
        assert all("take 5 mg, not 50 mg" in r.content.decode() for r in responses)
        assert responses[-1]["X-Page-Cache"] == "hit"


@pytest.fixture
def private_postgres():
    """A PostgreSQL server of our own (initdb in a scratch folder), which the test may restart
    and stop, holding the site's database "wiki"."""
    server = Server(options="-c fsync=off").create()
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres", "wiki"],
        check=True,
    )
    yield server
    server.remove()


def fetch(url, form=None, cookies=None):
    """(status, body) of a GET, or of a POST of `form`."""
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data)
    if cookies:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def private_site_env(private_postgres):
    """The environment the site on the private cluster runs with (its database, its secret)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    # REDIS_URL empty: the site's own local cache, nothing shared with the suite's Redis.
    env.update(
        DATABASE_URL=private_postgres.url("wiki"),
        SECRET_KEY=secrets.token_urlsafe(50),
        REDIS_URL="",
    )
    return env


@pytest.fixture
def served_on_private_postgres(private_site_env):
    """The site as `make serve` runs it (gunicorn, DEBUG off, plain HTTP), on the private
    cluster: yields its address."""
    env = dict(private_site_env)
    port = free_port()
    env.update(
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="1",
        GUNICORN_WORKER_CLASS="gthread",
        GUNICORN_THREADS="4",
    )
    migrated = manage("migrate", "--noinput", "-v0", env=env, timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "encyclopedia/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    address = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield address
    finally:
        server.terminate()
        server.wait(timeout=30)


# Makes an editor and a signed-in session for them; prints the session key.
SIGNED_IN_EDITOR = (
    "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY; "
    "from django.contrib.auth.models import Group, User; "
    "from django.contrib.sessions.backends.db import SessionStore; "
    "from wiki.permissions import EDITORS_GROUP; "
    "u = User.objects.create_user('outage-editor', password='pw-outage-123'); "
    "u.groups.add(Group.objects.get(name=EDITORS_GROUP)); "
    "s = SessionStore(); s[SESSION_KEY] = str(u.pk); "
    "s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'; "
    "s[HASH_SESSION_KEY] = u.get_session_auth_hash(); s.create(); print(s.session_key)"
)

# Pages that read the database and need no collected static files (DEBUG is off).
DATABASE_PAGES = ["/sitemap.xml", "/recent-changes/feed"]


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="runs in the PostgreSQL run of the suite (DATABASE_URL=postgres://…); it starts its own cluster",
)
def test_readers_get_pages_not_errors_after_postgresql_restarts(
    served_on_private_postgres, private_postgres
):
    site = served_on_private_postgres
    # Several readers at once: the pool holds several connections.
    threads = [
        threading.Thread(target=lambda: [fetch(site + p) for p in DATABASE_PAGES * 3])
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [fetch(site + p)[0] for p in DATABASE_PAGES] == [200, 200]
    private_postgres.stop()
    private_postgres.start()
    statuses = []
    for n in range(15):  # light traffic
        statuses.append(fetch(site + DATABASE_PAGES[n % 2])[0])
        time.sleep(0.1)
    assert statuses == [200] * 15


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="runs in the PostgreSQL run of the suite (DATABASE_URL=postgres://…); it starts its own cluster",
)
def test_an_edit_that_meets_a_database_outage_hands_back_the_typed_text(
    served_on_private_postgres, private_postgres, private_site_env
):
    site = served_on_private_postgres
    assert fetch(site + "/sitemap.xml")[0] == 200
    # An editor signed in before the outage (an anonymous visitor is sent to sign in first).
    session = manage("shell", "-c", SIGNED_IN_EDITOR, env=private_site_env)
    assert session.returncode == 0, session.stderr
    private_postgres.stop()
    token = secrets.token_hex(16)  # 32 characters: a CSRF secret the form repeats
    status, body = fetch(
        site + "/wiki/Sample_condition/edit",
        form={"csrfmiddlewaretoken": token, "text": "Take 5 mg <not 50 mg> & rest."},
        cookies={"csrftoken": token, "sessionid": session.stdout.strip().splitlines()[-1]},
    )
    assert status == 503  # the database is unreachable: try again shortly
    assert "Take 5 mg &lt;not 50 mg&gt; &amp; rest." in body
