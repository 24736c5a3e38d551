"""Both rank stores agree with a plain recomputation from the ledger (property test)."""

import os
import uuid
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaderboards import services
from leaderboards.boards import board_keys_for_profile, window_keys
from leaderboards.store import RedisRankStore, SqlRankStore
from portal.activity.deliveries import deliveries_apply
from portal.activity.models import Activity
from portal.activity.services import activity_record
from tests.people.factories import DepartmentFactory, TeamFactory, UserFactory

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def _redis_store():
    store = RedisRankStore(REDIS_URL, prefix=f"lbtest:{uuid.uuid4().hex}:")
    try:
        store.redis.ping()
    except Exception:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    store.replace([])  # ready, and empty
    return store


@pytest.fixture(params=["sql", "redis"])
def store(request, monkeypatch):
    chosen = SqlRankStore() if request.param == "sql" else _redis_store()
    monkeypatch.setattr(services, "rank_store", lambda: chosen)
    yield chosen
    if isinstance(chosen, RedisRankStore):
        keys = [
            *chosen.redis.scan_iter(f"{chosen.prefix}*"),
            *chosen.redis.scan_iter(f"{chosen.meta}*"),
        ]
        if keys:
            chosen.redis.delete(*keys)


def plain_totals() -> dict[tuple[str, str, int], int]:
    """Every board's totals summed statement by statement in Python: the oracle the
    set-based recomputation (``leaderboards_from_ledger``) and the stores answer to."""
    totals: dict[tuple[str, str, int], int] = {}
    for statement in Activity.objects.filter(actor__is_active=True).select_related(
        "actor__profile__team__department", "actor__profile__department"
    ):
        profile = getattr(statement.actor, "profile", None)
        for board in board_keys_for_profile(profile):
            for season in window_keys(statement.timestamp).values():
                key = (board, season, statement.actor_id)
                totals[key] = totals.get(key, 0) + statement.points
    return {key: points for key, points in totals.items() if points}


def competition_ranks(totals: dict[int, int]) -> dict[int, int]:
    return {
        user: 1 + sum(1 for p in totals.values() if p > points) for user, points in totals.items()
    }


events = st.lists(
    st.tuples(st.integers(0, 5), st.integers(-5, 20), st.integers(0, 70)), max_size=40
)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(stream=events)
def test_stores_agree_with_the_ledger(store, stream):
    with transaction.atomic():
        department = DepartmentFactory()
        teams = [TeamFactory(department=department), TeamFactory(department=department)]
        people = [
            UserFactory(profile__team=teams[n % 2], profile__department=department)
            for n in range(6)
        ]
        now = timezone.now()
        for number, (person, points, days_ago) in enumerate(stream):
            recorded = activity_record(
                actor=people[person],
                verb="points.adjusted",
                key=f"p{number}",
                points=points,
                timestamp=now - timedelta(days=days_ago, hours=number % 24),
            )
            deliveries_apply(recorded.activity)  # what happens after the commit

        expected = plain_totals()
        assert services.leaderboards_from_ledger() == expected
        assert {k: v for k, v in store.dump().items() if v} == expected
        assert services.leaderboards_rebuild(check_only=True) == {}

        for board in ("company", f"team-{teams[0].slug}"):
            for season in window_keys(now).values():
                totals = {u: p for (b, w, u), p in expected.items() if (b, w) == (board, season)}
                ranks = competition_ranks(totals)
                for user, points in totals.items():
                    above = store.count_above(board=board, window=season, points=points)
                    assert above + 1 == ranks[user]
                top = store.top(board=board, window=season, limit=3)
                assert [p for _, p in top] == sorted(totals.values(), reverse=True)[:3]
        transaction.set_rollback(True)
    if isinstance(store, RedisRankStore):
        keys = list(store.redis.scan_iter(f"{store.prefix}*"))
        if keys:
            store.redis.delete(*keys)
        store.replace([])


@pytest.mark.django_db
def test_rebuild_check_reports_and_rebuild_repairs(store, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    person = UserFactory()
    recorded = activity_record(actor=person, verb="points.adjusted", key="a", points=7)
    deliveries_apply(recorded.activity)
    call_command("rebuild_leaderboards", "--check")
    store.add(board="company", window="all", user_id=person.pk, points=100)  # drift
    with pytest.raises(CommandError, match="differ from the ledger"):
        call_command("rebuild_leaderboards", "--check")
    call_command("rebuild_leaderboards")
    call_command("rebuild_leaderboards", "--check")
    assert store.points_of(board="company", window="all", user_ids=[person.pk]) == {person.pk: 7}


def _ranks_agree(store):
    """Every stored person's rank, from ``count_above``, is their competition rank."""
    boards: dict[tuple[str, str], dict[int, int]] = {}
    for (board, window, user), points in store.dump().items():
        boards.setdefault((board, window), {})[user] = points
    for (board, window), totals in boards.items():
        ranks = competition_ranks(totals)
        for user, points in totals.items():
            assert store.count_above(board=board, window=window, points=points) + 1 == ranks[user]


def _earn(person, points, key):
    recorded = activity_record(actor=person, verb="points.adjusted", key=key, points=points)
    deliveries_apply(recorded.activity)


@pytest.mark.django_db
def test_a_new_team_takes_the_points_to_its_boards(store, django_capture_on_commit_callbacks):
    old, new = (
        TeamFactory(department=DepartmentFactory()),
        TeamFactory(department=DepartmentFactory()),
    )
    person, stayer = UserFactory(profile__team=old), UserFactory(profile__team=old)
    _earn(person, 7, "a")
    _earn(stayer, 3, "b")
    assert store.points_of(board=f"team-{old.slug}", window="all", user_ids=[person.pk])

    profile = person.profile
    profile.team = new
    with django_capture_on_commit_callbacks(execute=True):
        profile.save()
    assert store.dump() == services.leaderboards_from_ledger()
    _ranks_agree(store)
    assert store.points_of(board=f"team-{old.slug}", window="all", user_ids=[person.pk]) == {}
    assert store.points_of(board=f"team-{new.slug}", window="all", user_ids=[person.pk]) == {
        person.pk: 7
    }
    assert store.points_of(board=f"team-{old.slug}", window="all", user_ids=[stayer.pk]) == {
        stayer.pk: 3
    }


@pytest.mark.django_db
def test_an_import_that_moves_people_moves_their_points(store, django_capture_on_commit_callbacks):
    from portal.people.importing import import_people

    header = "email,first_name,last_name,department,team\n"
    with django_capture_on_commit_callbacks(execute=True):
        import_people(data=(header + "a@example.com,A,A,Sales,North\n").encode())
    person = UserFactory._meta.model.objects.get(email="a@example.com")
    _earn(person, 5, "a")
    with django_capture_on_commit_callbacks(execute=True):
        import_people(data=(header + "a@example.com,A,A,Support,South\n").encode())
    assert store.dump() == services.leaderboards_from_ledger()
    _ranks_agree(store)
    assert {board for board, _, _ in store.dump()} == {
        "company",
        "department-support",
        "team-support-south",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/Los_Angeles"])
def test_the_database_names_seasons_as_window_keys_does(zone, settings):
    """The set-based recomputation names months and ISO weeks in the organisation's time
    zone as ``window_keys`` does: at a week's, a month's and an ISO year's edges."""
    from datetime import UTC, datetime

    settings.TIME_ZONE = zone
    person = UserFactory(profile__team=TeamFactory(department=DepartmentFactory()))
    moments = [
        datetime(2026, 11, 29, 23, 30, tzinfo=UTC),  # Monday 00:30 in Berlin: the next week
        datetime(2026, 11, 30, 23, 30, tzinfo=UTC),  # December in Berlin
        datetime(2027, 1, 1, 6, 0, tzinfo=UTC),  # ISO week 53 of 2026; December in LA
        datetime(2027, 1, 4, 3, 0, tzinfo=UTC),  # week 1 of 2027, or 53 of 2026 in LA
    ]
    for number, moment in enumerate(moments):
        activity_record(
            actor=person, verb="points.adjusted", key=f"t{number}", points=number + 1,
            timestamp=moment,
        )  # fmt: skip
    expected = plain_totals()
    assert services.leaderboards_from_ledger() == expected
    seasons = {season for _, season, _ in expected}
    assert {window_keys(moment)["week"] for moment in moments} <= seasons
    assert "w2026-53" in seasons
