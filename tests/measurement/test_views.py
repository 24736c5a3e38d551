"""/programme/: who may see it, what filters do, bad input, and its queries."""

import pytest

from tests.people.factories import DepartmentFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def team_of(size, *, department=None, location="Leeds"):
    team = TeamFactory(department=department or DepartmentFactory())
    members = [
        UserFactory(profile__team=team, profile__department=team.department,
                    profile__location=location, profile__onboarded=True)
        for _ in range(size)
    ]  # fmt: skip
    return team, members


def test_programme_admins_see_everyone_managers_their_teams_others_nobody(client, programme_admin):
    mine, members = team_of(6)
    team_of(8, location="Lyon")
    manager = members[0]
    mine.managers.add(manager)

    client.force_login(programme_admin)
    page = client.get("/programme/").content.decode()
    assert "The whole programme" in page
    assert "of 15 invited" in page  # everyone, the admin included

    client.force_login(manager)
    page = client.get("/programme/").content.decode()
    assert "The teams you manage" in page
    assert "of 6 invited" in page

    client.force_login(members[1])
    response = client.get("/programme/")
    assert response.status_code == 403
    assert "for programme admins and team managers" in response.content.decode()


def test_filters_narrow_and_small_selections_show_nothing(client, programme_admin):
    team_of(6, location="Leeds")
    team_of(3, location="Lyon")
    client.force_login(programme_admin)
    assert "of 6 invited" in client.get("/programme/?location=leeds").content.decode()
    page = client.get("/programme/?location=Lyon").content.decode()
    assert "Fewer than 5 people are in this selection" in page
    assert "of 3 invited" not in page


@pytest.mark.parametrize(
    "query",
    [
        "period=custom",
        "period=custom&start=2026-05-01&end=2026-04-01",
        "period=custom&start=2020-01-01&end=2026-01-01",
        "period=forever",
        "department=abc",
        f"department={2**70}",
        "start=not-a-date&period=custom&end=2026-01-01",
        "location=%00",
    ],
)
def test_bad_filters_answer_400_with_the_page(client, programme_admin, query):
    client.force_login(programme_admin)
    response = client.get(f"/programme/?{query}")
    assert response.status_code == 400
    assert "Recruitment funnel" in response.content.decode()


def test_the_page_costs_the_same_queries_for_ten_times_the_people(
    client, programme_admin, django_assert_num_queries
):
    department = DepartmentFactory()
    team_of(6, department=department)
    client.force_login(programme_admin)
    client.get("/programme/")  # warm the session and settings caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get("/programme/").status_code == 200
    for _ in range(9):
        team_of(6, department=DepartmentFactory())
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get("/programme/").status_code == 200
