"""Rank stores: one interface, kept in SQL or in Redis sorted sets (``REDIS_URL``).

Both hold every person's points per board and window season and answer "top N" and
"how many have strictly more than X" (the competition rank is that count plus one:
equal points share a rank, "1, 2, 2, 4") without reading the whole board.
"""

import contextlib
import functools
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Count, F, Sum

from portal.activity.deliveries import Retry
from portal.bulk import bulk_insert_text
from portal.cache import REDIS_UNREACHABLE, warn_unreachable

from .ledger import analyse, leaderboards_from_ledger
from .models import BoardPointCount, BoardScore

# While Redis is unreachable, boards are recomputed from the ledger at most this often.
FALLBACK_SECONDS = 10.0
# Differences a check keeps to show (it counts them all).
SHOWN = 1000
# A rebuild writing more totals than this, and more than half the table holds, builds
# the table's ranking indexes after writing instead of while.
BULK_ROWS = 100_000


class Differences(dict):
    """What a check found: ``{(board, window, user): (stored, ledger)}`` for totals, and
    ``{(board, window, "count", points): (stored, ledger)}`` for counts of people per
    total, the first ``SHOWN`` in key order; ``total`` counts them all."""

    total = 0

    @classmethod
    def of(cls, stored: dict, wanted: dict) -> "Differences":
        found = cls()
        for key in sorted(set(stored) | set(wanted), key=str):
            if stored.get(key, 0) != wanted.get(key, 0):
                found[key] = (stored.get(key, 0), wanted.get(key, 0))
        found.total = len(found)
        return found

    def add(self, other: "Differences") -> None:
        for key, pair in other.items():
            if len(self) < SHOWN:
                self[key] = pair
        self.total += other.total


class RankStore:
    """Totals of 0 are not kept: someone whose points cancel out is not on the board."""

    def apply(
        self, *, activity_id: int, user_id: int, points: int, keys: list[tuple[str, str]]
    ) -> dict[tuple[str, str], int]:
        """Add one ledger statement's points to each ``(board, window)``, once per
        statement, and return the new totals. Raises ``Retry`` while the store is not
        ready (being rebuilt, or empty after a restart)."""
        for board, window in keys:
            self.add(board=board, window=window, user_id=user_id, points=points)
        return {
            (board, window): self.points_of(board=board, window=window, user_ids=[user_id]).get(
                user_id, 0
            )
            for board, window in keys
        }

    def ready(self) -> bool:
        """Whether the store holds every board (a store elsewhere may restart empty)."""
        return True

    def unready(self) -> None:
        """Mark the store incomplete until the next ``replace`` (before a rebuild)."""

    @contextlib.contextmanager
    def rebuilding(self, *, wait: float = 0):
        """Yield whether this process may rebuild the store: one rebuild at a time over
        all processes (waiting up to ``wait`` seconds for another one to finish). The
        database serialises rebuilds of the SQL store by itself."""
        yield True

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

    def reconcile(self, expected: str, *, replace: bool) -> Differences:
        """Compare the store with ``expected`` (a scratch table of ``(board, season,
        user_id, points)`` rows: ``ledger.expected_totals``); with ``replace``, make it
        so (changing only what differs) and mark the store ready."""
        raise NotImplementedError


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

    def reconcile(self, expected, *, replace):
        """Set-based (``_compared``); only the rows that differ are deleted and
        inserted."""
        quote = connection.ops.quote_name
        scores, counts = (quote(model._meta.db_table) for model in (BoardScore, BoardPointCount))
        window = quote("window")
        with (
            _compared(
                # Only names from the code and the models are formatted in.
                f"SELECT board, {window} AS season, user_id, points FROM {scores} "  # noqa: S608
                "WHERE points <> 0",
                f"SELECT board, {window} AS season, points, people FROM {counts} "  # noqa: S608
                "WHERE people <> 0",
                expected,
            ) as (found, differing),
            connection.cursor() as cursor,
        ):
            if not (replace and found.total):
                return found
            cursor.execute(
                f"SELECT COUNT(*) FROM {differing['user_id']} WHERE wanted IS NOT NULL"  # noqa: S608
            )
            writing = cursor.fetchone()[0]
            cursor.execute(f"SELECT COUNT(*) FROM {scores}")  # noqa: S608
            bulk = writing > max(BULK_ROWS, cursor.fetchone()[0] // 2)
            for model, key, value in (
                (BoardScore, "user_id", "points"),
                (BoardPointCount, "points", "people"),
            ):
                table = quote(model._meta.db_table)
                cursor.execute(
                    f"DELETE FROM {table} WHERE {value} = 0 OR (board, {window}, {key}) IN "  # noqa: S608
                    f"(SELECT board, season, {key} FROM {differing[key]} "
                    "WHERE stored IS NOT NULL)"
                )
                # In the rank index's order: appended to it rather than scattered.
                with _indexes_built_after(model if bulk and model is BoardScore else None):
                    cursor.execute(
                        f"INSERT INTO {table} (board, {window}, {key}, {value}) "  # noqa: S608
                        f"SELECT board, season, {key}, wanted FROM {differing[key]} "
                        f"WHERE wanted IS NOT NULL ORDER BY board, season, wanted DESC, {key}"
                    )
        return found


@contextlib.contextmanager
def _compared(scores: str, counts: str, expected: str):
    """What a store holds against what the ledger implies, in the database: ``scores``
    selects its ``(board, season, user_id, points)`` totals, ``counts`` its ``(board,
    season, points, people)`` counts of people per total, ``expected`` names the
    recomputed totals' table. One full join each finds the rows that differ, into
    scratch tables. Yields the ``Differences`` and those tables' names (by key
    column: ``user_id`` and ``points``; rows ``(board, season, key, stored, wanted)``,
    NULL where a side has none), dropped on leaving; in a transaction of its own."""
    quote = connection.ops.quote_name
    tag = uuid.uuid4().hex[:10]
    differing = {"user_id": quote(f"lb_scores_{tag}"), "points": quote(f"lb_counts_{tag}")}
    sides = {
        "user_id": (scores, f"SELECT board, season, user_id, points FROM {expected}"),  # noqa: S608
        "points": (
            counts,
            f"SELECT board, season, points, COUNT(*) AS people FROM {expected} "  # noqa: S608
            "GROUP BY board, season, points",
        ),
    }
    found = Differences()
    with transaction.atomic(), connection.cursor() as cursor:
        for key, (have, want) in sides.items():
            value = "points" if key == "user_id" else "people"
            cursor.execute(
                f"CREATE TEMPORARY TABLE {differing[key]} AS SELECT "  # noqa: S608
                f"COALESCE(s.board, e.board) AS board, COALESCE(s.season, e.season) AS "
                f"season, COALESCE(s.{key}, e.{key}) AS {key}, s.{value} AS stored, "
                f"e.{value} AS wanted FROM ({have}) s FULL JOIN ({want}) e "
                f"ON s.board = e.board AND s.season = e.season AND s.{key} = e.{key} "
                f"WHERE s.{value} IS NULL OR e.{value} IS NULL OR s.{value} <> e.{value}"
            )
            cursor.execute(f"SELECT COUNT(*) FROM {differing[key]}")  # noqa: S608
            total = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT board, season, {key}, stored, wanted FROM {differing[key]} "  # noqa: S608
                f"ORDER BY board, season, {key} LIMIT {SHOWN}"
            )
            named = Differences()
            for board, season, number, stored, wanted in cursor.fetchall():
                counted = (board, season, "count", number) if key == "points" else None
                named[counted or (board, season, number)] = (stored or 0, wanted or 0)
            named.total = total
            found.add(named)
        try:
            yield found, differing
        finally:
            with contextlib.suppress(DatabaseError):
                for table in differing.values():
                    cursor.execute(f"DROP TABLE IF EXISTS {table}")


@contextlib.contextmanager
def _indexes_built_after(model):
    """Write many rows of ``model`` without its indexes and constraints (``Meta``'s:
    for board totals, the ranking and per-person indexes and the unique constraint),
    then build them again in one sort each (as the model defines them), in the
    caller's transaction: on PostgreSQL, several times faster than keeping them up to
    date row by row. Readers of the table wait for the transaction meanwhile."""
    if model is None or connection.vendor != "postgresql":
        yield
        return
    steps = [(model._meta.indexes, "index"), (model._meta.constraints, "constraint")]
    with connection.schema_editor() as editor:
        for items, kind in steps:
            for item in items:
                getattr(editor, f"remove_{kind}")(model, item)
    yield
    with connection.schema_editor() as editor:
        for items, kind in steps:
            for item in items:
                getattr(editor, f"add_{kind}")(model, item)


class LedgerRankStore(RankStore):
    """Read-only totals recomputed from the ledger: what the Redis store's reads fall back
    to while Redis is unreachable (slower, and up to ``FALLBACK_SECONDS`` old)."""

    def __init__(self, totals: dict[tuple[str, str, int], int]):
        self.boards: dict[tuple[str, str], dict[int, int]] = {}
        for (board, window, user_id), points in totals.items():
            if points:
                self.boards.setdefault((board, window), {})[user_id] = points

    def _rows(self, board, window) -> list[tuple[int, int]]:
        rows = self.boards.get((board, window), {}).items()
        return sorted(rows, key=lambda row: (-row[1], row[0]))

    def top(self, *, board, window, limit):
        return self._rows(board, window)[:limit]

    def points_of(self, *, board, window, user_ids):
        totals = self.boards.get((board, window), {})
        return {user_id: totals[user_id] for user_id in user_ids if user_id in totals}

    def count_above(self, *, board, window, points):
        return sum(1 for p in self.boards.get((board, window), {}).values() if p > points)

    def neighbours(self, *, board, window, points, above, below):
        rows = self._rows(board, window)
        higher = [row for row in rows if row[1] > points][-above:] if above else []
        lower = [row for row in rows if row[1] <= points][: below + 1]
        return [*higher, *lower]

    def board_total(self, *, board, window):
        totals = self.boards.get((board, window), {})
        return len(totals), sum(totals.values())

    def dump(self):
        return {
            (board, window, user_id): points
            for (board, window), totals in self.boards.items()
            for user_id, points in totals.items()
        }


def _or_ledger(read):
    """A read of the Redis store that answers from the ledger while Redis is unreachable,
    and from Redis again as soon as it answers."""

    @functools.wraps(read)
    def wrapped(self, **kwargs):
        try:
            return read(self, **kwargs)
        except REDIS_UNREACHABLE as error:
            warn_unreachable("rank store", error)
            return getattr(self._ledger_copy(), read.__name__)(**kwargs)

    return wrapped


class RedisRankStore(RankStore):
    """Sorted sets ``lb:<board>:<window>`` with integer scores; members are user ids."""

    # Applies a statement's points once: a marker per statement (under the store's
    # current generation) says it was applied, and nothing is applied while the store is
    # not ready (no generation: being rebuilt, or empty after a restart).
    APPLY = """
    local generation = redis.call('GET', KEYS[1])
    if not generation then return false end
    local marker = ARGV[3] .. generation .. ':' .. ARGV[4]
    local totals = {}
    if redis.call('SET', marker, '1', 'NX', 'EX', ARGV[5]) then
        for i = 2, #KEYS do
            local total = redis.call('ZINCRBY', KEYS[i], ARGV[1], ARGV[2])
            if tonumber(total) == 0 then redis.call('ZREM', KEYS[i], ARGV[2]) end
            totals[#totals + 1] = total
        end
    else
        for i = 2, #KEYS do
            totals[#totals + 1] = redis.call('ZSCORE', KEYS[i], ARGV[2]) or '0'
        end
    end
    return totals
    """
    # Markers outlive any delivery still waiting to be applied (the sweep retries within
    # seconds; a failing one is retried hourly at most, and a rebuild starts a generation).
    MARKER_SECONDS = 6 * 3600

    def __init__(self, url: str, prefix: str = "lb:"):
        import redis

        # Fail fast while Redis is away: reads fall back to the ledger, writes wait.
        self.redis = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5)
        self.prefix = prefix
        # Outside the boards' key space (``lb:*``), so scans of the boards skip them.
        self.meta = prefix.rstrip(":") + "-meta:"
        self._apply = self.redis.register_script(self.APPLY)
        self._as_text = self.redis.register_script(self.AS_TEXT)
        self._fallback: tuple[float, LedgerRankStore | None] = (0.0, None)

    def _ledger_copy(self) -> LedgerRankStore:
        expires, copy = self._fallback
        if copy is None or expires <= time.monotonic():
            copy = LedgerRankStore(leaderboards_from_ledger())
            self._fallback = (time.monotonic() + FALLBACK_SECONDS, copy)
        return copy

    def apply(self, *, activity_id, user_id, points, keys):
        try:
            totals = self._apply(
                keys=[self.meta + "ready", *(self._key(board, window) for board, window in keys)],
                args=[points, user_id, self.meta + "applied:", activity_id, self.MARKER_SECONDS],
            )
        except REDIS_UNREACHABLE as error:
            raise Retry(f"Redis is unreachable ({error.__class__.__name__})") from error
        if totals is None:
            raise Retry("the Redis rank store is not ready (rebuilding, or empty after a restart)")
        return {key: int(float(total)) for key, total in zip(keys, totals, strict=True)}

    def ready(self):
        try:
            return bool(self.redis.exists(self.meta + "ready"))
        except REDIS_UNREACHABLE:
            return False

    def unready(self):
        self.redis.delete(self.meta + "ready")

    @contextlib.contextmanager
    def rebuilding(self, *, wait=0):
        lock = self.redis.lock(self.meta + "rebuilding", timeout=600, blocking_timeout=wait)
        if not lock.acquire(blocking=wait > 0):
            yield False
            return
        try:
            yield True
        finally:
            with contextlib.suppress(Exception):  # expired meanwhile: nothing to release
                lock.release()

    def _key(self, board, window):
        return f"{self.prefix}{board}:{window}"

    def add(self, *, board, window, user_id, points):
        key = self._key(board, window)
        if self.redis.zincrby(key, points, user_id) == 0:
            self.redis.zremrangebyscore(key, 0, 0)  # a total of 0 is no entry

    @_or_ledger
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

    @_or_ledger
    def points_of(self, *, board, window, user_ids):
        if not user_ids:
            return {}
        scores = self.redis.zmscore(self._key(board, window), user_ids)
        return {u: int(s) for u, s in zip(user_ids, scores, strict=True) if s is not None}

    @_or_ledger
    def count_above(self, *, board, window, points):
        return self.redis.zcount(self._key(board, window), f"({points}", "+inf")

    @_or_ledger
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
        # A new generation: markers of statements applied before no longer count.
        pipe.set(self.meta + "ready", uuid.uuid4().hex)
        pipe.execute()

    def reconcile(self, expected, *, replace):
        """The sorted sets are copied into the database (COPY on PostgreSQL) and
        compared there (``_compared``); with ``replace``, each board season that
        differs is written afresh from the ledger under a staging key, in pipelines of
        ``ZADD`` chunks, and all of them are swapped in, with the sets no longer wanted
        deleted, in one transaction that also starts a new generation."""
        quote = connection.ops.quote_name
        held = f"lb_held_{uuid.uuid4().hex[:10]}"
        live = [key.decode() for key in self.redis.scan_iter(f"{self.prefix}*", count=1000)]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {quote(held)} (board varchar(80), "
                "season varchar(12), user_id bigint, points bigint)"
            )
            bulk_insert_text(held, ["board", "season", "user_id", "points"], self._text(live))
            analyse(quote(held))
            with _compared(
                f"SELECT board, season, user_id, points FROM {quote(held)}",  # noqa: S608
                f"SELECT board, season, points, COUNT(*) AS people FROM {quote(held)} "  # noqa: S608
                "GROUP BY board, season, points",
                expected,
            ) as (found, differing):
                if replace:
                    self._rewrite(differing["user_id"], expected)
            cursor.execute(f"DROP TABLE {quote(held)}")
        return found

    # A sorted set as COPY text, built inside Redis: ``board<TAB>season<TAB>`` (the
    # argument) before each member and its score, one line each.
    AS_TEXT = r"""
    local rows = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
    local lines = {}
    for i = 1, #rows, 2 do
        lines[#lines + 1] = ARGV[1] .. rows[i] .. '\t' .. rows[i + 1] .. '\n'
    end
    return table.concat(lines)
    """

    def _text(self, keys: list[str]) -> Iterator[bytes]:
        """Every member of these sorted sets as COPY text lines ``board, season,
        user_id, points`` (board and season keys are slugs: no tab, newline or
        backslash), with no work per member in Python."""
        for key in keys:
            board, season = key.removeprefix(self.prefix).rsplit(":", 1)
            yield self._as_text(keys=[key], args=[f"{board}\t{season}\t"])

    def _rewrite(self, differing: str, expected: str) -> None:
        """Write the board seasons named in ``differing`` from ``expected`` under
        staging keys, then swap them in (those with nothing wanted any more deleted)
        and start a new generation, in one transaction."""
        staging = f"{self.meta}staging:"
        self._delete(self.redis.scan_iter(f"{staging}*", count=1000))  # a dead rebuild's
        staged: set[str] = set()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT board, season FROM {differing}")  # noqa: S608
            differing_keys = {self._key(board, season) for board, season in cursor.fetchall()}
        cursor = connection.chunked_cursor()  # a server-side cursor on PostgreSQL
        try:
            cursor.execute(
                f"SELECT e.board, e.season, e.user_id, e.points FROM {expected} e "  # noqa: S608
                f"JOIN (SELECT DISTINCT board, season FROM {differing}) d "
                "ON d.board = e.board AND d.season = e.season"
            )
            while rows := cursor.fetchmany(20_000):
                pipe = self.redis.pipeline(transaction=False)
                chunk: dict[str, dict[str, int]] = {}
                for board, season, user_id, points in rows:
                    chunk.setdefault(self._key(board, season), {})[str(user_id)] = points
                for key, members in chunk.items():
                    if key not in staged:
                        pipe.delete(staging + key)
                        staged.add(key)
                    pipe.zadd(staging + key, members)
                pipe.execute()
        finally:
            cursor.close()
        pipe = self.redis.pipeline(transaction=True)
        if differing_keys - staged:
            pipe.delete(*(differing_keys - staged))
        for key in staged:
            pipe.rename(staging + key, key)
        # A new generation: markers of statements applied before no longer count.
        pipe.set(self.meta + "ready", uuid.uuid4().hex)
        pipe.execute()

    def _delete(self, keys: Iterable) -> None:
        batch = []
        for key in keys:
            batch.append(key)
            if len(batch) == 1000:
                self.redis.delete(*batch)
                batch = []
        if batch:
            self.redis.delete(*batch)

    @_or_ledger
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
