"""Keeping the milestones: a ledger subscriber, the sign-in hook, and the rebuild."""

from datetime import datetime

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from courses.models import CoursePage, Enrolment, QuizAttempt, ScenarioAttempt, ScenarioChoice
from courses.signals import CHOSE, COMPLETED, ENROLLED, FINISHED, SUBMITTED
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
from portal.locales import originals
from portal.people.models import User
from portal.sharing.models import Share
from portal.sharing.quality import QUALITY_SHARE_STEP

from .models import STEPS, Milestones
from .rollups import (
    milestones_locked,
    people_places,
    place_columns,
    rollups_hear,
    rollups_tally,
)
from .tallies import (
    Facts,
    attempt_facts,
    choice_facts,
    completions_of,
    difference,
    enrolment_facts,
    item_facts,
    merged,
    milestones_facts,
    outcome_changes,
    outcome_facts,
    person_facts,
    previews_facts,
    quiz_facts,
    shares_of,
)

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
    milestones = milestones_locked(activity.actor_id)
    rollups_hear(activity, milestones)
    if activity.verb in HEARD_VERBS:
        before = milestones_facts(milestones, activity.actor.date_joined)
        _milestones_move(milestones, activity)
        milestones.save()
        after = milestones_facts(milestones, activity.actor.date_joined)
        rollups_tally(user_id=activity.actor_id, facts=difference(after, before),
                      milestones=milestones)  # fmt: skip


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


def _only(rows, record) -> bool:
    """Whether ``record`` is the only one of ``rows`` (the person's first)."""
    return not rows.exclude(pk=record.pk).exists()


def learning_heard(sender, event: str, record, **kwargs) -> None:
    """``courses.signals.learning_recorded``: count the record's training facts, in its
    transaction (a person's first choice at a step, first finished attempt and first quiz
    attempt count them among the people)."""
    if event in (ENROLLED, COMPLETED):
        user_id = record.user_id
        facts = enrolment_facts(
            record.course_id,
            record.started_at,
            record.completed_at,
            started=event == ENROLLED,
            completed=event == COMPLETED,
        )
        if event == COMPLETED:
            shares = shares_of([user_id]).get(user_id, [])
            completion = (record.course_id, record.completed_at)
            facts = merged(facts, outcome_facts([completion], shares))
    elif event == CHOSE:
        attempt = kwargs["attempt"]
        user_id = attempt.user_id
        same_step = ScenarioChoice.objects.filter(
            attempt__user_id=user_id,
            attempt__lesson_id=attempt.lesson_id,
            attempt__block_id=attempt.block_id,
            step_id=record.step_id,
        )
        first = _only(same_step, record)
        facts = choice_facts(attempt.lesson_id, attempt.block_id, record.step_id,
                             record.choice_index, record.chosen_at, first=first)  # fmt: skip
    elif event == FINISHED:
        user_id = record.user_id
        finished = ScenarioAttempt.objects.filter(
            user_id=user_id,
            lesson_id=record.lesson_id,
            block_id=record.block_id,
            status=ScenarioAttempt.Status.FINISHED,
        )
        first = _only(finished, record)
        facts = attempt_facts(record.lesson_id, record.block_id, record.finished_at,
                              record.percentage, record.passed, first=first)  # fmt: skip
    elif event == SUBMITTED:
        user_id = record.user_id
        attempts = QuizAttempt.objects.filter(
            user_id=user_id, lesson_id=record.lesson_id, block_id=record.block_id
        )
        facts = (
            quiz_facts(record.lesson_id, record.block_id, record.answers, record.submitted_at)
            if _only(attempts, record)
            else {}
        )
    else:
        return
    rollups_tally(user_id=user_id, facts=facts)


def share_saved(sender, instance: Share, created: bool, raw: bool = False, **kwargs) -> None:
    """``post_save`` of a share: a new share counts for its content item, and before or
    after each course its maker completed."""
    if not created or raw:
        return
    user_id = instance.user_id
    facts = item_facts(instance.item_id, instance.created_at, 1, instance.clicks,
                       instance.quality)  # fmt: skip
    completions = completions_of([user_id]).get(user_id)
    if completions:
        shares = shares_of([user_id]).get(user_id, [])
        made = (instance.created_at, instance.clicks, instance.quality)
        others = list(shares)
        if made in others:
            others.remove(made)
        facts = merged(facts, difference(outcome_facts(completions, shares),
                                         outcome_facts(completions, others)))  # fmt: skip
    rollups_tally(user_id=user_id, facts=facts)


def shares_figures_changed(sender, changes, **kwargs) -> None:
    """``portal.sharing.signals.shares_changed``: shares' new readers and quality count
    for their content items, and before or after each course their makers completed."""
    made = {
        pk: (user_id, item_id, created_at)
        for pk, user_id, item_id, created_at in Share.objects.filter(
            pk__in=[share_id for share_id, _, _ in changes]
        ).values_list("pk", "user_id", "item_id", "created_at")
    }
    completions = completions_of({user_id for user_id, _, _ in made.values()})
    people: dict[int, Facts] = {}
    for share_id, readers, quality in changes:
        if share_id not in made:
            continue
        user_id, item_id, created_at = made[share_id]
        added = item_facts(item_id, created_at, 0, readers, quality)
        if completions.get(user_id):
            added = merged(added, outcome_changes(completions[user_id], created_at, readers,
                                                  quality))  # fmt: skip
        people[user_id] = merged(people.get(user_id, {}), added)
    for user_id in sorted(people):  # locks taken in one order by every writer
        rollups_tally(user_id=user_id, facts=people[user_id])


def previews_figures_changed(sender, changes, **kwargs) -> None:
    """``portal.sharing.signals.previews_changed``: link previews count for the share's
    maker on their day."""
    makers = dict(
        Share.objects.filter(pk__in=[share_id for share_id, _, _ in changes]).values_list(
            "pk", "user_id"
        )
    )
    people: dict[int, Facts] = {}
    for share_id, day, previews in changes:
        if share_id in makers:
            user_id = makers[share_id]
            people[user_id] = merged(people.get(user_id, {}), previews_facts(day, previews))
    for user_id in sorted(people):
        rollups_tally(user_id=user_id, facts=people[user_id])


def _learners_of(page) -> set[int]:
    """Who has training records of a course or lesson page."""
    learners = set(Enrolment.objects.filter(course_id=page.pk).values_list("user_id", flat=True))
    for model in (ScenarioAttempt, QuizAttempt):
        learners |= set(model.objects.filter(lesson_id=page.pk).values_list("user_id", flat=True))
    return learners


# A course deleted with its lessons sends every page's pre_delete before any post_delete,
# all with the same ``origin``: the learners' facts before the deletion are noted once per
# origin, and each post_delete takes out what is gone since the one before.
_deleting: dict[int, tuple[object, dict[int, Facts], list[int]]] = {}


def page_deleting(sender, instance, origin=None, **kwargs) -> None:
    """``pre_delete`` of a course or lesson page: note its learners' facts, which its
    records take with them."""
    _, noted, pages = _deleting.setdefault(id(origin), (origin, {}, [0]))
    pages[0] += 1
    instance._learners = _learners_of(instance)
    for user_id in instance._learners - noted.keys():
        noted[user_id] = person_facts(user_id)


def page_deleted(sender, instance, origin=None, **kwargs) -> None:
    """``post_delete`` of a course or lesson page: take out what its records counted (in
    the deleting transaction)."""
    _, noted, pages = _deleting.get(id(origin), (origin, {}, [1]))
    for user_id in sorted(getattr(instance, "_learners", ())):
        now = person_facts(user_id)
        rollups_tally(user_id=user_id, facts=difference(now, noted.get(user_id, now)))
        noted[user_id] = now
    pages[0] -= 1
    if pages[0] <= 0:
        _deleting.pop(id(origin), None)


def milestone_signed_in(sender, request, user: User, **kwargs) -> None:
    """``user_logged_in``: the first sign-in is a step of the funnel."""
    with transaction.atomic():
        milestones = milestones_locked(user.pk)
        if milestones.signed_in_at is not None:
            return
        before = milestones_facts(milestones, user.date_joined)
        # Not user.last_login: Django's own receiver may set it after this one runs.
        milestones.signed_in_at = timezone.now()
        milestones.save(update_fields=["signed_in_at"])
        rollups_tally(user_id=user.pk, facts=difference(milestones_facts(milestones,
                      user.date_joined), before), milestones=milestones)  # fmt: skip


def _unlocked(*, user_ids: list[int] | None = None) -> dict[int, datetime]:
    """When sharing opened for each person: when they completed the last of the live
    courses that unlock it (``courses.selectors.sharing_allowed``'s rule)."""
    required = list(
        originals(CoursePage.objects.live())
        .filter(unlocks_sharing=True)
        .values_list("pk", flat=True)
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
    """Everyone's milestones as the ledger implies them (set-based: a few grouped queries,
    whatever the number of statements), whether they are in the funnel (still here), and
    the place their statements and facts are counted in the rollups (their profile's).
    The first sign-in is not in the ledger: the stored one is kept, or the last sign-in
    stands in for it."""
    stored_sign_ins = dict(Milestones.objects.values_list("user_id", "signed_in_at"))
    onboarded = _first([ONBOARDING_COMPLETED.id])
    training = _first(TRAINING_VERBS)
    shared = _first([CONTENT_SHARED.id])
    quality = _first([SHARE_QUALITY.id], result__step=QUALITY_SHARE_STEP)
    last_active = dict(
        Activity.objects.filter(verb__in=ACTIVE_VERBS)
        .values("actor_id")
        .annotate(last=Max("timestamp"))
        .values_list("actor_id", "last")
    )
    places = people_places()
    unlocked = _unlocked()
    computed = {}
    for user_id, joined, last_login, active in User.objects.values_list(
        "pk", "date_joined", "last_login", "is_active"
    ):
        values = (
            joined,
            stored_sign_ins.get(user_id) or last_login,
            onboarded.get(user_id),
            training.get(user_id),
            unlocked.get(user_id),
            shared.get(user_id),
            quality.get(user_id),
            last_active.get(user_id),
            active,
            places[user_id],
        )
        computed[user_id] = values
    return computed


def milestones_rebuild(*, check_only: bool = False) -> dict[int, tuple[tuple, tuple]]:
    """Compare the stored milestones with the ledger; unless ``check_only``, store what the
    ledger implies. Returns the differences: user id -> (stored, computed)."""
    computed = milestones_computed()
    stored = {row.user_id: row.as_tuple() for row in Milestones.objects.all()}
    empty = (None,) * (len(STEPS) + 3)
    differences = {
        user_id: (stored.get(user_id, empty), computed.get(user_id, empty))
        for user_id in stored.keys() | computed.keys()
        if stored.get(user_id, empty) != computed.get(user_id, empty)
    }
    if check_only or not differences:
        return differences
    fields = [field for field, _ in STEPS] + ["last_active_at", "in_funnel"]
    with transaction.atomic():
        rows = [Milestones(user_id=user_id, **dict(zip(fields, values[:-1], strict=True)),
                           **place_columns(values[-1]))
                for user_id, (_, values) in differences.items() if values != empty]  # fmt: skip
        Milestones.objects.filter(pk__in=list(differences)).delete()
        Milestones.objects.bulk_create(rows, batch_size=2000)
    return differences
