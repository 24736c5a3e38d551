"""Who hears about a newly recorded statement: ``settings.ACTIVITY_SUBSCRIBERS``.

That setting is the one list (like ``MIDDLEWARE``): each subscriber's name, kept on its
``Delivery`` rows, and the import path of a function that takes the statement, in the
order they hear it. A completion's consequences are read there, top to bottom:

- ``leaderboards``: the rank stores and live boards (first, so boards move at once);
- ``notifications``: the person's in-app notifications;
- ``mentoring``: mentors' credits and their live view of mentees;
- ``badges``: badge and level evaluation (its awards are statements of their own, which
  go through the same list).

A subscriber function may carry two attributes: ``wants(activity) -> bool`` (it needs
only some statements; the others get no delivery) and ``coalesce(activity) -> tuple``
(the statements of one transaction with the same key are applied once, with the latest).
How each is applied exactly once is ``deliveries``' job.
"""

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from .models import Activity

Subscriber = Callable[["Activity"], object]


def subscriber(*, wants=None, coalesce=None):
    """Give a subscriber function its ``wants`` and ``coalesce`` (both optional)."""

    def mark(function):
        vars(function).update(
            {name: value for name, value in (("wants", wants), ("coalesce", coalesce)) if value}
        )
        return function

    return mark


def subscribers() -> dict[str, Subscriber]:
    """The subscribers by name, in the order of ``settings.ACTIVITY_SUBSCRIBERS``."""
    return dict(_loaded())


def name_of(path: str) -> str | None:
    """The name a subscriber's import path is listed under, if it is listed."""
    return next((name for name, listed in settings.ACTIVITY_SUBSCRIBERS.items()
                 if listed == path), None)  # fmt: skip


@cache
def _loaded() -> dict[str, Subscriber]:
    return {name: import_string(path) for name, path in settings.ACTIVITY_SUBSCRIBERS.items()}


def _setting_changed(*, setting: str, **kwargs) -> None:
    if setting == "ACTIVITY_SUBSCRIBERS":
        _loaded.cache_clear()


setting_changed.connect(_setting_changed, dispatch_uid="activity-subscribers")
