"""Prepared frames written straight to daphne's sockets (portal.wire), under real daphne.

The application below answers "N" with N large messages, two of every three as a
prepared frame through the socket's ``Wire`` and every third through ASGI, then "end".
The client reads nothing for a while, so the kernel's buffers fill: writes go through
the direct path, partial writes and Twisted's queue, and every message must still
arrive whole and in order.
"""

import asyncio

import pytest
import websockets
from channels.testing import WebsocketCommunicator
from daphne.testing import DaphneProcess

from portal.wire import WIRE, frame, with_wire

SIZE = 100_000


async def _burst(scope, receive, send):
    wire = scope[WIRE]
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    while True:
        message = await receive()
        if message["type"] != "websocket.receive":
            return
        if wire is None:
            await send({"type": "websocket.send", "text": "no wire"})
            continue
        for number in range(int(message["text"])):
            text = f"{number}:" + "x" * SIZE
            if number % 3 == 2:
                await send({"type": "websocket.send", "text": text})
            else:
                wire.write(frame(text))
        await send({"type": "websocket.send", "text": "end"})


def _application():
    return with_wire(_burst)


@pytest.fixture
def daphne_url():
    process = DaphneProcess("127.0.0.1", _application)
    process.start()
    assert process.ready.wait(timeout=30), "daphne did not start"
    yield f"ws://127.0.0.1:{process.port.value}/"
    process.terminate()
    process.join(timeout=10)


@pytest.mark.asyncio
async def test_prepared_frames_arrive_whole_and_in_order_with_asgi_sends(daphne_url):
    count = 60  # 6 MB: more than the socket buffers hold while the client does not read
    async with websockets.connect(daphne_url, max_queue=4, max_size=None) as socket:
        await socket.send(str(count))
        await asyncio.sleep(1)  # let the server's writes meet full buffers
        received = [await socket.recv() for _ in range(count + 1)]
    assert received[-1] == "end"
    numbers = [int(text.split(":", 1)[0]) for text in received[:-1]]
    assert numbers == list(range(count))
    assert all(len(text) == len(f"{n}:") + SIZE for n, text in zip(numbers, received, strict=False))


@pytest.mark.asyncio
async def test_prepared_frames_survive_the_client_leaving_mid_burst(daphne_url):
    leaving = websockets.connect(daphne_url, max_queue=1, max_size=None, close_timeout=0.5)
    async with leaving as socket:
        await socket.send("200")  # 20 MB the client never reads: it leaves instead
    # The worker is still well: a new client gets its burst.
    async with websockets.connect(daphne_url, max_size=None) as socket:
        await socket.send("2")
        assert [len(await socket.recv()) for _ in range(3)] == [SIZE + 2, SIZE + 2, 3]


@pytest.mark.asyncio
async def test_there_is_no_wire_outside_daphne():
    communicator = WebsocketCommunicator(with_wire(_burst), "/")
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_to(text_data="3")
    assert await communicator.receive_from() == "no wire"
    await communicator.disconnect()


def test_a_frame_is_the_unmasked_text_frame_of_its_message():
    assert frame("hi") == b"\x81\x02hi"
    long = frame("é" * 100)  # 200 bytes of UTF-8: the 16-bit length form
    assert long[:4] == b"\x81\x7e\x00\xc8"
    assert long[4:].decode() == "é" * 100
