"""Settings from the environment; a Redis that is down or hung costs speed, never a 500."""

import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import override_settings

from .helpers import PRODUCTION_ENV, manage

ROOT = Path(__file__).resolve().parent.parent


def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


COOKIE_FLAGS = (
    "from django.conf import settings; "
    "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)"
)


def cookie_flags(**env) -> list[str]:
    result = manage("shell", "--no-imports", "-c", COOKIE_FLAGS, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_session_and_csrf_cookies_are_secure_in_production_whoever_redirects_to_https():
    """An operator whose TLS proxy does the redirect (SECURE_SSL_REDIRECT=0) keeps the flag."""
    assert cookie_flags(**PRODUCTION_ENV) == ["True", "True"]
    assert cookie_flags(**PRODUCTION_ENV, SECURE_SSL_REDIRECT="0") == ["True", "True"]
    assert cookie_flags(**PRODUCTION_ENV, SECURE_SSL_REDIRECT="1") == ["True", "True"]
    assert cookie_flags(DEBUG="1") == ["False", "False"]


def test_plain_http_serving_turns_secure_cookies_off_with_its_documented_switch():
    """`make cluster` on loopback and `make serve` over plain HTTP: Secure cookies there would
    never come back from curl or a browser, so nobody could sign in."""
    off = {"SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0"}
    assert cookie_flags(**PRODUCTION_ENV, **off) == ["False", "False"]
    from deploy.cluster import environment

    assert cookie_flags(**environment()) == ["False", "False"]
    make_serve = subprocess.run(
        ["make", "-n", "-p", "serve"], cwd=ROOT, capture_output=True, text=True, timeout=60
    ).stdout
    for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):  # off unless it redirects
        assert f"serve: {name} = $(SECURE_SSL_REDIRECT)" in make_serve


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env={"DEBUG": "0"})
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_cache(port: int):
    return {
        "default": {
            "BACKEND": "encyclopedia.cache.ForgivingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


@pytest.fixture
def redis_server():
    """A real Redis of our own on a free port, which the test may stop."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is needed for this test (Debian package redis-server)"
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    yield port, process
    process.kill()
    process.wait()


def test_a_stopped_redis_is_a_cache_miss_and_pages_still_render(redis_server, client, make_article):
    port, process = redis_server
    make_article()
    with override_settings(CACHES=redis_cache(port)):
        cache = caches["default"]  # the page views use this one too
        cache.set("probe", "value")
        assert cache.get("probe") == "value"  # really talking to Redis
        process.terminate()
        process.wait()
        assert cache.get("probe", "missed") == "missed"
        cache.set("probe", "again")  # no exception
        assert client.get("/wiki/Sample_condition").status_code == 200
        assert client.get("/").status_code == 200


def test_a_hung_redis_times_out_quickly_as_a_miss(db):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted = []
    stop = threading.Event()

    def accept_and_never_answer():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept_and_never_answer, daemon=True)
    thread.start()
    try:
        with override_settings(CACHES=redis_cache(listener.getsockname()[1])):
            cache = caches.create_connection("default")
            started = time.monotonic()
            assert cache.get("anything", "missed") == "missed"
            cache.set("anything", 1)
            # One 0.2 s timeout, then the breaker: the bound (10x) guards against a cache that
            # waits on a hung Redis for ever, not the speed of a miss.
            assert time.monotonic() - started < 2
    finally:
        stop.set()
        thread.join()
        listener.close()


def test_check_reports_a_missing_connection_pool_module(tmp_path):
    (tmp_path / "psycopg_pool.py").write_text(
        "raise ImportError('psycopg_pool is not installed')\n"
    )
    result = manage(
        "check",
        env={
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/nothing_needed",
            "PYTHONPATH": str(tmp_path),
        },
    )
    assert result.returncode != 0 and "psycopg_pool is not installed" in result.stderr
