"""gunicorn settings for `make serve`: workers from the CPU count, settings from the environment."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Sync workers: one per CPU plus one, not the usual 2 x CPU + 1: more processes only take turns
# at the same CPUs (bench/scale.py compares; figures in bench/README.md).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
wsgi_app = "encyclopedia.wsgi:application"
preload_app = True


def post_fork(server, worker):
    # Connections opened while preloading must not be shared between workers.
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
