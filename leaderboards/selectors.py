"""What a leaderboard shows a viewer: the top, the people around them, and their rank.

People who chose "hidden" are in the store (they see their own rank) but never listed
to others, and do not take a rank from anyone: ranks count only visible people.
Aliases replace names everywhere.
"""

from dataclasses import dataclass, replace

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q

from portal.activity.selectors import levels
from portal.people.models import Department, Profile, Team, User, Visibility
from portal.people.privacy import MIN_GROUP

from .boards import (
    COMPANY,
    Board,
    board_for_key,
    board_keys_for_profile,
    current_window_key,
    window_keys,
)
from .store import rank_store

TOP = 20


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
    version: int
    entries: list[Entry]
    around: list[Entry]
    me_rank: int | None
    me_points: int
    hidden: bool


def hidden_people() -> set[int]:
    """Who chose not to be listed, and leavers (whom the stores forget as they leave)."""
    return set(
        Profile.objects.filter(
            Q(leaderboard_visibility=Visibility.HIDDEN) | Q(user__is_active=False)
        ).values_list("user_id", flat=True)
    )


@dataclass(frozen=True)
class SharedBoard:
    """What every viewer of a board season sees alike, at one version."""

    version: int
    entries: tuple[Entry, ...]
    hidden: frozenset[int]
    hidden_points: tuple[int, ...]


def board_version(board: str, window: str) -> int:
    """A counter that grows with every change of a board's current season."""
    return cache.get(_version_key(board, window), 0)


def board_version_bump(board: str, window: str) -> int:
    key = _version_key(board, window)
    cache.add(key, 0, timeout=None)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=None)
        return 1


def _version_key(board: str, window: str) -> str:
    return f"lb-version:{board}:{window}"


def board_shared(board: str, window: str) -> SharedBoard:
    """The top of a board and who is hidden, computed once per version and cached.

    Every socket's snapshot and every broadcast starts from this, so a thousand people
    opening a board cost one read of its top. The version is read before the store: a
    top newer than its version is harmless (the next version replaces it), an older one
    cannot be cached under a newer version.
    """
    version = board_version(board, window)
    key = f"lb-shared:{board}:{current_window_key(window)}:{version}"
    shared = cache.get(key)
    if shared is None:
        season = _Board(board, window)
        top = season.top(TOP)
        shared = SharedBoard(
            version=version,
            entries=tuple(_entries(top, _competition_ranks(top))),
            hidden=frozenset(season.hidden),
            hidden_points=tuple(season.hidden_points),
        )
        cache.set(key, shared, settings.LEADERBOARD_CACHE_SECONDS)
    return shared


class _Board:
    """One board season's store, with hidden people left out of lists and ranks."""

    def __init__(
        self, board: str, window: str, shared: SharedBoard | None = None, season: str = ""
    ):
        self.store = rank_store()
        self.board = board
        self.season = season or current_window_key(window)
        if shared is not None:
            self.hidden, self.hidden_points = set(shared.hidden), list(shared.hidden_points)
            return
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


def board_top(board: str, window: str, *, at, limit: int = TOP) -> list[Entry]:
    """The top of the board's season that ``at`` falls in (last week, say), as anyone
    sees it: names or aliases, hidden people and leavers left out."""
    season = _Board(board, window, season=window_keys(at)[window])
    top = season.top(limit)
    return _entries(top, _competition_ranks(top))


def _entries(rows, ranks, viewer_id=None) -> list[Entry]:
    profiles = {
        p.user_id: p
        for p in Profile.objects.select_related("user").filter(user_id__in=[u for u, _ in rows])
    }
    ladder = levels()
    found = []
    for (user_id, points), rank in zip(rows, ranks, strict=True):
        profile = profiles.get(user_id)
        found.append(
            Entry(
                rank=rank,
                user_id=user_id,
                name=profile.public_name if profile else "Someone",
                initials=profile.initials if profile else "?",
                level=ladder.name_for(points),
                points=points,
                you=user_id == viewer_id,
            )
        )
    return found


def leaderboard_view(*, board: str, window: str, viewer: User, radius: int = 2) -> BoardView:
    """The board as ``viewer`` sees it: the top, the people around them, their rank."""
    shared = board_shared(board, window)
    mine = leaderboard_me(board=board, window=window, viewer=viewer, shared=shared, radius=radius)
    return BoardView(
        board=board,
        window=window,
        version=shared.version,
        entries=[replace(entry, you=entry.user_id == viewer.pk) for entry in shared.entries],
        around=mine.around,
        me_rank=mine.rank,
        me_points=mine.points,
        hidden=viewer.pk in shared.hidden,
    )


@dataclass(frozen=True)
class Mine:
    rank: int | None
    points: int
    around: list[Entry]


def leaderboard_me(
    *, board: str, window: str, viewer: User, shared: SharedBoard | None = None, radius: int = 2
) -> Mine:
    """The viewer's own rank and points, and the people around them."""
    season = _Board(board, window, shared or board_shared(board, window))
    points = season.points_of(viewer.pk)
    if points is None:
        return Mine(rank=None, points=0, around=[])
    near = season.around(viewer.pk, points, radius)
    return Mine(
        rank=season.rank_of(points),
        points=points,
        around=_entries(near, [season.rank_of(p) for _, p in near], viewer.pk),
    )


def _competition_ranks(rows: list[tuple[int, int]]) -> list[int]:
    """Ranks for a list that starts at the top: equal points share a rank."""
    ranks: list[int] = []
    for index, (_, points) in enumerate(rows):
        ranks.append(ranks[-1] if index and rows[index - 1][1] == points else index + 1)
    return ranks


def boards_visible_to(user: User) -> list[Board]:
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


@dataclass(frozen=True)
class TeamStanding:
    rank: int
    team: Team
    points: int
    yours: bool


def team_standings(*, window: str, viewer: User) -> list[TeamStanding]:
    """Teams ranked by their members' points in ``window`` (the board of teams, which
    works-council mode shows instead of boards of people). A team with fewer than
    ``MIN_GROUP`` active members is not shown: its total would point at someone."""
    season = current_window_key(window)
    store = rank_store()
    sizes = dict(
        Profile.objects.filter(user__is_active=True, team__isnull=False)
        .values("team_id")
        .annotate(members=Count("id"))
        .values_list("team_id", "members")
    )
    own_team = getattr(getattr(viewer, "profile", None), "team_id", None)
    rows = []
    for team in Team.objects.select_related("department").order_by("name"):
        if sizes.get(team.pk, 0) < MIN_GROUP:
            continue
        _people, points = store.board_total(board=f"team-{team.slug}", window=season)
        rows.append((team, points))
    rows.sort(key=lambda row: (-row[1], row[0].name))
    ranks = _competition_ranks([(team.pk, points) for team, points in rows])
    return [
        TeamStanding(rank, team, points, team.pk == own_team)
        for rank, (team, points) in zip(ranks, rows, strict=True)
    ]
