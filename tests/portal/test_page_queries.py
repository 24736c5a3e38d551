"""Every page a person opens costs the same number of queries with ten times the people
and their history (issue 19: pages under load keep their query count at scale)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from badges.services import badge_award
from courses.services.lessons import lesson_complete
from leaderboards import selectors as leaderboard_selectors
from portal.activity.services import activity_record
from portal.recognition.services import kudos_give
from tests.badges.factories import badge as a_badge
from tests.courses.factories import block, course_with_lessons
from tests.people.factories import DepartmentFactory, TeamFactory, UserFactory
from tests.sharing.factories import content_item, share

pytestmark = pytest.mark.django_db


def a_team_with_history(*, lesson, items, badge, capture):
    """Six people who each completed the lesson, shared an item, earned the badge,
    thanked a colleague and earned some points."""
    team = TeamFactory(department=DepartmentFactory())
    members = [
        UserFactory(profile__team=team, profile__department=team.department,
                    profile__onboarded=True)
        for _ in range(6)
    ]  # fmt: skip
    with capture(execute=True):
        for index, person in enumerate(members):
            lesson_complete(user=person, lesson=lesson)
            share(user=person, item=items[index % len(items)])
            badge_award(badge=badge, user=person, automatic=True)
            kudos_give(giver=person, recipient=members[(index + 1) % 6], message="Thank you!")
            activity_record(actor=person, verb="points.adjusted", key=f"extra{person.pk}",
                            points=5 + index)  # fmt: skip
    return team, members


def test_every_page_costs_the_same_queries_at_ten_times_the_data(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    # The viewer (third fewest points of the first team) is below the boards' top and
    # has two people above and two below at both sizes: their rank and their
    # neighbours' are counted, not read off the top, both times.
    monkeypatch.setattr(leaderboard_selectors, "TOP", 3)
    course, (lesson,) = course_with_lessons(lessons=[[block("paragraph", "<p>Read.</p>")]])
    items = [content_item(title=f"Item {number}") for number in range(3)]
    badge = a_badge(name="Starter")
    world = {"lesson": lesson, "items": items, "badge": badge,
             "capture": django_capture_on_commit_callbacks}  # fmt: skip
    team, members = a_team_with_history(**world)
    viewer = members[2]
    pages = [
        "/me/", "/me/activity/", "/me/training/", course.url, lesson.url, "/hub/",
        "/hub/mine/", f"/hub/items/{items[0].pk}/share/", "/me/badges/", "/badges/",
        f"/badges/{badge.slug}/", "/leaderboards/",
        f"/leaderboards/?board=team-{team.slug}&window=week", "/recognition/",
        "/me/notifications/", "/me/profile/", "/me/privacy/", "/mentoring/me/",
    ]  # fmt: skip
    client.force_login(viewer)

    def counts() -> dict[str, int]:
        found = {}
        for page in pages:
            client.get(page)  # warm the caches a visit fills (settings, rules, the top)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page)
            assert response.status_code == 200, page
            found[page] = len(queries.captured_queries)
        return found

    few = counts()
    for _ in range(9):
        a_team_with_history(**world)
    many = counts()
    assert many == few
