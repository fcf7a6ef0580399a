"""Readers never see a page older than an acknowledged edit, and the site keeps answering,
whatever Redis or PostgreSQL did meanwhile: stopped (saving its data), hung, restarted.

Every server stopped or hung here is a private one this file starts on a free port in a
temporary directory.
"""

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
import redis
from django.test import override_settings

from wiki import caching
from wiki.models import Portal

from .conftest import SAMPLE_SOURCE, save

REDIS_TIMEOUT = 0.25  # the production default (REDIS_TIMEOUT)
CORRECTED = SAMPLE_SOURCE.replace("Rest helps.", "Rest helps; take 5 mg, not 50 mg.")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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

    def cache_settings(self):
        return {
            "default": {
                "BACKEND": "encyclopedia.cache.ForgivingRedisCache",
                "LOCATION": f"redis://127.0.0.1:{self.port}/0",
                "OPTIONS": {
                    "socket_connect_timeout": REDIS_TIMEOUT,
                    "socket_timeout": REDIS_TIMEOUT,
                },
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
    with override_settings(CACHES=private_redis.cache_settings(), REDIS_BREAKER_SECONDS=3):
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
        assert first < 2 * REDIS_TIMEOUT, f"the first view with a hung Redis took {first:.2f} s"
        assert second < REDIS_TIMEOUT, f"a view while Redis is skipped took {second:.2f} s"
        time.sleep(3.1)  # the breaker tries Redis again
        responses = [view(client) for _ in range(3)]
        assert all("take 5 mg, not 50 mg" in r.content.decode() for r in responses)
        assert responses[-1]["X-Page-Cache"] == "hit"
