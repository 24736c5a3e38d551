"""Reads for mentoring: a mentor's mentees and their progress, always checked on the object.

``mentee_rows`` costs the same number of queries for 2 mentees or 50: each figure is
one query over all of them.
"""

from datetime import timedelta

from django.db.models import Avg, Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import get_objects_for_user
from wagtail.models import Site

from badges.models import BadgeAward
from courses.models import Enrolment, Reflection, ScenarioAttempt, TrainingSettings
from portal.activity.models import Activity, PointsTotal
from portal.activity.selectors import levels
from portal.errors import NotFound
from portal.people.models import PrivacySettings, Profile, User
from portal.people.permissions import VIEW_PROGRESS, managed_teams
from portal.people.privacy import MIN_GROUP
from portal.realtime import group_name
from portal.sharing.models import Share

from .models import CheckIn, Goal, MentoringProfile, MentoringSettings, Pairing


def may_view_progress(*, viewer: User, mentee_profile: Profile) -> bool:
    """Whether ``viewer`` may see this person's progress now (a fresh check, no cache)."""
    return ObjectPermissionChecker(viewer).has_perm("view_progress", mentee_profile)


def mentee_profiles(*, mentor: User):
    """The profiles ``mentor`` may follow: exactly those the object permission names."""
    return get_objects_for_user(
        mentor, VIEW_PROGRESS, klass=Profile, accept_global_perms=False
    ).select_related("user", "team", "department")


def mentee_rows(*, mentor: User, only: int | None = None) -> list[dict]:
    """One dict per mentee of ``mentor`` (or just user ``only``), for the dashboard."""
    profiles = mentee_profiles(mentor=mentor)
    if only is not None:
        profiles = profiles.filter(user_id=only)
    return progress_rows(
        profiles=list(profiles.order_by("user__first_name", "user__last_name")), mentor=mentor
    )


def team_rows(*, manager: User) -> list[tuple]:
    """``(team, rows, summary)`` for each team ``manager`` manages (the object permission
    on the team decides): a progress row per member, and the team's participation.

    In works-council mode only the members who chose to share their progress with their
    manager have a row; the summary's figures need at least ``MIN_GROUP`` members.
    """
    teams = list(managed_teams(user=manager).select_related("department").order_by("name"))
    members = list(
        Profile.objects.filter(team__in=teams, user__is_active=True)
        .exclude(user=manager)
        .select_related("user", "team", "department")
        .order_by("user__first_name", "user__last_name")
    )
    rows = progress_rows(profiles=members)
    aggregates_only = PrivacySettings.load().works_council_mode
    by_team: dict[int, list] = {}
    everyone: dict[int, list] = {}
    for profile, row in zip(members, rows, strict=True):
        team_id = profile.team_id or 0  # members of a managed team always have one
        everyone.setdefault(team_id, []).append(row)
        if not aggregates_only or profile.share_progress_with_manager:
            by_team.setdefault(team_id, []).append(row)
    return [
        (team, by_team.get(team.pk, []), _team_summary(everyone.get(team.pk, []))) for team in teams
    ]


def _team_summary(rows: list[dict]) -> dict:
    """Participation of a whole team; no figure at all for fewer than ``MIN_GROUP``."""
    if len(rows) < MIN_GROUP:
        return {"members": len(rows), "shown": False}
    return {
        "members": len(rows),
        "shown": True,
        "onboarding_finished": sum(
            1
            for row in rows
            if row["onboarding_total"] and row["onboarding_done"] >= row["onboarding_total"]
        ),
        "sharing": sum(1 for row in rows if row["shares"]),
        "points": sum(row["points"] for row in rows),
        "badges": sum(row["badge_count"] for row in rows),
    }


def progress_rows(*, profiles: list[Profile], mentor: User | None = None) -> list[dict]:
    """A progress row per profile, from one query per figure; with ``mentor``, the
    pairing's goals and check-ins too."""
    if not profiles:
        return []
    ids = [profile.user_id for profile in profiles]
    site = Site.objects.filter(is_default_site=True).first()
    onboarding = TrainingSettings.for_site(site).onboarding_course_ids() if site else []
    completed = dict(
        Enrolment.objects.filter(
            user_id__in=ids, course_id__in=onboarding, completed_at__isnull=False
        )
        .values("user_id")
        .annotate(count=Count("id"))
        .values_list("user_id", "count")
    )
    scores: dict[int, list[int]] = {}
    for user_id, best in (
        ScenarioAttempt.objects.filter(user_id__in=ids, status=ScenarioAttempt.Status.FINISHED)
        .values("user_id", "lesson_id", "block_id")
        .annotate(best=Max("percentage"))
        .values_list("user_id", "best")
    ):
        scores.setdefault(user_id, []).append(best)
    reflections: dict[int, list[Reflection]] = {}
    for reflection in Reflection.objects.filter(user_id__in=ids).order_by("-updated_at"):
        if len(reflections.setdefault(reflection.user_id, [])) < 2:
            reflections[reflection.user_id].append(reflection)
    shares = {
        row["user_id"]: row
        for row in Share.objects.filter(user_id__in=ids)
        .values("user_id")
        .annotate(count=Count("id"), quality=Avg("quality"))
    }
    badges: dict[int, list[str]] = {}
    for user_id, name in (
        BadgeAward.objects.filter(user_id__in=ids, revoked_at__isnull=True)
        .order_by("-awarded_at")
        .values_list("user_id", "badge__name")
    ):
        badges.setdefault(user_id, []).append(name)
    points = dict(PointsTotal.objects.filter(user_id__in=ids).values_list("user_id", "points"))
    ladder = levels()
    last_seen = dict(
        Activity.objects.filter(actor_id__in=ids)
        .values("actor_id")
        .annotate(last=Max("timestamp"))
        .values_list("actor_id", "last")
    )
    pairings = (
        {
            pairing.mentee_id: pairing
            for pairing in Pairing.objects.filter(
                mentor=mentor, mentee_id__in=ids, status=Pairing.Status.ACTIVE
            )
        }
        if mentor is not None
        else {}
    )
    last_checkin = dict(
        CheckIn.objects.filter(pairing__in=pairings.values())
        .values("pairing__mentee_id")
        .annotate(last=Max("created_at"))
        .values_list("pairing__mentee_id", "last")
    )
    open_goals = dict(
        Goal.objects.filter(pairing__in=pairings.values(), done_at__isnull=True)
        .values("pairing__mentee_id")
        .annotate(count=Count("id"))
        .values_list("pairing__mentee_id", "count")
    )
    every = timedelta(days=MentoringSettings.load().checkin_every_days)
    now = timezone.now()
    rows = []
    for profile in profiles:
        user_id = profile.user_id
        pairing = pairings.get(user_id)
        mine = scores.get(user_id, [])
        total = points.get(user_id, 0)
        level = ladder.name_for(total)
        share = shares.get(user_id, {})
        since = last_checkin.get(user_id) or (pairing.started_at if pairing else None)
        rows.append(
            {
                "id": user_id,
                "name": profile.name,
                "team": profile.team.name if profile.team else "",
                "onboarding_done": completed.get(user_id, 0),
                "onboarding_total": len(onboarding),
                "scenarios": len(mine),
                "scenario_average": round(sum(mine) / len(mine)) if mine else None,
                "reflections": [
                    {"prompt": item.prompt[:120], "text": item.text[:400]}
                    for item in reflections.get(user_id, [])
                ],
                "shares": share.get("count", 0),
                "share_quality": round(share["quality"]) if share.get("quality") else None,
                "badges": badges.get(user_id, [])[:5],
                "badge_count": len(badges.get(user_id, [])),
                "points": total,
                "level": level,
                "last_active": last_seen[user_id].isoformat() if user_id in last_seen else "",
                "last_active_label": _ago(last_seen.get(user_id), now),
                "pairing": pairing.pk if pairing else None,
                "open_goals": open_goals.get(user_id, 0),
                "checkin_due": bool(since and since + every <= now),
            }
        )
    return rows


def _ago(moment, now) -> str:
    if moment is None:
        return gettext("No activity yet")
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return gettext("Just now")
    if seconds < 3600:
        return gettext("%(minutes)s min ago") % {"minutes": int(seconds // 60)}
    if seconds < 86400:
        return gettext("%(hours)s h ago") % {"hours": int(seconds // 3600)}
    days = int(seconds // 86400)
    return ngettext("%(days)s day ago", "%(days)s days ago", days) % {"days": days}


def mentee_row(*, mentor: User, mentee_id: int) -> dict | None:
    """The dashboard row for one mentee, or None when ``mentor`` may not see them."""
    rows = mentee_rows(mentor=mentor, only=mentee_id)
    return rows[0] if rows else None


def my_pairing(*, user: User) -> Pairing | None:
    return (
        Pairing.objects.filter(mentee=user, status=Pairing.Status.ACTIVE)
        .select_related("mentor__profile")
        .first()
    )


def pairing_detail(pairing: Pairing) -> dict:
    return {
        "checkins": list(pairing.checkins.select_related("author__profile")[:20]),
        "goals": list(pairing.goals.all()),
    }


def mentoring_profile_of(*, user: User) -> MentoringProfile:
    """The person's mentoring preferences, or the defaults (not saved) before they set any."""
    return MentoringProfile.objects.filter(user=user).first() or MentoringProfile(user=user)


def pairing_of(*, user: User, pairing_id: int) -> Pairing:
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


def mentor_group(user_id: int) -> str:
    return group_name("mentor", user_id)
