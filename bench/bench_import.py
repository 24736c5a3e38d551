"""How long importing people takes: a first import, then the same file again.

Builds a CSV of 20,000 people (BENCH_PEOPLE to change) in 10 departments and 50 teams
with managers, and prints
the time for validation plus the writes, and for a re-import that changes nothing.
Run: .venv/bin/python bench/bench_import.py   (DATABASE_URL=... for PostgreSQL)
"""

import csv
import io
import os
import time

from _setup import django_with_scratch_database

django_with_scratch_database()

from django.db import connection  # noqa: E402

from portal.people.importing import import_people  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "20000"))


def people_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "first_name", "last_name", "department", "team", "manager_email"])
    for n in range(PEOPLE):
        team = n % 50
        department = team % 10
        # Person 0..49 lead the teams; everyone else reports to their team's lead.
        manager = "" if n < 50 else f"p{team}@example.com"
        writer.writerow(
            [f"p{n}@example.com", f"First{n}", f"Last{n}", f"Dept {department}",
             f"Team {team}", manager]
        )  # fmt: skip
    return out.getvalue().encode()


def main() -> None:
    data = people_csv()
    started = time.perf_counter()
    first = import_people(data=data)
    first_seconds = time.perf_counter() - started
    started = time.perf_counter()
    again = import_people(data=data)
    again_seconds = time.perf_counter() - started
    print(f"database: {connection.vendor}, file: {len(data):,} bytes, {PEOPLE:,} people")
    print(f"first import: {first.summary()} in {first_seconds:.2f} s")
    print(f"same file:    {again.summary()} in {again_seconds:.2f} s")


if __name__ == "__main__":
    main()
