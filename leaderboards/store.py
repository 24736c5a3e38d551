"""Rank stores: one interface, kept in SQL or in Redis sorted sets (``REDIS_URL``).

Both hold every person's points per board and window season and answer "top N" and
"how many have strictly more than X" (the competition rank is that count plus one:
equal points share a rank, "1, 2, 2, 4") without reading the whole board.
"""

from collections import Counter
from collections.abc import Iterable
from functools import cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum

from .models import BoardPointCount, BoardScore


class RankStore:
    """Totals of 0 are not kept: someone whose points cancel out is not on the board."""

    def add(self, *, board: str, window: str, user_id: int, points: int) -> None:
        raise NotImplementedError

    def top(self, *, board: str, window: str, limit: int) -> list[tuple[int, int]]:
        """``[(user_id, points)]``, most points first (ties by user id)."""
        raise NotImplementedError

    def points_of(self, *, board: str, window: str, user_ids: list[int]) -> dict[int, int]:
        raise NotImplementedError

    def count_above(self, *, board: str, window: str, points: int) -> int:
        """How many people on the board have strictly more than ``points``."""
        raise NotImplementedError

    def neighbours(
        self, *, board: str, window: str, points: int, above: int, below: int
    ) -> list[tuple[int, int]]:
        """The people just above and just below ``points``, most points first."""
        raise NotImplementedError

    def forget(self, user_ids: list[int]) -> None:
        """Remove these people from every board and window (before seating them again)."""
        raise NotImplementedError

    def replace(self, rows: Iterable[tuple[str, str, int, int]]) -> None:
        """Forget everything and store ``(board, window, user_id, points)`` rows."""
        raise NotImplementedError

    def dump(self) -> dict[tuple[str, str, int], int]:
        """Every stored total, for checks: ``{(board, window, user_id): points}``."""
        raise NotImplementedError

    def board_total(self, *, board: str, window: str) -> tuple[int, int]:
        """``(people, points)`` on a board season: for boards of teams, not of people."""
        raise NotImplementedError

    def dump_for(self, user_ids: list[int]) -> dict[tuple[str, str, int], int]:
        """The stored totals of these people only."""
        wanted = set(user_ids)
        return {key: points for key, points in self.dump().items() if key[2] in wanted}

    def dump_counts(self) -> dict[tuple[str, str, int], int]:
        """How many people the store counts per total: ``{(board, window, points): n}``.

        Stores that rank by their totals directly count them from the totals."""
        return dict(
            Counter((board, window, points) for (board, window, _), points in self.dump().items())
        )


class SqlRankStore(RankStore):
    """Totals per person in ``BoardScore``, and per total the number of people in
    ``BoardPointCount`` (what "my rank" reads), kept in step in one transaction."""

    def add(self, *, board, window, user_id, points):
        with transaction.atomic():
            scores = BoardScore.objects.select_for_update().filter(
                board=board, window=window, user_id=user_id
            )
            row = scores.first()
            if row is None:
                try:
                    with transaction.atomic():
                        BoardScore.objects.create(
                            board=board, window=window, user_id=user_id, points=points
                        )
                except IntegrityError:  # created in parallel: add to it
                    row = scores.get()
                else:
                    self._count(board, window, points, +1)
                    return
            old, new = row.points, row.points + points
            if new == 0:
                row.delete()  # a total of 0 is no entry, as in the ledger
            else:
                scores.update(points=new)
            self._count(board, window, old, -1)
            self._count(board, window, new, +1)

    @staticmethod
    def _count(board, window, points, change):
        if points == 0:
            return
        counts = BoardPointCount.objects.filter(board=board, window=window, points=points)
        if counts.update(people=F("people") + change):
            if change < 0:
                counts.filter(people=0).delete()
            return
        if change < 0:
            return  # nothing counted there: nothing to take away
        try:
            with transaction.atomic():
                BoardPointCount.objects.create(
                    board=board, window=window, points=points, people=change
                )
        except IntegrityError:  # created in parallel
            counts.update(people=F("people") + change)

    def top(self, *, board, window, limit):
        return list(
            BoardScore.objects.filter(board=board, window=window)
            .order_by("-points", "user_id")
            .values_list("user_id", "points")[:limit]
        )

    def points_of(self, *, board, window, user_ids):
        return dict(
            BoardScore.objects.filter(board=board, window=window, user_id__in=user_ids).values_list(
                "user_id", "points"
            )
        )

    def count_above(self, *, board, window, points):
        above = BoardPointCount.objects.filter(board=board, window=window, points__gt=points)
        return above.aggregate(people=Sum("people"))["people"] or 0

    def neighbours(self, *, board, window, points, above, below):
        scores = BoardScore.objects.filter(board=board, window=window)
        higher = list(
            scores.filter(points__gt=points)
            .order_by("points", "-user_id")
            .values_list("user_id", "points")[:above]
        )
        lower = list(
            scores.filter(points__lte=points)
            .order_by("-points", "user_id")
            .values_list("user_id", "points")[: below + 1]
        )
        return [*reversed(higher), *lower]

    @transaction.atomic
    def replace(self, rows):
        BoardScore.objects.all().delete()
        BoardPointCount.objects.all().delete()
        counts = Counter()

        def scores():
            for board, window, user_id, points in rows:
                counts[(board, window, points)] += 1
                yield BoardScore(board=board, window=window, user_id=user_id, points=points)

        BoardScore.objects.bulk_create(scores(), batch_size=2000)
        BoardPointCount.objects.bulk_create(
            [
                BoardPointCount(board=board, window=window, points=points, people=people)
                for (board, window, points), people in counts.items()
            ],
            batch_size=2000,
        )

    @transaction.atomic
    def forget(self, user_ids):
        gone = BoardScore.objects.select_for_update().filter(user_id__in=user_ids)
        removed = Counter(gone.values_list("board", "window", "points"))
        gone.delete()
        for (board, window, points), people in removed.items():
            self._count(board, window, points, -people)

    def dump(self):
        return {
            (board, window, user_id): points
            for board, window, user_id, points in BoardScore.objects.values_list(
                "board", "window", "user_id", "points"
            )
        }

    def board_total(self, *, board, window):
        totals = BoardScore.objects.filter(board=board, window=window).aggregate(
            people=Count("id"), points=Sum("points")
        )
        return totals["people"], totals["points"] or 0

    def dump_for(self, user_ids):
        return {
            (board, window, user_id): points
            for board, window, user_id, points in BoardScore.objects.filter(
                user_id__in=user_ids
            ).values_list("board", "window", "user_id", "points")
        }

    def dump_counts(self):
        return {
            (board, window, points): people
            for board, window, points, people in BoardPointCount.objects.values_list(
                "board", "window", "points", "people"
            )
            if people
        }


class RedisRankStore(RankStore):
    """Sorted sets ``lb:<board>:<window>`` with integer scores; members are user ids."""

    def __init__(self, url: str, prefix: str = "lb:"):
        import redis

        self.redis = redis.Redis.from_url(url)
        self.prefix = prefix

    def _key(self, board, window):
        return f"{self.prefix}{board}:{window}"

    def add(self, *, board, window, user_id, points):
        key = self._key(board, window)
        if self.redis.zincrby(key, points, user_id) == 0:
            self.redis.zremrangebyscore(key, 0, 0)  # a total of 0 is no entry

    def top(self, *, board, window, limit):
        # Redis orders equal scores by member in reverse; sort ties by user id as SQL does.
        rows = self.redis.zrevrange(self._key(board, window), 0, limit - 1, withscores=True)
        found = [(int(member), int(score)) for member, score in rows]
        if len(found) == limit:  # ties at the cut may continue past it: fetch them all
            last = found[-1][1]
            ties = self.redis.zrevrangebyscore(self._key(board, window), last, last)
            found = [row for row in found if row[1] > last] + [
                (int(member), last) for member in ties
            ]
        return sorted(found, key=lambda row: (-row[1], row[0]))[:limit]

    def points_of(self, *, board, window, user_ids):
        if not user_ids:
            return {}
        scores = self.redis.zmscore(self._key(board, window), user_ids)
        return {u: int(s) for u, s in zip(user_ids, scores, strict=True) if s is not None}

    def count_above(self, *, board, window, points):
        return self.redis.zcount(self._key(board, window), f"({points}", "+inf")

    def neighbours(self, *, board, window, points, above, below):
        key = self._key(board, window)
        higher = self.redis.zrangebyscore(key, f"({points}", "+inf", 0, above, withscores=True)
        lower = self.redis.zrevrangebyscore(key, points, "-inf", 0, below + 1, withscores=True)
        rows = [(int(m), int(s)) for m, s in [*higher, *lower]]
        return sorted(rows, key=lambda row: (-row[1], row[0]))

    def forget(self, user_ids):
        if not user_ids:
            return
        pipe = self.redis.pipeline(transaction=False)
        for key in self.redis.scan_iter(f"{self.prefix}*", count=1000):
            pipe.zrem(key, *user_ids)
        pipe.execute()

    def replace(self, rows):
        keys = list(self.redis.scan_iter(f"{self.prefix}*"))
        pipe = self.redis.pipeline(transaction=True)
        if keys:
            pipe.delete(*keys)
        grouped: dict[str, dict[int, int]] = {}
        for board, window, user_id, points in rows:
            grouped.setdefault(self._key(board, window), {})[user_id] = points
        for key, members in grouped.items():
            pipe.zadd(key, members)
        pipe.execute()

    def board_total(self, *, board, window):
        scores = self.redis.zrange(self._key(board, window), 0, -1, withscores=True)
        return len(scores), int(sum(score for _, score in scores))

    def dump(self):
        found = {}
        for key in self.redis.scan_iter(f"{self.prefix}*"):
            board, window = key.decode().removeprefix(self.prefix).rsplit(":", 1)
            for member, score in self.redis.zrange(key, 0, -1, withscores=True):
                found[(board, window, int(member))] = int(score)
        return found


@cache
def rank_store() -> RankStore:
    """The store the environment chooses: Redis with ``REDIS_URL``, SQL otherwise."""
    if settings.REDIS_URL:
        return RedisRankStore(settings.REDIS_URL, prefix=settings.LEADERBOARD_REDIS_PREFIX)
    return SqlRankStore()
