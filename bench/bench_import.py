"""How long importing people takes: a first import, then the same file again.

Builds a CSV of 20,000 people (BENCH_PEOPLE to change) in 10 departments and 50 teams
with managers, and prints
the time for validation plus the writes, and for a re-import that changes nothing.
Two shapes that were quadratic are measured too: 1,000 teams whose names make the same
slug, and one reporting chain of 20,000 people. For each, the time inside the write
transaction (on SQLite, how long other writers wait) is printed beside the total.
Run: .venv/bin/python bench/bench_import.py   (DATABASE_URL=... for PostgreSQL)
"""

import csv
import io
import os
import time

from _setup import django_with_scratch_database

django_with_scratch_database()

from django.db import connection  # noqa: E402

from portal.people import importing  # noqa: E402
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


def similar_teams_csv(teams: int = 1000) -> bytes:
    """One person in each of ``teams`` teams named "Alpha", "Alpha !", "Alpha ?!", ..."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "first_name", "last_name", "department", "team"])
    for n in range(teams):
        name = f"Alpha {'!' * (n % 10)}{'?' * (n // 10 % 10)}{'#' * (n // 100)}".strip()
        writer.writerow([f"s{n}@example.com", "S", str(n), "Similar", name])
    return out.getvalue().encode()


def chain_csv(people: int = PEOPLE) -> bytes:
    """Everyone reports to the next person: one chain ``people`` long."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "first_name", "last_name", "manager_email"])
    for n in range(people):
        manager = f"c{n + 1}@example.com" if n + 1 < people else ""
        writer.writerow([f"c{n}@example.com", "C", str(n), manager])
    return out.getvalue().encode()


def timed(data: bytes) -> tuple[str, float, float]:
    """(summary, total seconds, the longest time one write transaction took: on SQLite,
    how long other writers wait at most)."""
    parts: list[float] = []
    write = importing._write_people

    def timed_write(rows, report):
        started = time.perf_counter()
        try:
            return write(rows, report)
        finally:
            parts.append(time.perf_counter() - started)

    importing._write_people = timed_write
    try:
        started = time.perf_counter()
        report = import_people(data=data)
        total = time.perf_counter() - started
    finally:
        importing._write_people = write
    return report.summary(), total, max(parts)


def main() -> None:
    for name, data in (("similar team names", similar_teams_csv()), ("chain", chain_csv())):
        summary, total, writing = timed(data)
        print(f"{name}: {summary} in {total:.2f} s, longest write transaction {writing:.2f} s")
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
