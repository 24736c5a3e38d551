"""Reads for recognition: who may recognise whom, the public feed, budgets and the audit.

The public feed names a person only with their consent to be featured: otherwise they
are "a colleague in <team>" and their message stays private. An alias is used when
they chose one.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone

from portal.people.models import Team, User
from portal.people.permissions import is_programme_admin, managed_teams, team_managed_by

from .models import Allowance, Kind, Recognition, RecognitionSettings

FEED_SIZE = 30


@dataclass(frozen=True)
class Access:
    programme: bool
    team: Team | None


def recognition_access(*, giver: User | AnonymousUser, recipient: User) -> Access | None:
    """On what grounds ``giver`` may recognise ``recipient``, or None.

    Checked on the object: the recipient's team, with django-guardian, never a role.
    """
    if not giver.is_authenticated or giver.pk == recipient.pk or not recipient.is_active:
        return None
    managed = team_managed_by(by=giver, user=recipient)
    if managed is not None:
        return Access(programme=False, team=managed)
    if is_programme_admin(giver):
        return Access(
            programme=True, team=getattr(getattr(recipient, "profile", None), "team", None)
        )
    return None


def may_recognise(user: User) -> bool:
    return is_programme_admin(user) or managed_teams(user=user).exists()


def recognisable_people(*, giver: User):
    """The people ``giver`` may recognise: everyone for programme admins, else their teams."""
    people = User.objects.filter(is_active=True).exclude(pk=giver.pk).select_related("profile")
    if is_programme_admin(giver):
        return people.order_by("first_name", "last_name")
    return people.filter(profile__team__in=managed_teams(user=giver)).order_by(
        "first_name", "last_name"
    )


def kudos_people(*, giver: User):
    """Whom anyone may thank: active, onboarded colleagues (the form lists those who are
    listed on leaderboards, under their public name; hidden people only by exact email)."""
    return (
        User.objects.filter(is_active=True, profile__onboarded_at__isnull=False)
        .exclude(pk=giver.pk)
        .select_related("profile__team")
    )


def budget_left(*, user: User) -> tuple[int, int]:
    """``(left, allowed)`` of ``user``'s recognition budget this month."""
    config = RecognitionSettings.load()
    allowed = config.programme_monthly_budget if is_programme_admin(user) else config.monthly_budget
    used = (
        Allowance.objects.filter(
            user=user, limit="budget", period=timezone.localdate().replace(day=1)
        )
        .values_list("used", flat=True)
        .first()
        or 0
    )
    return max(0, allowed - used), allowed


def kudos_left(*, user: User) -> int:
    config = RecognitionSettings.load()
    used = (
        Allowance.objects.filter(user=user, limit="kudos", period=timezone.localdate())
        .values_list("used", flat=True)
        .first()
        or 0
    )
    return max(0, config.kudos_daily_limit - used)


FORMER_COLLEAGUE = "a former colleague"


def public_label(user: User | None) -> str:
    """A person as the public feed names them: by name or alias only with their consent
    to be named there, and never once they left."""
    if user is None:
        return FORMER_COLLEAGUE
    if not user.is_active:
        return "a colleague"
    profile = user.profile
    if not profile.consent_feed:
        where = profile.team or profile.department
        return f"a colleague in {where.name}" if where else "a colleague"
    return profile.public_name


def public_entry(recognition: Recognition) -> dict:
    """What anyone signed in may see of a recognition (the feed and its live updates)."""
    recipient = recognition.recipient
    consented = recipient.is_active and recipient.profile.consent_feed
    return {
        "id": recognition.pk,
        "kind": recognition.kind,
        "category": recognition.category.name if recognition.category else "Kudos",
        "recipient": public_label(recognition.recipient),
        "giver": public_label(recognition.giver),
        "message": recognition.message if consented else "",
        "points": recognition.points,
        "badge": recognition.badge.name if recognition.badge else "",
        "at": recognition.created_at.isoformat(),
        "when": timezone.localtime(recognition.created_at).strftime("%-d %b, %H:%M"),
    }


def _with_people(queryset):
    return queryset.select_related(
        "recipient__profile__team",
        "recipient__profile__department",
        "giver__profile__team",
        "giver__profile__department",
        "category",
        "badge",
    )


def entries_showing(*, user_ids: list[int]) -> list[dict]:
    """The public entries (as allowed now) of recognitions that show these people, among
    what a feed page can show: what to redraw after a withdrawal."""
    recent = Recognition.objects.filter(
        Q(recipient_id__in=user_ids) | Q(giver_id__in=user_ids)
    ).values_list("pk", flat=True)[: FEED_SIZE * 4]
    return [
        public_entry(row) for row in _with_people(Recognition.objects.filter(pk__in=list(recent)))
    ]


def recognition_feed(*, limit: int = FEED_SIZE) -> list[dict]:
    """The newest recognitions and kudos, as the public sees them (one query)."""
    return [public_entry(row) for row in _with_people(Recognition.objects.all())[:limit]]


def audit_rows(*, kind: str = "", search: str = ""):
    """Every recognition with its giver, recipient and budget, newest first."""
    rows = _with_people(Recognition.objects.all())
    if kind in Kind.values:
        rows = rows.filter(kind=kind)
    if search:
        rows = rows.filter(
            Q(giver__email__icontains=search) | Q(recipient__email__icontains=search)
        )
    return rows
