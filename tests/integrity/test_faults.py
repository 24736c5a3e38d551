"""Derived state converges by itself after real faults: a process killed (SIGKILL) in the
middle of a burst of points, and Redis restarting empty. Nobody runs a rebuild; both
rebuild checks must report 0 differences within 60 s. Real processes, and a Redis
server of the test's own."""

import os
import signal
import subprocess
import time

import pytest
from django.db import transaction

from leaderboards import services as board_services
from leaderboards.store import RedisRankStore, SqlRankStore
from portal.activity.models import Activity, Delivery
from portal.activity.services import points_rebuild
from tests.people.factories import DepartmentFactory, TeamFactory, UserFactory
from tests.servers import RedisServer, manage, portal_env

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Each transaction gives every burst person points (some cross a level, so badges and
# notifications have work too); the process prints a line per commit.
BURST = """
import itertools, sys
from django.db import transaction
from portal.activity.services import points_adjust
from portal.people.models import User
people = list(User.objects.filter(email__startswith="burst").order_by("pk"))
for n in itertools.count():
    if n >= int(sys.argv[-1] if sys.argv[-1].isdigit() else 10**9):
        break
    with transaction.atomic():
        for person in people:
            points_adjust(user=person, points=1 + (n + person.pk) % 7, reason="burst",
                          key=f"burst:{n}:{person.pk}")
    print(n, flush=True)
"""


def burst_people(count=12):
    with transaction.atomic():
        department = DepartmentFactory()
        teams = [TeamFactory(department=department) for _ in range(3)]
        return [
            UserFactory(
                email=f"burst{n}@example.com",
                profile__team=teams[n % 3],
                profile__department=department,
            )
            for n in range(count)
        ]


def burst(env, transactions: int | None = None) -> subprocess.Popen:
    code = BURST.replace(
        "int(sys.argv[-1] if sys.argv[-1].isdigit() else 10**9)", str(transactions or 10**9)
    )
    return manage("shell", "-v", "0", "-c", code, env=env, stdout=subprocess.PIPE, text=True)


def worker(env) -> subprocess.Popen:
    return manage(
        "worker", "--interval", "0.2", "--no-startup-delay", "-v", "0",
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def converged_within(seconds: float) -> float:
    """Seconds until both rebuild checks report no difference (fails after ``seconds``)."""
    start = time.monotonic()
    while True:
        boards = board_services.leaderboards_rebuild(check_only=True)
        points = points_rebuild(check_only=True)
        if not boards and not points and not Delivery.objects.exists():
            return time.monotonic() - start
        if time.monotonic() - start > seconds:
            pending = Delivery.objects.count()
            raise AssertionError(
                f"not converged after {seconds} s: {len(boards)} board and {len(points)} "
                f"points differences, {pending} deliveries pending"
            )
        time.sleep(0.5)


@pytest.fixture
def sql_boards(monkeypatch):
    """The children run without Redis (the SQL rank store): check that store here too,
    whatever this run's REDIS_URL."""
    store = SqlRankStore()
    monkeypatch.setattr(board_services, "rank_store", lambda: store)
    return store


def test_a_process_killed_mid_burst_leaves_boards_that_converge_by_themselves(sql_boards):
    burst_people()
    env = portal_env(REDIS_URL="")
    producer = burst(env)
    for _ in range(6):  # let a few transactions commit, then kill it mid-way
        assert producer.stdout.readline(), "the burst process stopped by itself"
    time.sleep(0.05 + (os.getpid() % 7) / 100)
    producer.send_signal(signal.SIGKILL)
    producer.wait()
    assert Activity.objects.filter(verb="points.adjusted").count() >= 6 * 12
    # What the killed process committed but did not apply waits in the outbox; the
    # boards are short of it until a worker starts.
    stranded = Delivery.objects.count()
    assert stranded > 0 or not board_services.leaderboards_rebuild(check_only=True)
    runner = worker(env)
    try:
        took = converged_within(60)
    finally:
        stop(runner)
    print(f"converged {took:.1f} s after the worker started ({stranded} deliveries stranded)")


def test_a_worker_killed_mid_sweep_is_replaced_and_nothing_counts_twice(sql_boards):
    burst_people()
    env = portal_env(REDIS_URL="")
    producer = burst(env)
    for _ in range(4):
        assert producer.stdout.readline(), "the burst process stopped by itself"
    producer.send_signal(signal.SIGKILL)
    producer.wait()
    Delivery.objects.update(due="2000-01-01T00:00:00Z")  # due now: the sweep takes them
    runner = worker(env)
    time.sleep(0.8)
    runner.send_signal(signal.SIGKILL)  # somewhere in its first sweeps
    runner.wait()
    replacement = worker(env)
    try:
        converged_within(60)
    finally:
        stop(replacement)


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    yield server
    server.kill()


def test_redis_restarting_empty_is_repaired_by_the_worker(redis_server, monkeypatch):
    burst_people()
    prefix = f"lbfault{os.getpid()}:"
    env = portal_env(REDIS_URL=redis_server.url, LEADERBOARD_REDIS_PREFIX=prefix)
    store = RedisRankStore(redis_server.url, prefix=prefix)
    monkeypatch.setattr(board_services, "rank_store", lambda: store)
    runner = worker(env)
    try:
        burst(env, transactions=10).wait(timeout=120)
        converged_within(60)
        assert store.dump()  # the boards are in Redis

        redis_server.kill()
        # While Redis is down, more points are recorded; their board updates wait.
        burst(env, transactions=3).wait(timeout=120)
        redis_server.start()  # empty
        assert not store.ready()
        took = converged_within(60)
        assert store.ready()
        print(f"Redis restarted empty: boards exact again after {took:.1f} s")
    finally:
        stop(runner)


def test_several_workers_racing_over_the_outbox_apply_each_statement_once(
    redis_server, monkeypatch
):
    """Three workers sweep the same stranded outbox at once (row locks on PostgreSQL,
    the write lock on SQLite), on the Redis rank store, and one of them is killed in the
    middle; both stores still match the ledger exactly."""
    burst_people()
    prefix = f"lbmany{os.getpid()}:"
    env = portal_env(REDIS_URL=redis_server.url, LEADERBOARD_REDIS_PREFIX=prefix)
    store = RedisRankStore(redis_server.url, prefix=prefix)
    monkeypatch.setattr(board_services, "rank_store", lambda: store)
    warm = worker(env)  # makes the store ready, then leaves
    try:
        converged_within(60)
    finally:
        stop(warm)
    producer = burst(env)
    for _ in range(8):
        assert producer.stdout.readline(), "the burst process stopped by itself"
    producer.send_signal(signal.SIGKILL)
    producer.wait()
    Delivery.objects.update(due="2000-01-01T00:00:00Z")  # everything due at once
    runners = [worker(env) for _ in range(3)]
    try:
        time.sleep(0.6)
        runners[0].send_signal(signal.SIGKILL)
        runners[0].wait()
        took = converged_within(60)
    finally:
        for runner in runners[1:]:
            stop(runner)
    assert store.ready()
    print(f"three workers, one killed: exact after {took:.1f} s")
