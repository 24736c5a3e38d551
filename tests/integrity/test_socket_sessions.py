"""Sockets live only as long as the sign-in that opened them: signing out closes that
session's sockets (other devices stay), a password change or a deactivation closes all
of them, and other people's sockets are not touched."""

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from portal.people.services import person_deactivate
from tests.conftest import PASSWORD
from tests.people.factories import UserFactory
from tests.realtime import ws_close, ws_closed, ws_connect

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


async def open_sockets(*clients):
    return [
        await ws_connect("/ws/notifications/", client.cookies["sessionid"].value)
        for client in clients
    ]


async def test_signing_out_closes_that_sessions_sockets_only():
    person, other = await sync_to_async(
        lambda: (UserFactory(profile__onboarded=True), UserFactory(profile__onboarded=True))
    )()
    phone, laptop, theirs = [
        await sync_to_async(signed_in)(user) for user in (person, person, other)
    ]
    phone_socket, laptop_socket, their_socket = await open_sockets(phone, laptop, theirs)

    await sync_to_async(phone.post)("/accounts/logout/")
    assert await ws_closed(phone_socket) == 4401
    assert await laptop_socket.receive_nothing(timeout=0.5)
    assert await their_socket.receive_nothing(timeout=0.1)
    await ws_close(laptop_socket, their_socket)


async def test_a_password_change_closes_every_socket_of_the_person():
    person = await sync_to_async(lambda: UserFactory(password=PASSWORD, profile__onboarded=True))()
    phone, laptop = [await sync_to_async(signed_in)(person) for _ in range(2)]
    sockets = await open_sockets(phone, laptop)

    def reset():
        person.set_password("a-brand-new-passphrase-7")
        person.save()

    await sync_to_async(reset)()
    assert [await ws_closed(socket) for socket in sockets] == [4401, 4401]


async def test_a_profile_save_without_a_new_password_keeps_sockets_open():
    person = await sync_to_async(lambda: UserFactory(profile__onboarded=True))()
    [socket] = await open_sockets(await sync_to_async(signed_in)(person))

    def rename():
        person.first_name = "Ada"
        person.save()

    await sync_to_async(rename)()
    assert await socket.receive_nothing(timeout=0.5)
    await ws_close(socket)


async def test_deactivating_a_leaver_closes_their_sockets():
    person = await sync_to_async(lambda: UserFactory(profile__onboarded=True))()
    [socket] = await open_sockets(await sync_to_async(signed_in)(person))
    await sync_to_async(person_deactivate)(user=person)
    assert await ws_closed(socket) == 4401


async def test_a_session_that_still_owes_its_code_opens_no_socket():
    """Password right, code not entered yet: pages redirect to the code, and sockets are
    refused the same way (4401)."""
    from channels.testing import WebsocketCommunicator

    from portal.asgi import application
    from tests.conftest import two_factor_device

    def signed_in_with_password_only():
        person = UserFactory(password=PASSWORD, profile__onboarded=True)
        two_factor_device(person)
        client = Client()
        client.post("/accounts/login/", {"username": person.email, "password": PASSWORD})
        return client.cookies["sessionid"].value

    session = await sync_to_async(signed_in_with_password_only)()
    communicator = WebsocketCommunicator(
        application,
        "/ws/notifications/",
        headers=[
            (b"origin", b"http://testserver"),
            (b"host", b"testserver"),
            (b"cookie", f"sessionid={session}".encode()),
        ],
    )
    connected, _ = await communicator.connect()
    assert connected  # accepted, then closed with the reason
    assert await ws_closed(communicator) == 4401


async def test_a_socket_hears_its_groups_as_soon_as_it_is_open():
    """Groups are joined before the socket is accepted: an event sent the moment the
    browser sees it open reaches it (on Redis, joining takes a round trip)."""
    from channels.layers import get_channel_layer

    from portal.people.services import signin_group

    person = await sync_to_async(lambda: UserFactory(profile__onboarded=True))()
    client = await sync_to_async(signed_in)(person)
    [socket] = await open_sockets(client)
    session = client.cookies["sessionid"].value
    await get_channel_layer().group_send(
        signin_group(person.pk), {"type": "people.sessions_ended", "ended": session}
    )
    assert await ws_closed(socket) == 4401
