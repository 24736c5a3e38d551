"""The ledger subscriber that keeps mentors' dashboards live and credits mentors
whose mentee finished onboarding (``settings.ACTIVITY_SUBSCRIBERS``)."""

from courses.models import CoursePage
from courses.selectors import onboarding_path, sharing_blockers
from portal.activity.services import activity_record
from portal.activity.verbs import (
    COURSE_COMPLETED,
    MENTEE_ONBOARDED,
)
from portal.events import MentoringMenteeChanged
from portal.locales import originals
from portal.people.models import User
from portal.realtime import broadcast

from ..models import Pairing
from ..selectors import mentor_group


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


def _finished_onboarding(user: User) -> bool:
    """Every course of the onboarding path is done (or, without a path, every course that
    unlocks sharing); with neither configured there is nothing to finish."""
    path = onboarding_path(user=user)
    if path:
        return all(summary.completed for summary in path)
    gated = originals(CoursePage.objects.live()).filter(unlocks_sharing=True).exists()
    return gated and not sharing_blockers(user=user)
