"""What a leaderboard shows a viewer: the top, the people around them, and their rank.

People who chose "hidden" are in the store (they see their own rank) but never listed
to others, and do not take a rank from anyone: ranks count only visible people.
Aliases replace names everywhere.
"""

from dataclasses import dataclass

from portal.activity.models import Level
from portal.people.models import Department, Profile, Team, Visibility

from .boards import COMPANY, Board, board_for_key, board_keys_for_profile, current_window_key
from .store import rank_store


@dataclass(frozen=True)
class Entry:
    rank: int
    user_id: int
    name: str
    initials: str
    level: str
    points: int
    you: bool

    def as_json(self) -> dict:
        return {"rank": self.rank, "name": self.name, "initials": self.initials,
                "level": self.level, "points": self.points, "you": self.you}  # fmt: skip

    def as_payload(self) -> dict:
        """For broadcasts: with the person's id, which each consumer turns into "you"."""
        return {**self.as_json(), "user": self.user_id}


@dataclass(frozen=True)
class BoardView:
    board: str
    window: str
    entries: list[Entry]
    around: list[Entry]
    me_rank: int | None
    me_points: int
    hidden: bool


def hidden_people() -> set[int]:
    """Who chose not to be listed."""
    return set(
        Profile.objects.filter(leaderboard_visibility=Visibility.HIDDEN).values_list(
            "user_id", flat=True
        )
    )


class _Board:
    """One board season's store, with hidden people left out of lists and ranks."""

    def __init__(self, board: str, window: str):
        self.store = rank_store()
        self.board = board
        self.season = current_window_key(window)
        self.hidden = hidden_people()
        self.hidden_points = sorted(
            self.store.points_of(
                board=board, window=self.season, user_ids=list(self.hidden)
            ).values(),
            reverse=True,
        )

    def rank_of(self, points: int) -> int:
        above = self.store.count_above(board=self.board, window=self.season, points=points)
        return above - sum(1 for p in self.hidden_points if p > points) + 1

    def top(self, limit: int) -> list[tuple[int, int]]:
        rows = self.store.top(
            board=self.board, window=self.season, limit=limit + len(self.hidden_points)
        )
        return [row for row in rows if row[0] not in self.hidden][:limit]

    def points_of(self, user_id: int) -> int | None:
        return self.store.points_of(board=self.board, window=self.season, user_ids=[user_id]).get(
            user_id
        )

    def around(self, user_id: int, points: int, radius: int) -> list[tuple[int, int]]:
        spare = radius + len(self.hidden_points)
        near = [
            row
            for row in self.store.neighbours(
                board=self.board, window=self.season, points=points, above=spare, below=spare
            )
            if row[0] not in self.hidden or row[0] == user_id
        ]
        if user_id not in dict(near):
            near.append((user_id, points))
        near.sort(key=lambda row: (-row[1], row[0]))
        at = [user for user, _ in near].index(user_id)
        return near[max(0, at - radius) : at + radius + 1]


def _entries(rows, ranks, viewer_id=None) -> list[Entry]:
    profiles = {
        p.user_id: p
        for p in Profile.objects.select_related("user").filter(user_id__in=[u for u, _ in rows])
    }
    levels = list(Level.objects.order_by("threshold").values_list("threshold", "name"))
    found = []
    for (user_id, points), rank in zip(rows, ranks, strict=True):
        profile = profiles.get(user_id)
        found.append(
            Entry(
                rank=rank,
                user_id=user_id,
                name=profile.public_name if profile else "Someone",
                initials=profile.initials if profile else "?",
                level=next((n for t, n in reversed(levels) if t <= points), ""),
                points=points,
                you=user_id == viewer_id,
            )
        )
    return found


def board_entries(*, board: str, window: str, limit: int = 20) -> list[Entry]:
    """The top of a board, the same for every viewer (what a broadcast carries)."""
    top = _Board(board, window).top(limit)
    return _entries(top, _competition_ranks(top))


def leaderboard_view(*, board: str, window: str, viewer, limit: int = 20, radius: int = 2):
    """The board as ``viewer`` sees it: the top, the people around them, their rank."""
    season = _Board(board, window)
    top = season.top(limit)
    mine = season.points_of(viewer.pk)
    near = season.around(viewer.pk, mine, radius) if mine is not None else []
    return BoardView(
        board=board,
        window=window,
        entries=_entries(top, _competition_ranks(top), viewer.pk),
        around=_entries(near, [season.rank_of(points) for _, points in near], viewer.pk),
        me_rank=season.rank_of(mine) if mine is not None else None,
        me_points=mine or 0,
        hidden=viewer.pk in season.hidden,
    )


def leaderboard_me(*, board: str, window: str, viewer) -> dict:
    """Only the viewer's own rank and points (for a socket whose person's points moved)."""
    season = _Board(board, window)
    mine = season.points_of(viewer.pk)
    return {"rank": season.rank_of(mine) if mine is not None else None, "points": mine or 0}


def _competition_ranks(rows: list[tuple[int, int]]) -> list[int]:
    """Ranks for a list that starts at the top: equal points share a rank."""
    ranks = []
    for index, (_, points) in enumerate(rows):
        ranks.append(ranks[-1] if index and rows[index - 1][1] == points else index + 1)
    return ranks


def boards_visible_to(user) -> list[Board]:
    """The company, the person's own department and team, teams they manage; all for
    programme admins."""
    if user.has_perm("people.view_team"):
        keys = [COMPANY]
        keys += [f"department-{slug}" for slug in Department.objects.values_list("slug", flat=True)]
        keys += [f"team-{slug}" for slug in Team.objects.values_list("slug", flat=True)]
    else:
        keys = board_keys_for_profile(getattr(user, "profile", None))
        keys += [f"team-{slug}" for slug in user.managed_teams.values_list("slug", flat=True)]
    boards = []
    for key in dict.fromkeys(keys):
        board = board_for_key(key)
        if board is not None:
            boards.append(board)
    return boards
