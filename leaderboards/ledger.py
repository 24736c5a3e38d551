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

from django.db import DatabaseError, connection
from django.db.models import CharField, Sum, Value
from django.db.models.functions import (
    Cast,
    Concat,
    ExtractIsoYear,
    ExtractMonth,
    ExtractWeek,
    ExtractYear,
    LPad,
)
from django.utils import timezone

from portal.activity.models import Activity
from portal.people.models import Department, Profile, Team

from .boards import COMPANY

SUBSCRIBER = "leaderboards"  # the boards' name among the ledger's subscribers


def _two_digits(expression):
    return LPad(Cast(expression, CharField()), 2, Value("0"))


def _seasons() -> dict[str, Concat]:
    """The month and week season keys of a statement (``m2026-11``, ``w2026-47``), as
    ``window_keys`` names them, computed by the database in the organisation's zone."""
    tz = timezone.get_current_timezone()
    year, month = ExtractYear("timestamp", tzinfo=tz), ExtractMonth("timestamp", tzinfo=tz)
    iso_year, week = ExtractIsoYear("timestamp", tzinfo=tz), ExtractWeek("timestamp", tzinfo=tz)
    return {
        "month": Concat(Value("m"), Cast(year, CharField()), Value("-"), _two_digits(month),
                        output_field=CharField()),
        "week": Concat(Value("w"), Cast(iso_year, CharField()), Value("-"), _two_digits(week),
                       output_field=CharField()),
    }  # fmt: skip


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
    fine, person, expected = (quote(f"lb_{name}_{tag}") for name in ("fine", "person", "expected"))
    scored = Activity.objects.exclude(points=0).filter(actor__is_active=True)
    if applied_only:
        scored = scored.exclude(deliveries__subscriber=SUBSCRIBER)
    if user_ids is not None:
        scored = scored.filter(actor_id__in=user_ids)
    grouped = (
        scored.annotate(**_seasons())
        .values("actor_id", "month", "week")
        .annotate(total=Sum("points"))
        .order_by()
    )
    scan, params = grouped.query.sql_with_params()
    profiles, teams, departments = (
        quote(model._meta.db_table) for model in (Profile, Team, Department)
    )
    # Only names from the code and the models are formatted in; values are parameters.
    statements = [
        (f"CREATE TEMPORARY TABLE {fine} (user_id bigint, month varchar(12), "
         "week varchar(12), points bigint)", []),
        (f"INSERT INTO {fine} (user_id, month, week, points) SELECT {quote('actor_id')}, "  # noqa: S608
         f"{quote('month')}, {quote('week')}, {quote('total')} FROM ({scan}) scan", params),
        (f"CREATE TEMPORARY TABLE {person} (user_id bigint, season varchar(12), "
         "points bigint)", []),
        *(
            (f"INSERT INTO {person} (user_id, season, points) SELECT user_id, {season}, "  # noqa: S608
             f"SUM(points) FROM {fine} GROUP BY user_id{group} HAVING SUM(points) <> 0", [])
            for season, group in (("'all'", ""), ("month", ", month"), ("week", ", week"))
        ),
        (f"CREATE TEMPORARY TABLE {expected} (board varchar(80), season varchar(12), "
         "user_id bigint, points bigint)", []),
        (f"INSERT INTO {expected} (board, season, user_id, points) "  # noqa: S608
         f"SELECT %s, season, user_id, points FROM {person}", [COMPANY]),
        (f"INSERT INTO {expected} (board, season, user_id, points) "  # noqa: S608
         f"SELECT %s || COALESCE(own.slug, of_team.slug), p.season, p.user_id, p.points "
         f"FROM {person} p JOIN {profiles} profile ON profile.user_id = p.user_id "
         f"LEFT JOIN {departments} own ON own.id = profile.department_id "
         f"LEFT JOIN {teams} team ON team.id = profile.team_id "
         f"LEFT JOIN {departments} of_team ON of_team.id = team.department_id "
         "WHERE COALESCE(own.slug, of_team.slug) IS NOT NULL", ["department-"]),
        (f"INSERT INTO {expected} (board, season, user_id, points) "  # noqa: S608
         f"SELECT %s || team.slug, p.season, p.user_id, p.points "
         f"FROM {person} p JOIN {profiles} profile ON profile.user_id = p.user_id "
         f"JOIN {teams} team ON team.id = profile.team_id", ["team-"]),
        (f"DROP TABLE {fine}", []),
        (f"DROP TABLE {person}", []),
    ]  # fmt: skip
    with connection.cursor() as cursor:
        try:
            for sql, values in statements:
                cursor.execute(sql, values)
            yield expected
        finally:
            # After an error inside a transaction, its rollback takes the tables away.
            with contextlib.suppress(DatabaseError):
                for table in (fine, person, expected):
                    cursor.execute(f"DROP TABLE IF EXISTS {table}")


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
