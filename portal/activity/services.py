"""Writes to the activity ledger.

``activity_record`` is the one way anything enters the ledger. It runs inside the
caller's transaction, records a statement at most once per idempotency key (the
database's unique constraint decides, so racing requests cannot both count), keeps
the points projection in step, and notes in the same transaction which subscribers
must hear of it (``deliveries``): they apply it after the commit, exactly once.
"""

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.module_loading import import_string

from portal.audit import audit
from portal.cache import kept

from .deliveries import deliveries_create
from .models import Activity, Level, PointsRule, PointsTotal
from .verbs import LEVEL_REACHED, POINTS_ADJUSTED, VERBS

if TYPE_CHECKING:  # the ledger's actors are the user model (AUTH_USER_MODEL)
    from portal.people.models import User


# The context key that marks a statement made outside an hourly worker's paid hours.
UNPAID = "outside_working_hours"


def _unpaid_time(actor, moment) -> bool:
    """``settings.ACTIVITY_UNPAID_TIME`` (portal.people.worktime.unpaid_time) decides."""
    path = getattr(settings, "ACTIVITY_UNPAID_TIME", "")
    return bool(path) and import_string(path)(actor, moment)


class UnknownVerbError(ValueError):
    pass


@dataclass(frozen=True)
class Recorded:
    activity: Activity
    created: bool


def activity_record(
    *,
    actor: "User",
    verb: str,
    key: str,
    obj: models.Model | None = None,
    points: int | None = None,
    result: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    timestamp=None,
) -> Recorded:
    """Record that ``actor`` did ``verb`` (to ``obj``), once per ``key``.

    Returns the stored row and whether this call created it. A repeated key returns
    the row already stored and changes nothing. Without ``points`` the verb's points
    rule decides (with its score bonus and daily cap); crossing a level's threshold
    records the level-up in the same transaction.
    """
    if verb not in VERBS:
        raise UnknownVerbError(f"Unknown verb {verb!r}; register it in portal.activity.verbs.")
    if not key or len(key) > (Activity._meta.get_field("key").max_length or 0):
        raise ValueError("An idempotency key of 1 to 200 characters is required.")
    activity = Activity(
        actor=actor,
        verb=verb,
        key=key,
        points=0,
        result=result or {},
        context=context or {},
        timestamp=timestamp or timezone.now(),
    )
    if obj is not None:
        activity.object_type = ContentType.objects.get_for_model(obj)
        activity.object_id = str(obj.pk)
        activity.object_label = str(obj)[:255]
    with transaction.atomic():
        if VERBS[verb].own and _unpaid_time(actor, activity.timestamp):
            # Hourly work outside paid hours: recorded, but rewarded with nothing (no
            # points, and the streak skips it: selectors.streak_weeks).
            points = 0
            activity.context = {**activity.context, UNPAID: True}
        elif points is None:
            points = _points_by_rule(actor=actor, verb=verb, result=result, when=activity.timestamp)
        activity.points = int(points)
        try:
            # The savepoint keeps the caller's transaction usable when the key repeats.
            with transaction.atomic():
                activity.save(force_insert=True)
        except IntegrityError:
            existing = Activity.objects.filter(key=key).first()
            if existing is None:
                raise  # a different constraint failed: not a repeat
            return Recorded(existing, created=False)
        if activity.points:
            total = _points_total_add(user_id=actor.pk, points=activity.points)
            if activity.points > 0:
                _levels_reached(actor=actor, total=total, gained=activity.points)
        # Subscribers hear of it after the commit, exactly once (see deliveries.py).
        deliveries_create(activity)
    return Recorded(activity, created=True)


def _points_total_add(*, user_id: int, points: int) -> int:
    """Add to the person's total and return the new total."""
    updated = PointsTotal.objects.filter(user_id=user_id).update(points=F("points") + points)
    if not updated:
        try:
            with transaction.atomic():
                PointsTotal.objects.create(user_id=user_id, points=points)
        except IntegrityError:
            # Another transaction created the row first: add to it instead.
            PointsTotal.objects.filter(user_id=user_id).update(points=F("points") + points)
    return PointsTotal.objects.filter(user_id=user_id).values_list("points", flat=True).get()


def _points_by_rule(*, actor: "User", verb: str, result: dict | None, when) -> int:
    """The verb's points rule: base points plus score bonus, within the daily cap."""
    rule = points_rules().get(verb)
    if rule is None:
        return 0
    points = rule.points
    score = (result or {}).get("score")
    if rule.score_bonus and isinstance(score, int | float):
        points += round(rule.score_bonus * max(0, min(100, score)) / 100)
    if not rule.daily_cap or not points:
        return points
    # Lock the person's total row so that parallel statements of one person take turns
    # at the cap; other people are not held up.
    PointsTotal.objects.get_or_create(user_id=actor.pk)
    list(PointsTotal.objects.select_for_update().filter(user_id=actor.pk).values_list("pk"))
    day_start = timezone.localtime(when).replace(hour=0, minute=0, second=0, microsecond=0)
    today = (
        Activity.objects.filter(
            actor_id=actor.pk, verb=verb, timestamp__gte=day_start, points__gt=0
        ).aggregate(total=Sum("points"))["total"]
        or 0
    )
    return max(0, min(points, rule.daily_cap - today))


# The rules are read for every statement; a worker keeps them for a few seconds. Saving
# or deleting a rule forgets them in the worker that did it at once (the signals in
# apps.py), other workers within RULES_CACHE_SECONDS.
RULES_CACHE_SECONDS = 5.0


@kept(RULES_CACHE_SECONDS)
def points_rules() -> dict[str, PointsRule]:
    return {rule.verb: rule for rule in PointsRule.objects.all()}


def _levels_reached(*, actor: "User", total: int, gained: int) -> None:
    for level in Level.objects.filter(threshold__lte=total, threshold__gt=total - gained):
        activity_record(
            actor=actor,
            verb=LEVEL_REACHED.id,
            key=f"level.reached:{actor.pk}:{level.pk}",
            obj=level,
            points=0,
            result={"level": level.name, "threshold": level.threshold},
        )


@transaction.atomic
def points_adjust(
    *,
    user: "User",
    points: int,
    reason: str,
    key: str | None = None,
    by: "User | None" = None,
) -> Recorded:
    """Record a manual correction of ``user``'s points (negative allowed).

    With ``key``, repeating the same adjustment applies it once.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A reason is required for a points adjustment.")
    if points == 0:
        raise ValueError("An adjustment of 0 points changes nothing.")
    recorded = activity_record(
        actor=user,
        verb=POINTS_ADJUSTED.id,
        key=f"points.adjusted:{key}" if key else f"points.adjusted:once:{uuid.uuid4()}",
        points=points,
        result={"reason": reason},
        context={"by": by.email if by is not None else "system"},
    )
    if recorded.created:
        audit(user, "activity.points_adjust", by=by, data={"points": points, "reason": reason})
    return recorded


@transaction.atomic
def points_rebuild(*, check_only: bool = False) -> dict[int, tuple[int, int]]:
    """Recompute every person's total from the ledger.

    Returns ``{user_id: (stored, ledger)}`` for each person whose stored total differed;
    unless ``check_only``, the stored totals are corrected.
    """
    ledger = dict(
        Activity.objects.values("actor_id")
        .annotate(total=Sum("points"))
        .values_list("actor_id", "total")
    )
    stored = dict(PointsTotal.objects.select_for_update().values_list("user_id", "points"))
    differences = {
        user_id: (stored.get(user_id, 0), ledger.get(user_id, 0))
        for user_id in set(ledger) | set(stored)
        if stored.get(user_id, 0) != ledger.get(user_id, 0)
    }
    if not check_only and differences:
        for user_id, (_, total) in differences.items():
            PointsTotal.objects.update_or_create(user_id=user_id, defaults={"points": total})
    return differences
