"""The leaderboard socket: refusals, the snapshot, coalesced personal updates, bad input."""

import asyncio
import time
from datetime import datetime

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.db import transaction

from leaderboards import broadcast
from leaderboards.boards import current_window_key
from portal.activity.services import activity_record
from portal.people.models import Visibility
from tests.people.factories import DepartmentFactory, TeamFactory, UserFactory
from tests.realtime import session_for, ws_close, ws_closed, ws_connect

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]


def _setup():
    team = TeamFactory(department=DepartmentFactory())
    other_team = TeamFactory(department=team.department)
    viewer = UserFactory(first_name="Vi", last_name="Ewer", profile__team=team,
                         profile__onboarded=True)  # fmt: skip
    rival = UserFactory(first_name="Real", profile__team=team, profile__onboarded=True,
                        profile__leaderboard_visibility=Visibility.ALIAS,
                        profile__alias="Green Spark")  # fmt: skip
    return team, other_team, viewer, rival, session_for(viewer)


def _earn(user, points, key, rollback=False):
    with transaction.atomic():
        activity_record(actor=user, verb="points.adjusted", key=key, points=points)
        if rollback:
            transaction.set_rollback(True)


async def test_refusals():
    _team, other_team, _, _, session = await sync_to_async(_setup)()
    for path, code in [
        ("/ws/leaderboards/company/", 4401),
        ("/ws/leaderboards/nowhere/", 4403),
        (f"/ws/leaderboards/team-{other_team.slug}/", 4403),
        ("/ws/leaderboards/company/?window=decade", 4403),
    ]:
        communicator = await ws_connect(path, session if code == 4403 else None)
        assert await ws_closed(communicator) == code
        await ws_close(communicator)


async def test_snapshot_then_one_coalesced_update_for_a_burst(monkeypatch):
    team, _, viewer, rival, session = await sync_to_async(_setup)()
    await sync_to_async(_earn)(viewer, 30, "v1")
    await asyncio.sleep(broadcast.WINDOW + 0.2)  # let the set-up's own update go out first
    sent = []
    real_payload = broadcast.board_payload

    def counting_payload(board, window, changed, at):
        sent.append((board, window))
        return real_payload(board, window, changed, at)

    monkeypatch.setattr(broadcast, "board_payload", counting_payload)
    # A wider window than the 250 ms default, so that the burst below falls into one
    # window however slow the machine's commits are.
    monkeypatch.setattr(broadcast, "WINDOW", 1.5)
    communicator = await ws_connect(f"/ws/leaderboards/team-{team.slug}/?window=week", session)
    snapshot = await communicator.receive_json_from(timeout=3)
    assert snapshot["type"] == "snapshot"
    assert snapshot["board"] == f"team-{team.slug}"
    assert snapshot["window"] == "week"
    assert snapshot["me"] == {"rank": 1, "points": 30}
    assert [(e["rank"], e["name"], e["you"]) for e in snapshot["entries"]] == [(1, "Vi Ewer", True)]
    version = snapshot["version"]

    # A burst of five awards, made the way a request makes them (from a thread that
    # belongs to this event loop): the first goes out at once (after the short gather),
    # the others wait for the window and go out together.
    for number in range(5):
        await database_sync_to_async(_earn)(rival, 10, f"r{number}")
    updates = []
    while not await communicator.receive_nothing(timeout=2):
        updates.append(await communicator.receive_json_from())
    assert 1 <= len(updates) <= 2
    assert sent.count((f"team-{team.slug}", "week")) == len(updates)
    update = updates[-1]
    assert update["type"] == "update"
    assert update["version"] >= version + 5
    assert [(e["rank"], e["name"], e["points"], e["you"]) for e in update["entries"]] == [
        (1, "Green Spark", 50, False),
        (2, "Vi Ewer", 30, True),
    ]
    assert update["me"] == {"rank": 2, "points": 30}

    # A rolled-back award sends nothing.
    await database_sync_to_async(_earn)(rival, 10, "rolled", rollback=True)
    assert await communicator.receive_nothing(timeout=1.8)

    # Bad input gets an error and the socket stays; a client may ask for a snapshot.
    await communicator.send_to(text_data="{")
    assert (await communicator.receive_json_from())["type"] == "error"
    await communicator.send_json_to({"type": "snapshot"})
    fresh = await communicator.receive_json_from(timeout=3)
    assert fresh["type"] == "snapshot"
    assert fresh["me"] == {"rank": 2, "points": 30}
    await ws_close(communicator)
    await asyncio.sleep(0)


async def test_a_viewer_below_the_top_keeps_the_right_rank_without_a_query(monkeypatch):
    from leaderboards import consumers, selectors

    team, _, viewer, rival, session = await sync_to_async(_setup)()
    await sync_to_async(_earn)(viewer, 30, "v1")
    third = await sync_to_async(UserFactory)(profile__team=team, profile__onboarded=True)
    await sync_to_async(_earn)(third, 100, "t1")
    await asyncio.sleep(broadcast.WINDOW + 0.2)  # let the set-up's own update go out first
    # Only the top one travels in updates, so the viewer (second) is below the top.
    monkeypatch.setattr(selectors, "TOP", 1)
    reads = []
    monkeypatch.setattr(
        consumers, "leaderboard_me", lambda **kw: reads.append(kw) or {"rank": 0, "points": 0}
    )
    communicator = await ws_connect(f"/ws/leaderboards/team-{team.slug}/?window=all", session)
    snapshot = await communicator.receive_json_from(timeout=3)
    assert snapshot["me"] == {"rank": 2, "points": 30}
    for number in range(5):
        await database_sync_to_async(_earn)(rival, 10, f"r{number}")  # 0 -> 50, passing 30
    updates = []
    while not await communicator.receive_nothing(timeout=1):
        updates.append(await communicator.receive_json_from())
    update = updates[-1]
    assert [e["points"] for e in update["entries"]] == [100]
    assert update["me"] == {"rank": 3, "points": 30}
    assert reads == []  # no store or database read for this socket
    await ws_close(communicator)


async def _rival_ahead_then_watch(window: str):
    """The set-up with the rival at 40 points, and the viewer's socket on their team's
    board once that change has gone out."""
    team, _, viewer, rival, session = await sync_to_async(_setup)()
    await sync_to_async(_earn)(rival, 40, "r1")
    await asyncio.sleep(broadcast.WINDOW + 0.2)
    communicator = await ws_connect(f"/ws/leaderboards/team-{team.slug}/?window={window}", session)
    snapshot = await communicator.receive_json_from(timeout=3)
    return viewer, rival, communicator, snapshot


async def test_own_points_bring_the_people_around_and_the_time_of_the_change():
    viewer, rival, communicator, snapshot = await _rival_ahead_then_watch("week")
    assert snapshot["me"] == {"rank": None, "points": 0}
    assert snapshot["around"] == []

    before = time.time()
    await database_sync_to_async(_earn)(viewer, 10, "v1")
    update = await communicator.receive_json_from(timeout=3)
    assert update["me"] == {"rank": 2, "points": 10}
    assert [(e["rank"], e["name"], e["you"]) for e in update["around"]] == [
        (1, "Green Spark", False),
        (2, "Vi Ewer", True),
    ]
    # "at" is when the change was recorded, after its commit, in UTC.
    at = datetime.fromisoformat(update["at"]).timestamp()
    assert before - 0.001 <= at <= time.time()

    # Another person's points: the same shared text, with no "around" to recompute.
    await asyncio.sleep(broadcast.WINDOW + 0.1)
    await database_sync_to_async(_earn)(rival, 5, "r2")
    update = await communicator.receive_json_from(timeout=3)
    assert "around" not in update
    assert update["me"] == {"rank": 2, "points": 10}
    await ws_close(communicator)


async def test_a_new_alias_or_hiding_shows_at_once_without_points():
    from portal.people.services import profile_update

    _viewer, rival, communicator, snapshot = await _rival_ahead_then_watch("all")
    assert [e["name"] for e in snapshot["entries"]] == ["Green Spark"]

    def rename(visibility, alias):
        profile_update(user=rival, display_name="", interests=[], advocacy_style="listener",
                       leaderboard_visibility=visibility, alias=alias, consent_feed=False,
                       consent_badge_evidence=False, consent_material=False,
                       mentor_opt_in=False)  # fmt: skip

    await database_sync_to_async(rename)(Visibility.ALIAS, "Blue Wave")
    update = await communicator.receive_json_from(timeout=3)
    assert update["version"] > snapshot["version"]
    assert [e["name"] for e in update["entries"]] == ["Blue Wave"]
    await asyncio.sleep(broadcast.WINDOW + 0.1)
    await database_sync_to_async(rename)(Visibility.HIDDEN, "")
    update = await communicator.receive_json_from(timeout=3)
    assert update["entries"] == []
    # Saving the same presentation again sends nothing.
    await asyncio.sleep(broadcast.WINDOW + 0.1)
    await database_sync_to_async(rename)(Visibility.HIDDEN, "")
    assert await communicator.receive_nothing(timeout=0.8)
    await ws_close(communicator)


async def test_many_viewers_share_one_read_of_the_top(settings, monkeypatch):
    from leaderboards import selectors

    settings.LEADERBOARD_CACHE_SECONDS = 30
    team, _, viewer, rival, session = await sync_to_async(_setup)()
    reads = []
    real_top = selectors._Board.top
    monkeypatch.setattr(
        selectors._Board,
        "top",
        lambda self, n: reads.append((self.board, self.season)) or real_top(self, n),
    )
    await database_sync_to_async(_earn)(rival, 40, "r1")  # its broadcast reads the top
    await asyncio.sleep(broadcast.WINDOW + 0.2)
    communicators = []
    for _ in range(5):
        communicator = await ws_connect(f"/ws/leaderboards/team-{team.slug}/?window=month", session)
        snapshot = await communicator.receive_json_from(timeout=3)
        assert [e["name"] for e in snapshot["entries"]] == ["Green Spark"]
        communicators.append(communicator)
    board = (f"team-{team.slug}", current_window_key("month"))
    assert reads.count(board) == 1  # the broadcast's read served every snapshot
    # A change makes a new version, read once more for every socket's update.
    await database_sync_to_async(_earn)(viewer, 50, "v1")
    for communicator in communicators:
        update = await communicator.receive_json_from(timeout=3)
        assert [e["name"] for e in update["entries"]] == ["Vi Ewer", "Green Spark"]
    assert reads.count(board) == 2
    await ws_close(*communicators)


async def test_a_worker_follows_a_board_with_one_channel_whatever_its_sockets():
    from channels.layers import get_channel_layer

    from leaderboards.relay import relay

    team, _, _viewer, rival, session = await sync_to_async(_setup)()
    rival_session = await sync_to_async(session_for)(rival)
    path = f"/ws/leaderboards/team-{team.slug}/?window=week"
    sockets = [await ws_connect(path, s) for s in (session, session, rival_session)]
    for communicator in sockets:
        assert (await communicator.receive_json_from(timeout=3))["type"] == "snapshot"
    group = broadcast.board_group(f"team-{team.slug}", "week")
    layer = get_channel_layer()
    if hasattr(layer, "groups"):  # the in-process layer shows its members
        assert list(layer.groups[group]) == [relay().channel]
    assert len(relay().members[group]) == 3

    await database_sync_to_async(_earn)(rival, 10, "r1")
    for communicator in sockets:
        update = await communicator.receive_json_from(timeout=3)
        assert [e["name"] for e in update["entries"]] == ["Green Spark"]
    you = [e["you"] for s in sockets for e in (await _snapshot_of(s))["entries"]]
    assert you == [False, False, True]

    await ws_close(*sockets)
    assert relay().members == {}
    assert relay().channel is None  # stopped until a socket comes again
    if hasattr(layer, "groups"):
        assert group not in layer.groups


async def _snapshot_of(communicator):
    await communicator.send_json_to({"type": "snapshot"})
    return await communicator.receive_json_from(timeout=3)
