"""Writes for recognition: managers' awards from a budget, and peers' kudos.

Each function owns its transaction. Limits are kept by locking the giver's allowance
row for the period, so concurrent awards take turns and cannot overspend; a refusal
changes nothing. Recognition goes into the ledger as ``recognition.received`` for the
recipient (points, badges, notification) and to the live feed after commit.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from badges.services import AlreadyAwarded, badge_award
from portal.activity.services import activity_record
from portal.activity.verbs import RECOGNITION_RECEIVED
from portal.errors import InvalidInput, NotAllowed
from portal.events import RecognitionEntriesRetracted, RecognitionEntryAdded
from portal.people.models import User
from portal.realtime import broadcast, group_name

from . import selectors
from .models import Allowance, Category, Kind, Recognition, RecognitionSettings

MESSAGE_LIMIT = 500
FEED_GROUP = group_name("recognition")


class OverBudget(InvalidInput):
    def __init__(self, message: str, *, remaining: int, field: str | None = "points"):
        super().__init__(message, field=field)
        self.remaining = remaining


def _allowance_use(*, user: User, limit: str, period: date, amount: int, allowed: int) -> int:
    """Spend ``amount`` of ``user``'s ``limit`` for ``period``; returns what is left.

    The row is locked until the caller's transaction ends, so parallel spenders of the
    same allowance wait for each other.
    """
    try:
        with transaction.atomic():
            Allowance.objects.get_or_create(user=user, limit=limit, period=period)
    except IntegrityError:  # made by a parallel spender a moment ago
        pass
    allowance = Allowance.objects.select_for_update().get(user=user, limit=limit, period=period)
    remaining = max(0, allowed - allowance.used)
    if amount > remaining:
        raise OverBudget(
            f"That is more than you have left: {remaining:,} of {allowed:,} this period.",
            remaining=remaining,
        )
    allowance.used += amount
    allowance.save(update_fields=["used"])
    return remaining - amount


def _message(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(gettext("Write a few words on what they did."))
    if len(text) > MESSAGE_LIMIT:
        raise InvalidInput(f"Keep the message under {MESSAGE_LIMIT} characters.")
    return text


@transaction.atomic
def recognition_give(
    *, giver: User, recipient: User, category: Category, message: str, points: int, badge=None
) -> Recognition:
    """``giver`` recognises ``recipient``: points from the giver's monthly budget.

    Managers recognise members of teams they manage (the ``people.recognise_team``
    object permission on the recipient's team); programme admins anyone.
    """
    if recipient.pk == giver.pk:
        raise NotAllowed(gettext("Recognise someone else: your own work speaks for itself."))
    access = selectors.recognition_access(giver=giver, recipient=recipient)
    if access is None:
        raise NotAllowed(gettext("You can recognise only members of the teams you manage."))
    if category is None or not category.active:
        raise InvalidInput(gettext("Choose a category."))
    message = _message(message)
    if not isinstance(points, int) or points < 0:
        raise InvalidInput(gettext("Points are a whole number, 0 or more."))
    config = RecognitionSettings.load()
    allowed = config.programme_monthly_budget if access.programme else config.monthly_budget
    month = timezone.localdate().replace(day=1)
    _allowance_use(user=giver, limit="budget", period=month, amount=points, allowed=allowed)
    recognition = Recognition.objects.create(
        kind=Kind.RECOGNITION,
        giver=giver,
        recipient=recipient,
        category=category,
        message=message,
        points=points,
        badge=badge,
        team=access.team,
        budget=f"{'Programme' if access.programme else 'Manager'} budget of {giver.email}, "
        f"{month:%B %Y}",
    )
    if badge is not None:
        try:
            badge_award(badge=badge, user=recipient, by=giver, note=message)
        except AlreadyAwarded as error:
            raise InvalidInput(
                f"{recipient} already has the badge “{badge.name}”: choose another or none."
            ) from error
    _record(recognition)
    return recognition


@transaction.atomic
def kudos_give(*, giver: User, recipient: User, message: str) -> Recognition:
    """Anyone thanks a colleague: a fixed few points, a few times a day."""
    if recipient.pk == giver.pk:
        raise NotAllowed(gettext("Kudos are for someone else."))
    if not recipient.is_active:
        raise InvalidInput(gettext("That person is no longer here."))
    message = _message(message)
    config = RecognitionSettings.load()
    try:
        _allowance_use(
            user=giver,
            limit="kudos",
            period=timezone.localdate(),
            amount=1,
            allowed=config.kudos_daily_limit,
        )
    except OverBudget as error:
        raise OverBudget(
            f"You have given your {config.kudos_daily_limit} kudos for today: more tomorrow.",
            remaining=0,
            field=None,
        ) from error
    recognition = Recognition.objects.create(
        kind=Kind.KUDOS,
        giver=giver,
        recipient=recipient,
        message=message,
        points=config.kudos_points,
        budget="Kudos",
    )
    _record(recognition)
    return recognition


def _record(recognition: Recognition) -> None:
    giver = recognition.giver
    assert giver is not None  # a new recognition has its giver (erasure clears it later)
    what = recognition.category.name if recognition.category else "Kudos"
    activity_record(
        actor=recognition.recipient,
        verb=RECOGNITION_RECEIVED.id,
        key=f"recognition.received:{recognition.pk}",
        obj=recognition,
        points=recognition.points,
        result={
            "from": giver.profile.name,
            "message": recognition.message,
            "category": what,
            "kind": recognition.kind,
        },
        context={"by": giver.email, "budget": recognition.budget},
        timestamp=recognition.created_at,
    )
    broadcast(
        FEED_GROUP,
        RecognitionEntryAdded(
            type="recognition.entry_added", entry=selectors.public_entry(recognition)
        ),
    )


def feed_retract(sender, user: User | None = None, user_ids=None, purposes=None, **kwargs) -> None:
    """``consent_changed`` and ``people_left``: redraw, on every open feed, the entries
    that show these people, as their choices now allow (a withdrawal retracts at once)."""
    if purposes is not None and "feed" not in purposes:
        return
    ids = list(user_ids or []) + ([user.pk] if user is not None else [])
    entries = selectors.entries_showing(user_ids=ids)
    if entries:
        broadcast(
            FEED_GROUP,
            RecognitionEntriesRetracted(type="recognition.entries_retracted", entries=entries),
        )
