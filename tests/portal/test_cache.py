"""The Redis cache shares one connection pool per process (portal.cache)."""

import redis

from portal.cache import ResilientRedisCache
from tests.servers import RedisServer


def test_cache_objects_of_one_process_share_one_connection_pool():
    """Django makes a cache object per request and per open socket under daphne."""
    server = RedisServer().start()
    try:
        objects = [ResilientRedisCache(server.url, {"OPTIONS": {}}) for _ in range(50)]
        for number, cache in enumerate(objects):
            cache.set(f"key{number}", number)
        assert [cache.get(f"key{n}") for n, cache in enumerate(objects)] == list(range(50))
        observer = redis.Redis.from_url(server.url)
        # The pool's one connection, and the observer's own.
        assert len(observer.client_list()) == 2
        other = ResilientRedisCache(server.url.replace("/0", "/1"), {"OPTIONS": {}})
        assert other._cache is not objects[0]._cache  # another database, another pool
    finally:
        server.kill()
