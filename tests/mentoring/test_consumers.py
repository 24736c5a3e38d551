"""The mentor's live dashboard socket: updates for their mentees only, stopped by ending."""

import pytest
from asgiref.sync import sync_to_async

from portal.activity.services import points_adjust
from portal.mentoring import selectors, services
from tests.mentoring.factories import paired
from tests.realtime import session_for, ws_close, ws_closed, ws_connect

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]


async def test_anonymous_sockets_are_closed():
    communicator = await ws_connect("/ws/mentoring/")
    assert await ws_closed(communicator) == 4401
    await ws_close(communicator)


async def test_a_mentee_update_arrives_and_ending_the_pairing_stops_them():
    def setup():
        pairing = paired()
        other = paired()
        return pairing, other, session_for(pairing.mentor)

    pairing, other, session = await sync_to_async(setup)()
    communicator = await ws_connect("/ws/mentoring/", session)

    await sync_to_async(points_adjust)(user=pairing.mentee, points=15, reason="Pilot post")
    message = await communicator.receive_json_from(timeout=2)
    assert message["type"] == "mentee"
    assert (message["row"]["id"], message["row"]["points"]) == (pairing.mentee_id, 15)

    # Someone else's mentee: nothing reaches this socket.
    await sync_to_async(points_adjust)(user=other.mentee, points=5, reason="Theirs")
    assert await communicator.receive_nothing(timeout=0.3)

    await sync_to_async(services.pairing_end)(pairing=pairing, by=pairing.mentee)
    assert await communicator.receive_json_from(timeout=2) == {
        "type": "removed",
        "mentee": pairing.mentee_id,
    }
    # A change sent after the end (even a stray one) carries no data.
    from portal.events import MentoringMenteeChanged
    from portal.realtime import broadcast

    await sync_to_async(broadcast)(
        selectors.mentor_group(pairing.mentor_id),
        MentoringMenteeChanged(type="mentoring.mentee_changed", mentee=pairing.mentee_id),
    )
    assert await communicator.receive_json_from(timeout=2) == {
        "type": "removed",
        "mentee": pairing.mentee_id,
    }
    await ws_close(communicator)
