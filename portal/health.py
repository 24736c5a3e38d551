"""GET /healthz: is the database, the cache and the channel layer working?"""

import asyncio
import logging
import uuid

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

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
    channel = await layer.new_channel("healthz.")
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


CHECKS = {"database": _check_database, "cache": _check_cache, "channel_layer": _check_channel_layer}


@never_cache
async def healthz(request):
    results = dict(await asyncio.gather(*(_run(name, check) for name, check in CHECKS.items())))
    failed = [name for name, state in results.items() if state != "ok"]
    body = {"status": "ok" if not failed else "error", "checks": results}
    if failed:
        body["failed"] = failed
    return JsonResponse(body, status=503 if failed else 200)
