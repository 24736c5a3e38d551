"""How fast the programme dashboard is at scale, for a programme admin and a manager.

Generates BENCH_PEOPLE people (default 100,000) in 20 departments, teams of 50, 30
locations and 40 job roles; BENCH_ROWS ledger statements (default 10,000,000) of every
kind the dashboard counts, over BENCH_DAYS days (default 365); shares with BENCH_CLICKS
unique readers (default 1,000,000) in their daily figures; a course with a scenario and a
quiz that 60% of people took; four targets. Bulk inserts, no services: the generator
writes what the services would, then the milestones and the rollups (statements and
facts) are rebuilt from the ledger and the tables with ``rebuild_rollups`` (timed: that
is the rebuild at this size).

Then it times ``GET /programme/`` through Django's test client (middleware, every
section, the template), for a programme admin and for a manager of two teams, over this
month and over a year: p50 and p95 of BENCH_SAMPLES requests (default 20) after a warm-up,
and the number of queries.

Run: .venv/bin/python bench/dashboard.py   (DATABASE_URL=... for PostgreSQL; smaller
sizes with BENCH_PEOPLE=10000 BENCH_ROWS=1000000 BENCH_CLICKS=100000)
"""

import json
import os
import random
import statistics
import time
from datetime import timedelta

from _setup import django_with_scratch_database

django_with_scratch_database()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402

from courses.models import (  # noqa: E402
    CourseFeedback,
    Enrolment,
    QuizAttempt,
    ScenarioAttempt,
    ScenarioChoice,
)
from portal.activity.models import Activity  # noqa: E402
from portal.bulk import bulk_insert  # noqa: E402
from portal.measurement.models import Kpi, Target  # noqa: E402
from portal.measurement.rollups import rollups_rebuild  # noqa: E402
from portal.measurement.services import milestones_rebuild  # noqa: E402
from portal.people.models import Department, Profile, Team, User  # noqa: E402
from portal.people.services import Role, role_add  # noqa: E402
from portal.people.twofactor import STATE_KEY, two_factor_required  # noqa: E402
from portal.sharing.models import ContentItem, Kind, Share, ShareDay  # noqa: E402
from tests.conftest import two_factor_device  # noqa: E402
from tests.courses.factories import (  # noqa: E402
    block,
    course_with_lessons,
    quiz_value,
    scenario_value,
)

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "100000"))
ROWS = int(os.environ.get("BENCH_ROWS", "10000000"))
CLICKS = int(os.environ.get("BENCH_CLICKS", "1000000"))
DAYS = int(os.environ.get("BENCH_DAYS", "365"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "20"))
TEAM_SIZE = 50
rng = random.Random(16)

# verb, share of the statements, points, result
VERBS = [
    ("lesson.completed", 0.25, 10, dict),
    ("content.shared", 0.10, 5, lambda: {"network": rng.choice(["linkedin", "x", "facebook"])}),
    ("share.clicked", 0.35, 1, lambda: {"network": rng.choice(["linkedin", "x", "facebook"])}),
    ("share.quality", 0.06, 5, lambda: {"step": rng.choice([25, 50, 75, 100])}),
    ("badge.earned", 0.05, 0, dict),
    ("recognition.received", 0.05, 10, lambda: {"kind": rng.choice(["kudos", "recognition"])}),
    ("level.reached", 0.02, 0, lambda: {"level": rng.choice(["Curator", "Storyteller"])}),
    ("mentoring.checkin", 0.04, 5, dict),
    ("course.completed", 0.04, 50, dict),
    ("workshop.contributed", 0.04, 5, dict),
]


def generate() -> dict:
    started = time.perf_counter()
    now = timezone.now()
    departments = Department.objects.bulk_create(
        [Department(name=f"Department {n}", slug=f"department-{n}") for n in range(20)]
    )
    team_count = max(1, PEOPLE // TEAM_SIZE)
    teams = Team.objects.bulk_create(
        [Team(department=departments[n % 20], name=f"Team {n}", slug=f"team-{n}")
         for n in range(team_count)]
    )  # fmt: skip
    users = []
    for start in range(0, PEOPLE, 10_000):
        users += User.objects.bulk_create(
            [User(email=f"p{n}@example.com", date_joined=now - timedelta(days=DAYS + 30))
             for n in range(start, min(PEOPLE, start + 10_000))]
        )  # fmt: skip
    ids = [user.pk for user in users]
    Profile.objects.bulk_create(
        (Profile(user=user, team=teams[i // TEAM_SIZE % team_count],
                 department=teams[i // TEAM_SIZE % team_count].department,
                 location=f"Site {i // TEAM_SIZE % 30}", job_role=f"Role {i % 40}",
                 cohort=f"Wave {i % 4 + 1}", onboarded_at=now - timedelta(days=DAYS))
         for i, user in enumerate(users)),
        batch_size=10_000,
    )  # fmt: skip
    print(f"  {PEOPLE:,} people in {team_count:,} teams: {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    weights = [share for _, share, _, _ in VERBS]
    seconds = DAYS * 86400

    def statements():
        for n, person in enumerate(ids):  # everyone onboarded once
            yield (person, "onboarding.completed", "", "", 0, "{}", "{}",
                   now - timedelta(days=DAYS, seconds=n % 86400), f"o{n}")  # fmt: skip
        for n in range(max(0, ROWS - len(ids))):
            verb, _, points, result = rng.choices(VERBS, weights)[0]
            yield (rng.choice(ids), verb, "", "", points, json.dumps(result()), "{}",
                   now - timedelta(seconds=rng.randint(0, seconds)), f"b{n}")  # fmt: skip

    rows = bulk_insert(
        Activity._meta.db_table,
        ["actor_id", "verb", "object_id", "object_label", "points", "result", "context",
         "timestamp", "key"],
        statements(),
    )  # fmt: skip
    print(f"  {rows:,} ledger statements: {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    items = ContentItem.objects.bulk_create(
        [ContentItem(title=f"Item {n}", url=f"https://example.com/{n}",
                     kind=Kind.OWN if n % 3 == 0 else Kind.CURATED, live=True,
                     caption_linkedin="x", show_from=now - timedelta(days=DAYS + 1))
         for n in range(200)]
    )  # fmt: skip
    share_count = max(1, CLICKS // 5)
    bulk_insert(
        Share._meta.db_table,
        ["user_id", "item_id", "network", "caption", "code", "created_at", "personal_touch",
         "balance", "relevance", "clicks", "previews", "self_clicks", "requests",
         "conversions", "quality", "quality_step"],
        ((ids[n % len(ids)], items[n // len(ids) % len(items)].pk,
          ["linkedin", "x", "facebook"][n % 3], "x", f"c{n:010d}",
          now - timedelta(seconds=rng.randint(0, seconds)), 0.5, 0.5, 0.5, 5, 2, 0, 9,
          int(n % 50 == 0), rng.randint(10, 90), 50)
         for n in range(share_count)),
    )  # fmt: skip
    shares = list(Share.objects.values_list("pk", "created_at"))
    bulk_insert(
        ShareDay._meta.db_table,
        ["share_id", "day", "clicks", "previews", "requests", "self_clicks", "conversions"],
        ((pk, timezone.localdate(created + timedelta(days=offset)), 5 - 2 * offset, 1, 4, 0,
          int(offset == 0 and pk % 50 == 0))
         for pk, created in shares for offset in (0, 1)),
    )  # fmt: skip
    print(f"  {share_count:,} shares with {CLICKS:,} readers: "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip

    started = time.perf_counter()
    course, (lesson,) = course_with_lessons(
        lessons=[[block("scenario", scenario_value()), block("quiz", quiz_value())]]
    )
    scenario_id, quiz_id = (child.id for child in lesson.body)
    learners = ids[: int(len(ids) * 0.6)]
    bulk_insert(
        Enrolment._meta.db_table, ["user_id", "course_id", "started_at", "completed_at"],
        ((person, course.pk, now - timedelta(days=rng.randint(20, DAYS)),
          now - timedelta(days=rng.randint(0, 19)) if n % 5 else None)
         for n, person in enumerate(learners)),
    )  # fmt: skip
    bulk_insert(
        ScenarioAttempt._meta.db_table,
        ["user_id", "lesson_id", "block_id", "title", "status", "current_step", "position",
         "score", "best_possible", "percentage", "passed", "started_at", "finished_at"],
        ((person, lesson.pk, scenario_id, "Reply to a complaint", "finished", "", 2,
          4 if n % 3 else 1, 4, 100 if n % 3 else 25, n % 3 != 0,
          now - timedelta(days=n % DAYS, hours=1), now - timedelta(days=n % DAYS))
         for n, person in enumerate(learners)),
    )  # fmt: skip
    # Read before the COPY starts: a connection in COPY runs no other query.
    attempts = list(ScenarioAttempt.objects.values_list("pk", "finished_at", "score"))
    bulk_insert(
        ScenarioChoice._meta.db_table,
        ["attempt_id", "position", "step_id", "choice_index", "label", "feedback", "score",
         "chosen_at"],
        ((pk, position, step, 0 if score == 4 or position else 1,
          ["Thank them", "Argue"][0 if score == 4 or position else 1] if position == 0
          else "Offer help in private", "", 2 if score == 4 or position else 0, finished)
         for pk, finished, score in attempts
         for position, step in ((0, "start"), (1, "second"))),
    )  # fmt: skip
    bulk_insert(
        QuizAttempt._meta.db_table,
        ["user_id", "lesson_id", "block_id", "title", "answers", "correct", "questions",
         "percentage", "passed", "submitted_at"],
        ((person, lesson.pk, quiz_id, "Check yourself",
          json.dumps([[1], [0, 1]] if n % 4 else [[0], [2]]), 2 if n % 4 else 0, 2,
          100 if n % 4 else 0, n % 4 != 0, now - timedelta(days=n % DAYS))
         for n, person in enumerate(learners)),
    )  # fmt: skip
    bulk_insert(
        CourseFeedback._meta.db_table, ["user_id", "course_id", "rating", "comment", "updated_at"],
        ((person, course.pk, 3 + n % 3, "Useful" if n % 7 == 0 else "", now)
         for n, person in enumerate(learners[::3])),
    )  # fmt: skip
    today = timezone.localdate()
    Target.objects.bulk_create([
        Target(objective="Reach", kpi=Kpi.CLICKS, value=100_000, cadence="monthly", starts=today),
        Target(objective="Reach", kpi=Kpi.SHARES, value=50_000, cadence="monthly", starts=today),
        Target(objective="Grow", kpi=Kpi.ACTIVE, value=60_000, cadence="by_date",
               starts=today - timedelta(days=90), due=today + timedelta(days=90)),
        Target(objective="Grow", kpi=Kpi.UNLOCKED, value=80_000, cadence="by_date",
               starts=today - timedelta(days=90), due=today + timedelta(days=90)),
    ])  # fmt: skip
    print(f"  training by {len(learners):,} people, targets: "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    return {"ids": ids, "teams": teams}


def timed(client: Client, url: str, label: str) -> None:
    for _ in range(2):  # warm-up: caches, the session, the settings
        assert client.get(url).status_code == 200
    times = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    settings.DEBUG = True
    reset_queries()
    client.get(url)
    queries = len(connection.queries)
    settings.DEBUG = False
    times.sort()
    p50, p95 = statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]
    print(f"{label:<30} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   {queries} queries")


def main() -> None:
    print(f"generating ({connection.vendor}):")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a scratch database: no need to survive a crash
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA journal_mode = MEMORY")
    with transaction.atomic():
        data = generate()
    started = time.perf_counter()
    milestones_rebuild()
    rollups_rebuild()
    print(f"rebuild_rollups (milestones and daily rollups) from {ROWS:,} statements: "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    admin = User.objects.create(email="admin@example.com", is_staff=True)
    Profile.objects.create(user=admin, onboarded_at=timezone.now())
    role_add(user=admin, role=Role.PROGRAMME_ADMIN)
    manager = User.objects.get(pk=data["ids"][0])
    for team in data["teams"][:2]:
        team.managers.add(manager)
    today = timezone.localdate()
    year = f"?period=custom&start={today - timedelta(days=364)}&end={today}"
    for viewer, who in ((admin, "programme admin"), (manager, "manager of 2 teams")):
        client = Client()
        client.force_login(viewer)
        if two_factor_required(viewer):  # signed in with the code, as admins must be
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = two_factor_device(viewer).persistent_id
            session[STATE_KEY] = {"device": True, "required": True}
            session.save()
        timed(client, "/programme/?period=month", f"{who}, this month")
        timed(client, f"/programme/{year}", f"{who}, a year")
    print(f"database: {connection.vendor}")


if __name__ == "__main__":
    main()
