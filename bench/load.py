"""Pages under load: simulated advocates (``bench/locustfile.py``, run by locust) against
the scale-out topology of ``deploy/scale_out.py`` (Debian's nginx in front of 4 daphne
workers and the background worker) on PostgreSQL and Redis.

Seeds a scratch database (BENCH_PEOPLE accounts, default 1,000, onboarded, in 20 teams,
with some history on the boards, nine in ten with a signed-in session and one in ten
signing in with the password; a course whose lesson has a scenario; 10 hub items; 5
badges), then, for each number of simulated people, runs the scenario with think time
for BENCH_SECONDS (default 120) after everyone has arrived, and prints p50 / p95 per
page, failures, steps that raised, requests per second and the CPU-seconds of each
part of the topology. Then capacity: the same mix with no think time, and a minimal
Django view (``/healthz/live``) as fast as it answers, each with 50 simulated people
for 30 s, in requests per second per core. SIGTERM or Ctrl-C stops the topology too.
Run: make load   (or: DATABASE_URL=postgres://... REDIS_URL=redis://...
     .venv/bin/python bench/load.py --people 200 500 1000); needs .venv-locust.
"""

import argparse
import csv
import json
import os
import resource
import secrets
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from _setup import (
    ROOT,
    cpu_seconds,
    django_with_scratch_database,
    people_in_teams,
    points_statements,
    server_environment,
)

django_with_scratch_database()

import psutil  # noqa: E402
from django.contrib.auth.hashers import PBKDF2PasswordHasher  # noqa: E402
from django.utils import timezone  # noqa: E402

from courses.models import ScenarioAttempt  # noqa: E402
from deploy.scale_out import Topology, setup  # noqa: E402
from portal.sharing.models import Share  # noqa: E402
from tests.badges.factories import badge  # noqa: E402
from tests.courses.factories import block, course_with_lessons, scenario_value  # noqa: E402
from tests.people.factories import signed_in  # noqa: E402
from tests.sharing.factories import content_item  # noqa: E402

LOCUST = ROOT / ".venv-locust" / "bin" / "locust"
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "1000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "120"))
# Most people come back with the session their browser kept (two weeks, or the company's
# single sign-on); one in SIGNING_IN signs in with a password during the run.
SIGNING_IN = int(os.environ.get("LOAD_SIGNING_IN", "10"))
ARRIVALS_PER_SECOND = int(os.environ.get("LOAD_ARRIVALS_PER_SECOND", "10"))


def seed(folder: Path) -> Path:
    started = time.perf_counter()
    password = secrets.token_urlsafe(12)
    hashed = PBKDF2PasswordHasher().encode(password, secrets.token_hex(8))
    now = timezone.now()
    users = people_in_teams(PEOPLE, departments=5, teams=20, email="advocate{n}@example.com",
                            password=hashed, onboarded_at=now)  # fmt: skip
    points_statements((user.pk, 5 + n % 50, now, f"seed{n}") for n, user in enumerate(users))
    # The boards: the background worker builds the rank store from the ledger at start.
    _course, [lesson] = course_with_lessons(
        lessons=[[block("scenario", scenario_value()), block("paragraph", "<p>Read.</p>")]]
    )
    items = [content_item(title=f"Item {n}").pk for n in range(10)]
    badges = [badge(name=f"Badge {n}").slug for n in range(5)]
    world = folder / "world.json"
    world.write_text(json.dumps({
        "accounts": [[user.email, "" if n % SIGNING_IN == 0 else signed_in(user)]
                     for n, user in enumerate(users)],
        "password": password,
        "lesson": lesson.url, "scenario": lesson.body[0].id, "items": items, "badges": badges,
    }))  # fmt: skip
    print(f"seeded {PEOPLE:,} people in {time.perf_counter() - started:.1f} s", flush=True)
    return world


def _cpu_seconds(topology) -> dict[str, float]:
    """CPU-seconds so far: the whole machine, and the topology's long-lived processes by
    kind (PostgreSQL's backends come and go, so the database is counted as the rest)."""
    kinds: dict[str, list[psutil.Process]] = {"daphne workers": [], "background worker": [],
                                              "nginx": []}  # fmt: skip
    for child in topology.processes:
        process = psutil.Process(child.pid)
        command = " ".join(process.cmdline())
        kind = ("daphne workers" if "daphne" in command
                else "background worker" if "worker" in command else "nginx")  # fmt: skip
        kinds[kind] += [process, *process.children(recursive=True)]
    machine = psutil.cpu_times()
    busy = machine.user + machine.system + machine.nice + machine.softirq + machine.irq
    return {"machine": busy, **{kind: cpu_seconds(found) for kind, found in kinds.items()}}


def locust(topology, world: Path, folder: Path, *, people: int, seconds: int, **env) -> dict:
    """Run locust headless; its statistics per request name, and under ``"cpu"`` the
    CPU-seconds each part of the topology used during the run."""
    prefix = folder / f"run-{people}-{secrets.token_hex(3)}"
    # People arrive over a minute or two, not all at once: a sign-in is PBKDF2 at
    # 1,000,000 iterations, about half a CPU-second, so 10 arrivals a second (one of them
    # signing in) already take a quarter of two cores.
    spawn = max(1, min(people // 20, ARRIVALS_PER_SECOND))
    cpu_before = _cpu_seconds(topology)
    locust_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    length = seconds + people // spawn
    try:
        subprocess.run(  # noqa: S603 - our own programs and arguments
            [str(LOCUST), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
             "-u", str(people), "-r", str(spawn), "-t", f"{length}s", "--stop-timeout", "5",
             "--host", topology.url, "--csv", str(prefix), "--only-summary",
             "--loglevel", "ERROR"],
            env={**os.environ, "LOAD_ACCOUNTS": str(world), **env}, check=False,
            stdout=subprocess.DEVNULL, stderr=open(f"{prefix}.log", "w"),  # noqa: SIM115
            timeout=length + 30,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        # Seen with no think time: a simulated person locust did not stop kept going
        # for minutes. Its statistics files are written every second.
        print(f"  (locust overran its {length} s by 30 s and was stopped)", flush=True)
    cpu = {kind: used - cpu_before[kind] for kind, used in _cpu_seconds(topology).items()}
    locust_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu["locust"] = (locust_after.ru_utime - locust_before.ru_utime
                     + locust_after.ru_stime - locust_before.ru_stime)  # fmt: skip
    cpu["PostgreSQL, Redis and the rest"] = cpu.pop("machine") - sum(cpu.values())
    with open(f"{prefix}_exceptions.csv") as crashes:
        # A step that raised (no request recorded for it): the scenario itself failed.
        crashed = sum(int(row["Count"]) for row in csv.DictReader(crashes))
    with open(f"{prefix}_stats.csv") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    return {"cpu": cpu, "crashed": crashed, **rows}


def print_cpu(cpu: dict[str, float]) -> None:
    total = sum(cpu.values())
    print("  CPU-seconds: " + ", ".join(
        f"{kind} {used:.0f} ({used / total:.0%})" for kind, used in cpu.items()))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, nargs="+", default=[200, 500, 1000])
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL") or "postgres" not in os.environ.get("DATABASE_URL", ""):
        parser.error("set DATABASE_URL (PostgreSQL) and REDIS_URL: workers share both")
    if not LOCUST.exists():
        parser.error("locust is missing: make .venv-locust/.installed")
    folder = Path(tempfile.mkdtemp(prefix="advocate-load-"))
    world = seed(folder)
    run = secrets.token_hex(4)
    env = server_environment(
        LEADERBOARD_REDIS_PREFIX=f"lbload:{run}:", CACHE_KEY_PREFIX=f"load:{run}",
        CHANNEL_LAYER_PREFIX=f"load:{run}",
    )  # fmt: skip
    setup(env, migrate=False)  # the scratch database is migrated already
    # Stopped with SIGTERM as with Ctrl-C: the topology's processes stop too.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with Topology(env=env, workers=args.workers) as topology:
        env["SITE_URL"] = topology.url
        print(f"{args.workers} daphne workers behind nginx at {topology.url}", flush=True)
        for people in args.people:
            stats = locust(topology, world, folder, people=people, seconds=SECONDS)
            total = stats.pop("Aggregated")
            cpu, crashed = stats.pop("cpu"), stats.pop("crashed")
            print(f"\n{people} simulated people, {SECONDS} s with think time 3-10 s:")
            print(f"  {'page':<30} {'requests':>8} {'failures':>8} {'p50':>7} {'p95':>7}")
            for name, row in sorted(stats.items()):
                print(f"  {name:<30} {row['Request Count']:>8} {row['Failure Count']:>8} "
                      f"{row['50%']:>5} ms {row['95%']:>5} ms")  # fmt: skip
            print(
                f"  all: {float(total['Requests/s']):.0f} requests/s, "
                f"{total['Failure Count']} failures of {total['Request Count']}, {crashed} steps "
                f"that raised; stored so "
                f"far: {Share.objects.count():,} shares, "
                f"{ScenarioAttempt.objects.count():,} scenario attempts",
                flush=True,
            )
            print_cpu(cpu)
        cores = os.cpu_count() or 1
        mix = locust(topology, world, folder, people=50, seconds=30, LOAD_THINK="0")
        base = locust(topology, world, folder, people=50, seconds=30, LOAD_BASELINE="1")
        mix_rate = float(mix["Aggregated"]["Requests/s"])
        base_rate = float(base["Aggregated"]["Requests/s"])
        print(f"\ncapacity on {cores} cores: the mix {mix_rate / cores:.0f} requests/s per core, "
              f"a minimal Django view {base_rate / cores:.0f} per core "
              f"({mix_rate / base_rate:.2f} of it)")  # fmt: skip
        print("the mix:")
        print_cpu(mix["cpu"])
        print("the minimal view:")
        print_cpu(base["cpu"])


if __name__ == "__main__":
    main()
