"""Writes for pairings: applying proposals or a programme admin's choice, ending
them, asking for a change. A pairing grants the mentor django-guardian's
``people.view_progress`` on the mentee's profile; ending it removes the right in the same
transaction, and tells the mentor's open dashboards to drop the mentee."""

from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from guardian.shortcuts import assign_perm, remove_perm

from portal.audit import audit
from portal.errors import Conflict, InvalidInput, NotAllowed, NotFound
from portal.events import MentoringMenteeChanged, MentoringMenteeRemoved
from portal.notifications.services import (
    notification_send,
    notification_send_many,
    notification_text,
)
from portal.people.models import Profile, User
from portal.people.permissions import VIEW_PROGRESS
from portal.realtime import broadcast, broadcast_many

from .. import pairing as pairing_math
from ..models import MentoringProfile, MentoringSettings, Pairing
from ..proposals import as_plain, candidates
from ..selectors import mentor_group


@dataclass(frozen=True)
class Applied:
    created: list[Pairing]


@transaction.atomic
def pairings_apply(
    *,
    pairs: list[tuple[int, int]],
    by: User | None = None,
    proposed: set[tuple[int, int]] | None = None,
) -> Applied:
    """Pair each ``(mentee_id, mentor_id)``; all or nothing.

    Each pairing goes in the audit log; given the ``proposed`` pairs the admin saw, one
    that differs from them is marked an override.

    Refused if a mentor would exceed their capacity, is not a mentor, or is the mentee;
    a mentee who asked for a change leaves their current mentor for the new one.
    """
    if len({mentee for mentee, _ in pairs}) != len(pairs):
        raise InvalidInput(gettext("Each mentee can be paired once."))
    mentor_ids = {mentor for _, mentor in pairs}
    mentors = {
        row.user_id: row
        for row in MentoringProfile.objects.select_for_update(of=("self",))
        .filter(user_id__in=mentor_ids, is_mentor=True)
        .select_related("user__profile")
    }
    if mentor_ids - set(mentors):
        raise InvalidInput(gettext("Someone chosen as a mentor has not offered to mentor."))
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
    plain_mentors, plain_mentees = candidates()
    plain_mentor = {mentor.user_id: mentor for mentor in plain_mentors}
    plain_mentee = {mentee.user_id: mentee for mentee in plain_mentees}
    preference = MentoringSettings.load().department_preference
    created, notes, events = [], [], []
    grants: dict[int, list[int]] = {}
    for mentee_id, mentor_id in pairs:
        if mentee_id == mentor_id:
            raise InvalidInput(gettext("Nobody mentors themselves."))
        mentee = mentees.get(mentee_id)
        if mentee is None:
            raise NotFound(gettext("A mentee in the list is not here any more."))
        existing = current.get(mentee_id)
        if existing is not None:
            if existing.mentor_id == mentor_id:
                continue
            if existing.change_requested_at is None:
                raise Conflict(f"{mentee.profile.name} already has a mentor.")
            pairing_close(existing, reason="Changed at the mentee's request")
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
            mentor_plain, mentee_plain = as_plain(mentor, mentee, load)
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
                **notification_text(
                    "mentoring_mentor_assigned", to=mentee, mentor=mentor.user.profile.name
                ),
                "url": reverse("mentoring:mine"),
            },
            {
                "user": mentor.user,
                "kind": "mentoring",
                **notification_text(
                    "mentoring_mentee_assigned", to=mentor.user, mentee=mentee.profile.name
                ),
                "url": reverse("mentoring:dashboard"),
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
        assign_perm(  # guardian assigns to a queryset in bulk; its types say one object
            VIEW_PROGRESS,
            mentors[mentor_id].user,
            Profile.objects.filter(pk__in=profile_ids),  # type: ignore[arg-type]
        )
    notification_send_many(notes)
    broadcast_many(events)
    return Applied(created)


def pairing_close(pairing: Pairing, *, reason: str) -> None:
    """End ``pairing`` in the caller's transaction: the mentor's right goes, and their open
    dashboards drop the mentee."""
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
        pairing_close(pairing, reason="Ended: left the company")


@transaction.atomic
def pairing_end(*, pairing: Pairing, by: User, reason: str = "") -> Pairing:
    """Either side (or a programme admin) ends a pairing: the mentor's access ends now."""
    pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
    if pairing.status != Pairing.Status.ACTIVE:
        raise Conflict(gettext("This pairing has already ended."))
    if by.pk not in (pairing.mentor_id, pairing.mentee_id) and not by.has_perm(
        "mentoring.manage_pairings"
    ):
        raise NotAllowed(gettext("Only the mentor, the mentee or the programme team can end it."))
    who = "the mentor" if by.pk == pairing.mentor_id else "the mentee"
    if by.pk not in (pairing.mentor_id, pairing.mentee_id):
        who = "the programme team"
    pairing_close(pairing, reason=(reason or "").strip() or f"Ended by {who}")
    other = pairing.mentee_id if by.pk == pairing.mentor_id else pairing.mentor_id
    recipient = User.objects.select_related("profile").get(pk=other)
    notification_send(
        user=recipient,
        kind="mentoring",
        **notification_text("mentoring_pairing_ended", to=recipient, reason=pairing.end_reason),
        url=reverse("mentoring:mine"),
    )
    return pairing


@transaction.atomic
def pairing_request_change(*, pairing: Pairing, by: User, reason: str) -> Pairing:
    if by.pk != pairing.mentee_id:
        raise NotAllowed(gettext("Only the mentee can ask for another mentor."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(gettext("Tell the programme team briefly why."))
    pairing.change_requested_at = timezone.now()
    pairing.change_reason = reason[:300]
    pairing.save(update_fields=["change_requested_at", "change_reason"])
    return pairing
