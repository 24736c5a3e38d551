"""/programme/: who may see it, what filters do, bad input, and its queries."""

import pytest
from django.utils import timezone

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


def _a_team_with_history(*, department, course, lesson, items, capture):
    """Six people who did a bit of everything the dashboard counts."""
    from courses import services as course_services
    from courses.models import CourseFeedback
    from portal.activity.services import activity_record
    from tests.sharing.factories import share

    team, members = team_of(6, department=department)
    scenario_id, quiz_id = (child.id for child in lesson.body)
    with capture(execute=True):
        for index, person in enumerate(members):
            attempt = course_services.scenario_start(
                user=person, lesson=lesson, block_id=scenario_id
            )
            course_services.scenario_choose(
                user=person, lesson=lesson, block_id=scenario_id, attempt_id=attempt.pk,
                step_id="start", position=0, choice_index=index % 2,
            )  # fmt: skip
            course_services.quiz_submit(
                user=person, lesson=lesson, block_id=quiz_id, answers=[[1], [0, 1]]
            )
            CourseFeedback.objects.create(
                user=person, course=course, rating=4, comment="Good", updated_at=timezone.now()
            )
            share(user=person, item=items[index % len(items)])
            activity_record(actor=person, verb="recognition.received", key=f"r{person.pk}",
                            points=10, result={"kind": "kudos"})  # fmt: skip
    return team, members


def test_the_page_costs_the_same_queries_for_ten_times_the_data(
    client, programme_admin, django_capture_on_commit_callbacks
):
    """Every section, for a programme admin and for a manager, at ten times the people
    and their history (the content, courses and targets stay the same)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.measurement.models import Kpi, Target
    from tests.courses.factories import block, course_with_lessons, quiz_value, scenario_value
    from tests.sharing.factories import content_item

    course, (lesson,) = course_with_lessons(
        lessons=[[block("scenario", scenario_value()), block("quiz", quiz_value())]]
    )
    items = [content_item(title=f"Item {number}") for number in range(3)]
    Target.objects.create(objective="Reach", kpi=Kpi.SHARES, value=100,
                          cadence=Target.Cadence.MONTHLY, starts=timezone.localdate())  # fmt: skip
    history = {"course": course, "lesson": lesson, "items": items,
               "capture": django_capture_on_commit_callbacks}  # fmt: skip
    department = DepartmentFactory()
    team, members = _a_team_with_history(department=department, **history)
    manager = members[0]
    team.managers.add(manager)
    counts = {}
    for viewer in (programme_admin, manager):
        client.force_login(viewer)
        client.get("/programme/?by=team")  # warm the session and settings caches
        with CaptureQueriesContext(connection) as few:
            assert client.get("/programme/?by=team").status_code == 200
        counts[viewer.pk] = len(few.captured_queries)
    for _ in range(9):
        more, _ = _a_team_with_history(department=DepartmentFactory(), **history)
        more.managers.add(manager)
    for viewer in (programme_admin, manager):
        client.force_login(viewer)
        client.get("/programme/?by=team")
        with CaptureQueriesContext(connection) as many:
            page = client.get("/programme/?by=team")
        assert page.status_code == 200
        assert b"Hardest choices" in page.content
        assert len(many.captured_queries) == counts[viewer.pk], viewer
