"""The leaderboard page: competition ranks, aliases, hidden people, who may see which board."""

import pytest

from leaderboards.selectors import leaderboard_view
from portal.activity.deliveries import deliveries_apply
from portal.activity.services import activity_record
from portal.people.models import Visibility
from tests.people.factories import DepartmentFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sql_store")]


def earn(user, points, key):
    deliveries_apply(
        activity_record(actor=user, verb="points.adjusted", key=key, points=points).activity
    )


@pytest.fixture
def team():
    return TeamFactory(department=DepartmentFactory())


def person(team, first_name, **profile):
    extra = {f"profile__{key}": value for key, value in profile.items()}
    return UserFactory(
        first_name=first_name,
        last_name="Test",
        profile__team=team,
        profile__onboarded=True,
        **extra,
    )


def test_ties_share_a_rank_and_hidden_people_take_no_rank(team):
    ada, bo, cy, di = (person(team, n) for n in ("Ada", "Bo", "Cy", "Di"))
    shy = person(team, "Shy", leaderboard_visibility=Visibility.HIDDEN)
    for number, (user, points) in enumerate([(ada, 50), (bo, 40), (cy, 40), (di, 10), (shy, 45)]):
        earn(user, points, f"k{number}")
    view = leaderboard_view(board="company", window="all", viewer=di)
    assert [(e.rank, e.name, e.points) for e in view.entries] == [
        (1, "Ada Test", 50),
        (2, "Bo Test", 40),
        (2, "Cy Test", 40),
        (4, "Di Test", 10),
    ]
    assert view.me_rank == 4
    hidden_view = leaderboard_view(board="company", window="all", viewer=shy)
    assert "Shy Test" not in [e.name for e in hidden_view.entries]
    assert (hidden_view.me_rank, hidden_view.me_points, hidden_view.hidden) == (2, 45, True)


def test_aliases_are_shown_instead_of_names(team):
    spark = person(team, "Real", leaderboard_visibility=Visibility.ALIAS, alias="Green Spark")
    earn(spark, 5, "a")
    view = leaderboard_view(board=f"team-{team.slug}", window="week", viewer=spark)
    assert [(e.name, e.initials, e.you) for e in view.entries] == [("Green Spark", "GS", True)]


def test_the_page_and_who_may_see_which_board(client, team):
    viewer = person(team, "Viewer")
    other_team = TeamFactory(department=team.department)
    earn(viewer, 12, "v")
    client.force_login(viewer)
    page = client.get("/leaderboards/?board=company&window=all").content.decode()
    assert "You are #1" in page
    assert "Viewer Test" in page
    response = client.get(f"/leaderboards/?board=team-{team.slug}&window=month")
    assert response.status_code == 200
    assert client.get(f"/leaderboards/?board=team-{other_team.slug}").status_code == 403
    assert client.get("/leaderboards/?board=team-nope").status_code == 404
    assert client.get("/leaderboards/?board=company&window=decade").status_code == 200
