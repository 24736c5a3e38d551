"""Teams with managers and members, for recognition tests."""

from portal.people.models import Visibility
from tests.people.factories import TeamFactory, UserFactory


def team_with_manager(*, members=1, consent=True, team_name="Field Sales"):
    team = TeamFactory(name=team_name)
    manager = UserFactory(first_name="Tomás", profile__onboarded=True)
    team.managers.add(manager)
    people = []
    for _ in range(members):
        person = UserFactory(profile__onboarded=True)
        profile = person.profile
        profile.team = team
        profile.department = team.department
        profile.consent_feed = consent
        profile.leaderboard_visibility = Visibility.NAME
        profile.save()
        people.append(person)
    return team, manager, people


def recognise(giver, recipient, *, points=10, message="Thank you!", category=None):
    """A recognition through the service, with a category from the starting list."""
    from portal.recognition import services
    from portal.recognition.models import Category

    return services.recognition_give(
        giver=giver,
        recipient=recipient,
        category=category or Category.objects.first(),
        message=message,
        points=points,
    )
