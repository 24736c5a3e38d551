"""Keeping the milestones: a ledger subscriber, the sign-in hook, and the rebuild."""

from datetime import datetime

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from courses.models import CoursePage, Enrolment
from portal.activity.models import Activity
from portal.activity.subscribers import subscriber
from portal.activity.verbs import (
    CONTENT_SHARED,
    COURSE_COMPLETED,
    LESSON_COMPLETED,
    MENTORING_CHECKIN,
    ONBOARDING_COMPLETED,
    QUIZ_PASSED,
    SCENARIO_PASSED,
    SHARE_QUALITY,
    WORKSHOP_CONTRIBUTED,
)
from portal.people.models import User
from portal.sharing.quality import QUALITY_SHARE_STEP

from .models import STEPS, Milestones
from .rollups import people_places, place_columns, rollups_hear

TRAINING_VERBS = (LESSON_COMPLETED.id, SCENARIO_PASSED.id, QUIZ_PASSED.id, COURSE_COMPLETED.id)
# What a person does themselves; a click on their share or a badge the rules gave them
# is not them being active.
ACTIVE_VERBS = (
    ONBOARDING_COMPLETED.id,
    *TRAINING_VERBS,
    WORKSHOP_CONTRIBUTED.id,
    CONTENT_SHARED.id,
    MENTORING_CHECKIN.id,
)
HEARD_VERBS = {*ACTIVE_VERBS, SHARE_QUALITY.id}


def _is_first_quality(activity: Activity) -> bool:
    return activity.verb == SHARE_QUALITY.id and (activity.result or {}).get("step") == (
        QUALITY_SHARE_STEP
    )


def _earliest(current, moment):
    return moment if current is None or moment < current else current


@subscriber()
def measurement_hear(activity: Activity) -> None:
    """Count a statement in the daily rollups and move the person's milestones on with
    it (in the delivery's transaction, the person's milestones row locked)."""
    milestones, _ = Milestones.objects.select_for_update().get_or_create(
        user_id=activity.actor_id, defaults={"invited_at": activity.actor.date_joined}
    )
    rollups_hear(activity, milestones)
    if activity.verb in HEARD_VERBS:
        _milestones_move(milestones, activity)
        milestones.save()


def _milestones_move(milestones: Milestones, activity: Activity) -> None:
    at = activity.timestamp
    verb = activity.verb
    if verb in ACTIVE_VERBS:
        milestones.last_active_at = max(milestones.last_active_at or at, at)
    if verb == ONBOARDING_COMPLETED.id:
        milestones.onboarded_at = _earliest(milestones.onboarded_at, at)
    if verb in TRAINING_VERBS:
        milestones.training_started_at = _earliest(milestones.training_started_at, at)
    if verb == COURSE_COMPLETED.id and milestones.sharing_unlocked_at is None:
        milestones.sharing_unlocked_at = _unlocked(user_ids=[activity.actor_id]).get(
            activity.actor_id
        )
    if verb == CONTENT_SHARED.id:
        milestones.first_share_at = _earliest(milestones.first_share_at, at)
    if _is_first_quality(activity):
        milestones.first_quality_share_at = _earliest(milestones.first_quality_share_at, at)


def milestone_signed_in(sender, request, user: User, **kwargs) -> None:
    """``user_logged_in``: the first sign-in is a step of the funnel."""
    Milestones.objects.get_or_create(user=user, defaults={"invited_at": user.date_joined})
    # Not user.last_login: Django's own receiver may set it after this one runs.
    Milestones.objects.filter(user=user, signed_in_at__isnull=True).update(
        signed_in_at=timezone.now()
    )


def _unlocked(*, user_ids: list[int] | None = None) -> dict[int, datetime]:
    """When sharing opened for each person: when they completed the last of the live
    courses that unlock it (``courses.selectors.sharing_allowed``'s rule)."""
    required = list(
        CoursePage.objects.live().filter(unlocks_sharing=True).values_list("pk", flat=True)
    )
    if not required:
        return {}
    done: dict[int, list[datetime]] = {}
    completions = Enrolment.objects.filter(course_id__in=required, completed_at__isnull=False)
    if user_ids is not None:
        completions = completions.filter(user_id__in=user_ids)
    for user_id, completed in completions.values_list("user_id", "completed_at"):
        if completed is not None:  # filtered above; the types cannot know
            done.setdefault(user_id, []).append(completed)
    return {
        user_id: max(moments) for user_id, moments in done.items() if len(moments) == len(required)
    }


def _first(verbs, **extra) -> dict[int, object]:
    return dict(
        Activity.objects.filter(verb__in=verbs, **extra)
        .values("actor_id")
        .annotate(first=Min("timestamp"))
        .values_list("actor_id", "first")
    )


def milestones_computed() -> dict[int, tuple]:
    """The milestones of everyone who signed in or has a statement, as the ledger implies
    them (set-based: a few grouped queries, whatever the number of statements), with the
    place their statements are counted in the rollups (their profile's). The first
    sign-in is not in the ledger: the stored one is kept, or the last sign-in stands in
    for it."""
    stored_sign_ins = dict(Milestones.objects.values_list("user_id", "signed_in_at"))
    onboarded = _first([ONBOARDING_COMPLETED.id])
    training = _first(TRAINING_VERBS)
    shared = _first([CONTENT_SHARED.id])
    quality = _first([SHARE_QUALITY.id], result__step=QUALITY_SHARE_STEP)
    active = dict(
        Activity.objects.filter(verb__in=ACTIVE_VERBS)
        .values("actor_id")
        .annotate(last=Max("timestamp"))
        .values_list("actor_id", "last")
    )
    with_statements = set(Activity.objects.values_list("actor_id", flat=True).distinct())
    places = people_places()
    unlocked = _unlocked()
    computed = {}
    for user_id, joined, last_login in User.objects.values_list("pk", "date_joined", "last_login"):
        counted = places[user_id] if user_id in with_statements else None
        values = (
            joined,
            stored_sign_ins.get(user_id) or last_login,
            onboarded.get(user_id),
            training.get(user_id),
            unlocked.get(user_id),
            shared.get(user_id),
            quality.get(user_id),
            active.get(user_id),
            counted,
        )
        # A row exists once a person signed in or has a statement.
        if values[1] or counted is not None:
            computed[user_id] = values
    return computed


def milestones_rebuild(*, check_only: bool = False) -> dict[int, tuple[tuple, tuple]]:
    """Compare the stored milestones with the ledger; unless ``check_only``, store what the
    ledger implies. Returns the differences: user id -> (stored, computed)."""
    computed = milestones_computed()
    stored = {row.user_id: row.as_tuple() for row in Milestones.objects.all()}
    empty = (None,) * (len(STEPS) + 2)
    differences = {
        user_id: (stored.get(user_id, empty), computed.get(user_id, empty))
        for user_id in stored.keys() | computed.keys()
        if stored.get(user_id, empty) != computed.get(user_id, empty)
    }
    if check_only or not differences:
        return differences
    fields = [field for field, _ in STEPS] + ["last_active_at"]
    with transaction.atomic():
        rows = [Milestones(user_id=user_id, **dict(zip(fields, values[:-1], strict=True)),
                           **place_columns(values[-1]))
                for user_id, (_, values) in differences.items() if values != empty]  # fmt: skip
        Milestones.objects.filter(pk__in=list(differences)).delete()
        Milestones.objects.bulk_create(rows, batch_size=2000)
    return differences
