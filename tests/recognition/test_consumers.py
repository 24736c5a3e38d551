"""The live recognition feed socket."""

import pytest
from asgiref.sync import sync_to_async

from portal.recognition.models import Category
from tests.people.factories import UserFactory
from tests.realtime import session_for, ws_close, ws_closed, ws_connect
from tests.recognition.factories import recognise, team_with_manager

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]


async def test_anonymous_sockets_are_closed():
    communicator = await ws_connect("/ws/recognition/")
    assert await ws_closed(communicator) == 4401
    await ws_close(communicator)


async def test_new_recognition_arrives_as_the_public_sees_it():
    def setup():
        _team, manager, [shy] = team_with_manager(consent=False, team_name="Support")
        watcher = UserFactory(profile__onboarded=True)
        return manager, shy, session_for(watcher)

    manager, shy, session = await sync_to_async(setup)()
    communicator = await ws_connect("/ws/recognition/", session)

    def give():
        recognise(
            manager,
            shy,
            points=15,
            message="Private words",
            category=Category.objects.get(name="Customer hero"),
        )

    await sync_to_async(give)()
    message = await communicator.receive_json_from(timeout=2)
    assert message["type"] == "recognition"
    entry = message["entry"]
    assert (entry["recipient"], entry["message"], entry["points"]) == (
        "a colleague in Support",
        "",
        15,
    )
    await communicator.send_to(text_data="not json")
    assert (await communicator.receive_json_from(timeout=2))["type"] == "error"
    await ws_close(communicator)
