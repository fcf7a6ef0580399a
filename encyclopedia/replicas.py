"""Read replicas: a database router and the middleware that tells it, per request, where reads
may go.

With DATABASE_REPLICA_URL set (a streaming replica of the primary), reads of GET and HEAD
requests go to the replica, except:

- article views and their summaries (page previews): our page cache, and the front caches
  filled from it, must store what the primary holds (a lagging replica would freeze an old
  page in them until the next edit);
- requests of someone who has just written: a write sets a cookie, and for
  READ_YOUR_WRITES_SECONDS that browser's reads go to the primary, so an editor sees their
  own edit at once;
- while the replica is down, or lags more than REPLICA_MAX_LAG_SECONDS behind: checked at most
  every REPLICA_CHECK_SECONDS per process; a read that fails on the replica meanwhile is
  answered again from the primary, so a reader never sees an error page.

Writes always go to the primary. Responses say where their reads went (X-Read-From).
"""

import contextvars
import logging
import threading
import time
from collections import deque

from django.conf import settings
from django.db import DatabaseError, connections

from wiki.page_cache import cached_view

try:  # some reads (iterating a large result) raise the driver's error unwrapped
    from psycopg import Error as DriverError
except ImportError:  # SQLite only: there is no replica then
    DriverError = DatabaseError

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"
PRIMARY_COOKIE = "read_primary"
SAFE_METHODS = {"GET", "HEAD"}

_reads_from = contextvars.ContextVar("reads_from", default=PRIMARY)
_health = {"ok": True, "checked": 0.0}
_health_lock = threading.Lock()


def configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return _reads_from.get()

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


# What the replica had received at this process's recent checks (monotonic time, WAL position),
# oldest first: once it has replayed a position it had received at time t, whatever it lacks
# reached it after t. Only the samples from the newest one it has replayed on are kept.
_received: deque[tuple[float, int]] = deque(maxlen=1000)
_received_lock = threading.Lock()


def replica_lag() -> float:
    """Seconds the replica's replay is behind what it has received: 0 when it has replayed
    all of it, otherwise the time since the last check (in this process) whose received
    position it has replayed since, to within one check. Before this process has seen it
    caught up, and while it streams nothing (just restarted), the time since the last commit
    it replayed: the one measure PostgreSQL keeps, which on an idle primary reads as lag
    whenever a record carrying no transaction (a checkpoint) waits to be replayed."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(
            "SELECT pg_last_wal_receive_lsn() - '0/0'::pg_lsn, "
            "pg_last_wal_replay_lsn() - '0/0'::pg_lsn, "
            "COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)"
        )
        received, replayed, since_commit = cursor.fetchone()
    if received is None or replayed is None:
        return float(since_commit)
    received, replayed, now = int(received), int(replayed), time.monotonic()
    with _received_lock:
        if replayed >= received:
            _received.clear()
            _received.append((now, received))
            return 0.0
        if not _received:  # behind before this process looked: the old measure, for now
            _received.append((now - float(since_commit), replayed))
        while len(_received) > 1 and _received[1][1] <= replayed:
            _received.popleft()  # an older sample it has replayed past: no longer the bound
        lag = now - _received[0][0]
        if _received[-1][1] == received:
            _received[-1] = (now, received)  # still all it had: by now, as well
        else:
            _received.append((now, received))
        return lag


def replica_usable() -> bool:
    """Whether the replica answers and is close enough behind; asked at most every
    REPLICA_CHECK_SECONDS per process."""
    now = time.monotonic()
    if now - _health["checked"] < settings.REPLICA_CHECK_SECONDS:
        return _health["ok"]
    with _health_lock:
        if now - _health["checked"] < settings.REPLICA_CHECK_SECONDS:
            return _health["ok"]
        try:
            lag = replica_lag()
            ok = lag <= settings.REPLICA_MAX_LAG_SECONDS
            if not ok:
                logger.warning("Replica is %.1f s behind: reading from the primary", lag)
        except DatabaseError as exc:
            logger.warning("Replica does not answer (%s): reading from the primary", exc)
            connections[REPLICA].close()
            ok = False
        _health.update(ok=ok, checked=time.monotonic())
        return ok


def mark_replica_down() -> None:
    _health.update(ok=False, checked=time.monotonic())


def reads_may_use_replica(request) -> bool:
    return (
        request.method in SAFE_METHODS
        and PRIMARY_COOKIE not in request.COOKIES
        and (cached_view(request.path_info) is None or getattr(request, "skip_page_cache", False))
        and replica_usable()
    )


# After a reader's request found the primary unreachable, this process sends readers' GETs
# straight to the replica for PRIMARY_DOWN_SECONDS; then one request tries the primary again
# (the others keep to the replica for as long as it may wait for a connection) and, if it
# answers, readers go back to it.
PRIMARY_DOWN_SECONDS = 2.0
_primary = {"down_until": 0.0}
_primary_lock = threading.Lock()


def mark_primary_down() -> None:
    with _primary_lock:
        _primary["down_until"] = time.monotonic() + PRIMARY_DOWN_SECONDS


def primary_thought_down() -> bool:
    return time.monotonic() < _primary["down_until"]


def _readers_to_the_replica() -> bool:
    """Whether this reader's GET goes straight to the replica (the primary was unreachable
    moments ago); False for the one request that tries the primary again. Every reader's
    request asks: the common answer (the primary never failed) takes no lock."""
    if not _primary["down_until"]:
        return False
    with _primary_lock:
        now = time.monotonic()
        if not _primary["down_until"]:
            return False
        if now < _primary["down_until"]:
            return True
        pool = settings.DATABASES[PRIMARY].get("OPTIONS", {}).get("pool", {})
        _primary["down_until"] = now + float(pool.get("timeout", 10)) + 1  # this one probes
        return False


class PrimaryUnreachableMiddleware:
    """Outermost: a reader's GET (no write of theirs in the last moments) answered 503 because
    the primary does not answer, as during a failover (deploy/ha.py), is answered again with
    every read from the replica, article views included; while the primary stays unreachable
    readers go there at once. Such an answer goes in no cache (neither ours nor the front
    caches: a replica may be a little behind, and a page kept from it would outlive the
    failover), so the first view once the new leader takes writes is the primary's again."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = configured()

    def __call__(self, request):
        request.skip_page_cache = False
        reader = (
            self.enabled
            and request.method in SAFE_METHODS
            and PRIMARY_COOKIE not in request.COOKIES
        )
        if reader and _readers_to_the_replica() and replica_usable():
            return self._from_the_replica(request)
        response = self.get_response(request)
        unreachable = response.status_code == 503 and getattr(
            request, "database_unreachable", False
        )
        if reader and unreachable:
            mark_primary_down()
            if replica_usable():
                return self._from_the_replica(request)
        elif reader and _primary["down_until"] and connections[PRIMARY].connection is not None:
            with _primary_lock:
                _primary["down_until"] = 0.0  # the primary answered: readers back to it
        return response

    def _from_the_replica(self, request):
        request.skip_page_cache = True
        request.database_unreachable = False
        response = self.get_response(request)
        response["Cache-Control"] = "no-cache"
        response.headers.pop("ETag", None)
        response.headers.pop("Last-Modified", None)
        return response


class ReadReplicaMiddleware:
    """First in MIDDLEWARE: chooses where this request's reads go, and after a write pins the
    writer's reads to the primary for a while."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = configured()

    def __call__(self, request):
        if not self.enabled:
            return self.get_response(request)
        where = REPLICA if reads_may_use_replica(request) else PRIMARY
        token = _reads_from.set(where)
        request.reads_from = where
        try:
            response = self.get_response(request)
        finally:
            _reads_from.reset(token)
        response["X-Read-From"] = request.reads_from
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PRIMARY_COOKIE,
                "1",
                max_age=settings.READ_YOUR_WRITES_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response

    def process_exception(self, request, exception):
        """A read that failed on the replica (stopped meanwhile) is answered from the primary."""
        if not self.enabled or getattr(request, "reads_from", PRIMARY) != REPLICA:
            return None
        if not isinstance(exception, DatabaseError | DriverError):
            return None
        logger.warning("A read failed on the replica (%s): answered from the primary", exception)
        mark_replica_down()
        connections[REPLICA].close()
        request.reads_from = PRIMARY
        _reads_from.set(PRIMARY)
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)
