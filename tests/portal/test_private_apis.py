"""Guards for the few places that rely on a framework's internals (docs/PRIVATE_APIS.md).

Each test states what we rely on; when an upgrade changes it, the test fails with a
message naming the code to revisit, before anything misbehaves in production.
"""

import asyncio
import inspect
import os

import pytest
from asgiref.sync import SyncToAsync, sync_to_async
from channels import consumer as channels_consumer
from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer
from django.utils.functional import LazyObject, SimpleLazyObject, empty
from django_tasks_db.models import DBTaskResult

DOC = "docs/PRIVATE_APIS.md"


@pytest.mark.asyncio
async def test_asgiref_still_tells_a_sync_thread_which_loop_called_it():
    """leaderboards.broadcast._send finds the server's event loop from a sync thread."""
    loop = asyncio.get_running_loop()

    def seen():
        local = SyncToAsync.threadlocal
        return getattr(local, "main_event_loop", None), getattr(local, "main_event_loop_pid", None)

    assert await sync_to_async(seen)() == (loop, os.getpid()), (
        "asgiref no longer sets SyncToAsync.threadlocal.main_event_loop(_pid): "
        f"revisit leaderboards/broadcast.py _send ({DOC})"
    )


def test_channels_in_memory_layer_still_sweeps_through_clean_expired():
    """portal.layers.InMemoryChannelLayer throttles channels' sweep by overriding it."""
    source = inspect.getsource(ChannelsInMemoryChannelLayer)
    assert hasattr(ChannelsInMemoryChannelLayer, "_clean_expired"), (
        f"revisit portal/layers.py ({DOC})"
    )
    assert source.count("self._clean_expired()") >= 2, (
        "channels' in-memory layer no longer sweeps on receive and group send through "
        f"_clean_expired: revisit portal/layers.py ({DOC})"
    )


def test_channels_dispatch_is_still_handler_lookup_plus_closing_old_connections():
    """portal.consumers.PortalConsumer.dispatch replaces it without the database step."""
    source = inspect.getsource(channels_consumer.AsyncConsumer.dispatch)
    for part in ("get_handler_name(message)", "aclose_old_connections()", "await handler(message)"):
        assert part in source, f"channels' dispatch changed: revisit portal/consumers.py ({DOC})"
    assert "self.base_send" in inspect.getsource(channels_consumer.AsyncConsumer.__call__), (
        f"channels' consumers no longer keep base_send: revisit leaderboards/consumers.py ({DOC})"
    )


def test_django_lazy_objects_still_keep_their_value_in_wrapped():
    """portal.audit unwraps request.user (a lazy object) so Wagtail logs the real model."""
    lazy = SimpleLazyObject(lambda: "person")
    assert issubclass(type(lazy), LazyObject), f"revisit portal/audit.py ({DOC})"
    assert lazy._wrapped is empty, f"revisit portal/audit.py ({DOC})"
    lazy._setup()
    assert lazy._wrapped == "person", f"revisit portal/audit.py ({DOC})"


def test_the_task_database_still_has_what_the_worker_housekeeping_reads():
    """portal.worker.housekeeping requeues and prunes task rows directly."""
    fields = {field.name for field in DBTaskResult._meta.get_fields()}
    needed = {"status", "worker_ids", "started_at", "finished_at", "run_after", "task_path"}
    assert needed <= fields, f"django-tasks-db's rows changed: revisit portal/worker ({DOC})"
    assert callable(getattr(DBTaskResult, "claim", None)), f"revisit tests/tasks.py ({DOC})"


def test_wagtail_still_offers_the_views_we_wrap():
    """cms.page_add wraps Wagtail's add-page view; portal.media reuses its documents'
    collection check."""
    from wagtail.admin.viewsets.pages import page_viewset_registry
    from wagtail.documents.wagtail_hooks import check_view_restrictions

    assert callable(getattr(page_viewset_registry, "as_view", None)), (
        f"revisit cms/page_add.py ({DOC})"
    )
    assert list(inspect.signature(check_view_restrictions).parameters)[:2] == [
        "document",
        "request",
    ], f"revisit portal/media.py ({DOC})"


def test_daphne_autobahn_and_twisted_still_have_what_the_wire_writes_through():
    """portal.wire writes prepared frames straight to daphne's sockets."""
    from autobahn.websocket.protocol import PreparedMessage, WebSocketProtocol
    from daphne.server import Server
    from twisted.internet import abstract, tcp

    message = f"revisit portal/wire.py ({DOC})"
    create = inspect.getsource(Server.create_application)
    assert "send=partial(self.handle_reply, protocol)" in create, message
    assert '"disconnected"' in inspect.getsource(Server.handle_reply), message
    assert PreparedMessage(b"hi", False, False, True).payloadHybi == b"\x81\x02hi", message
    for name in ("STATE_OPEN", "sendData"):
        assert hasattr(WebSocketProtocol, name), message
    made = inspect.getsource(WebSocketProtocol._connectionMade)
    assert "self.state = " in made, message
    assert "self.send_queue = deque()" in made, message
    write = inspect.getsource(abstract.FileDescriptor.write)
    assert "self._tempDataBuffer.append(data)" in write, message
    assert "self._tempDataLen += len(data)" in write, message
    do_write = inspect.getsource(abstract.FileDescriptor.doWrite)
    assert "remaining = len(self.dataBuffer) - self.offset" in do_write, message
    assert issubclass(tcp.Server, tcp.Connection), message
    assert hasattr(tcp.Connection, "TLS"), message
    assert "self.socket.send" in inspect.getsource(tcp.Connection.writeSomeData), message
