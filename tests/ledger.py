"""Subscribers a test adds to the ledger's list (``settings.ACTIVITY_SUBSCRIBERS``).

Subscribers are named by import path, so the ones tests use live here; what they hear
goes to ``heard``, which ``add`` empties.
"""

from portal.activity.deliveries import Retry

heard: list = []


def add(settings, *, only: bool = False, **subscribers: str) -> list:
    """Add ``name="function in this module"`` subscribers for this test (with ``only``,
    instead of the portal's); returns ``heard``, emptied."""
    listed = {} if only else dict(settings.ACTIVITY_SUBSCRIBERS)
    settings.ACTIVITY_SUBSCRIBERS = listed | {
        name: f"tests.ledger.{function}" for name, function in subscribers.items()
    }
    heard.clear()
    return heard


def statements(activity) -> None:
    heard.append(activity)


def keys_per_actor_and_verb(activity) -> None:
    heard.append(activity.key)


keys_per_actor_and_verb.coalesce = lambda activity: (activity.actor_id, activity.verb)


def keys_per_actor(activity) -> None:
    heard.append(activity.key)


keys_per_actor.coalesce = lambda activity: (activity.actor_id,)


def broken(activity) -> None:
    raise ValueError("boom")


def flaky(activity) -> None:
    """Fails the first time it is called in a test."""
    heard.append(activity.pk)
    if len(heard) == 1:
        raise ValueError("mail server down")


def waiting(activity) -> None:
    raise Retry("store rebuilding")
