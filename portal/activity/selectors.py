"""Reads from the activity ledger and its projections."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import Activity, Level, PointsTotal


def points_total(*, user) -> int:
    return PointsTotal.objects.filter(user_id=user.pk).values_list("points", flat=True).first() or 0


def activity_recent(*, user, limit: int = 20) -> QuerySet[Activity]:
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


def level_progress(*, user) -> LevelProgress:
    points = points_total(user=user)
    levels = list(Level.objects.all())
    reached = [level for level in levels if level.threshold <= points]
    ahead = [level for level in levels if level.threshold > points]
    return LevelProgress(points, reached[-1] if reached else None, ahead[0] if ahead else None)


def streak_weeks(*, user, today: date | None = None) -> int:
    """Consecutive ISO weeks with activity, ending this week (or last, if none yet)."""
    today = today or timezone.localdate()
    weeks = {
        (year, week)
        for year, week, _ in (
            moment.isocalendar()
            for moment in Activity.objects.filter(actor_id=user.pk)
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
