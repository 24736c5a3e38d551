"""The base of every WebSocket consumer: authentication, authorisation, safe input.

A consumer in this portal does transport only. This base accepts the handshake and
closes at once with 4401 (not signed in) or 4403 (not allowed) so browsers see why, and
later with 4401 when the sign-in session that opened it ends;
answers malformed or unexpected messages with an error and keeps the socket open; and
drops inbound messages beyond a small rate, so no client can make a consumer busy.
"""

import asyncio
import json
import time

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from portal.people.models import User

from .people.services import session_signed_in, signin_group
from .people.twofactor import sign_in_complete
from .realtime import GROUP_RENEW_SECONDS, group_join, group_leave, memberships_renewed

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


class PortalConsumer(AsyncWebsocketConsumer):
    # Inbound messages allowed per window; beyond it they are dropped with one warning.
    rate_limit = 10
    rate_window = 10.0
    renew_seconds = GROUP_RENEW_SECONDS

    async def connect(self):
        self.groups_joined: list[str] = []
        self._window_started = time.monotonic()
        self._window_count = 0
        user = self.scope.get("user")
        signed_in = (
            user is not None
            and user.is_authenticated
            # A session that still owes its two-step code opens no socket either.
            and await database_sync_to_async(sign_in_complete)(self.scope.get("session"))
        )
        if not signed_in:
            await self.refuse(CLOSE_UNAUTHENTICATED)
            return
        groups = await self.authorise(user)
        if groups is None:
            await self.refuse(CLOSE_FORBIDDEN)
            return
        # Every socket also follows its person's sign-in: it closes when the session that
        # opened it ends (sign-out, password change, deactivation, erasure). Groups are
        # joined before the socket is accepted: once the browser sees it open, nothing
        # sent to its groups can pass it by (events that arrive meanwhile wait until
        # connect returns).
        for group in [*groups, signin_group(user.pk)]:
            await group_join(self.channel_layer, group, self.channel_name)
            self.groups_joined.append(group)
        await self.accept()
        if self.groups_joined:
            self._renewing = asyncio.create_task(
                memberships_renewed(
                    self.channel_layer,
                    self.channel_name,
                    lambda: self.groups_joined,
                    self.renew_seconds,
                )
            )
        await self.joined()

    async def refuse(self, code: int) -> None:
        """Accept, then close with ``code`` at once, so the browser learns why (a socket
        refused during the handshake only sees 1006)."""
        await self.accept()
        await self.close(code=code)

    async def dispatch(self, message):
        """Call the handler for ``message``, without channels' extra database step.

        channels closes stale database connections before every handler, a trip to the
        sync thread per message: relaying one broadcast to N sockets would queue N
        trips behind each other. Consumers here reach the database only through
        ``database_sync_to_async``, which closes stale connections itself.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def authorise(self, user: User) -> list[str] | None:
        """Return the groups this socket follows, or None to refuse it (4403)."""
        raise NotImplementedError

    async def joined(self) -> None:
        """Called once the socket follows its groups (send a snapshot here)."""

    async def people_sessions_ended(self, event):
        session_key = getattr(self.scope.get("session"), "session_key", None)
        if (
            event.get("ended") and event["ended"] == session_key
        ) or not await database_sync_to_async(session_signed_in)(
            session_key=session_key, user_id=self.scope["user"].pk
        ):
            await self.close(code=CLOSE_UNAUTHENTICATED)

    async def disconnect(self, code):
        if getattr(self, "_renewing", None) is not None:
            self._renewing.cancel()
        for group in getattr(self, "groups_joined", []):
            await group_leave(self.channel_layer, group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        if not self._within_rate():
            return
        if text_data is None:
            await self.send_error("Send JSON text messages.")
            return
        try:
            message = json.loads(text_data)
        except ValueError:
            await self.send_error("That message is not valid JSON.")
            return
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self.send_error('Messages are JSON objects with a "type".')
            return
        await self.handle(message)

    async def handle(self, message: dict) -> None:
        """Answer one well-formed inbound message; by default none are expected."""
        await self.send_error(f"Unknown message type {message['type'][:40]!r}.")

    async def send_json(self, content: dict) -> None:
        await self.send(text_data=json.dumps(content, separators=(",", ":")))

    async def send_error(self, text: str) -> None:
        await self.send_json({"type": "error", "message": text})

    def _within_rate(self) -> bool:
        now = time.monotonic()
        if now - self._window_started > self.rate_window:
            self._window_started, self._window_count = now, 0
        self._window_count += 1
        return not self._window_count > self.rate_limit


class NoRouteConsumer(AsyncWebsocketConsumer):
    """Any WebSocket path without a route: the handshake is refused (403), as a page that
    does not exist is a 404, instead of a server error."""

    async def connect(self):
        await self.close()
