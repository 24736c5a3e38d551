"""Coalesced leaderboard updates: one message per board every 250 ms at most.

The ledger subscriber marks the boards a statement changed. In a daphne worker the
marks go to a coalescer on the worker's event loop, which sends the first change after
a quiet spell at once and gathers the changes of the next ``WINDOW`` seconds into one
send; for each changed board it computes the payload once and sends it to the group;
every consumer only personalises that payload (no database work per socket). Outside
a server (management commands) there is no loop to wait on, so the update is sent at
once. With ``REDIS_URL`` the group send reaches sockets on every worker.
"""

import asyncio
import contextvars
import logging

from asgiref.sync import SyncToAsync, async_to_sync
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.core.cache import cache

from portal.realtime import group_name

logger = logging.getLogger(__name__)
WINDOW = 0.25


def board_group(board: str, window: str) -> str:
    return group_name("lb", board, window)


def board_version(board: str, window: str) -> int:
    return cache.get(f"lb-version:{board}:{window}", 0)


def _bump_version(board: str, window: str) -> int:
    key = f"lb-version:{board}:{window}"
    cache.add(key, 0, timeout=None)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=None)
        return 1


def board_payload(board: str, window: str, moves: dict[int, tuple[int, int]]) -> dict:
    """What every socket on a board receives: the top, and who moved from what to what.

    ``changed`` lets each consumer keep its viewer's rank right without a query: a
    person passing the viewer's points adds one above them, one falling below removes
    one. Hidden people are left out, as they take no rank.
    """
    from .selectors import board_entries, hidden_people

    hidden = hidden_people()
    return {
        "type": "leaderboard.update",
        "board": board,
        "window": window,
        "version": board_version(board, window),
        "entries": [entry.as_payload() for entry in board_entries(board=board, window=window)],
        "changed": [
            [user, old, new] for user, (old, new) in sorted(moves.items()) if user not in hidden
        ],
    }


class Coalescer:
    """Collects changed boards on one event loop and flushes them together."""

    def __init__(self):
        self.pending: dict[tuple[str, str], dict[int, tuple[int, int]]] = {}
        self.scheduled = False
        self.last_flush = float("-inf")

    async def mark(self, moves: dict[tuple[str, str], tuple[int, int]], user_id: int) -> None:
        for key, (old, new) in moves.items():
            board_moves = self.pending.setdefault(key, {})
            first_old = board_moves.get(user_id, (old, new))[0]
            board_moves[user_id] = (first_old, new)
        if not self.scheduled:
            self.scheduled = True
            # The first change after a quiet spell goes out at once; changes during the
            # next WINDOW seconds wait and go out together.
            loop = asyncio.get_running_loop()
            wait = max(0.0, self.last_flush + WINDOW - loop.time())
            # A fresh context: the flush must not inherit the marking request's sync
            # thread (asgiref would refuse to reuse it, to avoid a deadlock).
            loop.call_later(
                wait, lambda: asyncio.ensure_future(self.flush()), context=contextvars.Context()
            )

    async def flush(self) -> None:
        self.last_flush = asyncio.get_running_loop().time()
        pending, self.pending, self.scheduled = self.pending, {}, False
        layer = get_channel_layer()
        for (board, window), moves in pending.items():
            try:
                payload = await database_sync_to_async(board_payload)(board, window, moves)
                await layer.group_send(board_group(board, window), payload)
            except Exception:
                logger.exception("Could not send the update of leaderboard %s/%s", board, window)


coalescer = Coalescer()


def boards_changed(*, moves: dict[tuple[str, str], tuple[int, int]], user_id: int) -> None:
    """Note that ``user_id``'s points moved ``(old, new)`` on each ``(board, window)``."""
    for board, window in moves:
        _bump_version(board, window)
    loop = None
    if getattr(SyncToAsync.threadlocal, "main_event_loop_pid", None) is not None:
        loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    if loop is not None and loop.is_running():
        asyncio.run_coroutine_threadsafe(coalescer.mark(moves, user_id), loop)
        return
    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):
        return  # no server in this process, and no other process can hear this layer
    for (board, window), move in moves.items():  # no server loop here (a command): send now
        async_to_sync(layer.group_send)(
            board_group(board, window), board_payload(board, window, {user_id: move})
        )
