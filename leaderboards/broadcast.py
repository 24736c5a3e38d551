"""Coalesced leaderboard updates: one message per board every 250 ms at most.

The ledger subscriber marks the boards a statement changed, once its transaction has
committed. In a daphne worker the marks go to a coalescer on the worker's event loop.
The first change after a quiet spell goes out after ``GATHER`` seconds (enough for the
other statements of the same transaction, whose hooks run right after, to join it);
changes in the ``WINDOW`` seconds after a send are gathered into one more. For each
changed board the update is computed and serialised once (``board_payload``) and sent
to the board's group, whose members are one relay channel per worker
(``leaderboards.relay``); every consumer only adds its viewer's own place (no database
work per socket, unless that viewer's points moved), and under daphne each distinct
text is framed once for all the sockets that get it (``portal.wire``).
Outside a server (management commands) there is no loop to wait on, so the update is
sent at once. With ``REDIS_URL`` the group send reaches sockets on every worker.
"""

import asyncio
import contextvars
import json
import logging
import time
from datetime import UTC, datetime
from typing import cast

from asgiref.sync import SyncToAsync
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction

from portal.events import LeaderboardsBoardChanged
from portal.realtime import broadcast, broadcast_async, group_name

from .relay import relay
from .selectors import board_shared, board_version_bump

logger = logging.getLogger(__name__)
WINDOW = 0.25
GATHER = 0.025

Key = tuple[str, str]  # (board, window)
Moves = dict[int, tuple[int, int]]  # user -> (points before, points after)


def board_group(board: str, window: str) -> str:
    return group_name("lb", board, window)


def _json(value) -> str:
    return json.dumps(value, separators=(",", ":"))


def board_payload(board: str, window: str, moves: Moves, at: float) -> dict:
    """What every socket on a board receives, serialised once for all of them.

    ``text`` is the update up to its last member, ``"me":``, which each consumer fills
    in; ``texts`` holds the variant for each listed person (their entry says "you");
    ``ranks`` their rank and points. ``changed`` lets each consumer keep its viewer's
    rank right without a query: a person passing the viewer's points adds one above
    them, one falling below removes one. Hidden people are left out: they take no rank.
    ``at`` is when the earliest of the changes was recorded (after its commit).
    """
    shared = board_shared(board, window)
    head = {
        "type": "update",
        "board": board,
        "window": window,
        "version": shared.version,
        "at": datetime.fromtimestamp(at, UTC).isoformat(timespec="milliseconds"),
    }

    def text(you: int | None) -> str:
        listed = [{**entry.as_json(), "you": entry.user_id == you} for entry in shared.entries]
        return _json({**head, "entries": listed})[:-1] + ',"me":'

    return {
        "type": "leaderboards.board_changed",
        "version": shared.version,
        "text": text(None),
        "texts": {str(entry.user_id): text(entry.user_id) for entry in shared.entries},
        # Tuples: the in-process layer deep-copies each message for every socket, and a
        # tuple of numbers is copied for free.
        "ranks": {str(entry.user_id): (entry.rank, entry.points) for entry in shared.entries},
        "changed": tuple(
            (user, old, new)
            for user, (old, new) in sorted(moves.items())
            if user not in shared.hidden
        ),
    }


class Coalescer:
    """Collects changed boards on one event loop and flushes them together."""

    def __init__(self):
        self.pending: dict[Key, tuple[float, Moves]] = {}
        self.scheduled = False
        self.loop: asyncio.AbstractEventLoop | None = None
        self.last_flush = float("-inf")

    async def mark(self, changes: dict[Key, Moves], at: float) -> None:
        for key, moves in changes.items():
            first_at, board_moves = self.pending.setdefault(key, (at, {}))
            for user_id, (old, new) in moves.items():
                board_moves[user_id] = (board_moves.get(user_id, (old, new))[0], new)
            self.pending[key] = (min(first_at, at), board_moves)
        loop = asyncio.get_running_loop()
        # A flush scheduled on another loop (one that has since stopped, as between
        # tests) would never run: schedule again on this one.
        if not self.scheduled or self.loop is not loop:
            self.scheduled, self.loop = True, loop
            wait = max(GATHER, self.last_flush + WINDOW - loop.time())
            # A fresh context: the flush must not inherit the marking request's sync
            # thread (asgiref would refuse to reuse it, to avoid a deadlock).
            loop.call_later(
                wait, lambda: asyncio.ensure_future(self.flush()), context=contextvars.Context()
            )

    async def flush(self) -> None:
        self.last_flush = asyncio.get_running_loop().time()
        pending, self.pending, self.scheduled = self.pending, {}, False
        watched_here = relay().members
        # Boards with sockets on this worker first: each waits for the ones before it.
        for key in sorted(pending, key=lambda key: board_group(*key) not in watched_here):
            at, moves = pending[key]
            update = await database_sync_to_async(_board_update)(*key, moves, at)
            if update is None:
                continue
            try:
                await broadcast_async(*update)
            except Exception:
                logger.exception("Could not send the leaderboard update of %s", update[0])


def _board_update(
    board: str, window: str, moves: Moves, at: float
) -> tuple[str, LeaderboardsBoardChanged] | None:
    """The board's group and its update, or None (logged) if it could not be computed."""
    group = board_group(board, window)
    try:
        payload = {**board_payload(board, window, moves, at), "group": group}
        return group, cast(LeaderboardsBoardChanged, payload)
    except Exception:
        logger.exception("Could not compute the leaderboard update of %s", group)
        return None


coalescer = Coalescer()


def boards_changed(*, moves: dict[Key, tuple[int, int]], user_id: int) -> None:
    """Note that ``user_id``'s points moved ``(old, new)`` on each ``(board, window)``.

    Sent once the caller's transaction commits: before that, other connections (the
    flush's among them) would still read the old totals, and the statements of one
    transaction (a lesson and its course) go out together in one update.
    """
    changes = {key: {user_id: move} for key, move in moves.items()}
    transaction.on_commit(lambda: _send(changes), robust=True)


def boards_refresh(keys: list[Key]) -> None:
    """Send boards again though no points moved (someone's name or visibility changed)."""
    _send({key: {} for key in keys})


def _send(changes: dict[Key, Moves]) -> None:
    at = time.time()
    for board, window in changes:
        board_version_bump(board, window)
    loop = None
    if getattr(SyncToAsync.threadlocal, "main_event_loop_pid", None) is not None:
        loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    if loop is not None and loop.is_running():
        asyncio.run_coroutine_threadsafe(coalescer.mark(changes, at), loop)
        return
    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):
        return  # no server in this process, and no other process can hear this layer
    for (board, window), moves in changes.items():  # no server loop here (a command)
        update = _board_update(board, window, moves, at)
        if update is not None:
            broadcast(*update)
