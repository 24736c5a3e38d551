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
from datetime import date
from typing import Any

from django.db.models import Avg, Count, QuerySet
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

from courses.blocks import QuizBlock, ScenarioBlock
from courses.models import (
    CourseFeedback,
    CoursePage,
    LessonPage,
)
from portal.people.models import User
from portal.people.privacy import MIN_GROUP

from .selectors import (
    Period,
    Scope,
    histogram,
    histogram_median,
    measures,
    of_people,
    totals,
)
from .tables import Link, Section, Table, day
from .tallies import parse_answers

UPPER_LOWER = 0.27  # the share of takers in each of the upper and lower groups


def _percent(part: int | float, whole: int | float) -> int | None:
    return round(100 * part / whole) if whole else None


def _until(period: Period) -> Period:
    """Everything up to the end of ``period`` (figures "by the end of the period")."""
    return Period(date.min, period.end, period.label)


def _split(measure: str, parts: int) -> list[str]:
    """The ``parts`` fields after a measure's prefix (the last one may hold colons)."""
    return measure.split(":", parts)[1:]


def courses_table(*, scope: Scope, period: Period) -> Table:
    """Per course, by the end of the period: started, completed, completion rate, median
    days from start to completion (whole days), and feedback."""
    figures = totals(scope.rollups.filter(measures("#course.")), _until(period))
    started: dict[int, int] = {}
    completed: dict[int, int] = {}
    days: dict[int, dict[int, int]] = defaultdict(dict)
    for measure, (count, _) in figures.items():
        if measure.startswith("#course.started:"):
            started[int(_split(measure, 1)[0])] = count
        elif measure.startswith("#course.completed:"):
            completed[int(_split(measure, 1)[0])] = count
        elif measure.startswith("#course.days:"):
            course, waited = _split(measure, 2)
            days[int(course)][int(waited)] = count
    feedback = {
        row["course_id"]: row
        for row in of_people(CourseFeedback.objects, scope.narrowing)
        .values("course_id")
        .annotate(count=Count("pk"), average=Avg("rating"))
        .order_by()
    }
    table = Table(
        "courses",
        gettext("Courses: who started and completed them by %(day)s") % {"day": day(period.end)},
        [
            gettext("Course"),
            gettext("Started"),
            gettext("Completed"),
            gettext("Completion rate"),
            gettext("Median days to complete"),
            gettext("Average rating (of 5)"),
            gettext("Ratings"),
        ],
    )
    hidden = 0
    for course_id, title in _courses(started).items():
        begun, done = started[course_id], completed.get(course_id, 0)
        if begun < MIN_GROUP:
            hidden += 1
            continue
        wait = histogram_median(days[course_id])[1] if done >= MIN_GROUP else None
        rated = feedback.get(course_id, {})
        count = rated.get("count", 0)
        table.rows.append([
            title, begun, done, f"{_percent(done, begun)}%",
            round(wait, 1) if wait is not None else None,
            round(rated["average"], 1) if count >= MIN_GROUP else None, count,
        ])  # fmt: skip
    if hidden:
        table.note = ngettext(
            "%(count)s course started by fewer than %(min)s people is not shown.",
            "%(count)s courses started by fewer than %(min)s people are not shown.",
            hidden,
        ) % {"count": hidden, "min": MIN_GROUP}
    return table


def _courses(ids) -> dict[int, str]:
    """The titles of the courses ``ids``, in the courses' order."""
    return dict(
        CoursePage.objects.filter(pk__in=list(ids)).order_by("path").values_list("pk", "title")
    )


def unlock_table(*, scope: Scope, period: Period) -> Table:
    waits = totals(scope.rollups.filter(measures("#wait.unlock:")), _until(period))
    unlocked, wait = histogram_median(histogram(waits, "#wait.unlock:"))
    table = Table(
        "unlock", gettext("Time to unlock sharing"), [gettext("Figure"), gettext("Value")]
    )
    if unlocked >= MIN_GROUP and wait is not None:
        table.rows = [
            [gettext("People who unlocked sharing"), unlocked],
            [gettext("Median days from invitation to unlocking (whole days)"), round(wait, 1)],
        ]
    else:
        table.note = gettext("Fewer than %(min)s people have unlocked sharing.") % {
            "min": MIN_GROUP
        }
    return table


def _edit_url(lesson_id: int) -> Link:
    return Link(reverse("wagtailadmin_pages:edit", args=[lesson_id]), gettext("Edit the lesson"))


def _lessons(ids) -> dict[int, LessonPage]:
    return {lesson.pk: lesson for lesson in LessonPage.objects.filter(pk__in=set(ids))}


def _block(lesson: LessonPage | None, block_id: str, kind: str):
    if lesson is None:
        return None
    for child in lesson.body:
        if child.id == block_id and child.block_type == kind:
            return child.value
    return None


def _scenario_title(lesson: LessonPage | None, block_id: str) -> str | None:
    value = _block(lesson, block_id, "scenario")
    if value is not None:
        return ScenarioBlock.scenario(value).title
    return lesson.title if lesson is not None else None


def scenario_tables(*, scope: Scope, period: Period) -> list[Table]:
    """Scenario scores, the distribution of choices at every step, and the hardest
    choices: at each step, the poor choice (below the step's best) chosen most. "People"
    are those who finished a scenario, or answered a step, for the first time in the
    period: a step or scenario shows once at least ``MIN_GROUP`` of them did."""
    figures = totals(
        scope.rollups.filter(measures("#scenario.") | measures("#choice")),
        period,
    )
    scenarios: dict[tuple[int, str], dict[str, int]] = defaultdict(
        lambda: {"finished": 0, "score": 0, "passed": 0, "people": 0}
    )
    steps: dict[tuple[int, str, str], dict[int, int]] = defaultdict(dict)
    step_people: dict[tuple[int, str, str], int] = {}
    for measure, (count, amount) in figures.items():
        kind = measure.split(":", 1)[0]
        if kind.startswith("#scenario."):
            lesson, block_id = _split(measure, 2)
            row = scenarios[(int(lesson), block_id)]
            row[kind.removeprefix("#scenario.")] += count
            if kind == "#scenario.finished":
                row["score"] += amount
        elif kind == "#choice":
            lesson, block_id, index, step_id = _split(measure, 4)
            steps[(int(lesson), block_id, step_id)][int(index)] = count
        elif kind == "#choice.people":
            lesson, block_id, step_id = _split(measure, 3)
            step_people[(int(lesson), block_id, step_id)] = count
    lessons = _lessons([key[0] for key in scenarios] + [key[0] for key in steps])
    scores = Table(
        "scenarios",
        gettext("Scenarios finished in the period"),
        [
            gettext("Scenario"),
            gettext("People (first finish)"),
            gettext("Attempts"),
            gettext("Average score (%)"),
            gettext("Passed (%)"),
        ],
    )
    listed = []
    for (lesson_id, block_id), row in scenarios.items():
        title = _scenario_title(lessons.get(lesson_id), block_id)
        if title is not None and row["people"] >= MIN_GROUP and row["finished"]:
            listed.append([title, row["people"], row["finished"],
                           round(row["score"] / row["finished"]),
                           _percent(row["passed"], row["finished"])])  # fmt: skip
    scores.rows = sorted(listed, key=lambda cells: cells[0])
    distribution = Table(
        "choices",
        gettext("Every choice at every scenario step in the period"),
        [
            gettext("Scenario"),
            gettext("Step"),
            gettext("Choice"),
            gettext("Points"),
            gettext("Chosen"),
            gettext("Of the step's choices (%)"),
        ],
        folded=True,
    )
    hardest = Table(
        "hardest-choices",
        gettext("Hardest choices: at each step, the poor choice people made most"),
        [
            gettext("Scenario"),
            gettext("Step"),
            gettext("Poor choice"),
            gettext("Chosen (%)"),
            gettext("Best choice's points"),
            gettext("Edit"),
        ],
    )
    candidates = []
    hidden = 0
    shown = []
    for (lesson_id, block_id, step_id), chosen in steps.items():
        if step_people.get((lesson_id, block_id, step_id), 0) < MIN_GROUP:
            hidden += 1
            continue
        page = lessons.get(lesson_id)
        title = _scenario_title(page, block_id)
        if title is None:
            continue  # the lesson is gone
        value = _block(page, block_id, "scenario")
        step = ScenarioBlock.scenario(value).step(step_id) if value is not None else None
        options = step.choices if step is not None else []
        where = (Truncator(strip_tags(str(step.situation))).chars(90) if step is not None
                 else "") or step_id  # fmt: skip
        shown.append((title, step_id, where, lesson_id, chosen, options))
    for title, _, where, lesson_id, chosen, options in sorted(shown, key=lambda row: row[:2]):
        total = sum(chosen.values())
        rows: list[dict[str, Any]] = [
            {"label": options[index].label if index < len(options)
                else gettext("Choice %(number)s (no longer in the scenario)")
                % {"number": index + 1},
             "score": options[index].score if index < len(options) else None,
             "chosen": count}
            for index, count in sorted(chosen.items())
        ]  # fmt: skip
        for row in rows:
            distribution.rows.append([title, where, row["label"], row["score"], row["chosen"],
                                      _percent(row["chosen"], total)])  # fmt: skip
        if not options:
            continue  # without the step, no one can say which choice was poor
        best = max(choice.score for choice in options)
        poor = [row for row in rows if row["score"] is not None and row["score"] < best]
        if poor:
            worst = max(poor, key=lambda row: (row["chosen"], -row["score"]))
            candidates.append((_percent(worst["chosen"], total) or 0, title, where,
                               worst["label"], best, lesson_id))  # fmt: skip
    for share, title, where, label, best, lesson_id in sorted(
        candidates, key=lambda item: (-item[0], item[1], item[2])
    )[:10]:
        hardest.rows.append([title, where, label, share, best, _edit_url(lesson_id)])
    if hidden:
        distribution.note = hardest.note = ngettext(
            "%(count)s step answered for the first time by fewer than %(min)s people in the "
            "period is not shown.",
            "%(count)s steps answered for the first time by fewer than %(min)s people in the "
            "period are not shown.",
            hidden,
        ) % {"count": hidden, "min": MIN_GROUP}
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


def quiz_table(*, scope: Scope, period: Period) -> Table:
    """Per quiz question: difficulty and discrimination, from first attempts made in the
    period (counted by answer pattern in the rollups)."""
    table = Table(
        "quiz-questions",
        gettext("Quiz questions: first attempts in the period"),
        [
            gettext("Quiz"),
            gettext("Question"),
            gettext("People"),
            gettext("Right (difficulty, %)"),
            gettext("Discrimination"),
            gettext("Edit"),
        ],
    )
    first: dict[tuple[int, str], list[tuple]] = defaultdict(list)
    for measure, (count, _) in totals(scope.rollups.filter(measures("#quiz:")), period).items():
        lesson, block_id, answers = _split(measure, 3)
        first[(int(lesson), block_id)].append((parse_answers(answers), count))
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
        table.note = ngettext(
            "%(count)s quiz taken by fewer than %(min)s people in the period is not shown.",
            "%(count)s quizzes taken by fewer than %(min)s people in the period are not shown.",
            hidden,
        ) % {"count": hidden, "min": MIN_GROUP}
    return table


def comments_table(*, people: QuerySet[User] | None) -> Table:
    """The latest comments of each course with at least ``MIN_GROUP`` ratings, without
    names (five per course)."""
    table = Table(
        "comments",
        gettext("What learners said (latest, unnamed)"),
        [gettext("Course"), gettext("Rating"), gettext("Comment")],
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


def outcomes_table(*, scope: Scope) -> Table:
    """Per course: the shares of the people who completed it, before and after they did
    (average quality, readers per share), from the rollups' outcome facts. A side needs
    shares by ``MIN_GROUP`` people."""
    table = Table(
        "outcomes",
        gettext("Does training change sharing? Shares before and after completing each course"),
        [
            gettext("Course"),
            gettext("Shares before"),
            gettext("Quality before"),
            gettext("Readers per share before"),
            gettext("Shares after"),
            gettext("Quality after"),
            gettext("Readers per share after"),
        ],
    )
    sides = ("before", "after")
    figures: dict[int, dict[str, list[int]]] = defaultdict(
        lambda: {side: [0, 0, 0, 0] for side in sides}  # shares, readers, sharers, quality
    )
    for measure, (count, amount) in totals(
        scope.rollups.filter(measures("#outcome")), Period(date.min, date.max, "")
    ).items():
        kind, course, side = measure.split(":")
        if side not in sides:
            continue
        row = figures[int(course)][side]
        if kind == "#outcome":
            row[0], row[1] = count, amount
        else:
            row[2], row[3] = count, amount
    for course_id, title in _courses(figures).items():
        cells: list = [title]
        for side in sides:
            shares, readers, sharers, quality = figures[course_id][side]
            if shares and sharers >= MIN_GROUP:
                cells += [shares, round(quality / shares), round(readers / shares, 2)]
            else:
                cells += [None, None, None]
        if any(cell is not None for cell in cells[1:]):
            table.rows.append(cells)
    table.note = gettext(
        "Each side counts the shares of people who completed the course; a side with shares "
        "by fewer than %(min)s people is left empty."
    ) % {"min": MIN_GROUP}
    return table


def section(*, scope: Scope, period: Period) -> Section:
    return Section(
        "training",
        gettext("Training"),
        gettext(
            "Where people stall, which choices and questions are hard, and whether training "
            "moves how people share."
        ),
        tables=[
            courses_table(scope=scope, period=period),
            unlock_table(scope=scope, period=period),
            *scenario_tables(scope=scope, period=period),
            quiz_table(scope=scope, period=period),
            comments_table(people=scope.narrowing),
            outcomes_table(scope=scope),
        ],
    )
