"""The leaderboard socket: refusals, the snapshot, coalesced personal updates, bad input."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.db import transaction

from leaderboards import broadcast
from portal.activity.services import activity_record
from portal.people.models import Visibility
from tests.people.factories import DepartmentFactory, TeamFactory, UserFactory
from tests.realtime import session_for, ws_close, ws_connect

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
        assert await communicator.receive_output() == {"type": "websocket.close", "code": code}
        await ws_close(communicator)


async def test_snapshot_then_one_coalesced_update_for_a_burst(monkeypatch):
    team, _, viewer, rival, session = await sync_to_async(_setup)()
    await sync_to_async(_earn)(viewer, 30, "v1")
    await asyncio.sleep(broadcast.WINDOW + 0.2)  # let the set-up's own update go out first
    sent = []
    real_payload = broadcast.board_payload

    def counting_payload(board, window, changed):
        sent.append((board, window))
        return real_payload(board, window, changed)

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
    # belongs to this event loop): the first goes out at once, the other four wait for
    # the window and go out together.
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
    from functools import partial

    from leaderboards import consumers, selectors

    team, _, viewer, rival, session = await sync_to_async(_setup)()
    await sync_to_async(_earn)(viewer, 30, "v1")
    third = await sync_to_async(UserFactory)(profile__team=team, profile__onboarded=True)
    await sync_to_async(_earn)(third, 100, "t1")
    await asyncio.sleep(broadcast.WINDOW + 0.2)  # let the set-up's own update go out first
    # Only the top one travels in updates, so the viewer (second) is below the top.
    monkeypatch.setattr(selectors, "board_entries", partial(selectors.board_entries, limit=1))
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
