"""Shared set-up for benchmarks: a throw-away migrated database, never the real one."""

import atexit
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_with_scratch_database() -> None:
    """Configure Django on a fresh database: a temporary SQLite file by default, or a
    ``bench_``-prefixed database next to the one ``DATABASE_URL`` names."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    if not os.environ.get("DATABASE_URL"):
        scratch = Path(tempfile.mkdtemp(prefix="advocate-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if connection.vendor == "sqlite":
        # The test settings name a test database file of their own; never share it with
        # a test run that may be going on at the same time.
        connection.settings_dict["TEST"]["NAME"] = connection.settings_dict["NAME"]
    else:
        connection.settings_dict["TEST"]["NAME"] = "bench_advocate_portal"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    atexit.register(connection.creation.destroy_test_db, old_name, verbosity=0)


def server_environment(**extra: str) -> dict[str, str]:
    """The environment for a daphne worker serving the scratch database (call after
    ``django_with_scratch_database``), with ``extra`` variables on top."""
    from django.conf import settings
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        url = f"sqlite:///{name}"
    else:
        url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def people_in_teams(
    count: int,
    *,
    departments: int,
    teams: int,
    email: str = "p{n}@example.com",
    password: str = "",
    onboarded_at=None,
) -> list:
    """``count`` people (bulk created), spread over ``teams`` teams in ``departments``
    departments, each with a profile naming both; returns the users."""
    from portal.people.models import Department, Profile, Team, User

    made = Department.objects.bulk_create(
        [Department(name=f"Department {n}", slug=f"department-{n}") for n in range(departments)]
    )
    groups = Team.objects.bulk_create(
        [
            Team(department=made[n % departments], name=f"Team {n}", slug=f"team-{n}")
            for n in range(teams)
        ]
    )
    users = User.objects.bulk_create(
        (User(email=email.format(n=n), password=password) for n in range(count)),
        batch_size=5000,
    )
    Profile.objects.bulk_create(
        (
            Profile(
                user=user,
                team=groups[i % teams],
                department=groups[i % teams].department,
                onboarded_at=onboarded_at,
            )
            for i, user in enumerate(users)
        ),
        batch_size=5000,
    )
    return users


def points_statements(rows) -> None:
    """Ledger statements of points, bulk loaded: ``rows`` yields (actor id, points,
    timestamp, key). Each is a ``points.adjusted`` statement, as an admin's adjustment."""
    from portal.activity.models import Activity
    from portal.bulk import bulk_insert

    bulk_insert(
        Activity._meta.db_table,
        ["actor_id", "verb", "object_id", "object_label", "points", "result", "context",
         "timestamp", "key"],
        ((actor, "points.adjusted", "", "", points, "{}", "{}", timestamp, key)
         for actor, points, timestamp, key in rows),
    )  # fmt: skip


def cpu_seconds(processes) -> float:
    """The user and system CPU-seconds ``processes`` (psutil's) have used so far; one
    that has exited counts nothing."""
    import contextlib

    import psutil

    total = 0.0
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += sum(process.cpu_times()[:2])
    return total
