"""Rebuilding every board from the ledger, and how fast "top 20 + my rank" is in each
rank store against a naive ledger aggregate.

Generates BENCH_PEOPLE people (default 100,000) in 10 departments and 50 teams and
BENCH_ROWS ledger statements (default 1,000,000; the issue's target is 10,000,000)
over 90 days, loaded with COPY on PostgreSQL; rebuilds every board and window from the
ledger into an empty SQL store (set-based SQL), checks it (``rebuild_leaderboards
--check``), repairs 1,000 drifted totals, and does the same with the Redis store when
REDIS_URL is set; then times, for random people, the company board's top 20 plus that
person's rank and points: in the SQL store, in Redis, and naively with a GROUP BY over
the whole ledger.
Run: .venv/bin/python bench/rank_queries.py   (DATABASE_URL=..., REDIS_URL=...)
"""

import os
import random
import statistics
import time
from datetime import timedelta

from _setup import django_with_scratch_database, people_in_teams, points_statements

django_with_scratch_database()

from django.db import connection  # noqa: E402
from django.db.models import Count, Q, Sum  # noqa: E402
from django.utils import timezone  # noqa: E402

from leaderboards.services import expected_totals, leaderboards_rebuild  # noqa: E402
from leaderboards.store import RedisRankStore, SqlRankStore  # noqa: E402
from portal.activity.models import Activity  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "100000"))
ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
SAMPLES = 200
rng = random.Random(5)


def generate() -> list[int]:
    started = time.perf_counter()
    users = people_in_teams(PEOPLE, departments=10, teams=50)
    ids = [user.pk for user in users]
    now = timezone.now()
    seconds = 90 * 86400
    points_statements(
        (rng.choice(ids), rng.randint(1, 20), now - timedelta(seconds=rng.randint(0, seconds)),
         f"b{n}") for n in range(ROWS)
    )  # fmt: skip
    print(f"generated {PEOPLE:,} people and {ROWS:,} ledger rows in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load, done now: statistics for the planner
        # and a visibility map for index-only scans.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f} s")
    return ids


def rebuild(store, label: str) -> None:
    """Rebuild into an empty store, check it, then repair 1,000 drifted totals."""
    for what, check_only in (("rebuild into the empty store", False), ("check", True)):
        started = time.perf_counter()
        found = leaderboards_rebuild(check_only=check_only, store=store)
        print(f"{label}: {what} in {time.perf_counter() - started:.1f} s "
              f"({found.total:,} differences)")  # fmt: skip
    for user_id, _points in store.top(board="company", window="all", limit=1000):
        store.add(board="company", window="all", user_id=user_id, points=1)  # drift
    started = time.perf_counter()
    found = leaderboards_rebuild(store=store)
    print(f"{label}: rebuild after 1,000 drifted totals in "
          f"{time.perf_counter() - started:.1f} s ({found.total:,} differences)")  # fmt: skip


def timed(label: str, function, samples: int) -> float:
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p50, p95 = statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]
    print(f"{label:<34} p50 {p50:9.2f} ms   p95 {p95:9.2f} ms   ({samples} samples)")
    return p95


def store_query(store, user_id):
    store.top(board="company", window="all", limit=20)
    mine = store.points_of(board="company", window="all", user_ids=[user_id]).get(user_id, 0)
    store.count_above(board="company", window="all", points=mine)


def naive_query(user_id):
    totals = Activity.objects.values("actor_id").annotate(total=Sum("points"))
    list(totals.order_by("-total", "actor_id")[:20])
    mine = Activity.objects.filter(actor_id=user_id).aggregate(t=Sum("points"))["t"] or 0
    totals.aggregate(above=Count("actor_id", filter=Q(total__gt=mine)))


def main() -> None:
    ids = generate()
    started = time.perf_counter()
    with expected_totals() as expected, connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {expected}")  # noqa: S608
        totals = cursor.fetchone()[0]
    print(f"recomputing every board from the ledger (scratch table): "
          f"{time.perf_counter() - started:.1f} s, {totals:,} totals")  # fmt: skip
    rebuild(SqlRankStore(), "SQL store")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    sample = [rng.choice(ids) for _ in range(SAMPLES)]
    it = iter(sample * 10)
    sql_p95 = timed("SQL store: top 20 + my rank", lambda: store_query(SqlRankStore(), next(it)),
                    SAMPLES)  # fmt: skip
    if os.environ.get("REDIS_URL"):
        redis_store = RedisRankStore(os.environ["REDIS_URL"], prefix="lbbench:")
        rebuild(redis_store, "Redis store")
        timed("Redis store: top 20 + my rank", lambda: store_query(redis_store, next(it)), SAMPLES)
        keys = [
            *redis_store.redis.scan_iter("lbbench:*"),
            *redis_store.redis.scan_iter("lbbench-meta:*"),
        ]
        for start in range(0, len(keys), 1000):
            redis_store.redis.delete(*keys[start : start + 1000])
    naive_p95 = timed("naive GROUP BY over the ledger", lambda: naive_query(next(it)), 5)
    print(f"naive / SQL store at p95: {naive_p95 / sql_p95:,.0f} times slower")
    print(f"database: {connection.vendor}")


if __name__ == "__main__":
    main()
