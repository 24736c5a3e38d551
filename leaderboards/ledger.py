"""Every board's totals recomputed from the ledger (for rebuilds, checks, and reading
while the Redis rank store is unreachable)."""

from collections import defaultdict

from django.db.models import Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from portal.activity.models import Activity
from portal.people.models import Profile

from .boards import board_keys_for_profile

SUBSCRIBER = "leaderboards"  # the boards' name among the ledger's subscribers


def leaderboards_from_ledger(
    user_ids: list[int] | None = None, *, applied_only: bool = False
) -> dict[tuple[str, str, int], int]:
    """Every board's totals recomputed from the ledger: ``{(board, window, user): points}``
    (only for ``user_ids`` when given; with ``applied_only``, without the statements still
    waiting to be delivered to the boards, which will be added when they are)."""
    tz = timezone.get_current_timezone()
    scored = Activity.objects.exclude(points=0).filter(actor__is_active=True)
    if applied_only:
        scored = scored.exclude(deliveries__subscriber=SUBSCRIBER)
    if user_ids is not None:
        scored = scored.filter(actor_id__in=user_ids)
    per_window: dict[int, dict[str, int]] = defaultdict(dict)
    for user_id, total in (
        scored.values("actor_id").annotate(total=Sum("points")).values_list("actor_id", "total")
    ):
        per_window[user_id]["all"] = total
    for user_id, month, total in (
        scored.annotate(month=TruncMonth("timestamp", tzinfo=tz))
        .values("actor_id", "month")
        .annotate(total=Sum("points"))
        .values_list("actor_id", "month", "total")
    ):
        per_window[user_id][f"m{month:%Y-%m}"] = total
    for user_id, week, total in (
        scored.annotate(week=TruncWeek("timestamp", tzinfo=tz))
        .values("actor_id", "week")
        .annotate(total=Sum("points"))
        .values_list("actor_id", "week", "total")
    ):
        year, number, _ = week.isocalendar()
        per_window[user_id][f"w{year}-{number:02d}"] = total
    profiles = {
        profile.user_id: profile
        for profile in Profile.objects.select_related("team__department", "department").filter(
            user_id__in=list(per_window)
        )
    }
    totals = {}
    for user_id, windows in per_window.items():
        for board in board_keys_for_profile(profiles.get(user_id)):
            for window, points in windows.items():
                if points:
                    totals[(board, window, user_id)] = points
    return totals
