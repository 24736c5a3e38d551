"""One WebSocket frame, built once, written straight to many sockets of a daphne worker.

ASGI gives a consumer only ``send``. Each message then goes through channels' session
wrapper, daphne's reply handler, autobahn's framing and Twisted's write buffer, which
registers the socket with the event loop's selector and writes it on the loop's next
turn: about 110 µs a socket, most of the cost of a live board's update to a thousand
screens (docs/PERFORMANCE.md). A broadcast needs none of that per socket. A server's
frames are not masked, so a text's frame is the same bytes on every socket: it is built
once (``frame``) and written to each socket with one ``send`` when nothing is queued on
it; whatever the kernel does not take at once goes through Twisted as usual, so frames
keep their order on every socket.

``with_wire`` is the outermost ASGI layer for WebSockets: under daphne it puts the
socket's ``Wire`` in the scope (``scope[WIRE]``); under any other server (the tests'
communicators, uvicorn) there is none and consumers send through ASGI.
These are daphne's, autobahn's and Twisted's internals (docs/PRIVATE_APIS.md);
``tests/portal/test_private_apis.py`` checks what is relied on.
"""

import sys
from functools import partial

from autobahn.websocket.protocol import PreparedMessage
from daphne.ws_protocol import WebSocketProtocol
from twisted.internet.tcp import Connection

WIRE = "portal.wire"


def frame(text: str) -> bytes:
    """The unmasked, uncompressed WebSocket frame of one text message."""
    return PreparedMessage(text.encode(), False, False, True).payloadHybi


class Wire:
    """One daphne WebSocket: writes prepared frames to it, in order with its other sends."""

    __slots__ = ("protocol", "server")

    def __init__(self, server, protocol: WebSocketProtocol):
        self.server, self.protocol = server, protocol

    def write(self, data: bytes) -> None:
        protocol = self.protocol
        if protocol.state != protocol.STATE_OPEN:
            return  # closing or closed: autobahn drops messages then too
        connection = self.server.connections.get(protocol)
        if connection is None or connection.get("disconnected"):
            return  # daphne's own reply handler drops them too
        if protocol.send_queue:  # autobahn is writing in chops: keep the order
            protocol.sendData(data)
            return
        transport = protocol.transport
        if (
            isinstance(transport, Connection)
            and not transport.TLS
            and transport.connected
            and not transport.disconnecting
            and not transport._tempDataLen
            and transport.offset == len(transport.dataBuffer)
        ):
            try:
                sent = transport.socket.send(data)
            except OSError:
                # Full (EAGAIN) or failing: Twisted's own write queues it, or meets the
                # error and closes the connection as it always does.
                sent = 0
            if sent == len(data):
                return
            data = data[sent:]
        transport.write(data)


def wire_of(send) -> Wire | None:
    """The socket behind daphne's ASGI ``send`` for one connection, if that is what it is."""
    # Looked up now, not imported: importing daphne.server installs Twisted's reactor,
    # and daphne's test server imports that module afresh in its child process.
    server_module = sys.modules.get("daphne.server")
    if server_module is None or not isinstance(send, partial) or len(send.args) != 1:
        return None
    server = getattr(send.func, "__self__", None)
    protocol = send.args[0]
    if isinstance(server, server_module.Server) and isinstance(protocol, WebSocketProtocol):
        return Wire(server, protocol)
    return None


def with_wire(application):
    """ASGI middleware: puts the socket's ``Wire`` (or None) in a WebSocket's scope."""

    async def app(scope, receive, send):
        if scope["type"] == "websocket":
            scope = {**scope, WIRE: wire_of(send)}
        return await application(scope, receive, send)

    return app
