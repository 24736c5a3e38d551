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


def manager_cycles(starts, manager_of: Callable[[T], T | None]) -> list[list[T]]:
    """Every cycle reachable from ``starts``, in time linear in the people visited.

    Each person is walked once: a walk stops at anyone an earlier walk finished, and a
    person met again on the current walk closes a cycle (``manager_cycle`` per person
    would climb the same long chain again for everyone in it).
    """
    done: set[T] = set()
    cycles = []
    for start in starts:
        walk: dict[T, int] = {}  # person -> position on this walk
        order: list[T] = []
        current = start
        while current is not None and current not in done:
            if current in walk:
                cycles.append(order[walk[current] :])
                break
            walk[current] = len(order)
            order.append(current)
            current = manager_of(current)
        done.update(order)
    return cycles
