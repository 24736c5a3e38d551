"""Live leaderboard fan-out: N signed-in WebSocket clients on one board, M awards.

Starts daphne workers (one, with the in-process channel layer; or several sharing
Redis, with REDIS_URL) on a scratch database. Each watcher has points this week, in one
of ``--places`` distinct totals, so their own lines of an update differ as in real use.
N clients connect to the company board from ``--processes`` client processes
(bench/_fanout_clients.py), dealt out over the workers, 50 opening at a time in all,
each waiting for its snapshot; then M awards follow ``--interval`` seconds apart through HTTP (a
person completing a lesson, as in real use). Prints, over all clients and awards, the
latency from commit to receipt (the update's ``at``, taken after the commit, to the
moment the client has the message) and from sending the award request to receipt,
messages per second, the workers' CPU with the sockets idle, and their memory before
and after ``--cycles`` rounds of N clients connecting and disconnecting.
Run: .venv/bin/python bench/leaderboard_fanout.py --clients 1000 --awards 20
     DATABASE_URL=... REDIS_URL=redis://127.0.0.1:6379/1 .venv/bin/python \
         bench/leaderboard_fanout.py --clients 20000 --workers 4 --processes 4 --cycles 0
"""

import argparse
import json
import os
import random
import secrets
import subprocess
import sys
import time
import urllib.request
from datetime import datetime

from _setup import (
    ROOT,
    cpu_seconds,
    django_with_scratch_database,
    free_port,
    points_statements,
    server_environment,
)

django_with_scratch_database()

import psutil  # noqa: E402
from django.utils import timezone  # noqa: E402

from deploy.scale_out import daphne_command  # noqa: E402
from portal.people.models import Profile, User  # noqa: E402
from tests.courses.factories import block, course_with_lessons  # noqa: E402
from tests.people.factories import signed_in  # noqa: E402


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


NO_REDIRECTS = urllib.request.build_opener(_KeepRedirects)


def worker_environment() -> dict[str, str]:
    run = secrets.token_hex(4)
    return server_environment(
        # Keys of their own in a Redis that other runs may have used.
        LEADERBOARD_REDIS_PREFIX=f"lbbench:{run}:",
        CACHE_KEY_PREFIX=f"bench:{run}",
        CHANNEL_LAYER_PREFIX=f"bench:{run}",
    )


def start_workers(
    count: int, env: dict[str, str], ping_interval: int = 20
) -> list[tuple[subprocess.Popen, int]]:
    log = open(os.environ.get("BENCH_SERVER_LOG", os.devnull), "a")  # noqa: SIM115 - the servers' own
    workers = []
    for _ in range(count):
        port = free_port()
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            daphne_command(port, "--ping-interval", str(ping_interval)),
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
        )  # fmt: skip
        workers.append((process, port))
    for process, port in workers:
        for _ in range(100):
            if process.poll() is not None:
                raise SystemExit(
                    f"a daphne worker exited ({process.returncode}); BENCH_SERVER_LOG=file says why"
                )
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
    return workers


def award(port: int, session: str, lesson_url: str) -> None:
    token = secrets.token_hex(16)
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{lesson_url}complete/",
        data=f"csrfmiddlewaretoken={token}".encode(),
        headers={"Cookie": f"sessionid={session}; csrftoken={token}",
                 "Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    # The answer is a redirect to the lesson page; the award is made once it arrives.
    try:
        NO_REDIRECTS.open(request, timeout=10).close()
    except urllib.error.HTTPError as error:
        if error.code != 302:
            raise
        return
    raise RuntimeError("the award did not redirect back to the lesson")


def prepare(args):
    """People, their sessions and one short course per award (synchronous ORM work)."""
    now = timezone.now()
    watchers = User.objects.bulk_create(
        [User(email=f"watch{n}@example.com") for n in range(args.clients)]
    )
    Profile.objects.bulk_create([Profile(user=u, onboarded_at=now) for u in watchers])
    if args.places:
        # Each watcher has points this week, in one of ``places`` distinct totals (ties
        # share a place), so that their own lines of each update differ as in real use.
        rng = random.Random(7)
        points_statements(
            (user.pk, 5 * rng.randint(1, args.places), now, f"watch{user.pk}") for user in watchers
        )
    sessions = [signed_in(user) for user in watchers]
    lessons = []
    earners = []
    for number in range(args.awards):
        _, [lesson] = course_with_lessons(
            title=f"Course {number}", lessons=[[block("paragraph", "<p>Read.</p>")]]
        )
        earner = User.objects.create(email=f"earner{number}@example.com")
        Profile.objects.create(user=earner, onboarded_at=now)
        lessons.append(lesson.url)
        earners.append(signed_in(earner))
    return sessions, lessons, earners


def start_clients(args, ports: list[int], sessions: list[str]) -> list[subprocess.Popen]:
    """``--processes`` client processes, the sockets dealt out over them and the workers."""
    lines: list[list[list[str]]] = [[] for _ in range(args.processes)]
    for index, session in enumerate(sessions):
        port = ports[index % len(ports)]
        lines[index % args.processes].append([
            f"ws://127.0.0.1:{port}/ws/leaderboards/company/?window=week",
            f"sessionid={session}",
            f"http://127.0.0.1:{port}",
        ])  # fmt: skip
    # 50 sockets opening at once in all, as in the single-process runs before.
    batch = max(1, 50 // args.processes)
    clients = []
    for mine in lines:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, str(ROOT / "bench" / "_fanout_clients.py")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        process.stdin.write(json.dumps({"batch": batch, "clients": mine}) + "\n")
        process.stdin.flush()
        clients.append(process)
    return clients


def ask(clients: list[subprocess.Popen], command: str | None, answer: str | None = None) -> list:
    """Send each client process a command and wait for every one's line in reply."""
    if command:
        for process in clients:
            process.stdin.write(command + "\n")
            process.stdin.flush()
    lines = [process.stdout.readline().strip() for process in clients]
    if answer is not None and any(line != answer for line in lines):
        raise RuntimeError(f"a client process answered {lines!r}, not {answer!r}")
    return lines


def run(args, workers, sessions, lessons, earners) -> None:
    ports = [port for _, port in workers]
    server = [psutil.Process(process.pid) for process, _ in workers]
    rss_start = sum(p.memory_info().rss for p in server)

    connect_started = time.perf_counter()
    clients = start_clients(args, ports, sessions)
    try:
        ask(clients, None, "ready")
        connect_seconds = time.perf_counter() - connect_started
        print(f"{args.clients} clients connected in {connect_seconds:.1f} s", flush=True)
        for p in server:
            p.cpu_percent(None)
        time.sleep(10)
        idle_cpu = sum(p.cpu_percent(None) for p in server)

        client_processes = [psutil.Process(process.pid) for process in clients]
        cpu_before = (cpu_seconds(server), cpu_seconds(client_processes))
        sent_at = []
        for number in range(args.awards):
            sent_at.append(time.time())
            award(ports[number % len(ports)], earners[number], lessons[number])
            time.sleep(args.interval)
        time.sleep(1.0)
        cpu = (cpu_seconds(server) - cpu_before[0], cpu_seconds(client_processes) - cpu_before[1])
        answers = [json.loads(line) for line in ask(clients, "stop")]
        received = [message for answer in answers for message in answer["received"]]
        failures = sum(answer["failures"] for answer in answers)

        from_request, from_commit = [], []
        for wall, at in received:
            before = [t for t in sent_at if t <= wall]
            if before:
                from_request.append((wall - before[-1]) * 1000)
            from_commit.append((wall - datetime.fromisoformat(at).timestamp()) * 1000)
        total = len(received)
        span = (max(wall for wall, _ in received) - sent_at[0]) if total else 1

        def pct(values, q):
            values = sorted(values)
            return values[min(len(values) - 1, int(len(values) * q))] if values else 0

        def line(values):
            return " / ".join(f"{pct(values, q):.0f}" for q in (0.5, 0.95, 0.99)) + " ms"

        print(f"{args.clients} clients in {args.processes} process(es), {args.awards} awards, "
              f"{len(workers)} worker(s), "
              f"layer {'redis' if os.environ.get('REDIS_URL') else 'in-memory'}")  # fmt: skip
        print(f"updates received: {total:,} ({total / max(1, args.clients):.1f} per client)")
        print(f"connection attempts that failed or closed (each tried again): {failures:,}")
        print(f"latency commit -> received, p50 / p95 / p99: {line(from_commit)}")
        print(f"latency award request sent -> received, p50 / p95 / p99: {line(from_request)}")
        print(f"messages per second delivered: {total / span:,.0f}")
        print(f"server CPU with {args.clients} idle sockets: {idle_cpu:.1f}% of one core")
        print(f"CPU during the awards: workers {cpu[0]:.1f} s, client processes {cpu[1]:.1f} s")

        if not args.cycles:
            return
        # The baseline: warm, after the run's own N clients connected and left.
        time.sleep(2)
        rss_baseline = sum(p.memory_info().rss for p in server)
        ask(clients, f"rounds {args.cycles}", "done")
        time.sleep(2)
        rss_end = sum(p.memory_info().rss for p in server)
        print(f"server memory: {rss_start / 2**20:.0f} MiB cold, {rss_baseline / 2**20:.0f} MiB "
              f"warm (after the run's clients left), {rss_end / 2**20:.0f} MiB after "
              f"{args.cycles} more rounds of {args.clients} connects and disconnects "
              f"({100 * (rss_end - rss_baseline) / rss_baseline:+.1f}% of warm)")  # fmt: skip
    finally:
        for process in clients:
            process.stdin.close()
            process.wait(timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--awards", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--processes", type=int, default=2, help="client processes")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between awards")
    parser.add_argument(
        "--places", type=int, default=200, help="distinct totals among the watchers (0: none)"
    )
    parser.add_argument("--cycles", type=int, default=10)
    parser.add_argument(
        "--ping-interval", type=int, default=20, help="daphne's seconds between pings"
    )
    args = parser.parse_args()
    if args.workers > 1 and not os.environ.get("REDIS_URL"):
        parser.error("several workers share updates only through Redis: set REDIS_URL")
    data = prepare(args)
    env = worker_environment()
    # The boards from the ledger, into the store the workers will use.
    subprocess.run(
        [sys.executable, "manage.py", "rebuild_leaderboards"], cwd=ROOT, env=env, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    workers = start_workers(args.workers, env, args.ping_interval)
    try:
        run(args, workers, *data)
    finally:
        for process, _ in workers:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
