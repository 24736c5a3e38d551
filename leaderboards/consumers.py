"""Live leaderboards over a WebSocket: a snapshot on connect, then coalesced updates.

Group ``lb.<board>.<window>``. The update payload is computed once per board by
``leaderboards.broadcast``; this consumer only marks the viewer's own entry and, when
the viewer's own points changed, reads their rank again.
"""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async

from portal.consumers import PortalConsumer

from .boards import WINDOWS
from .broadcast import board_group, board_version
from .selectors import boards_visible_to, leaderboard_me, leaderboard_view


def _allowed(user, board: str) -> bool:
    return any(option.key == board for option in boards_visible_to(user))


def _snapshot(user, board: str, window: str) -> dict:
    view = leaderboard_view(board=board, window=window, viewer=user)
    return {
        "type": "snapshot",
        "board": board,
        "window": window,
        "version": board_version(board, window),
        "entries": [entry.as_json() for entry in view.entries],
        "around": [entry.as_json() for entry in view.around],
        "me": {"rank": view.me_rank, "points": view.me_points},
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
        """``leaderboard.update``: the board's shared payload, made personal here."""
        changed = {user: (old, new) for user, old, new in event.get("changed", [])}
        mine = next((e for e in event["entries"] if e["user"] == self.user.pk), None)
        if mine is not None:
            self.me = {"rank": mine["rank"], "points": mine["points"]}
        elif self.user.pk in changed:
            # The viewer's own points moved: the one case that reads the store.
            self.me = await database_sync_to_async(leaderboard_me)(
                board=self.board, window=self.window, viewer=self.user
            )
        elif self.me["rank"] is not None:
            points = self.me["points"]
            for old, new in changed.values():
                if old <= points < new:
                    self.me["rank"] += 1  # passed the viewer
                elif new <= points < old:
                    self.me["rank"] -= 1  # fell behind the viewer
        entries = []
        for entry in event["entries"]:
            mine = {key: value for key, value in entry.items() if key != "user"}
            mine["you"] = entry["user"] == self.user.pk
            entries.append(mine)
        await self.send_json(
            {
                "type": "update",
                "board": event["board"],
                "window": event["window"],
                "version": event["version"],
                "entries": entries,
                "me": dict(self.me),
            }
        )
