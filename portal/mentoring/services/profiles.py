"""Writes for mentors' and mentees' preferences."""

from django.db import transaction
from django.utils.translation import gettext

from portal.errors import InvalidInput
from portal.people.models import Profile, User

from ..models import NETWORKS, MentoringProfile, Pairing

NETWORK_VALUES = {value for value, _ in NETWORKS}


@transaction.atomic
def mentoring_profile_update(
    *,
    user: User,
    is_mentor: bool,
    capacity: int,
    networks: list[str],
    topics: str,
    languages: str,
    wants_mentor: bool,
    growth_networks: list[str],
) -> MentoringProfile:
    if not 1 <= int(capacity) <= 5:
        raise InvalidInput(gettext("Capacity is 1 to 5 mentees."))
    if not set(networks) <= NETWORK_VALUES or not set(growth_networks) <= NETWORK_VALUES:
        raise InvalidInput(gettext("Choose networks from the list."))
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
