"""How long the training pages take to render, and how many queries they make.

Builds a course of 40 lessons (each with a scenario and a quiz), 1,000 other learners
enrolled with completions, and one learner half-way through; then times the course
page, a lesson page, the progress page and one scenario choice through Django's test
client (the whole request: middleware, templates, queries), on a scratch database.
Run: .venv/bin/python bench/bench_courses.py   (DATABASE_URL=... for PostgreSQL)
"""

import statistics
import time

from _setup import django_with_scratch_database

django_with_scratch_database()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from courses.models import Enrolment, LessonCompletion, ScenarioAttempt  # noqa: E402
from courses.services import course_enrol, lesson_complete  # noqa: E402
from portal.people.models import Profile, User  # noqa: E402
from tests.courses.factories import (  # noqa: E402
    block,
    course_with_lessons,
    quiz_value,
    scenario_value,
)

LESSONS = 40
OTHERS = 1_000
RUNS = 30


def timed(client: Client, method: str, url: str, data=None) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = getattr(client, method)(url, data or {})
        elapsed = time.perf_counter() - started
    assert response.status_code in (200, 302), (url, response.status_code)
    return elapsed * 1000, len(queries)


def report(name: str, samples: list[tuple[float, int]]) -> None:
    times = sorted(ms for ms, _ in samples)
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"{name:<28} median {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms   "
        f"queries {samples[-1][1]}"
    )


def main() -> None:
    body = [block("paragraph", "<p>Read this first.</p>"), block("scenario", scenario_value()),
            block("quiz", quiz_value())]  # fmt: skip
    course, lessons = course_with_lessons(lessons=[body] * LESSONS)
    now = timezone.now()
    others = User.objects.bulk_create([User(email=f"other{n}@example.com") for n in range(OTHERS)])
    Profile.objects.bulk_create([Profile(user=u, onboarded_at=now) for u in others])
    Enrolment.objects.bulk_create(
        [Enrolment(user=u, course=course, started_at=now) for u in others]
    )
    LessonCompletion.objects.bulk_create(
        [LessonCompletion(user=u, lesson=lessons[0], course=course, completed_at=now)
         for u in others]
    )  # fmt: skip

    learner = User.objects.create_user(email="learner@example.com")
    Profile.objects.create(user=learner, onboarded_at=now)
    course_enrol(user=learner, course=course)
    reading = course_with_lessons(title="Reading", lessons=[[block("paragraph", "<p>Hi</p>")]])
    lesson_complete(user=learner, lesson=reading[1][0])
    client = Client()
    client.force_login(learner)
    lesson = lessons[20]
    scenario_id = next(c.id for c in lesson.body if c.block_type == "scenario")

    for url in (course.url, lesson.url, "/me/training/"):
        client.get(url)  # warm caches
    report("course page (40 lessons)", [timed(client, "get", course.url) for _ in range(RUNS)])
    report("lesson page", [timed(client, "get", lesson.url) for _ in range(RUNS)])
    report("progress page", [timed(client, "get", "/me/training/") for _ in range(RUNS)])

    samples = []
    for _ in range(RUNS):
        timed(client, "post", f"{lesson.url}scenario/{scenario_id}/start/")
        attempt = ScenarioAttempt.objects.filter(user=learner, status="open").get()
        samples.append(
            timed(
                client,
                "post",
                f"{lesson.url}scenario/{scenario_id}/choose/",
                {"attempt": attempt.pk, "step": "start", "position": 0, "choice": 0},
            )
        )
    report("scenario choice (post)", samples)
    print(f"database: {connection.vendor}; {OTHERS:,} other learners, {LESSONS} lessons")


if __name__ == "__main__":
    main()
