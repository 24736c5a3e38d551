"""One person from a company system: the import's rules, lenient where a file is strict."""

import pytest
from django.contrib.auth.models import Group

from portal.identity.claims import UnusableClaims, person_attributes, person_from_claims
from portal.people.importing import person_sync
from portal.people.models import PrivacySettings, User, Visibility
from portal.people.services import Role
from tests.people.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

MAPPING = {
    "first_name": "given_name",
    "last_name": "family_name",
    "department": "department",
    "team": "team",
    "job_role": "job_title",
    "location": "address.locality",
    "manager_email": "manager_email",
    "cohort": "",
}


def test_a_new_person_is_made_with_their_place_role_and_manager():
    boss = UserFactory(email="boss@example.com")
    result = person_sync(
        email=" Ada@Example.com ",
        first_name="Ada",
        last_name="Lovelace",
        department="Sales",
        team="North",
        job_role="Account manager",
        location="Lyon",
        manager_email="BOSS@example.com",
    )
    assert result.created
    assert result.dropped == []
    user = User.objects.select_related("profile__team__department").get(pk=result.user.pk)
    assert user.email == "ada@example.com"
    profile = user.profile
    assert (profile.department.name, profile.team.name) == ("Sales", "North")
    assert (profile.job_role, profile.location, profile.manager) == (
        "Account manager",
        "Lyon",
        boss,
    )
    assert user.groups.filter(name=Role.ADVOCATE).exists()
    assert not user.has_usable_password()
    # Whoever manages a member of a team manages that team (as in an import).
    assert boss in profile.team.managers.all()


def test_absent_attributes_keep_their_value_and_empty_ones_clear_it():
    team = TeamFactory(name="North", department__name="Sales")
    user = UserFactory(
        email="ada@example.com",
        first_name="Ada",
        last_name="L",
        profile__department=team.department,
        profile__team=team,
        profile__location="Lyon",
    )

    result = person_sync(email="ada@example.com", last_name="Lovelace", location="")
    assert not result.created
    user.refresh_from_db()
    user.profile.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Ada", "Lovelace")
    assert (user.profile.team, user.profile.location) == (team, "")


def test_what_cannot_apply_is_dropped_and_the_rest_applies():
    result = person_sync(
        email="ada@example.com",
        first_name="Ada\x00 ",
        team="Orphan team",  # no department
        manager_email="nobody@example.com",  # not in the portal
        job_role="x" * 500,
    )
    assert sorted(result.dropped) == ["manager_email", "team"]
    profile = result.user.profile
    assert profile.team is None
    assert profile.manager is None
    assert len(profile.job_role) == 120
    assert result.user.first_name == "Ada"


def test_a_manager_loop_is_dropped_rather_than_made():
    ada = UserFactory(email="ada@example.com")
    UserFactory(email="bo@example.com", profile__manager=ada)
    result = person_sync(email="ada@example.com", manager_email="bo@example.com")
    assert result.dropped == ["manager_email"]
    assert person_sync(email="ada@example.com", manager_email="ada@example.com").dropped == [
        "manager_email"
    ]


def test_works_council_mode_starts_people_hidden():
    settings = PrivacySettings.load()
    settings.works_council_mode = True
    settings.save()
    result = person_sync(email="ada@example.com", first_name="Ada")
    assert result.user.profile.leaderboard_visibility == Visibility.HIDDEN


def test_claims_map_to_attributes_by_name_path_and_list():
    claims = {
        "given_name": ["Ada", "Augusta"],
        "family_name": "Lovelace",
        "address": {"locality": "Lyon"},
        "team": {"unexpected": "object"},
        "department": None,
    }
    attributes = person_attributes(claims, MAPPING)
    assert attributes["first_name"] == "Ada"
    assert attributes["location"] == "Lyon"
    assert attributes["team"] is None  # an object where text belongs: as if absent
    assert attributes["department"] is None
    assert attributes["cohort"] is None  # not mapped: the portal keeps its own


def test_a_provider_without_a_usable_email_is_refused():
    with pytest.raises(UnusableClaims):
        person_from_claims(None, {}, MAPPING)
    with pytest.raises(UnusableClaims):
        person_from_claims("not an address", {}, MAPPING)
    assert not User.objects.exists()
    assert Group.objects.filter(name=Role.ADVOCATE).exists()
