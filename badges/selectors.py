"""Reads about badges: a person's badges and progress, the gallery, public assertions."""

from dataclasses import dataclass, replace

from django.db.models import Count, Q

from portal.locales import localised, originals
from portal.people.models import User
from portal.people.permissions import may_act_for

from .criteria import Progress
from .models import Badge, BadgeAward


@dataclass(frozen=True)
class BadgeStanding:
    badge: Badge
    award: BadgeAward | None
    progress: Progress | None
    # The badge's words in the reader's language.
    content: Badge | None = None


def badges_for(*, user: User) -> list[BadgeStanding]:
    """Every active badge with the person's award (if any) or their progress towards it."""
    awards = {
        award.badge_id: award
        for award in BadgeAward.objects.filter(user=user).select_related("badge")
    }
    standings = []
    for badge in originals(Badge.objects.filter(Q(active=True) | Q(pk__in=list(awards)))):
        award = awards.get(badge.pk)
        if award is not None:
            standings.append(BadgeStanding(badge, award, None))
        else:
            kind, params = badge.kind()
            standings.append(BadgeStanding(badge, None, kind.progress(user, params)))
    standings = [
        replace(standing, content=content)
        for standing, content in zip(
            standings, localised([s.badge for s in standings]), strict=True
        )
    ]
    # Earned first (newest first), then the closest to being earned.
    return sorted(
        standings,
        key=lambda s: (
            s.award is None,
            -(s.award.awarded_at.timestamp() if s.award else 0),
            -(s.progress.percentage if s.progress else -1),
            s.badge.name,
        ),
    )


def badge_gallery():
    return originals(Badge.objects.filter(active=True)).annotate(
        holders=Count("awards", filter=Q(awards__revoked_at__isnull=True))
    )


def award_public(*, award_id) -> BadgeAward | None:
    return BadgeAward.objects.select_related("badge", "user__profile").filter(pk=award_id).first()


def badge_can_award(*, by: User | None, user: User) -> bool:
    """Programme admins may award anyone; managers the members of teams they manage."""
    return may_act_for(by=by, user=user)
