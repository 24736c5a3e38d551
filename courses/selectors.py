"""Reads about training: overviews, a lesson's learner state, progress, the sharing gate.

Each function issues a fixed number of queries whatever the number of lessons, courses
or other learners (the tests hold them to it), and returns plain data for templates.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Avg, Count, Max
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.models import Page, Site

from portal.errors import NotAllowed, NotFound
from portal.locales import localised, originals
from portal.people.models import User

from .blocks import ASSESSED_BLOCKS, Quiz, QuizBlock, ScenarioBlock
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
    TrainingSettings,
    WorkshopAnswer,
    WorkshopPage,
)
from .scenarios import Scenario, Step

# --- courses ---------------------------------------------------------------------------


@dataclass
class CourseSummary:
    course: CoursePage
    lessons: list[LessonPage]
    completed_lesson_ids: set[int]
    started: bool
    completed: bool
    missing_prerequisites: list[CoursePage]
    scores: list[tuple[str, int]] = field(default_factory=list)
    # What the reader reads: the course and its lessons in their language (by lesson id).
    content: CoursePage | None = None
    lesson_content: dict[int, LessonPage] = field(default_factory=dict)

    @property
    def next_lesson_content(self) -> LessonPage | None:
        lesson = self.next_lesson
        return self.lesson_content.get(lesson.pk, lesson) if lesson else None

    @property
    def percentage(self) -> int:
        if self.completed:
            return 100
        if not self.lessons:
            return 0
        done = sum(1 for lesson in self.lessons if lesson.pk in self.completed_lesson_ids)
        return round(100 * done / len(self.lessons))

    @property
    def locked(self) -> bool:
        return bool(self.missing_prerequisites)

    @property
    def next_lesson(self) -> LessonPage | None:
        for lesson in self.lessons:
            if lesson.pk not in self.completed_lesson_ids:
                return lesson
        return None


def _course_summaries(
    *, user: User, courses: list[CoursePage], with_scores=False
) -> list[CourseSummary]:
    course_by_path = {course.path: course for course in courses}
    lessons: dict[int, list[LessonPage]] = {course.pk: [] for course in courses}
    if courses:
        for lesson in (
            originals(LessonPage.objects.live())
            .filter(depth=courses[0].depth + 1)
            .order_by("path")
            .only("id", "title", "path", "depth", "url_path", "slug", "translation_key")
        ):
            parent = course_by_path.get(lesson.path[: -Page.steplen])
            if parent is not None:
                lessons[parent.pk].append(lesson)
    completed_lessons: dict[int, set[int]] = {}
    for course_id, lesson_id in LessonCompletion.objects.filter(
        user=user, course__in=courses
    ).values_list("course_id", "lesson_id"):
        completed_lessons.setdefault(course_id, set()).add(lesson_id)
    enrolments = dict(
        Enrolment.objects.filter(user=user, course__in=courses).values_list(
            "course_id", "completed_at"
        )
    )
    completed_courses = set(
        Enrolment.objects.filter(user=user, completed_at__isnull=False).values_list(
            "course_id", flat=True
        )
    )
    scores: dict[int, list[tuple[str, int]]] = {}
    if with_scores:
        lesson_course = {
            lesson.pk: course_id for course_id, items in lessons.items() for lesson in items
        }
        finished = (
            ScenarioAttempt.objects.filter(user=user, status=ScenarioAttempt.Status.FINISHED),
            QuizAttempt.objects.filter(user=user),
        )
        for attempts in finished:
            for lesson_id, title, best in (
                attempts.values_list("lesson_id", "block_id", "title")
                .annotate(best=Max("percentage"))
                .values_list("lesson_id", "title", "best")
                .order_by("lesson_id", "title")
            ):
                if lesson_id in lesson_course:
                    scores.setdefault(lesson_course[lesson_id], []).append((title, best))
    every_lesson = [lesson for items in lessons.values() for lesson in items]
    lesson_content = {
        lesson.pk: version
        for lesson, version in zip(every_lesson, localised(every_lesson), strict=True)
    }
    return [
        CourseSummary(
            course=course,
            content=content,
            lesson_content={lesson.pk: lesson_content[lesson.pk] for lesson in lessons[course.pk]},
            lessons=lessons[course.pk],
            completed_lesson_ids=completed_lessons.get(course.pk, set()),
            started=course.pk in enrolments,
            completed=enrolments.get(course.pk) is not None,
            missing_prerequisites=[
                p for p in course.prerequisites.all() if p.live and p.pk not in completed_courses
            ],
            scores=scores.get(course.pk, []),
        )
        for course, content in zip(courses, localised(courses), strict=True)
    ]


def course_overview(*, user: User, index=None, with_scores=False) -> list[CourseSummary]:
    """Every live course (under ``index`` if given) with ``user``'s progress on it."""
    courses = (
        originals(CoursePage.objects.live()).order_by("path").prefetch_related("prerequisites")
    )
    if index is not None:
        courses = courses.child_of(index)
    return _course_summaries(user=user, courses=list(courses), with_scores=with_scores)


def course_summary(*, user: User, course: CoursePage) -> CourseSummary:
    course = CoursePage.objects.prefetch_related("prerequisites").get(pk=course.pk)
    return _course_summaries(user=user, courses=[course])[0]


# --- a lesson's interactive blocks -------------------------------------------------------


@dataclass
class ScenarioState:
    block_id: str
    scenario: Scenario
    attempt: ScenarioAttempt | None
    path: list[ScenarioChoice]
    attempts: int
    best_percentage: int | None
    passed: bool

    @property
    def step(self) -> Step | None:
        if self.attempt is None or self.attempt.status != ScenarioAttempt.Status.OPEN:
            return None
        return self.scenario.step(self.attempt.current_step)

    @property
    def last_choice(self) -> ScenarioChoice | None:
        return self.path[-1] if self.path else None

    @property
    def finished(self) -> bool:
        return self.attempt is not None and self.attempt.status == ScenarioAttempt.Status.FINISHED


@dataclass
class QuizQuestionResult:
    number: int
    text: str
    multiple: bool
    options: list[dict]
    correct: bool | None


@dataclass
class QuizState:
    block_id: str
    quiz: Quiz
    attempt: QuizAttempt | None
    attempts: int
    best_percentage: int | None
    passed: bool
    questions: list[QuizQuestionResult]


@dataclass
class ReflectionState:
    block_id: str
    prompt: str
    guidance: str
    reflection: Reflection | None


def lesson_states(
    *, user: User, lesson: LessonPage, content: LessonPage | None = None
) -> dict[str, object]:
    """The learner's state of each scenario, quiz and reflection in ``lesson``, by block id,
    with the words of ``content`` (a translation, whose blocks keep the original's ids)."""
    attempts = list(
        ScenarioAttempt.objects.filter(user=user, lesson=lesson).order_by("started_at", "pk")
    )
    latest = {attempt.block_id: attempt for attempt in attempts}
    path: dict[int, list[ScenarioChoice]] = {attempt.pk: [] for attempt in latest.values()}
    for choice in ScenarioChoice.objects.filter(attempt__in=[a.pk for a in latest.values()]):
        path[choice.attempt_id].append(choice)
    quiz_attempts = list(
        QuizAttempt.objects.filter(user=user, lesson=lesson).order_by("submitted_at", "pk")
    )
    reflections = {
        reflection.block_id: reflection
        for reflection in Reflection.objects.filter(user=user, lesson=lesson)
    }

    states: dict[str, object] = {}
    for child in (content or lesson).body:
        if child.block_type == "scenario":
            mine = [a for a in attempts if a.block_id == child.id]
            finished = [a.percentage for a in mine if a.percentage is not None]
            attempt = latest.get(child.id)
            states[child.id] = ScenarioState(
                block_id=child.id,
                scenario=ScenarioBlock.scenario(child.value),
                attempt=attempt,
                path=path.get(attempt.pk, []) if attempt else [],
                attempts=len(mine),
                best_percentage=max(finished) if finished else None,
                passed=any(a.passed for a in mine),
            )
        elif child.block_type == "quiz":
            tries = [a for a in quiz_attempts if a.block_id == child.id]
            quiz = QuizBlock.quiz(child.value)
            last_try = tries[-1] if tries else None
            states[child.id] = QuizState(
                block_id=child.id,
                quiz=quiz,
                attempt=last_try,
                attempts=len(tries),
                best_percentage=max(a.percentage for a in tries) if tries else None,
                passed=any(a.passed for a in tries),
                questions=_quiz_results(quiz, last_try),
            )
        elif child.block_type == "reflection":
            states[child.id] = ReflectionState(
                block_id=child.id,
                prompt=child.value["prompt"],
                guidance=child.value["guidance"],
                reflection=reflections.get(child.id),
            )
    return states


def _quiz_results(quiz: Quiz, attempt: QuizAttempt | None) -> list[QuizQuestionResult]:
    answers = attempt.answers if attempt and len(attempt.answers) == len(quiz.questions) else None
    results = []
    for number, question in enumerate(quiz.questions, 1):
        chosen = set(answers[number - 1]) if answers else set()
        results.append(
            QuizQuestionResult(
                number=number,
                text=question.text,
                multiple=question.multiple,
                options=[
                    {
                        "index": index,
                        "label": option.label,
                        "chosen": index in chosen,
                        "correct": option.correct,
                        "feedback": option.feedback,
                    }
                    for index, option in enumerate(question.options)
                ],
                correct=(chosen == question.correct) if answers else None,
            )
        )
    return results


def lesson_is_assessed(lesson: LessonPage) -> bool:
    return any(child.block_type in ASSESSED_BLOCKS for child in lesson.body)


# --- onboarding path and the sharing gate -------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    course: CoursePage
    lesson: LessonPage | None
    started: bool
    # The course and lesson in the reader's language.
    course_content: CoursePage | None = None
    lesson_content: LessonPage | None = None


def onboarding_path(*, user: User, site: Site | None = None) -> list[CourseSummary]:
    """The onboarding courses in the order the site setting lists them, with progress."""
    site = site or Site.objects.get(is_default_site=True)
    ids = TrainingSettings.for_site(site).onboarding_course_ids()
    if not ids:
        return []
    courses = {
        course.pk: course
        for course in originals(CoursePage.objects.live())
        .filter(pk__in=ids)
        .prefetch_related("prerequisites")
    }
    ordered = [courses[pk] for pk in dict.fromkeys(ids) if pk in courses]
    return _course_summaries(user=user, courses=ordered)


def onboarding_next_step(*, user: User, site: Site | None = None) -> NextStep | None:
    """The first onboarding course not yet completed, and its next lesson; None when done."""
    for summary in onboarding_path(user=user, site=site):
        if not summary.completed and not summary.locked:
            return NextStep(
                summary.course,
                summary.next_lesson,
                summary.started,
                summary.content,
                summary.next_lesson_content,
            )
    return None


def sharing_blockers(*, user: User) -> list[CoursePage]:
    """The live courses flagged "unlocks sharing" that ``user`` has not completed."""
    return _not_completed(
        user=user, courses=originals(CoursePage.objects.live()).filter(unlocks_sharing=True)
    )


def _not_completed(*, user: User, courses) -> list[CoursePage]:
    """Those of ``courses`` (a queryset) that ``user`` has not completed, in tree order."""
    required = list(courses.order_by("path"))
    if not required:
        return []
    done = set(
        Enrolment.objects.filter(
            user=user, course__in=required, completed_at__isnull=False
        ).values_list("course_id", flat=True)
    )
    return [course for course in required if course.pk not in done]


def sharing_allowed(*, user: User | AnonymousUser) -> bool:
    """Whether ``user`` may share: every course flagged "unlocks sharing" is completed."""
    return user.is_authenticated and not sharing_blockers(user=user)


# --- feedback --------------------------------------------------------------------------


def course_feedback_report() -> list[dict]:
    """Per course: number of ratings, the average, and the comments (newest first)."""
    stats = {
        row["course_id"]: row
        for row in CourseFeedback.objects.values("course_id").annotate(
            count=Count("id"), average=Avg("rating")
        )
    }
    comments: dict[int, list[CourseFeedback]] = {}
    for feedback in (
        CourseFeedback.objects.exclude(comment="").select_related("user").order_by("-updated_at")
    ):
        comments.setdefault(feedback.course_id, []).append(feedback)
    return [
        {
            "course": course,
            "count": stats.get(course.pk, {}).get("count", 0),
            "average": stats.get(course.pk, {}).get("average"),
            "comments": comments.get(course.pk, []),
        }
        for course in originals(CoursePage.objects.order_by("path"))
    ]


def course_feedback_of(*, user: User, course: CoursePage) -> CourseFeedback | None:
    return CourseFeedback.objects.filter(user=user, course=course).first()


# --- purpose workshops -----------------------------------------------------------------


def workshop_answer_payload(answer: WorkshopAnswer) -> dict:
    """What the wall shows of an answer; anonymous answers carry no name."""
    author = answer.author
    return {
        "id": answer.pk,
        "prompt_id": answer.prompt_id,
        "prompt": answer.prompt,
        "text": answer.text,
        "options": answer.options,
        "author": author.profile.public_name if author is not None else "Anonymous",
        "highlighted": answer.highlighted,
        # Facilitators see the hour only: exact times could pair an anonymous answer with
        # whoever was seen answering then.
        "created": timezone.localtime(answer.created_at)
        .replace(minute=0, second=0, microsecond=0)
        .isoformat(),
    }


def workshop_wall(*, workshop: WorkshopPage) -> list[dict]:
    """The prompts in order, each with its answers, for the facilitators' wall."""
    answers: dict[str, list[dict]] = {}
    for answer in WorkshopAnswer.objects.filter(workshop=workshop).select_related(
        "author__profile"
    ):
        answers.setdefault(answer.prompt_id, []).append(workshop_answer_payload(answer))
    wall = []
    for step in workshop.steps:
        wall.append(
            {
                "title": step.value["title"],
                "prompts": [
                    {
                        "id": prompt.id,
                        "question": prompt.value["question"],
                        "answers": answers.get(prompt.id, []),
                    }
                    for prompt in step.value["prompts"].bound_blocks
                ],
            }
        )
    return wall


def workshop_my_answers(*, user: User, workshop: WorkshopPage) -> dict[str, list[WorkshopAnswer]]:
    mine: dict[str, list[WorkshopAnswer]] = {}
    for answer in WorkshopAnswer.objects.filter(workshop=workshop, author=user):
        mine.setdefault(answer.prompt_id, []).append(answer)
    return mine


def purpose_published() -> PurposeStatement | None:
    """The most recently published purpose statement, for the home page."""
    return (
        PurposeStatement.objects.filter(published_at__isnull=False, workshop__live=True)
        .order_by("-published_at")
        .first()
    )


def scenario_best_scores(*, user: User) -> list[int]:
    """The best finished score of each scenario ``user`` has played."""
    return list(
        ScenarioAttempt.objects.filter(user=user, status=ScenarioAttempt.Status.FINISHED)
        .values("lesson_id", "block_id")
        .annotate(best=Max("percentage"))
        .values_list("best", flat=True)
    )


# --- access (reads that the services and views share) -------------------------------

FACILITATE = "courses.facilitate_workshop"


def course_of(lesson: LessonPage) -> CoursePage:
    parent = lesson.get_parent().specific
    if not isinstance(parent, CoursePage):
        raise NotFound(gettext("This lesson does not belong to a course."))
    return parent


def course_missing_prerequisites(*, user: User, course: CoursePage) -> list[CoursePage]:
    """Live prerequisite courses ``user`` has not completed yet, in tree order."""
    return _not_completed(user=user, courses=course.prerequisites.live())


def course_access_check(*, user: User, course: CoursePage) -> None:
    if not course.live:
        raise NotFound(gettext("This course is not published."))
    missing = course_missing_prerequisites(user=user, course=course)
    if missing:
        names = ", ".join(f"“{c.title}”" for c in missing)
        raise NotAllowed(f"Complete {names} before starting this course.")


def lesson_unpassed_blocks(*, user: User, lesson: LessonPage) -> list[str]:
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


def workshop_can_facilitate(*, user: User | AnonymousUser, workshop: WorkshopPage) -> bool:
    """Programme-wide facilitators (a model permission) or this workshop's (guardian)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(FACILITATE) or user.has_perm(FACILITATE, workshop)
