"""Reads for the programme dashboard: who is in scope, the period, the funnel.

Privacy: no figure about fewer than ``MIN_GROUP`` people. A scope that small shows no
funnel; in the breakdown by department, departments that small are merged into one row,
which is itself hidden if it stays under the limit.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from portal.people.models import Department, User
from portal.people.permissions import is_programme_admin, managed_teams
from portal.people.privacy import MIN_GROUP

from .models import STEPS

PERIODS = {"week": "This week", "month": "This month", "quarter": "This quarter"}


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self) -> datetime:
        """The first moment after the period."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def previous(self) -> "Period":
        length = (self.end - self.start).days + 1
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=length - 1), end, "the period before")


def period_for(
    kind: str, *, today: date, start: date | None = None, end: date | None = None
) -> Period:
    """This week, month or quarter up to ``today``, or a custom ``start``..``end``."""
    if kind == "custom" and start and end:
        return Period(start, end, f"{start:%d %b %Y} to {end:%d %b %Y}")
    if kind == "week":
        return Period(today - timedelta(days=today.weekday()), today, PERIODS["week"])
    if kind == "quarter":
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return Period(first, today, PERIODS["quarter"])
    return Period(today.replace(day=1), today, PERIODS["month"])


def people_in_scope(*, viewer: User) -> QuerySet[User] | None:
    """Everyone for programme admins; the members of the teams a manager manages; None
    for anyone else (they may not see the dashboard)."""
    people = User.objects.filter(is_active=True)
    if is_programme_admin(viewer):
        return people
    teams = managed_teams(user=viewer)
    if not teams.exists():
        return None
    return people.filter(profile__team__in=teams)


@dataclass(frozen=True)
class Step:
    label: str
    count: int
    new: int  # reached it during the period
    previous: int  # reached it by the end of the period before
    conversion: int | None  # percent of the step before


@dataclass
class Funnel:
    people: int
    steps: list[Step] = field(default_factory=list)
    active_30_days: int = 0
    median_days_to_first_share: float | None = None

    @property
    def hidden(self) -> bool:
        return self.people < MIN_GROUP


def funnel(*, people: QuerySet[User], period: Period) -> Funnel:
    """The recruitment funnel of ``people``, by the end of ``period`` (one query)."""
    end, start, before = period.end_at, period.start_at, period.previous().end_at
    counts = {}
    for name, _ in STEPS:
        column = "date_joined" if name == "invited_at" else f"milestones__{name}"
        counts[f"{name}:by"] = Count("pk", filter=Q(**{f"{column}__lt": end}))
        counts[f"{name}:new"] = Count(
            "pk", filter=Q(**{f"{column}__gte": start, f"{column}__lt": end})
        )
        counts[f"{name}:before"] = Count("pk", filter=Q(**{f"{column}__lt": before}))
    now = timezone.now()
    counts["active"] = Count(
        "pk", filter=Q(milestones__last_active_at__gte=now - timedelta(days=30))
    )
    figures = people.aggregate(**counts)
    invited = figures["invited_at:by"]
    result = Funnel(people=invited, active_30_days=figures["active"])
    if result.hidden:
        return result
    previous_count = None
    for name, label in STEPS:
        count = figures[f"{name}:by"]
        conversion = (
            (round(100 * count / previous_count) if previous_count else None)
            if previous_count is not None
            else None
        )
        result.steps.append(
            Step(label, count, figures[f"{name}:new"], figures[f"{name}:before"], conversion)
        )
        previous_count = count
    waits = [
        (shared - joined).total_seconds() / 86400
        for joined, shared in people.filter(milestones__first_share_at__lt=end).values_list(
            "date_joined", "milestones__first_share_at"
        )
        if shared is not None
    ]
    result.median_days_to_first_share = round(median(waits), 1) if waits else None
    return result


@dataclass(frozen=True)
class GroupRow:
    name: str
    people: int
    steps: list[int]


def funnel_by_department(*, people: QuerySet[User], period: Period) -> tuple[list[GroupRow], int]:
    """Each department's step counts by the end of ``period``; departments of fewer than
    ``MIN_GROUP`` people merge into one row. Returns the rows and how many people are in
    groups too small to show even merged."""
    end = period.end_at
    counts = {"people": Count("pk", filter=Q(date_joined__lt=end))}
    for name, _ in STEPS:
        column = "date_joined" if name == "invited_at" else f"milestones__{name}"
        counts[name] = Count("pk", filter=Q(**{f"{column}__lt": end}))
    rows = list(
        people.values(department=F("profile__department__name"))
        .annotate(**counts)
        .order_by("department")
    )
    shown: list[dict] = []
    small: list[dict] = []
    for row in rows:
        (shown if row["people"] >= MIN_GROUP else small).append(row)
    result = [
        GroupRow(row["department"] or "No department", row["people"], [row[n] for n, _ in STEPS])
        for row in shown
    ]
    merged = sum(row["people"] for row in small)
    if merged >= MIN_GROUP:
        result.append(
            GroupRow(
                "Smaller departments (each under 5 people)",
                merged,
                [sum(row[n] for row in small) for n, _ in STEPS],
            )
        )
        merged = 0
    return result, merged


def departments_in(people: QuerySet[User]) -> QuerySet[Department]:
    return Department.objects.filter(members__user__in=people).distinct().order_by("name")
