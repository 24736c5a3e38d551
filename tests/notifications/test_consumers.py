"""The personal notification socket: only your own events, refusals and bad input."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from django.db import transaction

from portal.notifications.services import notification_send
from tests.people.factories import UserFactory
from tests.realtime import session_for, ws_close, ws_closed, ws_connect

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
    assert await ws_closed(communicator) == 4401
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


async def test_points_come_as_toasts_and_recognition_is_kept():
    from portal.activity.services import activity_record
    from portal.notifications.models import Notification

    me, session = await sync_to_async(_person)()
    socket = await _connect(session)

    def earn():
        activity_record(actor=me, verb="points.adjusted", key="p", points=15)
        activity_record(actor=me, verb="recognition.received", key="r", points=0,
                        result={"from": "Maya Manager", "message": "Great thread!"})  # fmt: skip

    await sync_to_async(earn)()
    received = [await socket.receive_json_from(timeout=2) for _ in range(2)]
    by_kind = {message["kind"]: message for message in received}
    assert by_kind["points"]["title"] == "+15 points"
    assert by_kind["points"]["body"] == "You had points adjusted."
    assert by_kind["recognition"]["title"] == "Maya Manager recognised you"
    assert by_kind["recognition"]["body"] == "Great thread!"
    kinds = await sync_to_async(
        lambda: sorted(Notification.objects.values_list("kind", flat=True))
    )()
    assert kinds == ["recognition"]  # points are not kept in the list
    await ws_close(socket)


async def test_a_page_open_for_days_keeps_hearing_its_events(monkeypatch):
    """Channel layers forget a membership after a day; the socket joins again."""
    from channels.layers import get_channel_layer

    from portal.consumers import PortalConsumer

    layer = get_channel_layer()
    if not hasattr(layer, "groups"):
        pytest.skip("forgetting a membership is simulated on the in-process layer")
    monkeypatch.setattr(PortalConsumer, "renew_seconds", 0.1)
    me, session = await sync_to_async(_person)()
    socket = await _connect(session)
    group = f"user.{me.pk}"
    layer.groups[group].clear()  # as group_expiry does after a day

    await asyncio.sleep(0.3)
    await sync_to_async(notification_send)(user=me, kind="badge", title="Still here")
    assert (await socket.receive_json_from(timeout=2))["title"] == "Still here"
    await ws_close(socket)
