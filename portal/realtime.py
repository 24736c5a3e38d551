"""Sending live events to WebSocket groups, only once the change that caused them is
committed.

One function names groups and one sends, so every broadcast in the portal reads the
same way: ``broadcast(group_name("workshop", page.pk), CoursesAnswerChanged(...))``.
The events themselves are named and typed in ``portal.events``; a rolled-back
transaction sends nothing.
"""

import asyncio
import logging
import re
import weakref
from collections.abc import Callable, Iterable, Sequence

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.dispatch import Signal

from .events import Event, event_check

logger = logging.getLogger(__name__)

# Channel layers forget a group membership after a day (their group_expiry); sockets and
# relays that live longer join again this often.
GROUP_RENEW_SECONDS = 3600.0
_sending: set[asyncio.Task] = set()
_GROUP_PART = re.compile(r"^[A-Za-z0-9_-]+$")


# Group joins and leaves in flight at once per event loop. channels_redis's connection
# pool holds 100 connections and fails beyond them ("Too many connections"): a thousand
# sockets closing at once (a restart, a network blip) left most of their memberships
# behind. Beyond this many, calls wait their turn.
MEMBERSHIP_CALLS = 50
_slots: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]" = (
    weakref.WeakKeyDictionary()
)


def _slot() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    slot = _slots.get(loop)
    if slot is None:
        slot = _slots[loop] = asyncio.Semaphore(MEMBERSHIP_CALLS)
    return slot


async def group_join(layer, group: str, channel: str) -> None:
    """``layer.group_add``, at most ``MEMBERSHIP_CALLS`` at once in this process."""
    async with _slot():
        await layer.group_add(group, channel)


async def group_leave(layer, group: str, channel: str) -> None:
    """``layer.group_discard``, at most ``MEMBERSHIP_CALLS`` at once in this process."""
    async with _slot():
        await layer.group_discard(group, channel)


def group_name(kind: str, *parts: object) -> str:
    """``group_name("workshop", 12)`` -> ``"workshop.12"`` (ASCII, under 100 characters)."""
    pieces = [kind, *(str(part) for part in parts)]
    for piece in pieces:
        if not _GROUP_PART.match(piece):
            raise ValueError(f"Group name parts are letters, digits, '-' or '_': {piece!r}")
    name = ".".join(pieces)
    if len(name) >= 100:
        raise ValueError(f"Group name too long: {name!r}")
    return name


def broadcast(group: str, event: Event) -> None:
    """Send a live ``event`` (``portal.events``) to ``group`` once the current transaction
    commits (at once outside one). A rolled-back transaction sends nothing."""
    event_check(event)

    def send() -> None:
        _run(_send, group, event)

    send.__qualname__ = f"broadcast to {group!r}"
    transaction.on_commit(send, robust=True)


def broadcast_many(events: Sequence[tuple[str, Event]]) -> None:
    """Send many ``(group, event)`` pairs after commit in one go (bulk operations): one
    trip to the channel layer instead of one per event."""
    if not events:
        return
    for _group, event in events:
        event_check(event)

    async def send_all() -> None:
        await asyncio.gather(*(_send(group, event) for group, event in events))

    def send() -> None:
        _run(send_all)

    send.__qualname__ = f"broadcast of {len(events)} events"
    transaction.on_commit(send, robust=True)


async def broadcast_async(group: str, event: Event) -> None:
    """Send ``event`` to ``group`` now, from async code that runs after the commit (the
    leaderboards' coalescer)."""
    event_check(event)
    await _send(group, event)


# Sent with ``group`` and ``event`` as each event goes to the channel layer: what tests
# capture (``tests.realtime.capture_broadcasts``) and what tracing may follow.
broadcast_sent = Signal()


async def _send(group: str, event: Event) -> None:
    broadcast_sent.send(sender=None, group=group, event=event)
    await get_channel_layer().group_send(group, event)


def _run(send, *args) -> None:
    """Run the async ``send(*args)`` from sync code: at once, or, from a thread that runs
    an event loop itself (code driven by an async framework), scheduled on that loop,
    since it cannot be waited for there."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        async_to_sync(send)(*args)
        return
    task = loop.create_task(send(*args))
    _sending.add(task)  # the loop holds tasks weakly: keep each until it is done
    task.add_done_callback(_sending.discard)


async def memberships_renewed(
    layer, channel: str, groups: Callable[[], Iterable[str]], every: float = GROUP_RENEW_SECONDS
) -> None:
    """Join ``groups()`` again every ``every`` seconds until cancelled, so that a socket
    open for days keeps hearing its groups."""
    while True:
        await asyncio.sleep(every)
        for group in list(groups()):
            try:
                await group_join(layer, group, channel)
            except Exception:
                logger.exception("Could not renew %s's membership of %s", channel, group)
