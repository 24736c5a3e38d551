import pytest
from asgiref.sync import sync_to_async
from channels.testing import HttpCommunicator, WebsocketCommunicator
from django.db import connections

from portal.asgi import application


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.asyncio
async def test_http_goes_through_django():
    communicator = HttpCommunicator(
        application, "GET", "/healthz/ready", headers=[(b"host", b"testserver")]
    )
    response = await communicator.get_response()
    assert response["status"] == 200
    # The view's database check ran in asgiref's sync thread; close what it opened there.
    await sync_to_async(connections.close_all)()


@pytest.mark.asyncio
async def test_websocket_from_a_foreign_origin_is_rejected_at_the_handshake():
    communicator = WebsocketCommunicator(
        application, "/ws/anything/", headers=[(b"origin", b"https://evil.example.com")]
    )
    connected, _ = await communicator.connect()
    assert connected is False
    await communicator.disconnect()
