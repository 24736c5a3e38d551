"""Live leaderboards over a WebSocket: a snapshot on connect, then coalesced updates.

Group ``lb.<board>.<window>``, followed through this worker's relay. The update is
computed and serialised once per board by ``leaderboards.broadcast``; this consumer
only adds its viewer's own place, and reads the store only when the viewer's own points
changed (then with the people around them).
"""

import asyncio
import json
from urllib.parse import parse_qs

from channels.db import database_sync_to_async

from portal.consumers import PortalConsumer
from portal.people.models import PrivacySettings, User
from portal.wire import WIRE

from .boards import COMPANY, WINDOWS
from .broadcast import board_group
from .relay import relay
from .selectors import boards_visible_to, leaderboard_me, leaderboard_view


def _allowed(user: User, board: str) -> bool:
    if not PrivacySettings.load().individual_boards:
        return False  # the programme shows boards of teams only (no live boards of people)
    if board == COMPANY:  # everyone signed in sees the company board
        return True
    return any(option.key == board for option in boards_visible_to(user))


def _snapshot(user: User, board: str, window: str) -> dict:
    view = leaderboard_view(board=board, window=window, viewer=user)
    return {
        "type": "snapshot",
        "board": board,
        "window": window,
        "version": view.version,
        "entries": [entry.as_json() for entry in view.entries],
        "me": {"rank": view.me_rank, "points": view.me_points},
        "around": [entry.as_json() for entry in view.around],
    }


class LeaderboardConsumer(PortalConsumer):
    async def authorise(self, user: User):
        self.board = self.scope["url_route"]["kwargs"]["board"]
        query = parse_qs(self.scope.get("query_string", b"").decode(errors="replace"))
        self.window = (query.get("window") or ["week"])[0]
        if self.window not in WINDOWS:
            return None
        if not await database_sync_to_async(_allowed)(user, self.board):
            return None
        self.user = user
        # Read once: the user is a lazy object, slow to ask on every update.
        self.you, self.you_key = user.pk, str(user.pk)
        self.group = board_group(self.board, self.window)
        return []  # updates come through this worker's relay, not a group per socket

    async def joined(self):
        self.me = None  # until the first snapshot
        self.behind = False
        self.reading: set[asyncio.Task] = set()
        self.wire = self.scope.get(WIRE)  # daphne's socket, for prepared frames
        self.relay = relay()
        await self.relay.join(self.group, self)
        await self.snapshot()

    async def disconnect(self, code):
        if hasattr(self, "relay"):
            await self.relay.leave(self.group, self)
        await super().disconnect(code)

    async def handle(self, message):
        if message["type"] == "snapshot":  # a client may ask for a fresh one
            await self.snapshot()
            return
        await super().handle(message)

    async def snapshot(self):
        while True:
            self.behind = False
            snapshot = await database_sync_to_async(_snapshot)(self.user, self.board, self.window)
            self.me = snapshot["me"]
            await self.send_json(snapshot)
            if not self.behind:
                return  # else an update came while it was read: read again

    async def leaderboards_board_changed(self, event):
        """The board's update, sent through ASGI (not under daphne; there the relay
        writes each text's prepared frame to the socket itself)."""
        text = self.update_text(event)
        if text is not None:
            await self.send_text(text)

    def update_text(self, event) -> str | None:
        """This viewer's text of the board's update (from the relay), or None.

        Runs once per socket for every update, so it stays small: no query, no
        serialising beyond the viewer's own place; viewers in the same place get the
        same text, which the relay frames once for all of them. None when this socket
        sends on its own: before its first snapshot (which is then read again), or when
        the viewer's own points moved (their place is read from the store in a task of
        its own, so that the relay goes on to the other sockets meanwhile).
        """
        if self.me is None:
            self.behind = True
            return None
        changed = event["changed"]
        if any(user == self.you for user, _, _ in changed):
            task = asyncio.create_task(self._send_with_own_place(event))
            self.reading.add(task)
            task.add_done_callback(self.reading.discard)
            return None
        listed = event["ranks"].get(self.you_key)
        if listed is not None:
            self.me = {"rank": listed[0], "points": listed[1]}
        elif self.me["rank"] is not None:
            points = self.me["points"]
            for _, old, new in changed:
                if old <= points < new:
                    self.me["rank"] += 1  # passed the viewer
                elif new <= points < old:
                    self.me["rank"] -= 1  # fell behind the viewer
        return self._text(event, _json(self.me))

    async def _send_with_own_place(self, event):
        mine = await database_sync_to_async(leaderboard_me)(
            board=self.board, window=self.window, viewer=self.user
        )
        self.me = {"rank": mine.rank, "points": mine.points}
        around = [entry.as_json() for entry in mine.around]
        await self.send_text(self._text(event, _json(self.me) + ',"around":' + _json(around)))

    def _text(self, event, tail: str) -> str:
        return event["texts"].get(self.you_key, event["text"]) + tail + "}"

    async def send_text(self, text: str) -> None:
        """Send through ASGI (the relay writes prepared frames to ``self.wire`` instead)."""
        await self.base_send({"type": "websocket.send", "text": text})


def _json(value) -> str:
    return json.dumps(value, separators=(",", ":"))
