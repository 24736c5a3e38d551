"""Reporting lines: who manages whom, and the one rule they obey (no cycles)."""

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


def manager_cycle(start: T, manager_of: Callable[[T], T | None]) -> list[T] | None:
    """Follow managers up from ``start``; return the cycle found, or None.

    ``manager_of`` answers each person's manager (None at the top). The cycle is
    returned as the people in it, in order, starting where it closes.
    """
    chain = [start]
    seen = {start}
    current = manager_of(start)
    while current is not None:
        if current in seen:
            return chain[chain.index(current) :]
        chain.append(current)
        seen.add(current)
        current = manager_of(current)
    return None
