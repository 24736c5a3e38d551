"""Training pages over HTTP: plain form posts, fetch answers, refusals, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Enrolment, ScenarioAttempt, ScenarioChoice
from tests.courses.factories import (
    block,
    course_index,
    course_with_lessons,
    quiz_value,
    scenario_value,
    workshop,
)
from tests.forms import once
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def learner(client, onboarded_user):
    client.force_login(onboarded_user)
    return onboarded_user


def _scenario(lesson):
    return next(child.id for child in lesson.body if child.block_type == "scenario")


def test_training_pages_need_sign_in(client):
    course, [lesson] = course_with_lessons()
    for url in (course_index().url, course.url, lesson.url, "/me/training/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_scenario_played_with_plain_posts(client, learner):
    course, [lesson] = course_with_lessons(unlocks_sharing=True)
    block_id = _scenario(lesson)
    page = client.get(lesson.url).content.decode()
    assert "Start the scenario" in page
    assert not Enrolment.objects.exists()  # reading a lesson writes nothing

    response = client.post(f"{lesson.url}scenario/{block_id}/start/")
    assert response.status_code == 302
    assert response["Location"] == f"{lesson.url}#block-{block_id}"
    assert Enrolment.objects.filter(user=learner, course=course).exists()
    attempt = ScenarioAttempt.objects.get()
    page = client.get(lesson.url).content.decode()
    assert "A customer complains under your post." in page
    assert 'name="choice" value="1"' in page

    client.post(
        f"{lesson.url}scenario/{block_id}/choose/",
        {"attempt": attempt.pk, "step": "start", "position": 0, "choice": 0},
    )
    page = client.get(lesson.url).content.decode()
    assert "You chose: <strong>Thank them</strong>" in page
    assert "Good start." in page
    assert "They reply angrily." in page

    response = client.post(
        f"{lesson.url}scenario/{block_id}/choose/",
        {"attempt": attempt.pk, "step": "second", "position": 1, "choice": 0},
        follow=True,
    )
    page = response.content.decode()
    assert "Passed: 100%" in page
    assert "Lesson complete: Lesson 1." in page
    assert "Sharing is unlocked" in page


def test_a_scenario_played_with_fetch_gets_the_block_back(client, learner):
    _, [lesson] = course_with_lessons(lessons=[[block("scenario", scenario_value())]] * 1)
    block_id = _scenario(lesson)
    response = client.post(f"{lesson.url}scenario/{block_id}/start/", **FETCH)
    assert response.status_code == 200
    data = response.json()
    assert data["reload"] is False
    assert "A customer complains" in data["html"]
    attempt = ScenarioAttempt.objects.get()
    response = client.post(
        f"{lesson.url}scenario/{block_id}/choose/",
        {"attempt": attempt.pk, "step": "start", "position": 0, "choice": 1},
        **FETCH,
    )
    assert "That escalates." in response.json()["html"]


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"step": "start", "position": 0, "choice": 9}, 400, "not one of this step"),
        ({"step": "start", "position": 0}, 400, "Pick one of the choices"),
        ({"step": "start", "position": 0, "choice": "x"}, 400, "not a number"),
        ({"step": "second", "position": 0, "choice": 0}, 409, "already answered"),
        ({"step": "start", "position": 5, "choice": 0}, 409, "already answered"),
        ({"step": "start", "position": 0, "choice": 0, "attempt": 424242}, 404, "no such attempt"),
    ],
)
def test_bad_scenario_posts_get_a_clear_4xx_and_change_nothing(
    client, learner, form, status, message
):
    _, [lesson] = course_with_lessons()
    block_id = _scenario(lesson)
    client.post(f"{lesson.url}scenario/{block_id}/start/")
    attempt = ScenarioAttempt.objects.get()
    data = {"attempt": attempt.pk, **form}
    response = client.post(f"{lesson.url}scenario/{block_id}/choose/", data)
    assert response.status_code == status
    assert message in response.content.decode()
    response = client.post(f"{lesson.url}scenario/{block_id}/choose/", data, **FETCH)
    assert response.status_code == status
    assert message in response.json()["error"]
    assert not ScenarioChoice.objects.exists()


def test_unknown_blocks_locked_courses_and_gets_are_refused(client, learner):
    first, _ = course_with_lessons(title="First")
    _, [locked] = course_with_lessons(title="Second", prerequisites=[first])
    _, [lesson] = course_with_lessons(title="Third")
    assert client.post(f"{lesson.url}scenario/nope/start/").status_code == 404
    assert client.get(f"{lesson.url}scenario/{_scenario(lesson)}/start/").status_code == 405
    response = client.post(f"{locked.url}scenario/{_scenario(locked)}/start/")
    assert response.status_code == 403
    assert "Complete “First”" in response.content.decode()
    assert client.get(locked.url).status_code == 403
    assert not ScenarioAttempt.objects.exists()


def test_quiz_posts(client, learner):
    _, [lesson] = course_with_lessons(lessons=[[block("quiz", quiz_value())]])
    block_id = next(iter(child.id for child in lesson.body))
    url = f"{lesson.url}quiz/{block_id}/"
    assert client.post(url, {"questions": 2, "q1": 1}).status_code == 400
    assert client.post(url, {"questions": 99, "q1": 1}).status_code == 400
    assert client.post(url, {"questions": 2, "q1": 7, "q2": 0}).status_code == 400
    response = client.post(url, {"questions": 2, "q1": 1, "q2": ["0", "1"]}, follow=True)
    page = response.content.decode()
    assert "Course complete" in page
    assert "You chose <strong>No</strong>: Right." in page


def test_reflection_and_manual_completion(client, learner):
    reflection = block("reflection", {"prompt": "What will you share?", "guidance": "Private."})
    _, [lesson] = course_with_lessons(lessons=[[reflection]])
    response = client.post(f"{lesson.url}reflection/{reflection['id']}/", {"text": " "})
    assert response.status_code == 400
    client.post(f"{lesson.url}reflection/{reflection['id']}/", {"text": "Our new tariffs"})
    assert "Our new tariffs" in client.get(lesson.url).content.decode()
    response = client.post(f"{lesson.url}complete/", follow=True)
    assert "Course complete" in response.content.decode()


def test_course_feedback_form(client, learner):
    course, [lesson] = course_with_lessons(lessons=[[block("paragraph", "<p>Hi</p>")]])
    assert client.post(f"{course.url}feedback/", {"rating": 5}).status_code == 403
    client.post(f"{lesson.url}complete/")
    assert "How was this course?" in client.get(course.url).content.decode()
    assert client.post(f"{course.url}feedback/", {"rating": "nine"}).status_code == 400
    response = client.post(f"{course.url}feedback/", {"rating": 4, "comment": "Useful"})
    assert response.status_code == 302


def test_progress_page_and_dashboard_show_the_next_step(client, learner):
    _course, [_lesson] = course_with_lessons(title="Guidelines", unlocks_sharing=True)
    page = client.get("/me/training/").content.decode()
    assert "Guidelines" in page
    assert "Sharing unlocks when you complete" in page
    assert "Not started" in page
    dashboard = client.get("/me/").content.decode()
    assert "Your next step" in dashboard


def _lesson_queries(client, lesson):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(lesson.url)
    assert response.status_code == 200
    return len(queries)


def _course_queries(client, course):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(course.url).status_code == 200
    return len(queries)


def _progress_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/me/training/").status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_lessons_or_learners(client, learner):
    body = [block("scenario", scenario_value()), block("quiz", quiz_value())]
    small, small_lessons = course_with_lessons(title="Small", lessons=[body] * 2)
    large, large_lessons = course_with_lessons(title="Large", lessons=[body] * 40)
    for lesson in (small_lessons[0], large_lessons[0]):
        client.get(lesson.url)  # enrol first: the first visit writes once
        client.post(f"{lesson.url}scenario/{_scenario(lesson)}/start/")
    client.get(small.url)
    client.get(large.url)
    client.get("/me/training/")  # warm per-request caches (site root paths, settings)

    lesson_small = _lesson_queries(client, small_lessons[0])
    course_small = _course_queries(client, small)
    progress_small = _progress_queries(client)
    assert _lesson_queries(client, large_lessons[0]) == lesson_small
    assert _course_queries(client, large) == course_small

    # 1,000 other learners enrolled and playing change nothing for this one.
    others = UserFactory.create_batch(1000)
    Enrolment.objects.bulk_create(
        [Enrolment(user=other, course=large, started_at=learner.date_joined) for other in others]
    )
    assert _lesson_queries(client, large_lessons[0]) == lesson_small
    assert _course_queries(client, large) == course_small
    assert _progress_queries(client) == progress_small


# --- workshops --------------------------------------------------------------------------


def test_workshop_answer_form_keeps_input_on_error(client, learner):
    page = workshop()
    prompt_id = next(iter(page.prompts()))
    response = client.post(
        f"{page.url}answer/", once({"prompt": prompt_id, "text": "x" * 1001, "anonymous": "on"})
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "under 1,000" in content
    assert "x" * 1001 in content
    response = client.post(
        f"{page.url}answer/", once({"prompt": prompt_id, "text": "Grow", "options": ["Career"]})
    )
    assert response.status_code == 302
    assert "Career: Grow" in client.get(page.url).content.decode()


def test_workshop_wall_needs_facilitation(client, learner, programme_admin):
    page = workshop()
    assert client.get(f"{page.url}wall/").status_code == 403
    client.force_login(programme_admin)
    response = client.get(f"{page.url}wall/")
    assert response.status_code == 200
    assert f'data-socket="/ws/workshops/{page.pk}/wall/"' in response.content.decode()
    response = client.post(f"{page.url}wall/purpose/", {"statement": "", "action": "publish"})
    assert response.status_code == 400
    client.post(
        f"{page.url}wall/purpose/",
        {"statement": "We make energy simple", "objectives": "Trust", "action": "publish"},
    )
    home = client.get("/").content.decode()
    assert "We make energy simple" in home
    assert "<li>Trust</li>" in home
