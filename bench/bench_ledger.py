"""How fast the activity ledger records, and what a repeated key costs.

Prints records per second for new statements and for repeats of existing keys, each
inside its own transaction (as a request would), on a scratch database.
Run: .venv/bin/python bench/bench_ledger.py   (DATABASE_URL=... for PostgreSQL)
"""

import time

from _setup import django_with_scratch_database

django_with_scratch_database()

from django.db import connection, transaction  # noqa: E402

from portal.activity.services import activity_record  # noqa: E402
from portal.activity.verbs import POINTS_ADJUSTED  # noqa: E402
from portal.people.models import User  # noqa: E402

PEOPLE = 200
RECORDS = 5_000


def main() -> None:
    people = [User.objects.create_user(email=f"bench{n}@example.com") for n in range(PEOPLE)]

    def record(number: int) -> bool:
        with transaction.atomic():
            return activity_record(
                actor=people[number % PEOPLE],
                verb=POINTS_ADJUSTED.id,
                key=f"bench:{number}",
                points=5,
            ).created

    started = time.perf_counter()
    assert all(record(n) for n in range(RECORDS))
    new_seconds = time.perf_counter() - started

    started = time.perf_counter()
    assert not any(record(n) for n in range(RECORDS))
    repeat_seconds = time.perf_counter() - started

    print(f"database: {connection.vendor}")
    print(f"new statements:   {RECORDS} in {new_seconds:.2f} s = {RECORDS / new_seconds:,.0f}/s")
    print(
        f"repeated keys:    {RECORDS} in {repeat_seconds:.2f} s = "
        f"{RECORDS / repeat_seconds:,.0f}/s (nothing written)"
    )


if __name__ == "__main__":
    main()
