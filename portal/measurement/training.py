"""Training analytics: how people move through the courses, where scenarios and quizzes
are hard, what learners say, and whether training changes how people share.

Every figure is about the people in the dashboard's scope (``people``; None for the whole
programme, which reads the tables without a list of people) and hides groups under
``MIN_GROUP`` people. Item analysis follows the classical test theory that learning
teams know: a question's difficulty is the share of people who got it right; its
discrimination is that share among the best 27% of the quiz's takers minus the share
among the weakest 27% (from +1, separates perfectly, to negative: strong learners get it
wrong more often than weak ones, which usually means the question is flawed). Both use
each person's first attempt, as retries teach the answers.
"""

from collections import Counter, defaultdict
from typing import Any

from django.db.models import Avg, Count, F, Min, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator

from courses.blocks import QuizBlock, ScenarioBlock
from courses.models import (
    CourseFeedback,
    CoursePage,
    Enrolment,
    LessonPage,
    QuizAttempt,
    ScenarioAttempt,
    ScenarioChoice,
)
from portal.people.models import User
from portal.people.privacy import MIN_GROUP

from .selectors import Period, median_days, of_people
from .tables import Link, Section, Table

UPPER_LOWER = 0.27  # the share of takers in each of the upper and lower groups


def _percent(part: int | float, whole: int | float) -> int | None:
    return round(100 * part / whole) if whole else None


def courses_table(*, people: QuerySet[User] | None, period: Period) -> Table:
    """Per course, by the end of the period: started, completed, completion rate, median
    days from start to completion, and feedback."""
    # Grouped by course id alone (a join to the pages first would scan every enrolment
    # once per page), then put in the courses' order with their titles.
    figures = {
        row["course_id"]: row
        for row in of_people(Enrolment.objects, people)
        .filter(started_at__lt=period.end_at)
        .values("course_id")
        .annotate(
            started=Count("pk"),
            completed=Count("pk", filter=Q(completed_at__lt=period.end_at)),
        )
        .order_by()
    }
    rows = [{**figures[pk], "course__title": title} for pk, title in _courses(figures).items()]
    completions = of_people(Enrolment.objects, people).filter(completed_at__lt=period.end_at)
    durations = {
        row["course_id"]: median_days(
            completions.filter(course_id=row["course_id"]), "started_at", "completed_at"
        )
        for row in rows
        if row["completed"] >= MIN_GROUP
    }
    feedback = {
        row["course_id"]: row
        for row in of_people(CourseFeedback.objects, people)
        .values("course_id")
        .annotate(count=Count("pk"), average=Avg("rating"))
        .order_by()
    }
    table = Table(
        "courses",
        f"Courses: who started and completed them by {period.end:%d %b %Y}",
        ["Course", "Started", "Completed", "Completion rate", "Median days to complete",
         "Average rating (of 5)", "Ratings"],
    )  # fmt: skip
    hidden = 0
    for row in rows:
        if row["started"] < MIN_GROUP:
            hidden += 1
            continue
        _, days = durations.get(row["course_id"], (0, None))
        rated = feedback.get(row["course_id"], {})
        count = rated.get("count", 0)
        table.rows.append([
            row["course__title"], row["started"], row["completed"],
            f"{_percent(row['completed'], row['started'])}%",
            round(days, 1) if days is not None else None,
            round(rated["average"], 1) if count >= MIN_GROUP else None, count,
        ])  # fmt: skip
    if hidden:
        table.note = f"{hidden} course{'s' if hidden > 1 else ''} started by fewer than " \
            f"{MIN_GROUP} people {'are' if hidden > 1 else 'is'} not shown."  # fmt: skip
    return table


def _courses(ids) -> dict[int, str]:
    """The titles of the courses ``ids``, in the courses' order."""
    return dict(
        CoursePage.objects.filter(pk__in=list(ids)).order_by("path").values_list("pk", "title")
    )


def unlock_table(*, people: QuerySet[User] | None, period: Period) -> Table:
    unlocked, wait = median_days(
        of_people(User.objects, people, "pk").filter(
            milestones__sharing_unlocked_at__lt=period.end_at
        ),
        "date_joined",
        "milestones__sharing_unlocked_at",
    )
    table = Table("unlock", "Time to unlock sharing", ["Figure", "Value"])
    if unlocked >= MIN_GROUP and wait is not None:
        table.rows = [
            ["People who unlocked sharing", unlocked],
            ["Median days from invitation to unlocking", round(wait, 1)],
        ]
    else:
        table.note = f"Fewer than {MIN_GROUP} people have unlocked sharing."
    return table


def _edit_url(lesson_id: int) -> Link:
    return Link(reverse("wagtailadmin_pages:edit", args=[lesson_id]), "Edit the lesson")


def _lessons(ids) -> dict[int, LessonPage]:
    return {lesson.pk: lesson for lesson in LessonPage.objects.filter(pk__in=set(ids))}


def _block(lesson: LessonPage | None, block_id: str, kind: str):
    if lesson is None:
        return None
    for child in lesson.body:
        if child.id == block_id and child.block_type == kind:
            return child.value
    return None


def scenario_tables(*, people: QuerySet[User] | None, period: Period) -> list[Table]:
    """Scenario scores, the distribution of choices at every step, and the hardest
    choices: at each step, the poor choice (below the step's best) chosen most."""
    inside = Q(finished_at__gte=period.start_at, finished_at__lt=period.end_at)
    scores = Table(
        "scenarios",
        "Scenarios finished in the period",
        ["Scenario", "People", "Attempts", "Average score (%)", "Passed (%)"],
    )
    for row in (
        of_people(ScenarioAttempt.objects, people).filter(inside, status="finished")
        .values("lesson_id", "block_id", "title")
        .annotate(people=Count("user", distinct=True), attempts=Count("pk"),
                  average=Avg("percentage"), passed=Count("pk", filter=Q(passed=True)))
        .order_by("title")
    ):  # fmt: skip
        if row["people"] >= MIN_GROUP:
            scores.rows.append([row["title"], row["people"], row["attempts"],
                                round(row["average"] or 0),
                                _percent(row["passed"], row["attempts"])])  # fmt: skip
    chosen = of_people(ScenarioChoice.objects, people, "attempt__user").filter(
        chosen_at__gte=period.start_at, chosen_at__lt=period.end_at
    )
    figures = (
        chosen.values("attempt__lesson_id", "attempt__block_id", "attempt__title", "step_id",
                      "choice_index", "label", "score")
        .annotate(chosen=Count("pk"))
        .order_by("attempt__title", "step_id", "choice_index")
    )  # fmt: skip
    steps: dict[tuple, list[dict]] = defaultdict(list)
    for row in figures:
        steps[(row["attempt__lesson_id"], row["attempt__block_id"], row["step_id"])].append(row)
    step_people = {
        (lesson, block, step): count
        for lesson, block, step, count in chosen.values_list(
            "attempt__lesson_id", "attempt__block_id", "step_id"
        )
        .annotate(people=Count("attempt__user", distinct=True))
        .order_by()
    }
    lessons = _lessons(key[0] for key in steps)
    distribution = Table(
        "choices",
        "Every choice at every scenario step in the period",
        ["Scenario", "Step", "Choice", "Points", "Chosen", "Of the step's choices (%)"],
        folded=True,
    )
    hardest = Table(
        "hardest-choices",
        "Hardest choices: at each step, the poor choice people made most",
        ["Scenario", "Step", "Poor choice", "Chosen (%)", "Best choice's points", "Edit"],
    )
    candidates = []
    hidden = 0
    for (lesson_id, block_id, step_id), rows in steps.items():
        if step_people.get((lesson_id, block_id, step_id), 0) < MIN_GROUP:
            hidden += 1
            continue
        total = sum(row["chosen"] for row in rows)
        value = _block(lessons.get(lesson_id), block_id, "scenario")
        best = max(row["score"] for row in rows)
        where = step_id
        if value is not None:
            step = ScenarioBlock.scenario(value).step(step_id)
            if step is not None and step.choices:
                best = max(choice.score for choice in step.choices)
                where = Truncator(strip_tags(str(step.situation))).chars(90) or step_id
        for row in rows:
            distribution.rows.append([row["attempt__title"], where, row["label"], row["score"],
                                      row["chosen"], _percent(row["chosen"], total)])  # fmt: skip
        poor = [row for row in rows if row["score"] < best]
        if poor:
            worst = max(poor, key=lambda row: (row["chosen"], -row["score"]))
            candidates.append((_percent(worst["chosen"], total) or 0, worst, where, best,
                               lesson_id))  # fmt: skip
    for share, row, step_id, best, lesson_id in sorted(
        candidates, key=lambda item: (-item[0], item[1]["attempt__title"], item[2])
    )[:10]:
        hardest.rows.append([row["attempt__title"], step_id, row["label"], share, best,
                             _edit_url(lesson_id)])  # fmt: skip
    if hidden:
        distribution.note = hardest.note = (
            f"{hidden} step{'s' if hidden > 1 else ''} answered by fewer than {MIN_GROUP} "
            "people in the period are not shown."
        )
    return [scores, hardest, distribution]


def item_analysis(patterns: list[tuple]) -> list[tuple[float, float]]:
    """(difficulty, discrimination) per question, from answer patterns: (right or wrong
    per question, total right, how many people answered so; one when left out); see the
    module's docstring. People who answered alike count together, so the work grows with
    the number of different patterns, not of people."""
    rows = [(row[0], row[1], row[2] if len(row) > 2 else 1) for row in patterns]
    takers = sum(count for _, _, count in rows)
    if not takers:
        return []
    ranked = sorted(rows, key=lambda row: row[1])
    size = max(1, round(takers * UPPER_LOWER))

    def group(ordered) -> list[tuple[list[bool], float]]:
        """The first ``size`` people of ``ordered``, as (marks, how many)."""
        taken, left = [], size
        for marks, _, count in ordered:
            if left <= 0:
                break
            taken.append((marks, min(count, left)))
            left -= count
        return taken

    lower, upper = group(ranked), group(reversed(ranked))
    results = []
    for question in range(len(ranked[0][0])):
        right = sum(count for marks, _, count in ranked if marks[question])
        upper_right = sum(count for marks, count in upper if marks[question])
        lower_right = sum(count for marks, count in lower if marks[question])
        results.append((right / takers, (upper_right - lower_right) / size))
    return results


def quiz_table(*, people: QuerySet[User] | None, period: Period) -> Table:
    """Per quiz question: difficulty and discrimination, from first attempts made in the
    period (grouped by answer pattern in the database)."""
    table = Table(
        "quiz-questions",
        "Quiz questions: first attempts in the period",
        ["Quiz", "Question", "People", "Right (difficulty, %)", "Discrimination", "Edit"],
    )
    # Each person's first attempt at each quiz (attempts are numbered as they come).
    firsts = (
        of_people(QuizAttempt.objects, people)
        .filter(submitted_at__lt=period.end_at)
        .values("user_id", "lesson_id", "block_id")
        .annotate(first=Min("pk"))
        .values("first")
    )
    first: dict[tuple[int, str], list[tuple]] = defaultdict(list)
    for lesson_id, block_id, answers, count in (
        QuizAttempt.objects.filter(pk__in=firsts, submitted_at__gte=period.start_at)
        .values_list("lesson_id", "block_id", "answers")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        first[(lesson_id, block_id)].append((answers, count))
    lessons = _lessons(key[0] for key in first)
    hidden = 0
    for (lesson_id, block_id), answer_lists in sorted(first.items()):
        value = _block(lessons.get(lesson_id), block_id, "quiz")
        if value is None:
            continue  # the quiz is gone: nothing to say what was right
        quiz = QuizBlock.quiz(value)
        marked: list[tuple[list[bool], int, int]] = []
        for answers, count in answer_lists:
            if not isinstance(answers, list) or len(answers) != len(quiz.questions):
                continue  # answered an earlier version of the quiz
            marks = [
                isinstance(chosen, list) and frozenset(chosen) == question.correct
                for question, chosen in zip(quiz.questions, answers, strict=True)
            ]
            marked.append((marks, sum(marks), count))
        takers = sum(count for _, _, count in marked)
        if takers < MIN_GROUP:
            hidden += 1
            continue
        for number, (question, (difficulty, discrimination)) in enumerate(
            zip(quiz.questions, item_analysis(marked), strict=True), start=1
        ):
            table.rows.append([quiz.title, f"{number}. {question.text}", takers,
                               round(100 * difficulty), round(discrimination, 2),
                               _edit_url(lesson_id)])  # fmt: skip
    if hidden:
        quizzes = f"{hidden} quiz{'zes' if hidden > 1 else ''}"
        table.note = (
            f"{quizzes} taken by fewer than {MIN_GROUP} people in the period "
            f"{'are' if hidden > 1 else 'is'} not shown."
        )
    return table


def comments_table(*, people: QuerySet[User] | None) -> Table:
    """The latest comments of each course with at least ``MIN_GROUP`` ratings, without
    names (five per course)."""
    table = Table(
        "comments", "What learners said (latest, unnamed)", ["Course", "Rating", "Comment"]
    )
    rated = {
        course_id
        for course_id, count in of_people(CourseFeedback.objects, people)
        .values_list("course_id")
        .annotate(count=Count("pk"))
        .order_by()
        if count >= MIN_GROUP
    }
    per_course: Counter = Counter()
    for title, rating, comment, course_id in (
        of_people(CourseFeedback.objects, people)
        .filter(course_id__in=rated)
        .exclude(comment="")
        .order_by("course__path", "-updated_at")
        .values_list("course__title", "rating", "comment", "course_id")[:200]
    ):
        if per_course[course_id] < 5:
            per_course[course_id] += 1
            table.rows.append([title, rating, comment])
    return table


def outcomes_table(*, people: QuerySet[User] | None) -> Table:
    """Per course: the shares of the people who completed it, before and after they did
    (average quality, readers per share). A side needs shares by ``MIN_GROUP`` people."""
    table = Table(
        "outcomes",
        "Does training change sharing? Shares before and after completing each course",
        ["Course", "Shares before", "Quality before", "Readers per share before",
         "Shares after", "Quality after", "Readers per share after"],
    )  # fmt: skip
    completed = of_people(Enrolment.objects, people).filter(completed_at__isnull=False)
    # Both sides in one pass, grouped by course id alone (see ``courses_table``).
    sides = {
        "before": Q(user__shares__created_at__lt=F("completed_at")),
        "after": Q(user__shares__created_at__gte=F("completed_at")),
    }
    figures: dict[str, Any] = {}
    for side, condition in sides.items():
        figures |= {
            f"{side}_shares": Count("user__shares", filter=condition),
            f"{side}_sharers": Count("user", distinct=True, filter=condition),
            f"{side}_quality": Avg("user__shares__quality", filter=condition),
            f"{side}_readers": Sum("user__shares__clicks", filter=condition),
        }
    grouped = list(completed.values("course_id").annotate(**figures).order_by())
    titles = _courses(row["course_id"] for row in grouped)
    for row in sorted(
        (row for row in grouped if row["course_id"] in titles),
        key=lambda row: (titles[row["course_id"]], row["course_id"]),
    ):
        cells: list = [titles[row["course_id"]]]
        for side in sides:
            shares, sharers = row[f"{side}_shares"], row[f"{side}_sharers"]
            if shares and sharers >= MIN_GROUP:
                cells += [shares, round(row[f"{side}_quality"] or 0),
                          round((row[f"{side}_readers"] or 0) / shares, 2)]  # fmt: skip
            else:
                cells += [None, None, None]
        if any(cell is not None for cell in cells[1:]):
            table.rows.append(cells)
    table.note = (
        f"Each side counts the shares of people who completed the course; a side with shares "
        f"by fewer than {MIN_GROUP} people is left empty."
    )
    return table


def section(*, people: QuerySet[User] | None, period: Period) -> Section:
    return Section(
        "training",
        "Training",
        "Where people stall, which choices and questions are hard, and whether training "
        "moves how people share.",
        tables=[
            courses_table(people=people, period=period),
            unlock_table(people=people, period=period),
            *scenario_tables(people=people, period=period),
            quiz_table(people=people, period=period),
            comments_table(people=people),
            outcomes_table(people=people),
        ],
    )
