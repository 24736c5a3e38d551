"""The dashboard puts the next step and the person's rank first, lists a bounded number
of recent entries, and links to the whole history, which pages through every entry."""

import pytest

from portal.dashboard import HISTORY_PAGE, RECENT
from portal.people.models import Visibility
from tests.leaderboards.test_views import earn
from tests.people.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sql_store")]


def test_the_rank_and_next_step_come_before_the_numbers_and_the_list(client):
    first = UserFactory(first_name="Ada", profile__onboarded=True)
    second = UserFactory(first_name="Bea", profile__onboarded=True)
    earn(first, 30, "a")
    earn(second, 10, "b")
    client.force_login(second)
    html = client.get("/me/").content.decode()
    assert "#2" in html
    assert "this week in the company" in html
    assert html.index("Your next step") < html.index("#2") < html.index("Your recent activity")


def test_someone_without_points_this_week_has_no_rank_yet(client):
    person = UserFactory(profile__onboarded=True)
    client.force_login(person)
    assert "no points this week yet" in client.get("/me/").content.decode()


def test_a_hidden_person_sees_their_rank_marked_as_theirs_alone(client):
    person = UserFactory(profile__onboarded=True, profile__leaderboard_visibility=Visibility.HIDDEN)
    earn(person, 5, "h")
    client.force_login(person)
    assert "seen only by you" in client.get("/me/").content.decode()


def test_the_recent_list_is_bounded_and_the_history_pages_through_everything(client):
    person = UserFactory(profile__onboarded=True)
    total = HISTORY_PAGE + 3
    for number in range(total):
        earn(person, 1, f"k{number}")
    client.force_login(person)
    dashboard = client.get("/me/").content.decode()
    assert dashboard.count('class="activity-what"') == RECENT
    assert 'href="/me/activity/"' in dashboard

    first = client.get("/me/activity/").content.decode()
    assert first.count('class="activity-what"') == HISTORY_PAGE
    assert "Page 1 of 2" in first
    second = client.get("/me/activity/?page=2").content.decode()
    assert second.count('class="activity-what"') == 3
    # A page number that is not one shows a page, never an error.
    for wrong in ["abc", "99999999999999999999", "-1", "1\x00"]:
        assert client.get("/me/activity/", {"page": wrong}).status_code == 200


def test_a_short_history_has_no_link_to_more(client):
    person = UserFactory(profile__onboarded=True)
    earn(person, 1, "one")
    client.force_login(person)
    assert 'href="/me/activity/"' not in client.get("/me/").content.decode()
