"""Settings from the environment; a Redis that is down or hung costs speed, never a 500."""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-test-secret-key-for-the-deploy-check-0123456789abcdef",
    "ALLOWED_HOSTS": "wiki.example.org",
}


def manage(*args, env=None):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


COOKIE_FLAGS = (
    "from django.conf import settings; "
    "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)"
)


def cookie_flags(ssl_redirect: str) -> list[str]:
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        COOKIE_FLAGS,
        env={**PRODUCTION_ENV, "SECURE_SSL_REDIRECT": ssl_redirect},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_session_and_csrf_cookies_are_secure_exactly_when_the_site_redirects_to_https():
    """`make serve` (DEBUG=0, SECURE_SSL_REDIRECT=0) is plain HTTP: Secure cookies there would
    never come back from curl or a browser, so nobody could sign in."""
    assert cookie_flags("0") == ["False", "False"]
    assert cookie_flags("1") == ["True", "True"]


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
