"""Helpers for WebSocket tests: a signed-in session and a socket through the whole stack."""

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client

from portal.asgi import application


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
