"""Every board's totals recomputed from the ledger, set-based (for rebuilds, checks, and
reading while the Redis rank store is unreachable).

The database does the work: one grouped scan of the ledger per person, month and week
into a scratch table, the three windows grouped from it, and the boards (company,
department, team) joined on from the people's profiles, all as ``INSERT ... SELECT``.
Ten million statements never pass through Python.
"""

import contextlib
import uuid
from collections.abc import Iterator
from datetime import datetime

from django.db import DatabaseError, connection
from django.db.models import Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from portal.activity.models import Activity
from portal.people.models import Department, Profile, Team

from .boards import COMPANY

SUBSCRIBER = "leaderboards"  # the boards' name among the ledger's subscribers
# PostgreSQL's memory per sort or hash while recomputing (its default is 4 MB).
REBUILD_WORK_MEM = "256MB"


def _season_key(kind: str, start) -> str:
    """The key of the month or week that starts at ``start`` (the local time the
    database truncated to: a datetime, or its text on SQLite), as ``window_keys`` names it."""
    moment = start if isinstance(start, datetime) else datetime.fromisoformat(start)
    if kind == "month":
        return f"m{moment:%Y-%m}"
    year, week, _ = moment.date().isocalendar()
    return f"w{year}-{week:02d}"


@contextlib.contextmanager
def expected_totals(
    user_ids: list[int] | None = None, *, applied_only: bool = False
) -> Iterator[str]:
    """A scratch table (quoted name) of every board's totals recomputed from the ledger,
    rows ``(board, season, user_id, points)`` with no total of 0, dropped on leaving.

    Only for ``user_ids`` when given; with ``applied_only``, without the statements
    still waiting to be delivered to the boards (they are added when they are).
    """
    quote = connection.ops.quote_name
    tag = uuid.uuid4().hex[:10]
    fine, seasons, person, expected = (
        quote(f"lb_{name}_{tag}") for name in ("fine", "seasons", "person", "expected")
    )
    scored = Activity.objects.exclude(points=0).filter(actor__is_active=True)
    if applied_only:
        scored = scored.exclude(deliveries__subscriber=SUBSCRIBER)
    if user_ids is not None:
        scored = scored.filter(actor_id__in=user_ids)
    tz = timezone.get_current_timezone()
    grouped = (
        scored.annotate(month=TruncMonth("timestamp", tzinfo=tz),
                        week=TruncWeek("timestamp", tzinfo=tz))
        .values("actor_id", "month", "week")
        .annotate(total=Sum("points"))
        .order_by()
    )  # fmt: skip
    scan, params = grouped.query.sql_with_params()
    profiles, teams, departments = (
        quote(model._meta.db_table) for model in (Profile, Team, Department)
    )
    # Only names from the code and the models are formatted in; values are parameters.
    with connection.cursor() as cursor:
        try:
            if connection.vendor == "postgresql" and connection.in_atomic_block:
                # Grouping millions of rows in memory rather than on disk (for this
                # transaction only: a rebuild's; a few people's totals need no more).
                cursor.execute("SET LOCAL work_mem = %s", [REBUILD_WORK_MEM])
            # One scan of the ledger: each person's points per local month and week.
            cursor.execute(
                f"CREATE TEMPORARY TABLE {fine} AS SELECT {quote('actor_id')} AS user_id, "  # noqa: S608
                f"{quote('month')} AS month, {quote('week')} AS week, "
                f"{quote('total')} AS points FROM ({scan}) scan",
                params,
            )
            analyse(fine)
            # Each month and week once, named in Python (a few dozen rows).
            cursor.execute(
                f"CREATE TEMPORARY TABLE {seasons} AS "  # noqa: S608
                f"SELECT DISTINCT 'month' AS kind, month AS starts, 'w0000-00' AS season "
                f"FROM {fine} UNION SELECT DISTINCT 'week', week, 'w0000-00' FROM {fine}"
            )
            cursor.execute(f"SELECT kind, starts FROM {seasons}")  # noqa: S608
            cursor.executemany(
                f"UPDATE {seasons} SET season = %s WHERE kind = %s AND starts = %s",  # noqa: S608
                [(_season_key(kind, start), kind, start) for kind, start in cursor.fetchall()],
            )
            for sql, values in [
                (f"CREATE TEMPORARY TABLE {person} (user_id bigint, season varchar(12), "
                 "points bigint)", []),
                (f"INSERT INTO {person} (user_id, season, points) SELECT user_id, 'all', "  # noqa: S608
                 f"SUM(points) FROM {fine} GROUP BY user_id HAVING SUM(points) <> 0", []),
                *(
                    (f"INSERT INTO {person} (user_id, season, points) "  # noqa: S608
                     f"SELECT f.user_id, s.season, SUM(f.points) FROM {fine} f "
                     f"JOIN {seasons} s ON s.kind = %s AND s.starts = f.{kind} "
                     "GROUP BY f.user_id, s.season HAVING SUM(f.points) <> 0", [kind])
                    for kind in ("month", "week")
                ),
                (f"CREATE TEMPORARY TABLE {expected} (board varchar(80), season varchar(12), "
                 "user_id bigint, points bigint)", []),
                (f"INSERT INTO {expected} (board, season, user_id, points) "  # noqa: S608
                 f"SELECT %s, season, user_id, points FROM {person}", [COMPANY]),
                (f"INSERT INTO {expected} (board, season, user_id, points) "  # noqa: S608
                 f"SELECT %s || COALESCE(own.slug, of_team.slug), p.season, p.user_id, "
                 f"p.points FROM {person} p "
                 f"JOIN {profiles} profile ON profile.user_id = p.user_id "
                 f"LEFT JOIN {departments} own ON own.id = profile.department_id "
                 f"LEFT JOIN {teams} team ON team.id = profile.team_id "
                 f"LEFT JOIN {departments} of_team ON of_team.id = team.department_id "
                 "WHERE COALESCE(own.slug, of_team.slug) IS NOT NULL", ["department-"]),
                (f"INSERT INTO {expected} (board, season, user_id, points) "  # noqa: S608
                 f"SELECT %s || team.slug, p.season, p.user_id, p.points "
                 f"FROM {person} p JOIN {profiles} profile ON profile.user_id = p.user_id "
                 f"JOIN {teams} team ON team.id = profile.team_id", ["team-"]),
            ]:  # fmt: skip
                cursor.execute(sql, values)
            analyse(expected)
            for table in (fine, seasons, person):
                cursor.execute(f"DROP TABLE {table}")
            yield expected
        finally:
            # After an error inside a transaction, its rollback takes the tables away.
            with contextlib.suppress(DatabaseError):
                for table in (fine, seasons, person, expected):
                    cursor.execute(f"DROP TABLE IF EXISTS {table}")


def analyse(table: str) -> None:
    """Statistics for a scratch table just filled, so PostgreSQL plans joins on it by
    its real size (autovacuum never analyses temporary tables)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")


def leaderboards_from_ledger(
    user_ids: list[int] | None = None, *, applied_only: bool = False
) -> dict[tuple[str, str, int], int]:
    """Every board's totals recomputed from the ledger: ``{(board, window, user): points}``
    (only for ``user_ids`` when given; with ``applied_only``, without the statements still
    waiting to be delivered to the boards, which will be added when they are)."""
    with (
        expected_totals(user_ids, applied_only=applied_only) as expected,
        connection.cursor() as cursor,
    ):
        cursor.execute(f"SELECT board, season, user_id, points FROM {expected}")  # noqa: S608
        return {(board, season, user_id): points for board, season, user_id, points in cursor}
