"""Health endpoints for load balancers and monitoring.

- ``GET /healthz/live``: the process answers (liveness: restart it if this fails).
- ``GET /healthz/ready``: it can serve pages (readiness: 503 only without the database;
  with Redis down pages fall back to the database, so it stays in rotation and the
  body says what is degraded).
- ``GET /healthz``: everything works (monitoring): the database, the cache, the channel
  layer, the rank store (complete, not rebuilding) and a background worker beating.
"""

import asyncio
import logging
import uuid

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from leaderboards.store import rank_store
from portal.worker.housekeeping import workers_alive

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 3


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("unexpected answer to SELECT 1")


def _check_cache() -> None:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("a value written to the cache could not be read back")
    finally:
        cache.delete(key)


async def _check_channel_layer() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer is configured")
    # The default prefix: channels_redis reads one process-local channel ("specific.
    # <client>!") for all of them, and while a consumer is receiving it only reads that
    # one; a channel of another prefix would never be read then.
    channel = await layer.new_channel()
    token = uuid.uuid4().hex
    await layer.send(channel, {"type": "healthz.ping", "token": token})
    message = await layer.receive(channel)
    if message.get("token") != token:
        raise RuntimeError("a message sent through the channel layer came back changed")


async def _run(name: str, check) -> tuple[str, str]:
    try:
        if asyncio.iscoroutinefunction(check):
            await asyncio.wait_for(check(), TIMEOUT_SECONDS)
        else:
            await asyncio.wait_for(sync_to_async(check)(), TIMEOUT_SECONDS)
    except TimeoutError:
        logger.warning("health check %s timed out", name)
        return name, f"error: no answer within {TIMEOUT_SECONDS} s"
    except Exception as error:
        # Details (hosts, ports) go to the log, not to whoever asks the public endpoint.
        logger.warning("health check %s failed: %s", name, error)
        return name, f"error: {error.__class__.__name__}"
    return name, "ok"


def _check_rank_store() -> None:
    if not rank_store().ready():
        raise RuntimeError("the rank store is being rebuilt (the worker repairs it)")


def _check_worker() -> None:
    if not workers_alive():
        raise RuntimeError("no background worker has been seen lately")


CHECKS = {
    "database": _check_database,
    "cache": _check_cache,
    "channel_layer": _check_channel_layer,
    "rank_store": _check_rank_store,
    "worker": _check_worker,
}
# Without these a worker cannot serve pages at all; the rest degrade.
REQUIRED_TO_SERVE = {"database"}


async def _results() -> dict[str, str]:
    return dict(await asyncio.gather(*(_run(name, check) for name, check in CHECKS.items())))


def _answer(results: dict[str, str], *, fatal: set[str]) -> JsonResponse:
    failed = [name for name, state in results.items() if state != "ok"]
    down = [name for name in failed if name in fatal]
    status = "error" if down else ("degraded" if failed else "ok")
    body = {"status": status, "checks": results}
    if failed:
        body["failed"] = failed
    return JsonResponse(body, status=503 if down else 200)


@never_cache
async def healthz(request):
    return _answer(await _results(), fatal=set(CHECKS))


@never_cache
async def healthz_ready(request):
    return _answer(await _results(), fatal=REQUIRED_TO_SERVE)


@never_cache
async def healthz_live(request):
    return JsonResponse({"status": "ok"})
