"""Live leaderboard fan-out: N signed-in WebSocket clients on one board, M awards.

Starts daphne (one worker; with --workers 2 and REDIS_URL, two workers sharing the
Redis channel layer, the clients spread over both) on a scratch database, connects N
clients to the company board (in batches of 50, each batch waiting for its snapshots),
then makes M awards one second apart through HTTP (a person completing a lesson, as in
real use). Prints, over all clients and awards, the latency from commit to receipt (the
update's ``at``, taken when the rank store has the change after the commit, to the
moment the client has the message) and from sending the award request to receipt,
messages per second, the server's CPU with the sockets idle, and its memory before and
after ten rounds of N clients connecting and disconnecting.
Run: .venv/bin/python bench/leaderboard_fanout.py --clients 1000 --awards 20
"""

import argparse
import asyncio
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from datetime import datetime

from _setup import ROOT, django_with_scratch_database, free_port, server_environment

django_with_scratch_database()

import psutil  # noqa: E402
import websockets  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.people.models import Profile, User  # noqa: E402
from tests.courses.factories import block, course_with_lessons  # noqa: E402

BACKEND = "django.contrib.auth.backends.ModelBackend"


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


NO_REDIRECTS = urllib.request.build_opener(_KeepRedirects)


def session_for(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def start_workers(count: int) -> list[tuple[subprocess.Popen, int]]:
    run = secrets.token_hex(4)
    log = open(os.environ.get("BENCH_SERVER_LOG", os.devnull), "a")  # noqa: SIM115 - the servers' own
    env = server_environment(
        # Keys of their own in a Redis that other runs may have used.
        LEADERBOARD_REDIS_PREFIX=f"lbbench:{run}:",
        CACHE_KEY_PREFIX=f"bench:{run}",
        CHANNEL_LAYER_PREFIX=f"bench:{run}",
    )
    workers = []
    for _ in range(count):
        port = free_port()
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
             "portal.asgi:application"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
        )  # fmt: skip
        workers.append((process, port))
    for _, port in workers:
        for _ in range(100):
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
    sessions = [session_for(user) for user in watchers]
    lessons = []
    earners = []
    for number in range(args.awards):
        _, [lesson] = course_with_lessons(
            title=f"Course {number}", lessons=[[block("paragraph", "<p>Read.</p>")]]
        )
        earner = User.objects.create(email=f"earner{number}@example.com")
        Profile.objects.create(user=earner, onboarded_at=now)
        lessons.append(lesson.url)
        earners.append(session_for(earner))
    return sessions, lessons, earners


async def run(args, workers, sessions, lessons, earners) -> None:
    ports = [port for _, port in workers]
    server = [psutil.Process(process.pid) for process, _ in workers]
    rss_start = sum(p.memory_info().rss for p in server)

    received: list[list[tuple[float, float, str]]] = [[] for _ in range(args.clients)]

    def url(index: int) -> tuple[str, dict]:
        port = ports[index % len(ports)]
        return f"ws://127.0.0.1:{port}/ws/leaderboards/company/?window=week", {
            "additional_headers": {"Cookie": f"sessionid={sessions[index]}"},
            "origin": f"http://127.0.0.1:{port}",
            "open_timeout": 60,
        }

    async def client(index: int, ready: asyncio.Event, stop: asyncio.Event):
        address, options = url(index)
        async with websockets.connect(address, max_queue=None, **options) as socket:
            await socket.recv()  # the snapshot
            ready.set()
            while not stop.is_set():
                try:
                    text = await asyncio.wait_for(socket.recv(), timeout=0.5)
                except TimeoutError:
                    continue
                # Only the clock here; the message is read after the run.
                received[index].append((time.perf_counter(), time.time(), text))

    stop = asyncio.Event()
    readies = [asyncio.Event() for _ in range(args.clients)]
    tasks = []
    connect_started = time.perf_counter()
    for batch in range(0, args.clients, 50):
        for index in range(batch, min(batch + 50, args.clients)):
            tasks.append(asyncio.create_task(client(index, readies[index], stop)))
        await asyncio.wait_for(
            asyncio.gather(*(r.wait() for r in readies[batch : batch + 50])), timeout=120
        )
    connect_seconds = time.perf_counter() - connect_started
    print(f"{args.clients} clients connected in {connect_seconds:.1f} s", flush=True)
    for p in server:
        p.cpu_percent(None)
    await asyncio.sleep(10)
    idle_cpu = sum(p.cpu_percent(None) for p in server)

    sent_at = []
    for number in range(args.awards):
        sent_at.append(time.perf_counter())
        await asyncio.to_thread(award, ports[number % len(ports)], earners[number], lessons[number])
        await asyncio.sleep(1.0)
    await asyncio.sleep(1.0)
    stop.set()
    await asyncio.gather(*tasks)

    from_request, from_commit = [], []
    for messages in received:
        for moment, wall, text in messages:
            before = [t for t in sent_at if t <= moment]
            if before:
                from_request.append((moment - before[-1]) * 1000)
            at = datetime.fromisoformat(json.loads(text)["at"]).timestamp()
            from_commit.append((wall - at) * 1000)
    total = sum(len(messages) for messages in received)
    span = (max(m[-1][0] for m in received if m) - sent_at[0]) if total else 1

    def pct(values, q):
        values = sorted(values)
        return values[min(len(values) - 1, int(len(values) * q))] if values else 0

    def line(values):
        return " / ".join(f"{pct(values, q):.0f}" for q in (0.5, 0.95, 0.99)) + " ms"

    print(f"{args.clients} clients, {args.awards} awards, {len(workers)} worker(s), "
          f"layer {'redis' if os.environ.get('REDIS_URL') else 'in-memory'}")  # fmt: skip
    print(f"updates received: {total:,} ({total / max(1, args.clients):.1f} per client)")
    print(f"latency commit -> received, p50 / p95 / p99: {line(from_commit)}")
    print(f"latency award request sent -> received, p50 / p95 / p99: {line(from_request)}")
    print(f"messages per second delivered: {total / span:,.0f}")
    print(f"server CPU with {args.clients} idle sockets: {idle_cpu:.1f}% of one core")

    # The baseline: warm, after the run's own N clients connected and left.
    await asyncio.sleep(2)
    rss_baseline = sum(p.memory_info().rss for p in server)

    async def touch(index):
        address, options = url(index)
        async with websockets.connect(address, **options) as socket:
            await socket.recv()

    for _ in range(args.cycles):
        for batch in range(0, args.clients, 50):
            await asyncio.gather(*(touch(i) for i in range(batch, min(batch + 50, args.clients))))
    await asyncio.sleep(2)
    rss_end = sum(p.memory_info().rss for p in server)
    print(f"server memory: {rss_start / 2**20:.0f} MiB cold, {rss_baseline / 2**20:.0f} MiB warm "
          f"(after the run's clients left), {rss_end / 2**20:.0f} MiB after {args.cycles} more "
          f"rounds of {args.clients} connects and disconnects "
          f"({100 * (rss_end - rss_baseline) / rss_baseline:+.1f}% of warm)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--awards", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--cycles", type=int, default=10)
    args = parser.parse_args()
    if args.workers > 1 and not os.environ.get("REDIS_URL"):
        parser.error("several workers share updates only through Redis: set REDIS_URL")
    data = prepare(args)
    workers = start_workers(args.workers)
    try:
        asyncio.run(run(args, workers, *data))
    finally:
        for process, _ in workers:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
