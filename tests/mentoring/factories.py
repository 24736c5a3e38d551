"""Mentors and mentees for tests."""

from portal.mentoring import services
from portal.mentoring.models import MentoringProfile
from tests.people.factories import UserFactory


def mentor(*, capacity=2, topics="careers", networks=("linkedin",), **profile):
    user = UserFactory(profile__onboarded=True, **profile)
    MentoringProfile.objects.create(
        user=user, is_mentor=True, capacity=capacity, topics=topics, networks=list(networks)
    )
    return user


def mentee(**profile):
    user = UserFactory(profile__onboarded=True, **profile)
    MentoringProfile.objects.create(user=user, wants_mentor=True, growth_networks=["linkedin"])
    return user


def paired(*, mentor_user=None, mentee_user=None):
    mentor_user = mentor_user or mentor()
    mentee_user = mentee_user or mentee()
    [pairing] = services.pairings_apply(pairs=[(mentee_user.pk, mentor_user.pk)]).created
    return pairing
