"""Writes inside a pairing: check-ins, goals and nudges."""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from portal.activity.services import activity_record
from portal.activity.verbs import (
    MENTORING_CHECKIN,
)
from portal.errors import Conflict, InvalidInput, NotAllowed
from portal.events import MentoringMenteeChanged
from portal.notifications.services import notification_send, notification_text
from portal.people.models import User
from portal.realtime import broadcast

from ..models import CheckIn, Goal, Pairing
from ..selectors import mentor_group
from .pairings import pairing_close


def _member(pairing: Pairing, user: User) -> None:
    if user.pk not in (pairing.mentor_id, pairing.mentee_id):
        raise NotAllowed(gettext("Only the mentor and the mentee can do this."))
    if pairing.status != Pairing.Status.ACTIVE:
        raise Conflict(gettext("This pairing has ended."))


@transaction.atomic
def checkin_add(*, pairing: Pairing, author: User, note: str) -> CheckIn:
    _member(pairing, author)
    note = (note or "").strip()
    if not note:
        raise InvalidInput(gettext("Write a line or two about the conversation."))
    if len(note) > 2000:
        raise InvalidInput(gettext("Keep a check-in note under 2,000 characters."))
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
def goal_add(*, pairing: Pairing, by: User, title: str, due_date: date | None) -> Goal:
    _member(pairing, by)
    title = (title or "").strip()
    if not title:
        raise InvalidInput(gettext("Name the goal."))
    if due_date is not None and due_date < timezone.localdate():
        raise InvalidInput(gettext("A due date is today or later."))
    return Goal.objects.create(pairing=pairing, title=title[:200], due_date=due_date)


@transaction.atomic
def goal_done(*, goal: Goal, by: User) -> Goal:
    pairing = Pairing.objects.select_for_update().get(pk=goal.pairing_id)
    _member(pairing, by)
    if goal.done_at is None:
        goal.done_at = timezone.now()
        goal.save(update_fields=["done_at"])
    if not pairing.goals.filter(done_at__isnull=True).exists():
        # Its goals met, a pairing has done its job: it ends, and both are told.
        pairing_close(pairing, reason="Goals met")
        for user_id in (pairing.mentor_id, pairing.mentee_id):
            member = User.objects.select_related("profile").get(pk=user_id)
            notification_send(
                user=member,
                kind="mentoring",
                **notification_text("mentoring_goals_met", to=member),
                url=reverse("mentoring:mine"),
            )
    return goal


@transaction.atomic
def nudge_send(*, pairing: Pairing, by: User) -> None:
    pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
    if by.pk != pairing.mentor_id:
        raise NotAllowed(gettext("Only the mentor can nudge."))
    _member(pairing, by)
    if pairing.nudged_recently:
        raise Conflict(gettext("You nudged them today already: give them a day."))
    pairing.nudged_at = timezone.now()
    pairing.save(update_fields=["nudged_at"])
    notification_send(
        user=pairing.mentee,
        kind="nudge",
        **notification_text("mentoring_nudge", to=pairing.mentee, mentor=by.profile.name),
        url=reverse("dashboard"),
    )
