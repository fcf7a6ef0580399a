"""A Redis cache that treats an unreachable or hung Redis as a cache miss.

Django's RedisCache raises ConnectionError/TimeoutError when Redis is down or slow; for a
wiki that only caches, an outage must cost speed, never a 500.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _forgiving(method_name: str, fallback):
    def method(self, *args, **kwargs):
        try:
            return getattr(RedisCache, method_name)(self, *args, **kwargs)
        except RedisError as exc:
            logger.warning("Redis cache %s failed (%s); treating as a miss", method_name, exc)
            if callable(fallback):
                return fallback(*args, **kwargs)
            return fallback

    method.__name__ = method_name
    return method


def _default(key, default=None, version=None):
    return default


class ForgivingRedisCache(RedisCache):
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
