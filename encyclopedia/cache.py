"""A Redis cache that treats an unreachable or hung Redis as a cache miss.

Django's RedisCache raises ConnectionError/TimeoutError when Redis is down or slow; for a
wiki that only caches, an outage must cost speed, never a 500. A circuit breaker makes it cost
one timeout: after a failure every operation is a miss without asking Redis for
REDIS_BREAKER_SECONDS, then one operation tries again.

Nothing here can tell the caller whether a delete happened, except `forget_many`: `wiki.caching`
uses it so that a lost delete retires the pages another way.
"""

import logging
import time
from urllib.parse import urlparse

from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError
from redis.sentinel import Sentinel, SentinelConnectionPool

logger = logging.getLogger(__name__)

# Until when (time.monotonic()) each Redis location is skipped; shared by the threads of a
# process, which each have their own cache object.
_open_until: dict[str, float] = {}


def _forgiving(method_name: str, fallback):
    def method(self, *args, **kwargs):
        done, result = self._call(method_name, args, kwargs)
        if done:
            return result
        return fallback(*args, **kwargs) if callable(fallback) else fallback

    method.__name__ = method_name
    return method


def _default(key, default=None, version=None):
    return default


class KeptRedisClient(RedisCacheClient):
    """Django's Redis client, keeping one `redis.Redis` per connection pool: Django builds a
    new one on every operation (`get_client`), a large part of a page-cache hit's cost.

    With OPTIONS "sentinels" ([(host, port), …]) and "sentinel_master" (its name), the pool
    asks Redis Sentinel where the master is (redis-py's SentinelConnectionPool): each new
    connection goes to the current master, so after a failover the cache follows it. The
    database number is the LOCATION's (redis://…/N); its host is not used then."""

    def __init__(self, servers, sentinels=None, sentinel_master=None, **options):
        super().__init__(servers, **options)
        self._clients = {}
        self._sentinel = None
        if sentinels:
            timeout = options.get("socket_timeout", 0.25)
            self._sentinel = (
                Sentinel(
                    sentinels,
                    socket_timeout=timeout,
                    sentinel_kwargs={
                        "socket_timeout": timeout,
                        "socket_connect_timeout": options.get("socket_connect_timeout", timeout),
                    },
                ),
                sentinel_master,
            )

    def _new_pool(self, index):
        if self._sentinel is None:
            return self._pool_class.from_url(self._servers[index], **self._pool_options)
        sentinel, master = self._sentinel
        db = int(urlparse(self._servers[index]).path.strip("/") or 0)
        return SentinelConnectionPool(master, sentinel, db=db, **self._pool_options)

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._new_pool(index)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptRedisClient
        self.breaker_seconds = float(getattr(settings, "REDIS_BREAKER_SECONDS", 5.0))
        self._location = str(server)

    def _call(self, method_name: str, args, kwargs) -> tuple[bool, object]:
        """(True, result), or (False, None) when Redis failed or the breaker is open."""
        now = time.monotonic()
        open_until = _open_until.get(self._location)
        if open_until is not None:
            if now < open_until:
                return False, None
            # The trial: the other threads keep skipping Redis while this one asks it.
            _open_until[self._location] = now + self.breaker_seconds
        try:
            result = getattr(RedisCache, method_name)(self, *args, **kwargs)
        except RedisError as exc:
            _open_until[self._location] = time.monotonic() + self.breaker_seconds
            logger.warning(
                "Redis cache %s failed (%s); skipping Redis for %.1f s",
                method_name,
                exc,
                self.breaker_seconds,
            )
            return False, None
        if open_until is not None:
            _open_until.pop(self._location, None)
            logger.warning("Redis cache answers again")
        return True, result

    def forget_many(self, keys) -> bool:
        """Delete `keys`; False when Redis could not be asked (the keys may still be there)."""
        done, _ = self._call("delete_many", (keys,), {})
        return done

    get = _forgiving("get", _default)
    get_many = _forgiving("get_many", {})
    set = _forgiving("set", None)
    set_many = _forgiving("set_many", lambda data, *a, **k: list(data))
    add = _forgiving("add", False)
    delete = _forgiving("delete", False)
    delete_many = _forgiving("delete_many", None)
    touch = _forgiving("touch", False)
    has_key = _forgiving("has_key", False)
    incr = _forgiving("incr", None)
    clear = _forgiving("clear", False)
