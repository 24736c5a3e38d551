"""The personal notification socket: only your own events, refusals and bad input."""

import pytest
from asgiref.sync import sync_to_async
from django.db import transaction

from portal.notifications.services import notification_send
from tests.people.factories import UserFactory
from tests.realtime import session_for, ws_close, ws_connect

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]


def _person():
    person = UserFactory(profile__onboarded=True)
    return person, session_for(person)


async def _connect(session=None):
    return await ws_connect("/ws/notifications/", session)


async def test_anonymous_sockets_are_closed_with_4401():
    communicator = await _connect()
    assert await communicator.receive_output() == {"type": "websocket.close", "code": 4401}
    await ws_close(communicator)


async def test_a_person_hears_only_their_own_notifications():
    me, my_session = await sync_to_async(_person)()
    _other, other_session = await sync_to_async(_person)()
    mine = await _connect(my_session)
    theirs = await _connect(other_session)

    def send():
        with transaction.atomic():
            notification_send(user=me, kind="badge", title="You earned a badge", url="/me/badges/")

    await sync_to_async(send)()
    message = await mine.receive_json_from(timeout=2)
    assert message["type"] == "notification"
    assert (message["kind"], message["title"], message["url"]) == (
        "badge",
        "You earned a badge",
        "/me/badges/",
    )
    assert message["created"]
    assert await theirs.receive_nothing(timeout=0.3)

    def rolled_back():
        with transaction.atomic():
            notification_send(user=me, kind="level", title="Never sent")
            transaction.set_rollback(True)

    await sync_to_async(rolled_back)()
    assert await mine.receive_nothing(timeout=0.3)

    await mine.send_to(text_data="nope")
    assert (await mine.receive_json_from())["type"] == "error"
    await ws_close(mine, theirs)
