"""Awarding and revoking badges, automatically from the ledger or by hand.

The unique constraint on (badge, person) decides whether an award is new, so parallel
qualifying events award once. Every award and revocation goes to the ledger and to
Wagtail's audit log; notifications follow from the ledger (``portal.notifications``).
"""

import contextlib
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.log_actions import log

from portal.activity.models import Activity
from portal.activity.services import activity_record
from portal.activity.subscribers import subscriber
from portal.activity.verbs import BADGE_EARNED, BADGE_REVOKED
from portal.errors import Conflict, InvalidInput, NotAllowed, NotFound
from portal.locales import originals
from portal.people.models import User
from portal.people.permissions import is_programme_admin

from . import selectors
from .models import AwardVisibility, Badge, BadgeAward
from .openbadges import new_salt, recipient_hash


class AlreadyAwarded(Conflict):
    """The person already has this badge, or the assertion is already revoked."""


@transaction.atomic
def badge_award(
    *,
    badge: Badge,
    user: User,
    by: User | None = None,
    evidence_url: str = "",
    note: str = "",
    automatic=False,
) -> BadgeAward:
    """Award ``badge`` to ``user`` once; a second award raises ``AlreadyAwarded``."""
    if not automatic and not selectors.badge_can_award(by=by, user=user):
        raise NotAllowed(gettext("You may award badges only to members of teams you manage."))
    if not badge.active:
        raise InvalidInput(f"The badge “{badge.name}” is inactive.")
    salt = new_salt()
    award = BadgeAward(
        badge=badge,
        user=user,
        awarded_at=timezone.now(),
        awarded_by=by,
        automatic=automatic,
        evidence_url=evidence_url.strip(),
        evidence_note=note.strip(),
        recipient_salt=salt,
        recipient_hash=recipient_hash(user.email, salt),
    )
    try:
        with transaction.atomic():
            award.save(force_insert=True)
    except IntegrityError as error:
        raise AlreadyAwarded(f"{user.email} already has the badge “{badge.name}”.") from error
    activity_record(
        actor=user,
        verb=BADGE_EARNED.id,
        key=f"badge.earned:{badge.pk}:{user.pk}",
        obj=badge,
        result={"badge": badge.name, "assertion": str(award.pk), "tier": badge.tier},
        context={"by": by.email if by else "criteria"},
    )
    log(instance=award, action="badges.award", user=by, data={"badge": badge.slug})
    return award


@transaction.atomic
def badge_revoke(*, award_id, reason: str, by: User | None = None) -> BadgeAward:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(gettext("Give a reason for the revocation; it is published with it."))
    if by is not None and not is_programme_admin(by):
        raise NotAllowed(gettext("Only programme admins can revoke badges."))
    award = (
        BadgeAward.objects.select_for_update()
        .filter(pk=_award_pk(award_id, missing="There is no such assertion."))
        .first()
    )
    if award is None:
        raise NotFound(f"There is no assertion {award_id}.")
    if award.revoked:
        raise AlreadyAwarded("This assertion is already revoked.")
    award.revoked_at = timezone.now()
    award.revoked_by = by
    award.revocation_reason = reason
    award.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    activity_record(
        actor=award.user,
        verb=BADGE_REVOKED.id,
        key=f"badge.revoked:{award.pk}",
        obj=award.badge,
        points=0,
        result={"badge": award.badge.name, "reason": reason},
        context={"by": by.email if by else "system"},
    )
    log(instance=award, action="badges.revoke", user=by, data={"reason": reason})
    return award


def badge_award_visibility(*, user: User, award_id, visibility: str) -> BadgeAward:
    """The earner chooses how an award's public page shows (see ``AwardVisibility``)."""
    award_id = _award_pk(award_id, missing="That is not one of your badges.")
    award = BadgeAward.objects.filter(pk=award_id, user=user).first()
    if award is None:
        raise NotFound(gettext("That is not one of your badges."))
    if visibility not in AwardVisibility.values:
        raise InvalidInput(gettext("Choose how the badge's page should show."))
    award.visibility = visibility
    award.save(update_fields=["visibility"])
    return award


def _award_pk(award_id, *, missing: str) -> uuid.UUID:
    """An assertion id from a URL: anything that is not a UUID is no such assertion."""
    try:
        return uuid.UUID(str(award_id))
    except ValueError:
        raise NotFound(missing) from None


# One evaluation per person, verb and "gave points" per transaction: kinds measure the
# committed ledger, so later statements of the same shape would find the same.
@subscriber(coalesce=lambda activity: (activity.actor_id, activity.verb, activity.points > 0))
def badges_evaluate(activity: Activity) -> list[BadgeAward]:
    """Award every active badge whose criteria this statement may have completed.

    Subscribed to the ledger: runs after the statement's transaction commits. Only the
    kinds that listen to the statement's verb are measured.
    """
    return _award_if_met(user=activity.actor, hears=lambda kind: kind.hears(activity))


def badges_award_earned(*, user: User) -> list[BadgeAward]:
    """Award every active badge whose criteria ``user`` meets now, whatever the verb.

    For badges created after people already qualified (``award_earned_badges``).
    """
    return _award_if_met(user=user, hears=lambda kind: True)


def _award_if_met(*, user: User, hears) -> list[BadgeAward]:
    held = set(BadgeAward.objects.filter(user=user).values_list("badge_id", flat=True))
    awarded = []
    for badge in originals(Badge.objects.filter(active=True)).exclude(pk__in=held):
        kind, params = badge.kind()
        if not hears(kind):
            continue
        progress = kind.progress(user, params)
        if progress is None or not progress.met:
            continue
        with contextlib.suppress(AlreadyAwarded):  # a parallel event awarded it first
            awarded.append(badge_award(badge=badge, user=user, automatic=True))
    return awarded
