"""The ledger's outbox: every subscriber applies each statement exactly once, whether
the process that recorded it applied it, died first, or the subscriber failed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from leaderboards import services as board_services
from leaderboards.store import RedisRankStore
from portal.activity.deliveries import deliveries_sweep
from portal.activity.models import Activity, Delivery
from portal.activity.services import activity_record, points_rebuild
from tests import ledger
from tests.people.factories import DepartmentFactory, TeamFactory, UserFactory
from tests.servers import RedisServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return UserFactory(profile__team=TeamFactory(department=DepartmentFactory()))


def make_due():
    Delivery.objects.update(due=timezone.now() - timedelta(seconds=1))


def record(person, key, points=5):
    return activity_record(actor=person, verb="points.adjusted", key=key, points=points)


def test_statements_whose_process_died_after_commit_are_applied_once_by_the_sweep(
    person, sql_store, django_capture_on_commit_callbacks
):
    # The commit happened; the process died before its after-commit work ran.
    with django_capture_on_commit_callbacks(execute=False):
        for number in range(3):
            record(person, f"k{number}")
    assert Delivery.objects.filter(subscriber="leaderboards").count() == 3
    assert board_services.leaderboards_rebuild(check_only=True) == {}  # waiting, not lost
    assert sql_store.points_of(board="company", window="all", user_ids=[person.pk]) == {}

    assert deliveries_sweep() == 0  # not due yet: the recording process may still do it
    make_due()
    applied = deliveries_sweep()
    assert applied >= 3
    assert deliveries_sweep() == 0  # nothing twice
    assert not Delivery.objects.exists()
    assert sql_store.points_of(board="company", window="all", user_ids=[person.pk]) == {
        person.pk: 15
    }
    assert board_services.leaderboards_rebuild(check_only=True) == {}
    assert points_rebuild(check_only=True) == {}


def test_a_failing_subscriber_is_retried_later_and_shows_its_error(
    person, sql_store, settings, django_capture_on_commit_callbacks
):
    calls = ledger.add(settings, flaky="flaky")
    with django_capture_on_commit_callbacks(execute=True):
        recorded = record(person, "f1")  # the after-commit attempt fails
    waiting = Delivery.objects.get(subscriber="flaky")
    assert waiting.attempts == 1
    assert waiting.error == "ValueError: mail server down"
    assert waiting.due > timezone.now()
    assert not Delivery.objects.exclude(subscriber="flaky").exists()  # others applied
    make_due()
    assert deliveries_sweep() == 1
    assert calls == [recorded.activity.pk, recorded.activity.pk]
    assert not Delivery.objects.exists()


def test_a_subscriber_that_asks_to_wait_is_not_counted_as_failing(
    person, sql_store, settings, django_capture_on_commit_callbacks
):
    ledger.add(settings, waiting="waiting")
    with django_capture_on_commit_callbacks(execute=True):
        record(person, "w1")
    row = Delivery.objects.get(subscriber="waiting")
    assert row.attempts == 0
    assert row.error == "waiting: store rebuilding"


def test_a_coalescing_subscriber_applies_a_group_once_with_its_latest_statement(person, settings):
    heard = ledger.add(settings, coalescing="keys_per_actor")
    for number in range(4):  # committed, not yet applied
        record(person, f"c{number}", points=0)
    make_due()
    deliveries_sweep()
    assert heard == ["c3"]


def test_erasing_a_person_removes_their_waiting_deliveries(
    person, sql_store, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        record(person, "e1")
    person.delete()
    assert not Delivery.objects.exists()
    assert not Activity.objects.exists()


@pytest.fixture
def redis_store(monkeypatch):
    server = RedisServer().start()
    store = RedisRankStore(server.url, prefix="lbunit:")
    monkeypatch.setattr(board_services, "rank_store", lambda: store)
    yield server, store
    server.kill()


def test_the_redis_store_applies_a_statement_once_and_waits_while_not_ready(
    person, redis_store, django_capture_on_commit_callbacks
):
    _server, store = redis_store
    with django_capture_on_commit_callbacks(execute=True):
        record(person, "r1")
    # Not ready (a new, empty Redis): the update waits instead of landing half-way.
    assert Delivery.objects.filter(subscriber="leaderboards").get().error.startswith("waiting")
    assert board_services.leaderboards_repair() is True
    make_due()
    deliveries_sweep()
    assert store.points_of(board="company", window="all", user_ids=[person.pk]) == {person.pk: 5}
    # Applying the same statement again (a crash between Redis and the commit) adds nothing.
    activity = Activity.objects.get(key="r1")
    store.apply(activity_id=activity.pk, user_id=person.pk, points=5, keys=[("company", "all")])
    assert store.points_of(board="company", window="all", user_ids=[person.pk]) == {person.pk: 5}
    assert board_services.leaderboards_rebuild(check_only=True) == {}


def test_with_redis_down_boards_read_from_the_ledger_and_recover(
    person, redis_store, django_capture_on_commit_callbacks
):
    server, store = redis_store
    store.replace([])
    with django_capture_on_commit_callbacks(execute=True):
        record(person, "d1", points=7)
    server.kill()
    # Reads answer from the ledger; the next update waits for Redis.
    assert store.top(board="company", window="all", limit=10) == [(person.pk, 7)]
    assert store.count_above(board="company", window="all", points=0) == 1
    with django_capture_on_commit_callbacks(execute=True):
        record(person, "d2", points=3)
    assert Delivery.objects.get(subscriber="leaderboards").error.startswith("waiting")
    server.start()  # back, and empty: the repair rebuilds it and the update lands once
    assert board_services.leaderboards_repair() is True
    make_due()
    deliveries_sweep()
    assert store.top(board="company", window="all", limit=10) == [(person.pk, 10)]
    assert board_services.leaderboards_rebuild(check_only=True) == {}
