"""The in-process channel layer (channels' own, its expiry sweep once a second), and group
memberships on the Redis layer."""

import asyncio

import pytest

from portal.layers import InMemoryChannelLayer

pytestmark = pytest.mark.asyncio


async def test_a_broadcast_sweeps_once_not_once_per_receiver(monkeypatch):
    layer = InMemoryChannelLayer()
    channels = [await layer.new_channel() for _ in range(50)]
    for channel in channels:
        await layer.group_add("board", channel)
    sweeps = []
    real_sweep = InMemoryChannelLayer.__mro__[1]._clean_expired
    monkeypatch.setattr(
        InMemoryChannelLayer.__mro__[1],
        "_clean_expired",
        lambda self: sweeps.append(1) or real_sweep(self),
    )
    await layer.group_send("board", {"type": "hello"})
    received = [await layer.receive(channel) for channel in channels]
    assert received == [{"type": "hello"}] * 50
    assert len(sweeps) == 1


async def test_expired_messages_and_memberships_still_go(monkeypatch):
    import time

    layer = InMemoryChannelLayer(expiry=1, group_expiry=1)
    gone = await layer.new_channel()
    await layer.group_add("board", gone)
    await layer.send(gone, {"type": "unread"})
    later = time.time() + 100
    monkeypatch.setattr("channels.layers.time.time", lambda: later)
    layer._clean_expired()  # the first sweep
    assert gone not in layer.channels
    assert "board" not in layer.groups or gone not in layer.groups["board"]

    late = await layer.new_channel()
    await layer.send(late, {"type": "unread"})
    later += 100
    layer._clean_expired()  # within a second of the last sweep: nothing happens
    assert late in layer.channels
    layer._swept_at -= InMemoryChannelLayer.sweep_interval
    layer._clean_expired()
    assert late not in layer.channels


async def test_a_thousand_sockets_leaving_redis_groups_at_once_all_leave():
    """channels_redis's pool holds 100 connections; joins and leaves wait their turn."""
    import redis
    from channels_redis.core import RedisChannelLayer

    from portal.realtime import group_join, group_leave
    from tests.servers import RedisServer

    server = RedisServer().start()
    try:
        layer = RedisChannelLayer(hosts=[{"address": server.url}], prefix="t")
        channels = [await layer.new_channel() for _ in range(1000)]
        await asyncio.gather(*(group_join(layer, "board", c) for c in channels))
        members = redis.Redis.from_url(server.url)
        assert members.zcard("t:group:board") == 1000
        await asyncio.gather(*(group_leave(layer, "board", c) for c in channels))
        assert members.zcard("t:group:board") == 0
        await layer.flush()
    finally:
        server.kill()
