"""Live leaderboards over a WebSocket: a snapshot on connect, then coalesced updates.

Group ``lb.<board>.<window>``. The update is computed and serialised once per board by
``leaderboards.broadcast``; this consumer only adds its viewer's own place, and reads
the store only when the viewer's own points changed (then with the people around them).
"""

import json
from urllib.parse import parse_qs

from channels.db import database_sync_to_async

from portal.consumers import PortalConsumer

from .boards import WINDOWS
from .broadcast import board_group
from .selectors import boards_visible_to, leaderboard_me, leaderboard_view


def _allowed(user, board: str) -> bool:
    return any(option.key == board for option in boards_visible_to(user))


def _snapshot(user, board: str, window: str) -> dict:
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
    async def authorise(self, user):
        self.board = self.scope["url_route"]["kwargs"]["board"]
        query = parse_qs(self.scope.get("query_string", b"").decode(errors="replace"))
        self.window = (query.get("window") or ["week"])[0]
        if self.window not in WINDOWS:
            return None
        if not await database_sync_to_async(_allowed)(user, self.board):
            return None
        self.user = user
        return [board_group(self.board, self.window)]

    async def joined(self):
        snapshot = await database_sync_to_async(_snapshot)(self.user, self.board, self.window)
        self.me = snapshot["me"]
        await self.send_json(snapshot)

    async def handle(self, message):
        if message["type"] == "snapshot":  # a client may ask for a fresh one
            await self.joined()
            return
        await super().handle(message)

    async def leaderboard_update(self, event):
        """``leaderboard.update``: the board's serialised update, made personal here."""
        you = str(self.user.pk)
        changed = {user: (old, new) for user, old, new in event["changed"]}
        around = None
        if self.user.pk in changed:
            # The viewer's own points moved: the one case that reads the store.
            mine = await database_sync_to_async(leaderboard_me)(
                board=self.board, window=self.window, viewer=self.user
            )
            self.me = {"rank": mine.rank, "points": mine.points}
            around = [entry.as_json() for entry in mine.around]
        elif you in event["ranks"]:
            rank, points = event["ranks"][you]
            self.me = {"rank": rank, "points": points}
        elif self.me["rank"] is not None:
            points = self.me["points"]
            for old, new in changed.values():
                if old <= points < new:
                    self.me["rank"] += 1  # passed the viewer
                elif new <= points < old:
                    self.me["rank"] -= 1  # fell behind the viewer
        tail = json.dumps(self.me, separators=(",", ":"))
        if around is not None:
            tail += ',"around":' + json.dumps(around, separators=(",", ":"))
        await self.send(text_data=event["texts"].get(you, event["text"]) + tail + "}")
