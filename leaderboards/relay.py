"""One channel per worker process relays leaderboard updates to that worker's sockets.

A channel-layer group with a member per socket makes every update cost a layer message
per socket (with Redis, a list push per socket; in process, a deep copy and a task per
socket), which is what makes careless broadcasts slow at a few hundred members. Here
each worker joins a board's group once, with one channel of its own, and hands each
update to its sockets on that board directly: an update costs one layer message per
worker, and per socket only the consumer's own (query-free) personalisation and a write.
Sockets whose viewers stand in the same place get the same text: under daphne it is
framed once and the frame written to each of them (``portal.wire``).
"""

import asyncio
import logging
import weakref

from channels.layers import get_channel_layer

from portal.realtime import group_join, group_leave, memberships_renewed
from portal.wire import frame

logger = logging.getLogger(__name__)


class Relay:
    def __init__(self, layer):
        self.layer = layer
        self.channel: str | None = None
        self.members: dict[str, set] = {}
        self.tasks: list[asyncio.Task] = []

    async def join(self, group: str, consumer) -> None:
        if self.channel is None:
            # The default prefix: channels_redis reads every channel of a process through
            # one blocking pop per prefix, and the consumers' own use this one.
            self.channel = await self.layer.new_channel()
            self.tasks = [
                asyncio.create_task(self._read()),
                asyncio.create_task(
                    memberships_renewed(self.layer, self.channel, lambda: self.members)
                ),
            ]
        if group not in self.members:
            self.members[group] = set()
            await group_join(self.layer, group, self.channel)
        self.members[group].add(consumer)

    async def leave(self, group: str, consumer) -> None:
        members = self.members.get(group)
        if members is None:
            return
        members.discard(consumer)
        if not members:
            del self.members[group]
            if self.channel is not None:
                await group_leave(self.layer, group, self.channel)
        if not self.members:  # the worker's last socket left: stop reading until the next
            for task in self.tasks:
                task.cancel()
            self.channel, self.tasks = None, []

    async def _read(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    return  # the layer turned the cancellation into an error of its own
                logger.exception("The leaderboard relay could not read its channel")
                await asyncio.sleep(1)
                continue
            members = self.members.get(message.get("group"))
            if members:
                await self._deliver(message, list(members))

    @staticmethod
    async def _deliver(message: dict, members: list) -> None:
        """Each socket's text of the update; one frame per distinct text, written to all."""
        frames: dict[str, bytes] = {}
        for consumer in members:
            try:
                if consumer.wire is None:  # not under daphne (tests, another server)
                    await consumer.leaderboards_board_changed(message)
                    continue
                text = consumer.update_text(message)
                if text is None:
                    continue  # the socket sends its own
                data = frames.get(text)
                if data is None:
                    data = frames[text] = frame(text)
                consumer.wire.write(data)
            except Exception:
                logger.exception("Could not relay a leaderboard update to a socket")


_relays: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Relay]" = weakref.WeakKeyDictionary()


def relay() -> Relay:
    """This event loop's relay (a daphne worker has one loop; tests make one per test)."""
    loop = asyncio.get_running_loop()
    layer = get_channel_layer()
    found = _relays.get(loop)
    if found is None or found.layer is not layer:
        found = _relays[loop] = Relay(layer)
    return found
