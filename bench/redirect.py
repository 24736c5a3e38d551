"""Tracked links under load: /s/<code> on the portal against a bare ASGI app.

    python bench/redirect.py [--seconds 10] [--connections 50] [--clients 2]

Seeds the demo organisation into a scratch database (about 40 shares), starts one
daphne serving the portal and one serving ``bench/hello_asgi.py`` (a bare 302), and
drives each with keep-alive HTTP/1.1 connections from client processes on the same
machine; one background worker (``manage.py worker``) stores the clicks the portal
hands over. Two runs on the portal: readers who come back (the same visitors, so clicks
are repeats) and new readers every time (each hit is a first click, so the worker
stores a click, a ledger statement and a quality update for each). Then times
the hub feed page for a signed-in person. Prints requests per second, p50/p95/p99,
and each run's CPU-seconds for the daphne it loads, the worker and the clients, with
the daphne's CPU per request.
"""

import argparse
import asyncio
import multiprocessing
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import (
    ROOT,
    cpu_seconds,
    django_with_scratch_database,
    free_port,
    server_environment,
)

django_with_scratch_database()

from django.core.management import call_command  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.test import Client  # noqa: E402

from deploy.scale_out import daphne_command  # noqa: E402
from portal.people.models import User  # noqa: E402
from portal.sharing.models import Share  # noqa: E402


def start_worker() -> subprocess.Popen:
    """The background worker that stores the clicks the portal hands over."""
    log = open(os.environ.get("BENCH_SERVER_LOG", os.devnull), "a")  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.2", "-v", "0"],
        cwd=ROOT, env=server_environment(), stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip


def start_daphne(application: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = server_environment(PYTHONPATH=f"{ROOT}:{ROOT / 'bench'}")
    log = open(os.environ.get("BENCH_SERVER_LOG", os.devnull), "a")  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        daphne_command(port, application=application),
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).close()
            break
        except urllib.error.HTTPError:
            break  # the bare app answers 302 to anything
        except OSError:
            time.sleep(0.2)
    return process, port


async def _connection(port, paths, agents, deadline, latencies):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    count = 0
    while time.perf_counter() < deadline:
        path = random.choice(paths)
        agent = random.choice(agents)
        request = (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: {agent}\r\n\r\n"
        ).encode()
        started = time.perf_counter()
        writer.write(request)
        length = 0
        while True:
            line = await reader.readline()
            if not line:
                raise ConnectionError("the server closed the connection")
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
            if line == b"\r\n":
                break
        if length:
            await reader.readexactly(length)
        latencies.append(time.perf_counter() - started)
        count += 1
    writer.close()
    return count


def _client(port, paths, agents, connections, seconds, start_at, queue):
    async def run():
        while time.time() < start_at:
            await asyncio.sleep(0.01)
        deadline = time.perf_counter() + seconds
        latencies: list[float] = []
        await asyncio.gather(
            *(_connection(port, paths, agents, deadline, latencies) for _ in range(connections))
        )
        return latencies

    queue.put(asyncio.run(run()))


SENT = {"portal": 0}
CPU: list[dict] = []  # per measured run: CPU-seconds per part, and the requests served


def load(port, paths, agents, *, connections, clients, seconds, measured=()):
    """Requests per second and latencies; with ``measured`` (name, psutil processes),
    also prints the CPU-seconds each used during the run, and the clients'."""
    before = {name: cpu_seconds(processes) for name, processes in measured}
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    queue = multiprocessing.Queue()
    start_at = time.time() + 1
    per_client = [connections // clients + (i < connections % clients) for i in range(clients)]
    workers = [
        multiprocessing.Process(
            target=_client, args=(port, paths, agents, count, seconds, start_at, queue)
        )
        for count in per_client
    ]
    for worker in workers:
        worker.start()
    latencies = []
    for _ in workers:
        latencies += queue.get()
    for worker in workers:
        worker.join()
    latencies.sort()
    if paths != ["/"]:
        SENT["portal"] += len(latencies)
    if measured:
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = {name: cpu_seconds(processes) - before[name] for name, processes in measured}
        used["clients"] = (after.ru_utime - children.ru_utime) + (
            after.ru_stime - children.ru_stime
        )
        CPU.append(used | {"requests": len(latencies)})

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    return len(latencies) / seconds, pct(50), pct(95), pct(99)


def report(label, figures):
    rate, p50, p95, p99 = figures
    print(
        f"{label:<44} {rate:>8,.0f} req/s   p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  p99 {p99:6.1f} ms"
    )
    return rate


def feed_timings(rounds: int = 60):
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email="mentor@example.com"))
    client.get("/hub/")  # renditions are made on the first view
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get("/hub/")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    times.sort()
    size = len(response.content)
    print(
        f"{'hub feed page (30 items, in process)':<44} p50 {statistics.median(times):6.1f} ms  "
        f"p95 {times[int(0.95 * len(times))]:6.1f} ms   {size / 1024:.0f} KiB HTML"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--clients", type=int, default=2)
    args = parser.parse_args()
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    codes = list(Share.objects.values_list("code", flat=True))
    print(f"{len(codes)} shares; {args.connections} connections from {args.clients} clients, "
          f"{args.seconds:.0f} s a run, {os.cpu_count()} cores")  # fmt: skip
    paths = [f"/s/{code}" for code in codes]
    returning = [f"Mozilla/5.0 reader-{n}" for n in range(20)]
    new = [f"Mozilla/5.0 reader-{n}" for n in range(10**9, 10**9 + 10**6)]
    options = {"connections": args.connections, "clients": args.clients, "seconds": args.seconds}

    baseline = sum(Share.objects.values_list("requests", flat=True))  # the demo's history
    baseline_clicks = Share.objects.aggregate(total=Sum("clicks"))["total"]
    hello, hello_port = start_daphne("hello_asgi:app")
    portal, portal_port = start_daphne("portal.asgi:application")
    worker = start_worker()
    servers = {"daphne": [psutil.Process(process.pid) for process in (hello, portal)]}
    # Each run's CPU: the daphne it loads, the background worker, the clients.
    bare_parts = [("daphne", servers["daphne"][:1]), ("worker", [psutil.Process(worker.pid)])]
    portal_parts = [("daphne", servers["daphne"][1:]), bare_parts[1]]
    try:
        load(hello_port, ["/"], returning, **options | {"seconds": 2})  # warm up
        load(portal_port, paths, returning, **options | {"seconds": 2})
        bare = report(
            "bare ASGI 302 (same daphne)",
            load(hello_port, ["/"], returning, **options, measured=bare_parts),
        )
        repeat = report(
            "/s/<code>, returning readers",
            load(portal_port, paths, returning, **options, measured=portal_parts),
        )
        first = report(
            "/s/<code>, a new reader every time",
            load(portal_port, paths, new, **options, measured=portal_parts),
        )
        print(
            f"ratio to the bare app: returning {repeat / bare:.2f}, new readers {first / bare:.2f}"
        )
        # Where the two cores went in each run, and what a request cost the daphne
        # serving it: the same comparison without the other processes' share.
        per_request = []
        for label, used in zip(("bare", "returning", "new readers"), CPU, strict=True):
            per_request.append(used["daphne"] / used["requests"] * 1e6)
            print(f"CPU-seconds, {label:<12} daphne {used['daphne']:5.1f}, worker "
                  f"{used['worker']:5.1f}, clients {used['clients']:5.1f}; "
                  f"daphne {per_request[-1]:5.1f} µs a request")  # fmt: skip
        print(f"requests per daphne CPU-second, ratio to the bare app: returning "
              f"{per_request[0] / per_request[1]:.2f}, new readers "
              f"{per_request[0] / per_request[2]:.2f}")  # fmt: skip
        # The portal hands what the redirects noted to the worker in batches, and the
        # worker stores them; wait until it is done.
        sent = int(SENT["portal"])
        started, last_change, previous = time.perf_counter(), time.perf_counter(), None
        while time.perf_counter() - started < 600:
            figures = Share.objects.aggregate(
                requests=Sum("requests"), clicks=Sum("clicks"), previews=Sum("previews")
            )
            if figures != previous:
                previous, last_change = figures, time.perf_counter()
            elif time.perf_counter() - last_change > 3 and figures["requests"] - baseline >= sent:
                break
            time.sleep(0.25)
        stored = previous["requests"] - baseline
        first_clicks = previous["clicks"] - baseline_clicks
        print(
            f"worker: {stored:,} of {sent:,} requests stored, {first_clicks:,} unique clicks "
            f"(about {first * args.seconds:,.0f} new readers came); "
            f"done {last_change - started:.1f} s after the load ended"
        )
    finally:
        for process in (hello, portal, worker):
            process.terminate()
            process.wait()
    feed_timings()


if __name__ == "__main__":
    main()
