"""Writes about learning: enrolment, scenario play, quizzes, reflections, completion and
course feedback. Every function here owns its transaction."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from portal.activity.services import activity_record
from portal.activity.verbs import (
    COURSE_COMPLETED,
    LESSON_COMPLETED,
    QUIZ_PASSED,
    SCENARIO_PASSED,
)
from portal.errors import Conflict, InvalidInput, NotAllowed, NotFound
from portal.people.models import User

from ..blocks import QuizBlock, ScenarioBlock
from ..models import (
    CourseFeedback,
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
    QuizAttempt,
    Reflection,
    ScenarioAttempt,
    ScenarioChoice,
)
from ..selectors import (
    course_access_check,
    course_of,
    lesson_unpassed_blocks,
)
from ..signals import CHOSE, COMPLETED, ENROLLED, FINISHED, SUBMITTED, learning_recorded

# --- access and enrolment --------------------------------------------------------------


def course_enrol(*, user: User, course: CoursePage) -> Enrolment:
    """Enrol ``user`` on their first visit; later visits return the same enrolment."""
    enrolment = Enrolment.objects.filter(user=user, course=course).first()
    if enrolment is not None:
        return enrolment
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                user=user, course=course, started_at=timezone.now()
            )
            learning_recorded.send(sender=Enrolment, event=ENROLLED, record=enrolment)
            return enrolment
    except IntegrityError:  # a parallel first visit enrolled them
        return Enrolment.objects.get(user=user, course=course)


def _stream_block(lesson: LessonPage, block_id: str, block_type: str):
    for child in lesson.body:
        if child.id == block_id and child.block_type == block_type:
            return child
    raise NotFound(f"This lesson has no {block_type} with the id {block_id!r}.")


def _lesson_opened(*, user: User, lesson: LessonPage) -> CoursePage:
    course = course_of(lesson)
    course_access_check(user=user, course=course)
    course_enrol(user=user, course=course)
    return course


# --- scenarios -------------------------------------------------------------------------


@transaction.atomic
def scenario_start(*, user: User, lesson: LessonPage, block_id: str) -> ScenarioAttempt:
    """Start a fresh attempt; an unfinished earlier one is kept as abandoned."""
    _lesson_opened(user=user, lesson=lesson)
    block = _stream_block(lesson, block_id, "scenario")
    scenario = ScenarioBlock.scenario(block.value)
    now = timezone.now()
    ScenarioAttempt.objects.select_for_update().filter(
        user=user, lesson=lesson, block_id=block_id, status=ScenarioAttempt.Status.OPEN
    ).update(status=ScenarioAttempt.Status.ABANDONED, finished_at=now)
    try:
        with transaction.atomic():
            return ScenarioAttempt.objects.create(
                user=user,
                lesson=lesson,
                block_id=block_id,
                title=scenario.title,
                current_step=scenario.start.id,
                best_possible=scenario.best_score,
                started_at=now,
            )
    except IntegrityError as error:
        raise Conflict(
            gettext("This scenario was just started in another window; reload it.")
        ) from error


@dataclass(frozen=True)
class ChoiceOutcome:
    attempt: ScenarioAttempt
    choice: ScenarioChoice
    lesson_completed: bool = False
    course_completed: bool = False


@transaction.atomic
def scenario_choose(
    *,
    user: User,
    lesson: LessonPage,
    block_id: str,
    attempt_id: int,
    step_id: str,
    position: int,
    choice_index: int,
) -> ChoiceOutcome:
    """Take one choice in the learner's open attempt and move it on.

    The attempt must be theirs and open, ``step_id`` and ``position`` must be where the
    server says the attempt is (a replayed or stale form is a conflict), and the choice
    must belong to that step.
    """
    _lesson_opened(user=user, lesson=lesson)
    block = _stream_block(lesson, block_id, "scenario")
    scenario = ScenarioBlock.scenario(block.value)
    attempt = (
        ScenarioAttempt.objects.select_for_update()
        .filter(pk=attempt_id, user=user, lesson=lesson, block_id=block_id)
        .first()
    )
    if attempt is None:
        raise NotFound(gettext("There is no such attempt of yours at this scenario."))
    if attempt.status != ScenarioAttempt.Status.OPEN:
        raise Conflict(gettext("This attempt is over; start a new one to play again."))
    if step_id != attempt.current_step or position != attempt.position:
        raise Conflict(gettext("You already answered this step; here is where you are now."))
    step = scenario.step(attempt.current_step)
    if step is None:
        raise Conflict(gettext("The scenario was changed by its author; start it again."))
    if not 0 <= choice_index < len(step.choices):
        raise InvalidInput(gettext("That choice is not one of this step's choices."))
    chosen = step.choices[choice_index]
    now = timezone.now()
    choice = ScenarioChoice.objects.create(
        attempt=attempt,
        position=attempt.position,
        step_id=step.id,
        choice_index=choice_index,
        label=chosen.label[:200],
        feedback=chosen.feedback,
        score=chosen.score,
        chosen_at=now,
    )
    learning_recorded.send(sender=ScenarioChoice, event=CHOSE, record=choice, attempt=attempt)
    attempt.position += 1
    attempt.score += chosen.score
    if chosen.next_step and scenario.step(chosen.next_step) is not None:
        attempt.current_step = chosen.next_step
        attempt.save(update_fields=["position", "score", "current_step"])
        return ChoiceOutcome(attempt, choice)

    attempt.status = ScenarioAttempt.Status.FINISHED
    attempt.finished_at = now
    attempt.current_step = ""
    attempt.best_possible = scenario.best_score
    attempt.percentage = scenario.percentage(attempt.score)
    attempt.passed = scenario.passes(attempt.score)
    attempt.save()
    learning_recorded.send(sender=ScenarioAttempt, event=FINISHED, record=attempt)
    if not attempt.passed:
        return ChoiceOutcome(attempt, choice)
    activity_record(
        actor=user,
        verb=SCENARIO_PASSED.id,
        key=f"scenario.passed:{user.pk}:{lesson.pk}:{block_id}",
        obj=lesson,
        result={
            "scenario": scenario.title,
            "score": attempt.percentage,
            "raw": attempt.score,
            "max": attempt.best_possible,
        },
    )
    completed = _lesson_complete_if_passed(user=user, lesson=lesson)
    return ChoiceOutcome(attempt, choice, *completed)


# --- quizzes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizOutcome:
    attempt: QuizAttempt
    lesson_completed: bool = False
    course_completed: bool = False


@transaction.atomic
def quiz_submit(
    *, user: User, lesson: LessonPage, block_id: str, answers: list[list[int]]
) -> QuizOutcome:
    """Score one attempt at a quiz; ``answers`` holds the chosen option indexes per question."""
    _lesson_opened(user=user, lesson=lesson)
    quiz = QuizBlock.quiz(_stream_block(lesson, block_id, "quiz").value)
    if len(answers) != len(quiz.questions):
        raise InvalidInput(
            gettext("The answers do not match this quiz's questions; reload the page.")
        )
    correct = 0
    for number, (question, chosen) in enumerate(zip(quiz.questions, answers, strict=True), 1):
        picked = set(chosen)
        if not picked:
            raise InvalidInput(f"Answer question {number} before submitting.")
        if len(picked) != len(chosen) or not all(0 <= i < len(question.options) for i in picked):
            raise InvalidInput(f"Question {number} has an answer that is not one of its options.")
        if not question.multiple and len(picked) > 1:
            raise InvalidInput(f"Question {number} takes one answer.")
        correct += picked == question.correct
    percentage = round(100 * correct / len(quiz.questions))
    attempt = QuizAttempt.objects.create(
        user=user,
        lesson=lesson,
        block_id=block_id,
        title=quiz.title[:120],
        answers=[sorted(set(chosen)) for chosen in answers],
        correct=correct,
        questions=len(quiz.questions),
        percentage=percentage,
        passed=percentage >= quiz.pass_percentage,
        submitted_at=timezone.now(),
    )
    learning_recorded.send(sender=QuizAttempt, event=SUBMITTED, record=attempt)
    if not attempt.passed:
        return QuizOutcome(attempt)
    activity_record(
        actor=user,
        verb=QUIZ_PASSED.id,
        key=f"quiz.passed:{user.pk}:{lesson.pk}:{block_id}",
        obj=lesson,
        result={"quiz": quiz.title, "score": percentage},
    )
    return QuizOutcome(attempt, *_lesson_complete_if_passed(user=user, lesson=lesson))


# --- reflections -----------------------------------------------------------------------


@transaction.atomic
def reflection_save(*, user: User, lesson: LessonPage, block_id: str, text: str) -> Reflection:
    _lesson_opened(user=user, lesson=lesson)
    block = _stream_block(lesson, block_id, "reflection")
    text = (text or "").strip()
    if not text:
        raise InvalidInput(gettext("Write a few words before saving your reflection."))
    if len(text) > 4000:
        raise InvalidInput(gettext("Keep your reflection under 4,000 characters."))
    reflection, _ = Reflection.objects.update_or_create(
        user=user,
        lesson=lesson,
        block_id=block_id,
        defaults={"prompt": block.value["prompt"], "text": text, "updated_at": timezone.now()},
    )
    return reflection


# --- completion ------------------------------------------------------------------------


@dataclass(frozen=True)
class Completion:
    lesson_completed: bool
    course_completed: bool


@transaction.atomic
def lesson_complete(*, user: User, lesson: LessonPage) -> Completion:
    """Complete a lesson whose scenarios and quizzes are passed (at most once)."""
    _lesson_opened(user=user, lesson=lesson)
    missing = lesson_unpassed_blocks(user=user, lesson=lesson)
    if missing:
        names = ", ".join(f"“{title}”" for title in missing)
        raise Conflict(f"Pass {names} to complete this lesson.")
    return _lesson_record(user=user, lesson=lesson)


def _lesson_complete_if_passed(*, user: User, lesson: LessonPage) -> tuple[bool, bool]:
    if lesson_unpassed_blocks(user=user, lesson=lesson):
        return False, False
    completion = _lesson_record(user=user, lesson=lesson)
    return completion.lesson_completed, completion.course_completed


def _lesson_record(*, user: User, lesson: LessonPage) -> Completion:
    course = course_of(lesson)
    # Lock this person's enrolment: completions of two lessons of one course in parallel
    # take turns, so the second sees the first and completes the course.
    enrolment = Enrolment.objects.select_for_update().get(
        pk=course_enrol(user=user, course=course).pk
    )
    now = timezone.now()
    try:
        with transaction.atomic():
            LessonCompletion.objects.create(
                user=user, lesson=lesson, course=course, completed_at=now
            )
    except IntegrityError:
        return Completion(lesson_completed=False, course_completed=False)
    activity_record(
        actor=user,
        verb=LESSON_COMPLETED.id,
        key=f"lesson.completed:{user.pk}:{lesson.pk}",
        obj=lesson,
        context={"course": course.title},
    )
    lesson_ids = set(LessonPage.objects.child_of(course).live().values_list("pk", flat=True))
    done = set(
        LessonCompletion.objects.filter(user=user, course=course).values_list(
            "lesson_id", flat=True
        )
    )
    if enrolment.completed_at is not None or not lesson_ids <= done:
        return Completion(lesson_completed=True, course_completed=False)
    enrolment.completed_at = now
    enrolment.save(update_fields=["completed_at"])
    learning_recorded.send(sender=Enrolment, event=COMPLETED, record=enrolment)
    activity_record(
        actor=user,
        verb=COURSE_COMPLETED.id,
        key=f"course.completed:{user.pk}:{course.pk}",
        obj=course,
        points=course.completion_points,
    )
    return Completion(lesson_completed=True, course_completed=True)


# --- feedback --------------------------------------------------------------------------


@transaction.atomic
def course_feedback_give(
    *, user: User, course: CoursePage, rating: int, comment: str
) -> CourseFeedback:
    """Rate a completed course 1-5 with an optional comment; giving it again updates it."""
    enrolment = Enrolment.objects.filter(user=user, course=course).first()
    if enrolment is None or enrolment.completed_at is None:
        raise NotAllowed(gettext("Feedback opens once you have completed the course."))
    if rating not in range(1, 6):
        raise InvalidInput(gettext("Choose a rating from 1 to 5."))
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise InvalidInput(gettext("Keep your comment under 2,000 characters."))
    feedback, _ = CourseFeedback.objects.update_or_create(
        user=user,
        course=course,
        defaults={"rating": rating, "comment": comment, "updated_at": timezone.now()},
    )
    return feedback
