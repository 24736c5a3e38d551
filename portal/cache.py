"""Django's Redis cache, made to degrade instead of failing while Redis is unreachable.

Everything the portal caches can be computed again from the database, so a read that
cannot reach Redis is a miss and a write is skipped (logged once a minute at most);
when Redis answers again the cache simply fills up again.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)
_last_warning = [0.0]


def _unreachable_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.ConnectionError, redis.TimeoutError)


def _degrade(method, fallback):
    @functools.wraps(method)
    def wrapped(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except _unreachable_errors() as error:
            if time.monotonic() - _last_warning[0] > 60:
                _last_warning[0] = time.monotonic()
                logger.warning("The cache is unreachable (%s); reading from the database", error)
            return fallback(*args, **kwargs)

    return wrapped


def _default(key, default=None, *args, **kwargs):
    return default


def _missing_number(key, *args, **kwargs):
    raise ValueError(f"Key {key!r} not found (the cache is unreachable).")


class ResilientRedisCache(RedisCache):
    get = _degrade(RedisCache.get, _default)
    get_many = _degrade(RedisCache.get_many, lambda keys, *a, **k: {})
    has_key = _degrade(RedisCache.has_key, lambda *a, **k: False)
    set = _degrade(RedisCache.set, lambda *a, **k: None)
    set_many = _degrade(RedisCache.set_many, lambda data, *a, **k: list(data))
    add = _degrade(RedisCache.add, lambda *a, **k: False)
    touch = _degrade(RedisCache.touch, lambda *a, **k: False)
    delete = _degrade(RedisCache.delete, lambda *a, **k: False)
    delete_many = _degrade(RedisCache.delete_many, lambda *a, **k: None)
    incr = _degrade(RedisCache.incr, _missing_number)
    decr = _degrade(RedisCache.decr, _missing_number)
