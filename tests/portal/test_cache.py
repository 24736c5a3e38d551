"""The Redis cache shares one connection pool per process (portal.cache)."""

import pytest
import redis

from portal import cache as cache_module
from portal.activity.models import Level
from portal.activity.selectors import levels
from portal.cache import ResilientRedisCache, kept
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


def test_a_kept_value_is_read_again_after_its_time_or_when_forgotten(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(cache_module.time, "monotonic", lambda: now[0])
    reads = []

    @kept(5.0)
    def table():
        reads.append(now[0])
        return len(reads)

    assert [table(), table()] == [1, 1]
    now[0] += 4.9
    assert table() == 1
    now[0] += 0.2  # past its five seconds
    assert table() == 2
    table.forget()  # a change in this process: read at once
    assert table() == 3
    assert len(reads) == 3


@pytest.mark.django_db
def test_levels_are_read_once_and_a_saved_level_is_seen_at_once(django_assert_num_queries):
    levels()
    with django_assert_num_queries(0):
        before = levels().levels
    Level.objects.create(name="Luminary", threshold=1_000_000)
    with django_assert_num_queries(1):
        after = levels().levels
    assert [level.name for level in after] == [level.name for level in before] + ["Luminary"]
    Level.objects.get(name="Luminary").delete()
    assert [level.name for level in levels().levels] == [level.name for level in before]


def test_kept_rows_hold_at_most_their_size_and_remember_that_nothing_was_found():
    from portal.cache import KeptRows

    reads = []

    def read(value):
        reads.append(value)
        return None

    kept = KeptRows(60, size=3)
    for key in range(10):
        assert kept.get(key, lambda key=key: read(key)) is None
    assert len(kept.rows()) <= 3
    kept.get(9, lambda: read("again"))
    assert "again" not in reads  # a miss is kept too: the database is not asked again
    kept.forget()
    kept.get(9, lambda: read("after forget"))
    assert reads[-1] == "after forget"


def test_kept_rows_know_what_they_hold_and_what_it_was_read_with(db):
    from wagtail.models import Page, Site

    from cms.models import HomePage
    from portal.cache import KeptRows

    kept = KeptRows(60)
    site = Site.objects.select_related("root_page").get(is_default_site=True)
    kept.get("site", lambda: site)
    home = HomePage.objects.get(pk=site.root_page_id)
    other = Page.objects.exclude(pk=site.root_page_id).first()
    assert kept.holds(site)
    assert kept.holds(home)  # the root page it was read with, as its own type
    assert other is None or not kept.holds(other)
