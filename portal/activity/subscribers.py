"""Who hears about a newly recorded activity, after its transaction commits.

Apps that react to the ledger (leaderboards, badges, notifications) register one
function each in their ``AppConfig.ready``; the list is short and explicit, so the
flow from a completion to its consequences can be read here rather than hunted for.
"""

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Activity

logger = logging.getLogger(__name__)

Subscriber = Callable[["Activity"], None]

_subscribers: dict[str, Subscriber] = {}


def subscribe(name: str, subscriber: Subscriber) -> None:
    """Register ``subscriber`` under ``name`` (registering a name again replaces it)."""
    _subscribers[name] = subscriber


def unsubscribe(name: str) -> None:
    _subscribers.pop(name, None)


def subscribers() -> dict[str, Subscriber]:
    return dict(_subscribers)
