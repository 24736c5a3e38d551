"""Training services: playing scenarios, quizzes, completion once, gate, workshops."""

import threading

import pytest
from django.db import connections

from courses import selectors, services
from courses.models import (
    Enrolment,
    LessonCompletion,
    ScenarioAttempt,
    ScenarioChoice,
    TrainingSettings,
    WorkshopAnswer,
)
from portal.activity.models import Activity
from portal.activity.selectors import points_total
from portal.errors import Conflict, InvalidInput, NotAllowed, NotFound
from tests.courses.factories import (
    block,
    course_with_lessons,
    quiz_value,
    scenario_value,
    workshop,
)
from tests.people.factories import UserFactory
from tests.realtime import capture_broadcasts

pytestmark = pytest.mark.django_db


def _ids(lesson):
    return [child.id for child in lesson.body]


def play(user, lesson, block_id, choices):
    attempt = services.scenario_start(user=user, lesson=lesson, block_id=block_id)
    outcome = None
    for position, index in enumerate(choices):
        attempt.refresh_from_db()
        outcome = services.scenario_choose(
            user=user,
            lesson=lesson,
            block_id=block_id,
            attempt_id=attempt.pk,
            step_id=attempt.current_step,
            position=position,
            choice_index=index,
        )
    return outcome


def test_passing_a_scenario_completes_lesson_and_course_once(onboarded_user):
    _course, [lesson] = course_with_lessons(points=50)
    [block_id] = _ids(lesson)
    outcome = play(onboarded_user, lesson, block_id, [0, 0])
    assert outcome.attempt.passed
    assert outcome.attempt.percentage == 100
    assert (outcome.lesson_completed, outcome.course_completed) == (True, True)
    # A second passing attempt is kept but counts nothing again.
    again = play(onboarded_user, lesson, block_id, [0, 0])
    assert again.attempt.passed
    assert (again.lesson_completed, again.course_completed) == (False, False)
    verbs = list(Activity.objects.filter(actor=onboarded_user).values_list("verb", "points"))
    # Lesson and scenario points come from the default points rules (10, and 10 plus a
    # bonus of up to 10 by score); the course's own points from the course.
    assert sorted(verbs) == [
        ("course.completed", 50),
        ("lesson.completed", 10),
        ("scenario.passed", 20),
    ]
    assert points_total(user=onboarded_user) == 80
    passed = Activity.objects.get(verb="scenario.passed")
    assert passed.result == {"scenario": "Reply to a complaint", "score": 100, "raw": 4, "max": 4}


def test_failed_attempts_are_kept_and_the_best_score_counts(onboarded_user):
    _, [lesson] = course_with_lessons()
    [block_id] = _ids(lesson)
    failed = play(onboarded_user, lesson, block_id, [1, 1])  # 0 - 1 = -1
    assert not failed.attempt.passed
    assert failed.attempt.percentage == 0
    assert not Activity.objects.filter(verb="scenario.passed").exists()
    play(onboarded_user, lesson, block_id, [0, 0])
    play(onboarded_user, lesson, block_id, [1, 0])  # 2 of 4: 50%
    state = selectors.lesson_states(user=onboarded_user, lesson=lesson)[block_id]
    assert state.attempts == 3
    assert state.best_percentage == 100
    assert state.passed
    assert ScenarioChoice.objects.filter(attempt__user=onboarded_user).count() == 6


def test_starting_again_keeps_the_unfinished_attempt_as_abandoned(onboarded_user):
    _, [lesson] = course_with_lessons()
    [block_id] = _ids(lesson)
    first = services.scenario_start(user=onboarded_user, lesson=lesson, block_id=block_id)
    second = services.scenario_start(user=onboarded_user, lesson=lesson, block_id=block_id)
    first.refresh_from_db()
    assert first.status == ScenarioAttempt.Status.ABANDONED
    assert second.status == ScenarioAttempt.Status.OPEN


def _choose(user, lesson, scenario_id, attempt, **overrides):
    arguments = {
        "user": user,
        "lesson": lesson,
        "block_id": scenario_id,
        "attempt_id": attempt.pk,
        "step_id": attempt.current_step,
        "position": attempt.position,
        "choice_index": 0,
        **overrides,
    }
    return services.scenario_choose(**arguments)


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"choice_index": 7}, InvalidInput),  # not a choice of this step
        ({"choice_index": -1}, InvalidInput),
        ({"step_id": "second"}, Conflict),  # a step other than the current one
        ({"position": 3}, Conflict),  # a stale or forged position
        ({"attempt_id": 999_999}, NotFound),
        ({"block_id": "no-such-block"}, NotFound),
    ],
)
def test_bad_choices_are_refused_and_change_nothing(onboarded_user, overrides, error):
    _, [lesson] = course_with_lessons()
    [block_id] = _ids(lesson)
    attempt = services.scenario_start(user=onboarded_user, lesson=lesson, block_id=block_id)
    with pytest.raises(error):
        _choose(onboarded_user, lesson, block_id, attempt, **overrides)
    attempt.refresh_from_db()
    assert (attempt.position, attempt.score, attempt.current_step) == (0, 0, "start")
    assert not ScenarioChoice.objects.exists()


def test_a_replayed_choice_is_a_conflict(onboarded_user):
    _, [lesson] = course_with_lessons()
    [block_id] = _ids(lesson)
    attempt = services.scenario_start(user=onboarded_user, lesson=lesson, block_id=block_id)
    _choose(onboarded_user, lesson, block_id, attempt, step_id="start", position=0)
    with pytest.raises(Conflict):
        _choose(onboarded_user, lesson, block_id, attempt, step_id="start", position=0)
    assert ScenarioChoice.objects.count() == 1


def test_someone_elses_attempt_is_not_found(onboarded_user):
    _, [lesson] = course_with_lessons()
    [block_id] = _ids(lesson)
    theirs = services.scenario_start(user=UserFactory(), lesson=lesson, block_id=block_id)
    with pytest.raises(NotFound):
        _choose(onboarded_user, lesson, block_id, theirs)


def test_a_course_behind_a_prerequisite_is_refused(onboarded_user):
    first, _ = course_with_lessons(title="First")
    _, [lesson] = course_with_lessons(title="Second", prerequisites=[first])
    [block_id] = _ids(lesson)
    with pytest.raises(NotAllowed, match="Complete “First”"):
        services.scenario_start(user=onboarded_user, lesson=lesson, block_id=block_id)
    assert not Enrolment.objects.exists()


def test_quiz_scoring_single_and_multiple(onboarded_user):
    _, [lesson] = course_with_lessons(lessons=[[block("quiz", quiz_value())]])
    [block_id] = _ids(lesson)
    wrong = services.quiz_submit(
        user=onboarded_user, lesson=lesson, block_id=block_id, answers=[[1], [0]]
    )
    assert (wrong.attempt.correct, wrong.attempt.percentage, wrong.attempt.passed) == (1, 50, False)
    right = services.quiz_submit(
        user=onboarded_user, lesson=lesson, block_id=block_id, answers=[[1], [1, 0]]
    )
    assert right.attempt.passed
    assert right.attempt.answers == [[1], [0, 1]]
    assert right.course_completed
    assert Activity.objects.filter(verb="quiz.passed").count() == 1


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([[1]], "do not match"),
        ([[], [0]], "Answer question 1"),
        ([[5], [0]], "not one of its options"),
        ([[0, 1], [0]], "takes one answer"),
        ([[1], [0, 0]], "not one of its options"),
    ],
)
def test_bad_quiz_answers_are_refused(onboarded_user, answers, message):
    _, [lesson] = course_with_lessons(lessons=[[block("quiz", quiz_value())]])
    with pytest.raises(InvalidInput, match=message):
        services.quiz_submit(
            user=onboarded_user, lesson=lesson, block_id=_ids(lesson)[0], answers=answers
        )


def test_a_lesson_without_assessments_completes_on_request_and_only_once(onboarded_user):
    reading = [block("paragraph", "<p>Read this.</p>")]
    course, [first, second] = course_with_lessons(lessons=[reading, reading], points=30)
    assert services.lesson_complete(user=onboarded_user, lesson=first).lesson_completed
    assert not services.lesson_complete(user=onboarded_user, lesson=first).lesson_completed
    done = services.lesson_complete(user=onboarded_user, lesson=second)
    assert done.course_completed
    assert Enrolment.objects.get(user=onboarded_user, course=course).completed_at is not None
    assert Activity.objects.filter(verb="lesson.completed").count() == 2
    assert points_total(user=onboarded_user) == 30 + 2 * 10


def test_a_lesson_with_an_unpassed_scenario_cannot_be_completed(onboarded_user):
    _, [lesson] = course_with_lessons()
    with pytest.raises(Conflict, match="Pass “Reply to a complaint”"):
        services.lesson_complete(user=onboarded_user, lesson=lesson)
    assert not LessonCompletion.objects.exists()


def run_at_once(count, function):
    """Run ``function`` in ``count`` threads released together; return their results."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(function())
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_completing_concurrently_records_once():
    user = UserFactory(profile__onboarded=True)
    reading = [block("paragraph", "<p>Read this.</p>")]
    _course, [first, second] = course_with_lessons(lessons=[reading, reading], points=40)
    results, errors = run_at_once(
        4,
        lambda: services.lesson_complete(user=user, lesson=first),
    )
    assert not errors
    assert sum(result.lesson_completed for result in results) == 1
    # Two different lessons at once: the course still completes exactly once.
    services.lesson_complete(user=user, lesson=second)
    assert Activity.objects.filter(verb="lesson.completed").count() == 2
    assert Activity.objects.filter(verb="course.completed").count() == 1
    assert points_total(user=user) == 40 + 2 * 10


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_last_two_lessons_completed_in_parallel_complete_the_course():
    user = UserFactory(profile__onboarded=True)
    reading = [block("paragraph", "<p>Read this.</p>")]
    course, lessons = course_with_lessons(lessons=[reading, reading], points=40)
    pending = list(lessons)
    lock = threading.Lock()

    def complete_one():
        with lock:
            lesson = pending.pop()
        return services.lesson_complete(user=user, lesson=lesson)

    results, errors = run_at_once(2, complete_one)
    assert not errors
    assert sum(result.course_completed for result in results) == 1
    assert Enrolment.objects.get(user=user, course=course).completed_at is not None


def test_sharing_gate_and_onboarding_path(onboarded_user, rf):
    from wagtail.models import Site

    reading = [block("paragraph", "<p>Read this.</p>")]
    guidelines, [lesson] = course_with_lessons(
        title="Guidelines", lessons=[reading], unlocks_sharing=True
    )
    well, [well_lesson] = course_with_lessons(title="Sharing well", lessons=[reading])
    settings = TrainingSettings.for_site(Site.objects.get(is_default_site=True))
    settings.onboarding_courses = [("course", guidelines), ("course", well)]
    settings.save()

    assert not selectors.sharing_allowed(user=onboarded_user)
    assert selectors.sharing_blockers(user=onboarded_user) == [guidelines]
    step = selectors.onboarding_next_step(user=onboarded_user)
    assert (step.course, step.lesson) == (guidelines, lesson)

    services.lesson_complete(user=onboarded_user, lesson=lesson)
    assert selectors.sharing_allowed(user=onboarded_user)
    assert selectors.onboarding_next_step(user=onboarded_user).course == well
    services.lesson_complete(user=onboarded_user, lesson=well_lesson)
    assert selectors.onboarding_next_step(user=onboarded_user) is None


def test_nobody_is_gated_when_no_course_unlocks_sharing(onboarded_user):
    course_with_lessons()
    assert selectors.sharing_allowed(user=onboarded_user)


def test_feedback_opens_after_completion(onboarded_user):
    reading = [block("paragraph", "<p>Read this.</p>")]
    course, [lesson] = course_with_lessons(lessons=[reading])
    with pytest.raises(NotAllowed):
        services.course_feedback_give(user=onboarded_user, course=course, rating=5, comment="")
    services.lesson_complete(user=onboarded_user, lesson=lesson)
    with pytest.raises(InvalidInput):
        services.course_feedback_give(user=onboarded_user, course=course, rating=6, comment="")
    services.course_feedback_give(user=onboarded_user, course=course, rating=4, comment="Good")
    services.course_feedback_give(user=onboarded_user, course=course, rating=5, comment="Great")
    [row] = [r for r in selectors.course_feedback_report() if r["course"] == course]
    assert (row["count"], row["average"]) == (1, 5.0)
    assert [f.comment for f in row["comments"]] == ["Great"]


def test_reflections_are_saved_per_prompt(onboarded_user):
    _, [lesson] = course_with_lessons(
        lessons=[[block("reflection", {"prompt": "What would you share?", "guidance": ""})]]
    )
    [block_id] = _ids(lesson)
    with pytest.raises(InvalidInput):
        services.reflection_save(user=onboarded_user, lesson=lesson, block_id=block_id, text=" ")
    services.reflection_save(user=onboarded_user, lesson=lesson, block_id=block_id, text="One")
    services.reflection_save(user=onboarded_user, lesson=lesson, block_id=block_id, text="Two")
    state = selectors.lesson_states(user=onboarded_user, lesson=lesson)[block_id]
    assert state.reflection.text == "Two"


# --- workshops --------------------------------------------------------------------------


def test_an_anonymous_answer_keeps_no_author_and_is_broadcast_after_commit(
    onboarded_user, django_capture_on_commit_callbacks
):
    page = workshop()
    prompt_id = next(iter(page.prompts()))
    with capture_broadcasts() as sent, django_capture_on_commit_callbacks(execute=True):
        answer = services.workshop_answer_add(
            user=onboarded_user,
            workshop=page,
            prompt_id=prompt_id,
            text="To learn",
            options=["Career"],
            anonymous=True,
        )
    assert answer.author is None
    # Only the wall hears of it: no statement, no points toast, no leaderboard move that
    # a facilitator watching the boards could pair with the anonymous answer.
    [(group, event)] = sent
    assert group == f"workshop.{page.pk}"
    assert event["type"] == "courses.answer_changed"
    assert event["answer"]["author"] == "Anonymous"
    assert event["answer"]["options"] == ["Career"]
    assert not Activity.objects.filter(verb="workshop.contributed").exists()


@pytest.mark.parametrize(
    ("prompt", "text", "options", "message"),
    [
        ("unknown", "x", [], "not part of this workshop"),
        (None, "", [], "Write an answer"),
        (None, "x", ["Not offered"], "Pick from the listed answers"),
        (None, "x" * 1001, [], "under 1,000"),
    ],
)
def test_bad_workshop_answers_are_refused(onboarded_user, prompt, text, options, message):
    page = workshop()
    with pytest.raises(InvalidInput, match=message):
        services.workshop_answer_add(
            user=onboarded_user,
            workshop=page,
            prompt_id=prompt or next(iter(page.prompts())),
            text=text,
            options=options,
            anonymous=False,
        )
    assert not WorkshopAnswer.objects.exists()


def test_facilitation_is_an_object_permission(onboarded_user, programme_admin):
    page, other = workshop(), workshop()
    assert not selectors.workshop_can_facilitate(user=onboarded_user, workshop=page)
    services.workshop_facilitator_add(workshop=page, user=onboarded_user)
    assert selectors.workshop_can_facilitate(user=onboarded_user, workshop=page)
    assert not selectors.workshop_can_facilitate(user=onboarded_user, workshop=other)
    assert selectors.workshop_can_facilitate(user=programme_admin, workshop=other)
    services.workshop_facilitator_remove(workshop=page, user=onboarded_user)
    onboarded_user = type(onboarded_user).objects.get(pk=onboarded_user.pk)  # fresh perm cache
    assert not selectors.workshop_can_facilitate(user=onboarded_user, workshop=page)


def test_highlighting_and_publishing_need_facilitation(onboarded_user, programme_admin):
    page = workshop()
    answer = services.workshop_answer_add(
        user=onboarded_user,
        workshop=page,
        prompt_id=next(iter(page.prompts())),
        text="Growth",
        options=[],
        anonymous=False,
    )
    with pytest.raises(NotAllowed):
        services.workshop_answer_highlight(
            by=onboarded_user, workshop=page, answer_id=answer.pk, highlighted=True
        )
    services.workshop_answer_highlight(
        by=programme_admin, workshop=page, answer_id=answer.pk, highlighted=True
    )
    answer.refresh_from_db()
    assert answer.highlighted
    with pytest.raises(NotAllowed):
        services.purpose_statement_save(
            by=onboarded_user, workshop=page, statement="x", objectives="", publish=True
        )
    with pytest.raises(InvalidInput):
        services.purpose_statement_save(
            by=programme_admin, workshop=page, statement="", objectives="", publish=True
        )
    services.purpose_statement_save(
        by=programme_admin, workshop=page, statement="Draft", objectives="", publish=False
    )
    assert selectors.purpose_published() is None
    services.purpose_statement_save(
        by=programme_admin,
        workshop=page,
        statement="We help customers",
        objectives="Reach\n\nTrust",
        publish=True,
    )
    published = selectors.purpose_published()
    assert published.published_statement == "We help customers"
    assert published.published_objective_list() == ["Reach", "Trust"]


def test_scenario_value_helper_is_valid():
    from courses.blocks import ScenarioBlock

    ScenarioBlock().clean(ScenarioBlock().to_python(scenario_value()))


def test_prompt_ids_written_from_code_stay_put():
    from courses.models import WorkshopPage

    page = workshop()
    assert page.prompts() == WorkshopPage.objects.get(pk=page.pk).prompts()
