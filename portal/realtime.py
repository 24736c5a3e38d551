"""Sending events to WebSocket groups, only once the change that caused them is committed.

One function names groups and one sends after commit, so every broadcast in the portal
reads the same way: ``broadcast_on_commit(group_name("workshop", page.pk), event)``.
A rolled-back transaction sends nothing.
"""

import logging
import re
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

_GROUP_PART = re.compile(r"^[A-Za-z0-9_-]+$")


def group_name(kind: str, *parts: object) -> str:
    """``group_name("workshop", 12)`` -> ``"workshop.12"`` (ASCII, under 100 characters)."""
    pieces = [kind, *(str(part) for part in parts)]
    for piece in pieces:
        if not _GROUP_PART.match(piece):
            raise ValueError(f"Group name parts are letters, digits, '-' or '_': {piece!r}")
    name = ".".join(pieces)
    if len(name) >= 100:
        raise ValueError(f"Group name too long: {name!r}")
    return name


def broadcast_on_commit(group: str, event: dict[str, Any]) -> None:
    """Send ``event`` (its ``type`` names the consumer handler) to ``group`` after commit."""

    def send() -> None:
        async_to_sync(get_channel_layer().group_send)(group, event)

    send.__qualname__ = f"broadcast to {group!r}"
    transaction.on_commit(send, robust=True)
