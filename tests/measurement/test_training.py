"""Training analytics on a hand-made data set, each figure checked against an independent
computation: completion, hardest choices, quiz difficulty and discrimination, feedback,
before and after outcomes, and the small-group rule."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses import services as course_services
from courses.models import CourseFeedback, Enrolment, ScenarioChoice
from portal.measurement import training
from portal.measurement.rollups import rollups_rebuild
from portal.measurement.selectors import Period, whole_programme
from portal.people.models import User
from portal.sharing.models import Share
from tests.courses.factories import block, course_with_lessons, quiz_value, scenario_value
from tests.people.factories import UserFactory
from tests.sharing.factories import content_item

pytestmark = pytest.mark.django_db


def this_month():
    today = timezone.localdate()
    return Period(today - timedelta(days=29), today, "the last 30 days")


def play(person, lesson, block_id, choices):
    attempt = course_services.scenario_start(user=person, lesson=lesson, block_id=block_id)
    steps = ["start", "second"]
    for position, choice in enumerate(choices):
        course_services.scenario_choose(
            user=person, lesson=lesson, block_id=block_id, attempt_id=attempt.pk,
            step_id=steps[position], position=position, choice_index=choice,
        )  # fmt: skip


@pytest.fixture
def course():
    return course_with_lessons(
        lessons=[[block("scenario", scenario_value()), block("quiz", quiz_value())]]
    )


def test_hardest_choices_and_the_distribution_of_choices(course):
    _, (lesson,) = course
    scenario_id, _ = (child.id for child in lesson.body)
    people = [UserFactory() for _ in range(7)]
    # At the first step four of seven argue (poor), three thank (best); at the second,
    # one deletes the comment (poor).
    for index, person in enumerate(people):
        play(person, lesson, scenario_id, [1 if index < 4 else 0, 1 if index == 0 else 0])
    tables = training.scenario_tables(scope=whole_programme(), period=this_month())
    scores, hardest, distribution = tables
    first = ["A customer complains under your post.", "They reply angrily."]
    # Independent: from the stored choices.
    argued = ScenarioChoice.objects.filter(step_id="start", choice_index=1).count()
    assert argued == 4
    assert hardest.rows[0][1:5] == [first[0], "Argue", round(100 * argued / 7), 2]
    assert hardest.rows[0][5].url == f"/admin/pages/{lesson.pk}/edit/"
    assert hardest.rows[1][1:5] == [first[1], "Delete their comment", 14, 2]
    assert [row[2:] for row in distribution.rows if row[1] == first[0]] == [
        ["Thank them", 2, 3, 43],
        ["Argue", 0, 4, 57],
    ]
    # Scores as percentages of the best path's 4 points: -1 (counted as 0), three of 2,
    # three of 4; three of seven passed (70% needs the best path).
    percentages = [0, 50, 50, 50, 100, 100, 100]
    assert scores.rows == [["Reply to a complaint", 7, 7, round(sum(percentages) / 7), 43]]


def test_steps_answered_by_fewer_than_five_people_are_hidden(course):
    _, (lesson,) = course
    scenario_id, _ = (child.id for child in lesson.body)
    for person in [UserFactory() for _ in range(4)]:
        play(person, lesson, scenario_id, [1, 1])
    scores, hardest, distribution = training.scenario_tables(
        scope=whole_programme(), period=this_month()
    )
    assert scores.rows == hardest.rows == distribution.rows == []
    assert "2 steps answered for the first time by fewer than 5 people" in hardest.note


def test_item_analysis_against_a_hand_count():
    # Ten takers, two questions. Question 1 is right for the six best; question 2 only
    # for the four weakest (a flawed question: negative discrimination).
    takers = []
    for index in range(10):
        strong = index >= 4
        marks = [strong, not strong]
        takers.append((marks, sum(marks) + (10 if strong else 0)))
    results = training.item_analysis(takers)
    # 27% of 10 is 3 in each group: the top three all got question 1, the bottom three
    # none; question 2 the other way round.
    assert results == [(0.6, 1.0), (0.4, -1.0)]


def test_quiz_difficulty_and_discrimination_from_first_attempts(course):
    _, (lesson,) = course
    _, quiz_id = (child.id for child in lesson.body)
    right, wrong = [[1], [0, 1]], [[0], [0, 2]]
    people = [UserFactory() for _ in range(6)]
    # Three get both right, three both wrong at first; everyone then retries right
    # (retries do not count).
    for index, person in enumerate(people):
        answers = right if index < 3 else wrong
        course_services.quiz_submit(user=person, lesson=lesson, block_id=quiz_id, answers=answers)
        course_services.quiz_submit(user=person, lesson=lesson, block_id=quiz_id, answers=right)
    table = training.quiz_table(scope=whole_programme(), period=this_month())
    # 27% of 6 rounds to 2: the two best got both right, the two weakest both wrong.
    assert [row[1:5] for row in table.rows] == [
        ["1. May you share a draft price list?", 6, 50, 1.0],
        ["2. Which are fine to share?", 6, 50, 1.0],
    ]


def test_courses_completion_feedback_and_outcomes(course):
    course_page, _ = course
    now = timezone.now()
    items = {7: content_item(title="Before"), 1: content_item(title="After")}
    people = [UserFactory() for _ in range(6)]
    for index, person in enumerate(people):
        done = now - timedelta(days=5) if index < 5 else None
        Enrolment.objects.create(
            user=person, course=course_page, started_at=now - timedelta(days=9), completed_at=done
        )
        CourseFeedback.objects.create(
            user=person, course=course_page, rating=3 + index % 3,
            comment="=HYPERLINK(evil)" if index == 0 else f"Useful {index}", updated_at=now,
        )  # fmt: skip
        # One share a week before completing (quality 20, 1 reader), one after (60, 4).
        for days, quality, clicks in ((7, 20, 1), (1, 60, 4)):
            Share.objects.create(
                user=person, item=items[days], network="linkedin", caption="c",
                code=f"c{index}{days}", created_at=now - timedelta(days=days),
                quality=quality, clicks=clicks,
            )  # fmt: skip
    rollups_rebuild()  # made straight in the tables, as an import of history would
    everyone = User.objects.all()
    courses = training.courses_table(scope=whole_programme(), period=this_month())
    ratings = [3 + index % 3 for index in range(6)]
    assert courses.rows == [[course_page.title, 6, 5, "83%", 4.0,
                             round(sum(ratings) / 6, 1), 6]]  # fmt: skip
    comments = training.comments_table(people=everyone)
    assert len(comments.rows) == 5  # five per course
    outcomes = training.outcomes_table(scope=whole_programme())
    # The five who completed: before, their shares from a week ago; after, yesterday's.
    assert outcomes.rows == [[course_page.title, 5, 20, 1.0, 5, 60, 4.0]]


def test_a_course_started_by_fewer_than_five_is_hidden(course):
    course_page, _ = course
    for person in [UserFactory() for _ in range(4)]:
        course_services.course_enrol(user=person, course=course_page)
    table = training.courses_table(scope=whole_programme(), period=this_month())
    assert table.rows == []
    assert "1 course started by fewer than 5 people is not shown" in table.note


def test_item_analysis_counts_people_who_answered_alike_together():
    people = [([True, False], 1)] * 3 + [([True, True], 2)] * 4 + [([False, False], 0)] * 3
    patterns = [([True, False], 1, 3), ([True, True], 2, 4), ([False, False], 0, 3)]
    assert training.item_analysis(patterns) == training.item_analysis(people)
    # 27% of 10 is 3: the top three answered both right, the bottom three neither.
    assert training.item_analysis(patterns) == [(0.7, 1.0), (0.4, 1.0)]
