"""Helpers for WebSocket tests: a signed-in session, a socket through the whole stack, and
the live events a service sends."""

from contextlib import contextmanager

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client

from portal.asgi import application
from portal.realtime import broadcast_sent


def session_for(user) -> str:
    """A session id for ``user``, as the browser would send it."""
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


async def ws_connect(path: str, session: str | None = None) -> WebsocketCommunicator:
    """Open ``path`` from this site's origin (signed in with ``session`` if given)."""
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if session:
        headers.append((b"cookie", f"sessionid={session}".encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def ws_close(*communicators: WebsocketCommunicator) -> None:
    """Disconnect, and close the connections the consumers opened in sync threads."""
    for communicator in communicators:
        await communicator.disconnect()
    await sync_to_async(connections.close_all)()


async def ws_closed(communicator: WebsocketCommunicator, timeout: float = 2) -> int:
    """The code the consumer closed ``communicator`` with. Then, as a server would, tell
    the consumer the socket is gone and wait for it to finish, so that no consumer is
    left listening on the channel layer when the test's event loop closes."""
    output = await communicator.receive_output(timeout)
    assert output["type"] == "websocket.close", output
    await communicator.disconnect(code=output.get("code", 1000))
    return output["code"]


@contextmanager
def capture_broadcasts():
    """Collect every ``(group, event)`` the portal hands to the channel layer meanwhile
    (``portal.realtime``'s ``broadcast_sent``); they are still sent."""
    sent: list[tuple[str, dict]] = []

    def receiver(sender, *, group, event, **kwargs):
        sent.append((group, event))

    broadcast_sent.connect(receiver, weak=False, dispatch_uid="tests-capture-broadcasts")
    try:
        yield sent
    finally:
        broadcast_sent.disconnect(dispatch_uid="tests-capture-broadcasts")
