"""Writes for mentoring: profiles, pairings (and the rights that follow them), check-ins,
goals, nudges; and the ledger subscriber that keeps mentors' dashboards live.

A pairing grants the mentor django-guardian's ``people.view_progress`` on the mentee's
profile; ending it removes the right in the same transaction, and tells the mentor's
open dashboards to drop the mentee.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from courses.models import CoursePage
from courses.selectors import onboarding_path, sharing_blockers
from portal.activity.services import activity_record
from portal.activity.verbs import (
    COURSE_COMPLETED,
    MENTEE_ONBOARDED,
    MENTORING_CHECKIN,
    SHARE_QUALITY,
)
from portal.audit import audit
from portal.errors import Conflict, InvalidInput, NotAllowed, NotFound
from portal.events import MentoringMenteeChanged, MentoringMenteeRemoved
from portal.notifications.services import notification_send, notification_send_many
from portal.people.models import Profile, User
from portal.realtime import broadcast, broadcast_many, group_name
from portal.sharing.quality import QUALITY_SHARE_STEP

from . import pairing as pairing_math
from .models import NETWORKS, CheckIn, Goal, MentoringProfile, MentoringSettings, Pairing

VIEW_PROGRESS = "people.view_progress"
NETWORK_VALUES = {value for value, _ in NETWORKS}


def mentor_group(user_id: int) -> str:
    return group_name("mentor", user_id)


# --- profiles ----------------------------------------------------------------------------


def mentoring_profile_of(user) -> MentoringProfile:
    return MentoringProfile.objects.get_or_create(user=user)[0]


@transaction.atomic
def mentoring_profile_update(
    *,
    user,
    is_mentor: bool,
    capacity: int,
    networks: list[str],
    topics: str,
    languages: str,
    wants_mentor: bool,
    growth_networks: list[str],
) -> MentoringProfile:
    if not 1 <= int(capacity) <= 5:
        raise InvalidInput("Capacity is 1 to 5 mentees.")
    if not set(networks) <= NETWORK_VALUES or not set(growth_networks) <= NETWORK_VALUES:
        raise InvalidInput("Choose networks from the list.")
    profile = MentoringProfile.objects.select_for_update().get_or_create(user=user)[0]
    active = Pairing.objects.filter(mentor=user, status=Pairing.Status.ACTIVE).count()
    if is_mentor and int(capacity) < active:
        raise InvalidInput(
            f"You mentor {active} people now: a capacity below that would break a pairing."
        )
    profile.is_mentor = is_mentor
    profile.capacity = int(capacity)
    profile.networks = sorted(set(networks))
    profile.topics = topics.strip()[:300]
    profile.languages = languages.strip()[:200]
    profile.wants_mentor = wants_mentor
    profile.growth_networks = sorted(set(growth_networks))
    profile.save()
    Profile.objects.filter(user=user).update(mentor_opt_in=is_mentor)
    return profile


# --- pairing -------------------------------------------------------------------------------


def _plain_mentor(row: MentoringProfile, *, load: int) -> pairing_math.Mentor:
    profile = row.user.profile
    return pairing_math.Mentor(
        user_id=row.user_id,
        name=profile.name,
        capacity=row.capacity,
        load=load,
        networks=frozenset(row.networks),
        topics=frozenset(row.topic_list),
        languages=frozenset(row.language_list),
        location=(profile.location or "").strip().lower(),
        department_id=profile.department_id,
    )


def _plain_mentee(user, *, mine, interests, avoid=frozenset()) -> pairing_math.Mentee:
    profile = user.profile
    return pairing_math.Mentee(
        user_id=user.pk,
        name=profile.name,
        interests=frozenset(interests),
        growth=frozenset(mine.growth_networks if mine else []),
        languages=frozenset(mine.language_list if mine else ["english"]),
        location=(profile.location or "").strip().lower(),
        department_id=profile.department_id,
        avoid=frozenset(avoid),
    )


def _candidates() -> tuple[list[pairing_math.Mentor], list[pairing_math.Mentee]]:
    """Mentors with free places, and mentees who need a mentor (few queries)."""
    active = list(
        Pairing.objects.filter(status=Pairing.Status.ACTIVE).values_list(
            "mentee_id", "mentor_id", "change_requested_at"
        )
    )
    loads: dict[int, int] = {}
    for _, mentor_id, _ in active:
        loads[mentor_id] = loads.get(mentor_id, 0) + 1
    mentors = [
        _plain_mentor(row, load=loads.get(row.user_id, 0))
        for row in MentoringProfile.objects.filter(is_mentor=True, user__is_active=True)
        .select_related("user__profile")
        .order_by("user_id")
    ]
    # A mentee who asked for a change is paired again, never with the same mentor.
    current = {mentee_id: (mentor_id, asked) for mentee_id, mentor_id, asked in active}
    ended_with: dict[int, set[int]] = {}
    for mentee_id, mentor_id in Pairing.objects.filter(status=Pairing.Status.ENDED).values_list(
        "mentee_id", "mentor_id"
    ):
        ended_with.setdefault(mentee_id, set()).add(mentor_id)
    interests: dict[int, set[str]] = {}
    for profile_id, name in Profile.interests.through.objects.filter(
        content_type__app_label="people", content_type__model="profile"
    ).values_list("object_id", "tag__name"):
        interests.setdefault(profile_id, set()).add(name.lower())
    mentees = []
    for user in _people_needing_a_mentor():
        mentor_id, asked = current.get(user.pk, (None, None))
        if mentor_id is not None and asked is None:
            continue  # has a mentor and is happy
        avoid = ended_with.get(user.pk, set()) | ({mentor_id} if mentor_id else set())
        mentees.append(
            _plain_mentee(
                user,
                mine=getattr(user, "mentoring", None),
                interests=interests.get(user.profile.pk, set()),
                avoid=avoid,
            )
        )
    return mentors, mentees


def _people_needing_a_mentor():
    """Onboarded people who asked for a mentor, or have not yet unlocked sharing and made
    a first quality share."""
    experienced = set(
        User.objects.filter(
            activities__verb=SHARE_QUALITY.id,
            activities__result__step=QUALITY_SHARE_STEP,
        ).values_list("pk", flat=True)
    )
    people = (
        User.objects.filter(is_active=True, profile__onboarded_at__isnull=False)
        .select_related("profile", "mentoring")
        .order_by("pk")
    )
    needing = []
    for user in people:
        mine = getattr(user, "mentoring", None)
        asked = mine is not None and mine.wants_mentor
        mentors = mine is not None and mine.is_mentor
        if asked or (user.pk not in experienced and not mentors):
            needing.append(user)
    return needing


def pairings_propose() -> list[pairing_math.Proposal]:
    """The best pairs for everyone who needs a mentor now (nothing is saved)."""
    mentors, mentees = _candidates()
    preference = MentoringSettings.load().department_preference
    return pairing_math.assignment(mentors, mentees, preference=preference)


@dataclass(frozen=True)
class Applied:
    created: list[Pairing]


@transaction.atomic
def pairings_apply(
    *, pairs: list[tuple[int, int]], by=None, proposed: set[tuple[int, int]] | None = None
) -> Applied:
    """Pair each ``(mentee_id, mentor_id)``; all or nothing.

    Each pairing goes in the audit log; given the ``proposed`` pairs the admin saw, one
    that differs from them is marked an override.

    Refused if a mentor would exceed their capacity, is not a mentor, or is the mentee;
    a mentee who asked for a change leaves their current mentor for the new one.
    """
    if len({mentee for mentee, _ in pairs}) != len(pairs):
        raise InvalidInput("Each mentee can be paired once.")
    mentor_ids = {mentor for _, mentor in pairs}
    mentors = {
        row.user_id: row
        for row in MentoringProfile.objects.select_for_update(of=("self",))
        .filter(user_id__in=mentor_ids, is_mentor=True)
        .select_related("user__profile")
    }
    if mentor_ids - set(mentors):
        raise InvalidInput("Someone chosen as a mentor has not offered to mentor.")
    mentees = {
        user.pk: user
        for user in User.objects.select_related("profile").filter(
            pk__in=[mentee for mentee, _ in pairs], is_active=True
        )
    }
    current = {
        pairing.mentee_id: pairing
        for pairing in Pairing.objects.select_for_update().filter(
            mentee_id__in=list(mentees), status=Pairing.Status.ACTIVE
        )
    }
    loads = dict(
        Pairing.objects.filter(mentor_id__in=mentor_ids, status=Pairing.Status.ACTIVE)
        .values("mentor_id")
        .annotate(count=Count("id"))
        .values_list("mentor_id", "count")
    )
    # Scores and reasons from the same figures the proposals used (one read for all).
    plain_mentors, plain_mentees = _candidates()
    plain_mentor = {mentor.user_id: mentor for mentor in plain_mentors}
    plain_mentee = {mentee.user_id: mentee for mentee in plain_mentees}
    preference = MentoringSettings.load().department_preference
    created, notes, events = [], [], []
    grants: dict[int, list[int]] = {}
    for mentee_id, mentor_id in pairs:
        if mentee_id == mentor_id:
            raise InvalidInput("Nobody mentors themselves.")
        mentee = mentees.get(mentee_id)
        if mentee is None:
            raise NotFound("A mentee in the list is not here any more.")
        existing = current.get(mentee_id)
        if existing is not None:
            if existing.mentor_id == mentor_id:
                continue
            if existing.change_requested_at is None:
                raise Conflict(f"{mentee.profile.name} already has a mentor.")
            _pairing_close(existing, reason="Changed at the mentee's request")
            loads[existing.mentor_id] = loads.get(existing.mentor_id, 1) - 1
        mentor = mentors[mentor_id]
        load = loads.get(mentor_id, 0)
        if load >= mentor.capacity:
            raise Conflict(
                f"{mentor.user.profile.name} mentors {load} of {mentor.capacity} already: "
                "that pairing would break their capacity."
            )
        loads[mentor_id] = load + 1
        if mentor_id in plain_mentor and mentee_id in plain_mentee:
            mentor_plain, mentee_plain = plain_mentor[mentor_id], plain_mentee[mentee_id]
        else:  # an override outside the proposals
            mentor_plain, mentee_plain = _as_plain(mentor, mentee, load)
        mentor_plain = replace(mentor_plain, load=load)
        made = Pairing.objects.create(
            mentor_id=mentor_id,
            mentee=mentee,
            score=pairing_math.score(mentor_plain, mentee_plain, preference=preference),
            reasons=list(pairing_math.reasons(mentor_plain, mentee_plain, preference=preference)),
        )
        audit(
            made,
            "mentoring.pair",
            by=by,
            data={
                "override": None if proposed is None else (mentee_id, mentor_id) not in proposed,
                "mentor": mentor_id,
                "mentee": mentee_id,
            },
        )
        grants.setdefault(mentor_id, []).append(mentee.profile.pk)
        notes += [
            {
                "user": mentee,
                "kind": "mentoring",
                "title": f"{mentor.user.profile.name} is your mentor",
                "body": "Say hello and agree on a first goal together.",
                "url": "/mentoring/me/",
            },
            {
                "user": mentor.user,
                "kind": "mentoring",
                "title": f"You are now mentoring {mentee.profile.name}",
                "body": "Their progress is on your mentoring dashboard.",
                "url": "/mentoring/",
            },
        ]
        events.append(
            (
                mentor_group(mentor_id),
                MentoringMenteeChanged(type="mentoring.mentee_changed", mentee=mentee.pk),
            )
        )
        created.append(made)
    # The rights, notifications and live updates go out together, not pair by pair.
    for mentor_id, profile_ids in grants.items():
        assign_perm(
            VIEW_PROGRESS, mentors[mentor_id].user, Profile.objects.filter(pk__in=profile_ids)
        )
    notification_send_many(notes)
    broadcast_many(events)
    return Applied(created)


def _as_plain(mentor_profile: MentoringProfile, mentee, load: int):
    """The pair as the pairing maths sees it, for a pair outside the proposals."""
    return (
        _plain_mentor(mentor_profile, load=load),
        _plain_mentee(
            mentee,
            mine=MentoringProfile.objects.filter(user=mentee).first(),
            interests={name.lower() for name in mentee.profile.interests.names()},
        ),
    )


def _pairing_close(pairing: Pairing, *, reason: str) -> None:
    pairing.status = Pairing.Status.ENDED
    pairing.ended_at = timezone.now()
    pairing.end_reason = reason[:200]
    pairing.save(update_fields=["status", "ended_at", "end_reason"])
    mentee = User.objects.select_related("profile").get(pk=pairing.mentee_id)
    mentor = User.objects.get(pk=pairing.mentor_id)
    remove_perm(VIEW_PROGRESS, mentor, mentee.profile)
    broadcast(
        mentor_group(pairing.mentor_id),
        MentoringMenteeRemoved(type="mentoring.mentee_removed", mentee=pairing.mentee_id),
    )


def pairings_end_for_leavers(sender, user_ids: list[int], **kwargs) -> None:
    """``portal.people.signals.people_left``: a leaver's pairings end at once, so no mentor
    keeps seeing a leaver's progress (and a leaver's mentees can be paired again)."""
    for pairing in Pairing.objects.select_for_update().filter(
        Q(mentor_id__in=user_ids) | Q(mentee_id__in=user_ids), status=Pairing.Status.ACTIVE
    ):
        _pairing_close(pairing, reason="Ended: left the company")


def pairing_of(*, user, pairing_id: int) -> Pairing:
    """The active pairing ``pairing_id`` if ``user`` is its mentor or mentee."""
    found = (
        Pairing.objects.filter(pk=pairing_id, status=Pairing.Status.ACTIVE)
        .filter(Q(mentor=user) | Q(mentee=user))
        .select_related("mentor__profile", "mentee__profile")
        .first()
    )
    if found is None:
        raise NotFound("That is not one of your mentoring pairings.")
    return found


@transaction.atomic
def pairing_end(*, pairing: Pairing, by, reason: str = "") -> Pairing:
    """Either side (or a programme admin) ends a pairing: the mentor's access ends now."""
    pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
    if pairing.status != Pairing.Status.ACTIVE:
        raise Conflict("This pairing has already ended.")
    if by.pk not in (pairing.mentor_id, pairing.mentee_id) and not by.has_perm(
        "mentoring.manage_pairings"
    ):
        raise NotAllowed("Only the mentor, the mentee or the programme team can end it.")
    who = "the mentor" if by.pk == pairing.mentor_id else "the mentee"
    if by.pk not in (pairing.mentor_id, pairing.mentee_id):
        who = "the programme team"
    _pairing_close(pairing, reason=(reason or "").strip() or f"Ended by {who}")
    other = pairing.mentee_id if by.pk == pairing.mentor_id else pairing.mentor_id
    notification_send(
        user=User.objects.get(pk=other),
        kind="mentoring",
        title="A mentoring pairing has ended",
        body=pairing.end_reason,
        url="/mentoring/me/",
    )
    return pairing


@transaction.atomic
def pairing_request_change(*, pairing: Pairing, by, reason: str) -> Pairing:
    if by.pk != pairing.mentee_id:
        raise NotAllowed("Only the mentee can ask for another mentor.")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Tell the programme team briefly why.")
    pairing.change_requested_at = timezone.now()
    pairing.change_reason = reason[:300]
    pairing.save(update_fields=["change_requested_at", "change_reason"])
    return pairing


# --- check-ins, goals, nudges ----------------------------------------------------------


def _member(pairing: Pairing, user) -> None:
    if user.pk not in (pairing.mentor_id, pairing.mentee_id):
        raise NotAllowed("Only the mentor and the mentee can do this.")
    if pairing.status != Pairing.Status.ACTIVE:
        raise Conflict("This pairing has ended.")


@transaction.atomic
def checkin_add(*, pairing: Pairing, author, note: str) -> CheckIn:
    _member(pairing, author)
    note = (note or "").strip()
    if not note:
        raise InvalidInput("Write a line or two about the conversation.")
    if len(note) > 2000:
        raise InvalidInput("Keep a check-in note under 2,000 characters.")
    checkin = CheckIn.objects.create(pairing=pairing, author=author, note=note)
    if author.pk == pairing.mentor_id:
        activity_record(
            actor=author,
            verb=MENTORING_CHECKIN.id,
            key=f"mentoring.checkin:{checkin.pk}",
            obj=pairing,
        )
    broadcast(
        mentor_group(pairing.mentor_id),
        MentoringMenteeChanged(type="mentoring.mentee_changed", mentee=pairing.mentee_id),
    )
    return checkin


@transaction.atomic
def goal_add(*, pairing: Pairing, by, title: str, due_date: date | None) -> Goal:
    _member(pairing, by)
    title = (title or "").strip()
    if not title:
        raise InvalidInput("Name the goal.")
    if due_date is not None and due_date < timezone.localdate():
        raise InvalidInput("A due date is today or later.")
    return Goal.objects.create(pairing=pairing, title=title[:200], due_date=due_date)


@transaction.atomic
def goal_done(*, goal: Goal, by) -> Goal:
    pairing = Pairing.objects.select_for_update().get(pk=goal.pairing_id)
    _member(pairing, by)
    if goal.done_at is None:
        goal.done_at = timezone.now()
        goal.save(update_fields=["done_at"])
    if not pairing.goals.filter(done_at__isnull=True).exists():
        # Its goals met, a pairing has done its job: it ends, and both are told.
        _pairing_close(pairing, reason="Goals met")
        for user_id in (pairing.mentor_id, pairing.mentee_id):
            notification_send(
                user=User.objects.get(pk=user_id),
                kind="mentoring",
                title="Every mentoring goal is met: well done!",
                body="The pairing is complete. Either of you can look for a new one.",
                url="/mentoring/me/",
            )
    return goal


@transaction.atomic
def nudge_send(*, pairing: Pairing, by) -> None:
    pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
    if by.pk != pairing.mentor_id:
        raise NotAllowed("Only the mentor can nudge.")
    _member(pairing, by)
    if pairing.nudged_at and pairing.nudged_at > timezone.now() - timedelta(days=1):
        raise Conflict("You nudged them today already: give them a day.")
    pairing.nudged_at = timezone.now()
    pairing.save(update_fields=["nudged_at"])
    notification_send(
        user=pairing.mentee,
        kind="nudge",
        title=f"{by.profile.name} is cheering you on",
        body="Your next step is waiting on your dashboard.",
        url="/me/",
    )


# --- hearing the ledger -----------------------------------------------------------------


def mentoring_hear(activity) -> None:
    """A mentee did something: refresh their row on their mentor's live dashboard, and
    credit the mentor when the mentee finishes onboarding (the sharing gate opens)."""
    mentor_id = (
        Pairing.objects.filter(mentee_id=activity.actor_id, status=Pairing.Status.ACTIVE)
        .values_list("mentor_id", flat=True)
        .first()
    )
    if mentor_id is None:
        return
    broadcast(
        mentor_group(mentor_id),
        MentoringMenteeChanged(type="mentoring.mentee_changed", mentee=activity.actor_id),
    )
    if activity.verb == COURSE_COMPLETED.id:
        mentee = User.objects.get(pk=activity.actor_id)
        if _finished_onboarding(mentee):
            activity_record(  # once per mentor and mentee: the key repeats after that
                actor=User.objects.get(pk=mentor_id),
                verb=MENTEE_ONBOARDED.id,
                key=f"mentoring.mentee_onboarded:{mentor_id}:{mentee.pk}",
                obj=mentee.profile,
                result={"mentee": mentee.profile.name},
            )


def _finished_onboarding(user) -> bool:
    """Every course of the onboarding path is done (or, without a path, every course that
    unlocks sharing); with neither configured there is nothing to finish."""
    path = onboarding_path(user=user)
    if path:
        return all(summary.completed for summary in path)
    gated = CoursePage.objects.live().filter(unlocks_sharing=True).exists()
    return gated and not sharing_blockers(user=user)


# One dashboard refresh per mentee and verb per transaction (a lesson and its course).
mentoring_hear.coalesce = lambda activity: (activity.actor_id, activity.verb)
