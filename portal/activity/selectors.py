"""Reads from the activity ledger and its projections."""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from portal.cache import kept

from .models import Activity, Level, PointsTotal


def points_total(*, user: AbstractBaseUser) -> int:
    return PointsTotal.objects.filter(user_id=user.pk).values_list("points", flat=True).first() or 0


def activity_recent(*, user: AbstractBaseUser, limit: int = 20) -> QuerySet[Activity]:
    return Activity.objects.filter(actor_id=user.pk).select_related("object_type")[:limit]


@dataclass(frozen=True)
class LevelProgress:
    points: int
    level: Level | None
    next_level: Level | None

    @property
    def to_next(self) -> int | None:
        return self.next_level.threshold - self.points if self.next_level else None

    @property
    def percentage(self) -> int:
        """How far from this level's threshold to the next one's."""
        if self.next_level is None:
            return 100
        start = self.level.threshold if self.level else 0
        span = max(1, self.next_level.threshold - start)
        return max(0, min(100, round(100 * (self.points - start) / span)))


@dataclass(frozen=True)
class Levels:
    """The levels in order of threshold, and which one a number of points reaches: the
    one place that says it (dashboards, boards and mentors' rows all ask here)."""

    levels: tuple[Level, ...]

    def reached(self, points: int) -> Level | None:
        index = bisect_right([level.threshold for level in self.levels], points)
        return self.levels[index - 1] if index else None

    def next_after(self, points: int) -> Level | None:
        index = bisect_right([level.threshold for level in self.levels], points)
        return self.levels[index] if index < len(self.levels) else None

    def name_for(self, points: int) -> str:
        level = self.reached(points)
        return level.name if level else ""


# Read on every dashboard and board (three times on a dashboard); a worker keeps them for
# a few seconds, as the points rules (apps.py forgets them when one is saved or deleted).
LEVELS_CACHE_SECONDS = 5.0


@kept(LEVELS_CACHE_SECONDS)
def levels() -> Levels:
    """Every level (one query, then none for ``LEVELS_CACHE_SECONDS``)."""
    return Levels(tuple(Level.objects.order_by("threshold")))


def level_progress(*, user: AbstractBaseUser) -> LevelProgress:
    points = points_total(user=user)
    ladder = levels()
    return LevelProgress(points, ladder.reached(points), ladder.next_after(points))


def streak_weeks(*, user: AbstractBaseUser, today: date | None = None) -> int:
    """Consecutive ISO weeks with activity, ending this week (or last, if none yet)."""
    today = today or timezone.localdate()
    weeks = {
        (year, week)
        for year, week, _ in (
            moment.isocalendar()
            for moment in Activity.objects.filter(actor_id=user.pk)
            .exclude(context__has_key="outside_working_hours")
            .annotate(day=TruncDate("timestamp"))
            .values_list("day", flat=True)
            .distinct()
        )
    }
    current = today - timedelta(days=today.weekday())  # this week's Monday
    if current.isocalendar()[:2] not in weeks:
        current -= timedelta(weeks=1)
    streak = 0
    while current.isocalendar()[:2] in weeks:
        streak += 1
        current -= timedelta(weeks=1)
    return streak
