"""What a load balancer and an operator need to know, read fresh on each request: the
database (and whether this node writes), the read replica's lag, the cache, the task queue's
depth and the age of the newest backup.

`/health` answers JSON, 200 while the database answers (a balancer's test) and 503 when it
does not; the other facts are warnings, in the body. The admin's *Site health* page shows the
same facts, and its index warns when the newest backup is older than BACKUP_MAX_AGE_HOURS."""

import time
from datetime import UTC, datetime

from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django_q.models import OrmQ

from . import backups, pg_backups, replicas


def _database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_is_in_recovery()")
                role = "replica" if cursor.fetchone()[0] else "primary"
            else:
                cursor.execute("SELECT 1")
                role = "embedded"
    except DatabaseError as failed:
        return {"ok": False, "error": str(failed).strip()[:200]}
    return {"ok": True, "role": role, "ms": round((time.monotonic() - started) * 1000, 1)}


def _replica() -> dict:
    if not replicas.configured():
        return {"configured": False, "ok": True}
    try:
        lag = replicas.replica_lag()
    except DatabaseError:
        return {"configured": True, "ok": False, "error": "the replica does not answer"}
    ok = lag <= settings.REPLICA_MAX_LAG_SECONDS
    return {"configured": True, "ok": ok, "lag_seconds": round(lag, 1)}


def _cache() -> dict:
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    key = "health:probe"
    try:
        cache.set(key, "1", 10)
        ok = cache.get(key) == "1"
    except Exception:  # a cache down is a warning here, never this page's failure
        ok = False
    return {"backend": backend, "ok": ok}


def _queue() -> dict:
    try:
        return {"ok": True, "depth": OrmQ.objects.count()}
    except DatabaseError:
        return {"ok": False}


def _backup() -> dict:
    if connection.vendor == "sqlite":
        by, newest = "the SQLite backup", backups.latest_backup_time()
    else:  # pgBackRest's repository says (docs/operators.md)
        by = "pgBackRest" if pg_backups.configured() else "nothing: PGBACKREST_STANZA is not set"
        newest = pg_backups.latest_backup_time() if pg_backups.configured() else None
    if newest is None:
        return {"ok": False, "by": by, "last": None, "age_hours": None}
    age = (datetime.now(UTC) - newest).total_seconds() / 3600
    return {
        "ok": age <= settings.BACKUP_MAX_AGE_HOURS,
        "by": by,
        "last": newest.isoformat(),
        "age_hours": round(age, 1),
    }


def facts() -> dict:
    found = {
        "database": _database(),
        "replica": _replica(),
        "cache": _cache(),
        "queue": _queue(),
        "backup": _backup(),
    }
    if not found["database"]["ok"]:
        status = "down"
    elif all(part["ok"] for part in found.values()):
        status = "ok"
    else:
        status = "warning"
    return {"status": status, **found}


@never_cache
def health(request):
    found = facts()
    return JsonResponse(found, status=503 if found["status"] == "down" else 200)


def site_health(request):
    """The admin's page of the same facts."""
    context = {**admin.site.each_context(request), "title": "Site health", "facts": facts()}
    return render(request, "admin/site_health.html", context)


def backup_warning() -> str:
    """The admin index's warning when the newest backup is too old ("" when it is not)."""
    backup = _backup()
    if backup["ok"]:
        return ""
    if backup.get("last") is None:
        return (
            f"No backup of this wiki has been taken (backed up by {backup['by']}): set it up "
            "and schedule `make backup` (docs/operators.md)."
        )
    return (
        f"The newest backup is {backup['age_hours']} hours old, more than the "
        f"{settings.BACKUP_MAX_AGE_HOURS:g} its schedule allows (BACKUP_MAX_AGE_HOURS)."
    )
