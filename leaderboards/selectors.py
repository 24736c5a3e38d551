"""What a leaderboard shows a viewer: the top, the people around them, and their rank.

People who chose "hidden" are in the store (they see their own rank) but never listed
to others, and do not take a rank from anyone: ranks count only visible people.
Aliases replace names everywhere.
"""

from dataclasses import dataclass

from portal.activity.models import Level
from portal.people.models import Profile, Visibility

from .boards import current_window_key
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


@dataclass(frozen=True)
class BoardView:
    board: str
    window: str
    entries: list[Entry]
    around: list[Entry]
    me_rank: int | None
    me_points: int
    hidden: bool


def leaderboard_view(*, board: str, window: str, viewer, limit: int = 20, radius: int = 2):
    store = rank_store()
    season = current_window_key(window)
    hidden_ids = list(
        Profile.objects.filter(leaderboard_visibility=Visibility.HIDDEN).values_list(
            "user_id", flat=True
        )
    )
    hidden_points = sorted(
        store.points_of(board=board, window=season, user_ids=hidden_ids).values(), reverse=True
    )

    def rank_of(points: int) -> int:
        above = store.count_above(board=board, window=season, points=points)
        return above - sum(1 for p in hidden_points if p > points) + 1

    hidden = set(hidden_ids)
    top = [
        row
        for row in store.top(board=board, window=season, limit=limit + len(hidden_points))
        if row[0] not in hidden
    ][:limit]
    mine = store.points_of(board=board, window=season, user_ids=[viewer.pk]).get(viewer.pk)
    me_rank = rank_of(mine) if mine is not None else None
    near = []
    if mine is not None:
        near = [
            row
            for row in store.neighbours(
                board=board,
                window=season,
                points=mine,
                above=radius + len(hidden_points),
                below=radius + len(hidden_points),
            )
            if row[0] not in hidden or row[0] == viewer.pk
        ]
        if viewer.pk not in dict(near):
            near.append((viewer.pk, mine))
        near.sort(key=lambda row: (-row[1], row[0]))
        at = [user for user, _ in near].index(viewer.pk)
        near = near[max(0, at - radius) : at + radius + 1]
    shown = {user for user, _ in top} | {user for user, _ in near}
    profiles = {
        p.user_id: p for p in Profile.objects.select_related("user").filter(user_id__in=shown)
    }
    levels = list(Level.objects.order_by("threshold").values_list("threshold", "name"))

    def entries(rows, ranks):
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
                    you=user_id == viewer.pk,
                )
            )
        return found

    return BoardView(
        board=board,
        window=window,
        entries=entries(top, _competition_ranks(top)),
        around=entries(near, [rank_of(points) for _, points in near]),
        me_rank=me_rank,
        me_points=mine or 0,
        hidden=viewer.pk in hidden,
    )


def _competition_ranks(rows: list[tuple[int, int]]) -> list[int]:
    """Ranks for a list that starts at the top: equal points share a rank."""
    ranks = []
    for index, (_, points) in enumerate(rows):
        ranks.append(ranks[-1] if index and rows[index - 1][1] == points else index + 1)
    return ranks
