"""Writes about training: enrolment, scenario play, quizzes, completion, workshops.

Every function here owns its transaction. Whatever a learner submits is checked
against the server's state (the open attempt, its current step, the choices the author
wrote); scores are computed here and never taken from the request. Completions go to
the activity ledger with an idempotency key, so repeats and races count once.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from portal.activity.services import activity_record
from portal.activity.verbs import (
    COURSE_COMPLETED,
    LESSON_COMPLETED,
    QUIZ_PASSED,
    SCENARIO_PASSED,
    WORKSHOP_CONTRIBUTED,
)
from portal.errors import Conflict, InvalidInput, NotAllowed, NotFound
from portal.events import CoursesAnswerChanged
from portal.people.privacy import MIN_GROUP
from portal.realtime import broadcast, group_name

from .blocks import ASSESSED_BLOCKS, QuizBlock, ScenarioBlock
from .models import (
    CourseFeedback,
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
    PurposeStatement,
    QuizAttempt,
    Reflection,
    ScenarioAttempt,
    ScenarioChoice,
    WorkshopAnswer,
    WorkshopPage,
    WorkshopParticipation,
)
from .selectors import workshop_answer_payload

FACILITATE = "courses.facilitate_workshop"


# --- access and enrolment --------------------------------------------------------------


def course_of(lesson: LessonPage) -> CoursePage:
    parent = lesson.get_parent().specific
    if not isinstance(parent, CoursePage):
        raise NotFound("This lesson does not belong to a course.")
    return parent


def course_missing_prerequisites(*, user, course: CoursePage) -> list[CoursePage]:
    """Live prerequisite courses ``user`` has not completed yet, in tree order."""
    required = list(course.prerequisites.live().order_by("path"))
    if not required:
        return []
    done = set(
        Enrolment.objects.filter(
            user=user, course__in=required, completed_at__isnull=False
        ).values_list("course_id", flat=True)
    )
    return [prerequisite for prerequisite in required if prerequisite.pk not in done]


def course_access_check(*, user, course: CoursePage) -> None:
    if not course.live:
        raise NotFound("This course is not published.")
    missing = course_missing_prerequisites(user=user, course=course)
    if missing:
        names = ", ".join(f"“{c.title}”" for c in missing)
        raise NotAllowed(f"Complete {names} before starting this course.")


def course_enrol(*, user, course: CoursePage) -> Enrolment:
    """Enrol ``user`` on their first visit; later visits return the same enrolment."""
    enrolment = Enrolment.objects.filter(user=user, course=course).first()
    if enrolment is not None:
        return enrolment
    try:
        with transaction.atomic():
            return Enrolment.objects.create(user=user, course=course, started_at=timezone.now())
    except IntegrityError:  # a parallel first visit enrolled them
        return Enrolment.objects.get(user=user, course=course)


def _stream_block(lesson: LessonPage, block_id: str, block_type: str):
    for child in lesson.body:
        if child.id == block_id and child.block_type == block_type:
            return child
    raise NotFound(f"This lesson has no {block_type} with the id {block_id!r}.")


def _lesson_opened(*, user, lesson: LessonPage) -> CoursePage:
    course = course_of(lesson)
    course_access_check(user=user, course=course)
    course_enrol(user=user, course=course)
    return course


# --- scenarios -------------------------------------------------------------------------


@transaction.atomic
def scenario_start(*, user, lesson: LessonPage, block_id: str) -> ScenarioAttempt:
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
        raise Conflict("This scenario was just started in another window; reload it.") from error


@dataclass(frozen=True)
class ChoiceOutcome:
    attempt: ScenarioAttempt
    choice: ScenarioChoice
    lesson_completed: bool = False
    course_completed: bool = False


@transaction.atomic
def scenario_choose(
    *,
    user,
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
        raise NotFound("There is no such attempt of yours at this scenario.")
    if attempt.status != ScenarioAttempt.Status.OPEN:
        raise Conflict("This attempt is over; start a new one to play again.")
    if step_id != attempt.current_step or position != attempt.position:
        raise Conflict("You already answered this step; here is where you are now.")
    step = scenario.step(attempt.current_step)
    if step is None:
        raise Conflict("The scenario was changed by its author; start it again.")
    if not 0 <= choice_index < len(step.choices):
        raise InvalidInput("That choice is not one of this step's choices.")
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
    *, user, lesson: LessonPage, block_id: str, answers: list[list[int]]
) -> QuizOutcome:
    """Score one attempt at a quiz; ``answers`` holds the chosen option indexes per question."""
    _lesson_opened(user=user, lesson=lesson)
    quiz = QuizBlock.quiz(_stream_block(lesson, block_id, "quiz").value)
    if len(answers) != len(quiz.questions):
        raise InvalidInput("The answers do not match this quiz's questions; reload the page.")
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
def reflection_save(*, user, lesson: LessonPage, block_id: str, text: str) -> Reflection:
    _lesson_opened(user=user, lesson=lesson)
    block = _stream_block(lesson, block_id, "reflection")
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Write a few words before saving your reflection.")
    if len(text) > 4000:
        raise InvalidInput("Keep your reflection under 4,000 characters.")
    reflection, _ = Reflection.objects.update_or_create(
        user=user,
        lesson=lesson,
        block_id=block_id,
        defaults={"prompt": block.value["prompt"], "text": text, "updated_at": timezone.now()},
    )
    return reflection


# --- completion ------------------------------------------------------------------------


def lesson_unpassed_blocks(*, user, lesson: LessonPage) -> list[str]:
    """Titles of the scenarios and quizzes in ``lesson`` that ``user`` has not passed."""
    passed = set(
        ScenarioAttempt.objects.filter(user=user, lesson=lesson, passed=True).values_list(
            "block_id", flat=True
        )
    ) | set(
        QuizAttempt.objects.filter(user=user, lesson=lesson, passed=True).values_list(
            "block_id", flat=True
        )
    )
    return [
        child.value["title"]
        for child in lesson.body
        if child.block_type in ASSESSED_BLOCKS and child.id not in passed
    ]


@dataclass(frozen=True)
class Completion:
    lesson_completed: bool
    course_completed: bool


@transaction.atomic
def lesson_complete(*, user, lesson: LessonPage) -> Completion:
    """Complete a lesson whose scenarios and quizzes are passed (at most once)."""
    _lesson_opened(user=user, lesson=lesson)
    missing = lesson_unpassed_blocks(user=user, lesson=lesson)
    if missing:
        names = ", ".join(f"“{title}”" for title in missing)
        raise Conflict(f"Pass {names} to complete this lesson.")
    return _lesson_record(user=user, lesson=lesson)


def _lesson_complete_if_passed(*, user, lesson: LessonPage) -> tuple[bool, bool]:
    if lesson_unpassed_blocks(user=user, lesson=lesson):
        return False, False
    completion = _lesson_record(user=user, lesson=lesson)
    return completion.lesson_completed, completion.course_completed


def _lesson_record(*, user, lesson: LessonPage) -> Completion:
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
def course_feedback_give(*, user, course: CoursePage, rating: int, comment: str) -> CourseFeedback:
    """Rate a completed course 1-5 with an optional comment; giving it again updates it."""
    enrolment = Enrolment.objects.filter(user=user, course=course).first()
    if enrolment is None or enrolment.completed_at is None:
        raise NotAllowed("Feedback opens once you have completed the course.")
    if rating not in range(1, 6):
        raise InvalidInput("Choose a rating from 1 to 5.")
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise InvalidInput("Keep your comment under 2,000 characters.")
    feedback, _ = CourseFeedback.objects.update_or_create(
        user=user,
        course=course,
        defaults={"rating": rating, "comment": comment, "updated_at": timezone.now()},
    )
    return feedback


# --- purpose workshops -----------------------------------------------------------------


def workshop_can_facilitate(*, user, workshop: WorkshopPage) -> bool:
    """Programme-wide facilitators (a model permission) or this workshop's (guardian)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(FACILITATE) or user.has_perm(FACILITATE, workshop)


def workshop_facilitator_add(*, workshop: WorkshopPage, user) -> None:
    assign_perm(FACILITATE, user, workshop)


def workshop_facilitator_remove(*, workshop: WorkshopPage, user) -> None:
    remove_perm(FACILITATE, user, workshop)


@transaction.atomic
def workshop_answer_add(
    *,
    user,
    workshop: WorkshopPage,
    prompt_id: str,
    text: str,
    options: list[str],
    anonymous: bool,
) -> WorkshopAnswer:
    """Add one answer to a prompt and show it on the facilitators' wall after commit.

    An anonymous answer stores no author; the ledger only notes that the person took
    part in the workshop, not which answer was theirs.
    """
    if not workshop.live:
        raise NotFound("This workshop is not published.")
    if not workshop.accepting_answers:
        raise Conflict("This workshop is closed for answers.")
    prompts = {
        prompt.id: prompt.value
        for step in workshop.steps
        for prompt in step.value["prompts"].bound_blocks
    }
    prompt = prompts.get(prompt_id)
    if prompt is None:
        raise InvalidInput("That question is not part of this workshop; reload the page.")
    allowed = set(prompt["options"])
    if any(option not in allowed for option in options):
        raise InvalidInput("Pick from the listed answers or write your own.")
    text = (text or "").strip()
    if len(text) > 1000:
        raise InvalidInput("Keep your answer under 1,000 characters.")
    if not text and not options:
        raise InvalidInput("Write an answer or pick one of the suggestions.")
    now = timezone.now()
    answer = WorkshopAnswer.objects.create(
        workshop=workshop,
        prompt_id=prompt_id,
        prompt=prompt["question"][:200],
        author=None if anonymous else user,
        text=text,
        options=sorted(set(options), key=list(prompt["options"]).index),
        # An anonymous answer keeps only its hour: no exact time to match against anything.
        created_at=now.replace(minute=0, second=0, microsecond=0) if anonymous else now,
    )
    # The credit comes later, in a batch (``workshop_contributions_credit``): a statement
    # (and points on a live board) right after an anonymous answer would name its author.
    WorkshopParticipation.objects.get_or_create(workshop=workshop, user=user)
    broadcast(
        group_name("workshop", workshop.pk),
        CoursesAnswerChanged(type="courses.answer_changed", answer=workshop_answer_payload(answer)),
    )
    return answer


def workshop_contributions_credit(
    *, workshop: WorkshopPage | None = None, force: bool = False
) -> int:
    """Credit waiting contributions (``workshop.contributed``), in batches that cannot be
    tied to any one answer: a workshop's waiting people are credited together once at
    least ``MIN_GROUP`` wait, or all of them once it closes for answers (or ``force``).
    Every statement of a batch has the same time. Runs with the daily privacy job and
    when a workshop is published closed. Returns how many were credited."""
    workshops = WorkshopPage.objects.filter(participations__credited=False).distinct()
    if workshop is not None:
        workshops = workshops.filter(pk=workshop.pk)
    credited = 0
    for page in workshops:
        credited += _workshop_credit(workshop=page, force=force)
    return credited


@transaction.atomic
def _workshop_credit(*, workshop: WorkshopPage, force: bool) -> int:
    waiting = list(
        WorkshopParticipation.objects.select_for_update()
        .filter(workshop=workshop, credited=False)
        .select_related("user")
    )
    closed = not workshop.live or not workshop.accepting_answers
    if not waiting or (len(waiting) < MIN_GROUP and not closed and not force):
        return 0
    now = timezone.now()
    for participation in sorted(waiting, key=lambda row: row.user_id):
        activity_record(
            actor=participation.user,
            verb=WORKSHOP_CONTRIBUTED.id,
            key=f"workshop.contributed:{participation.user_id}:{workshop.pk}",
            obj=workshop,
            timestamp=now,
        )
    WorkshopParticipation.objects.filter(pk__in=[row.pk for row in waiting]).update(credited=True)
    return len(waiting)


@transaction.atomic
def workshop_answer_highlight(
    *, by, workshop: WorkshopPage, answer_id: int, highlighted: bool
) -> WorkshopAnswer:
    if not workshop_can_facilitate(user=by, workshop=workshop):
        raise NotAllowed("Only this workshop's facilitators can highlight answers.")
    answer = (
        WorkshopAnswer.objects.select_for_update(of=("self",))
        .select_related("author__profile")
        .filter(pk=answer_id, workshop=workshop)
        .first()
    )
    if answer is None:
        raise NotFound("There is no such answer in this workshop.")
    if answer.highlighted != highlighted:
        answer.highlighted = highlighted
        answer.save(update_fields=["highlighted"])
        broadcast(
            group_name("workshop", workshop.pk),
            CoursesAnswerChanged(
                type="courses.answer_changed", answer=workshop_answer_payload(answer)
            ),
        )
    return answer


@transaction.atomic
def purpose_statement_save(
    *, by, workshop: WorkshopPage, statement: str, objectives: str, publish: bool
) -> PurposeStatement:
    """Save the facilitator's draft; with ``publish`` the home page shows it from now on."""
    if not workshop_can_facilitate(user=by, workshop=workshop):
        raise NotAllowed("Only this workshop's facilitators can write its purpose statement.")
    statement = (statement or "").strip()
    objectives = (objectives or "").strip()
    if len(statement) > 1500 or len(objectives) > 2000:
        raise InvalidInput(
            "Keep the statement under 1,500 and the objectives under 2,000 characters."
        )
    if publish and not statement:
        raise InvalidInput("Write the purpose statement before publishing it.")
    now = timezone.now()
    purpose, _ = PurposeStatement.objects.select_for_update().get_or_create(
        workshop=workshop, defaults={"updated_at": now}
    )
    purpose.draft_statement = statement
    purpose.draft_objectives = objectives
    purpose.updated_by = by
    purpose.updated_at = now
    if publish:
        purpose.published_statement = statement
        purpose.published_objectives = objectives
        purpose.published_at = now
    purpose.save()
    return purpose
