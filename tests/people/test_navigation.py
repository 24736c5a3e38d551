"""The header's Programme and Admin links: shown to those who may open them, kept per
person between pages, and changed on the next page whichever way someone's roles or
permissions change (portal.people.navigation)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.people.services import Role, role_add
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

PROGRAMME = 'href="/programme/"'
ADMIN = 'href="/admin/"'


def links(client) -> set[str]:
    html = client.get("/hub/").content.decode()
    return {name for name, link in (("programme", PROGRAMME), ("admin", ADMIN)) if link in html}


def award_badge() -> Permission:
    return Permission.objects.get(codename="award_badge", content_type__app_label="badges")


@pytest.fixture
def advocate(client):
    person = UserFactory(profile__onboarded=True)
    client.force_login(person)
    return person


def test_the_links_follow_the_role_and_are_not_asked_again_on_every_page(
    client, advocate, programme_admin
):
    assert links(client) == set()
    client.force_login(programme_admin)
    assert links(client) == {"programme", "admin"}

    with CaptureQueriesContext(connection) as queries:
        assert links(client) == {"programme", "admin"}
    asked = [query["sql"] for query in queries if "auth_permission" in query["sql"]]
    assert asked == []


def test_a_role_given_or_taken_shows_on_the_next_page(client, advocate):
    assert links(client) == set()
    role_add(user=advocate, role=Role.PROGRAMME_ADMIN)
    assert links(client) == {"programme", "admin"}
    advocate.groups.clear()
    assert links(client) == set()
    Group.objects.get(name=Role.PROGRAMME_ADMIN).user_set.add(advocate)
    assert links(client) == {"programme", "admin"}
    Group.objects.get(name=Role.PROGRAMME_ADMIN).user_set.remove(advocate)
    assert links(client) == set()


def test_a_groups_permissions_changing_shows_on_its_members_next_page(client, advocate):
    group = Group.objects.create(name="Measurement")
    group.user_set.add(advocate)
    assert links(client) == set()
    group.permissions.add(award_badge())
    assert links(client) == {"programme"}
    award_badge().group_set.remove(group)
    assert links(client) == set()
    award_badge().group_set.add(group)
    assert links(client) == {"programme"}
    award_badge().group_set.clear()
    assert links(client) == set()
    group.permissions.add(award_badge())
    assert links(client) == {"programme"}
    group.permissions.clear()
    assert links(client) == set()


def test_a_persons_own_permissions_and_superuser_flag_show_on_their_next_page(client, advocate):
    advocate.user_permissions.add(award_badge())
    assert links(client) == {"programme"}
    award_badge().user_set.clear()
    assert links(client) == set()
    award_badge().user_set.add(advocate)
    assert links(client) == {"programme"}
    advocate.user_permissions.remove(award_badge())
    assert links(client) == set()

    advocate.is_superuser = True
    advocate.save()
    assert links(client) == {"programme", "admin"}
